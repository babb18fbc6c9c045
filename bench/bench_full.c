/* bench_full.c — the full engine (windows, rules, graph patterns, tree
 * model) against the engine without graph features or model, in one run.
 *
 *   bench_full DATA MODEL [GRAPH_WINDOW [any]]
 *
 * MODEL is a model file from `fanzha eval --model-out`; GRAPH_WINDOW (default
 * 1d, e.g. 30d) and "any" (cycles need not be time-respecting) set the
 * graph's reach as the model was trained with. Prints throughput (best of
 * three runs each), latency of the full engine per transaction and state
 * bytes per account for both, and the ratio. */
#include "bench_common.h"
#include "fz_model.h"

#define FULL_RUNS 3

static double run(const rows *r, const fz_txn **ptr, size_t naccts, const fz_ruleset **rs, const fz_model *m,
                  const fz_engine_config *base, fz_engine_stats *st) {
    static fz_decision batch[BATCH];
    double best = 1e30;
    for (int k = 0; k < FULL_RUNS; k++) {
        fz_engine_config cfg = *base;
        cfg.reserve_accounts = naccts;
        fz_engine *e;
        fz_error err;
        if (fz_engine_new(&e, &cfg, &err) || fz_engine_set_rules(e, *rs)) exit(3);
        if (m && fz_engine_set_model(e, m, &err)) {
            char msg[512];
            fz_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "bench_full: %s\n", msg);
            exit(2);
        }
        double t0 = now();
        for (size_t i = 0; i < r->n; i += BATCH) {
            size_t n = r->n - i < BATCH ? r->n - i : BATCH;
            fz_engine_score_many(e, ptr + i, n, batch);
        }
        double t = now() - t0;
        if (t < best) best = t;
        fz_engine_stats_get(e, st);
        fz_engine_free(e);
    }
    return best;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench_full DATA MODEL [GRAPH_WINDOW [any]]\n");
        return 2;
    }
    const char *packs[] = {"rules/pboc-large-value.rules", "rules/typologies.rules", "rules/limits.rules"};
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    if (argc > 3) {
        int64_t ms;
        if (fz_duration_parse(argv[3], strlen(argv[3]), &ms)) return 2;
        cfg.graph.window_sec = (uint32_t)(ms / 1000);
    }
    cfg.graph.cycle_any_order = argc > 4 && !strcmp(argv[4], "any");
    fz_model *m;
    fz_error err;
    if (fz_model_load(&m, argv[2], &err)) {
        char msg[512];
        fz_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "bench_full: %s\n", msg);
        return 2;
    }
    rows r = {0};
    fz_reader *rd;
    load(argv[1], &r, &rd);
    size_t naccts = count_accounts(&r);
    const fz_txn **ptr = malloc(r.n * sizeof *ptr);
    for (size_t i = 0; i < r.n; i++) ptr[i] = &r.t[i];
    const fz_ruleset *rs = NULL;
    fz_engine *probe = engine(naccts, &rs, 3, packs); /* compiles the packs once */
    fz_engine_free(probe);

    fz_engine_stats sa, sb;
    double ta = run(&r, ptr, naccts, &rs, NULL, &cfg, &sa);
    double tb = run(&r, ptr, naccts, &rs, m, &cfg, &sb);

    /* latency of the full engine, each call timed */
    int64_t *lat = malloc(r.n * sizeof *lat);
    fz_engine_config c2 = cfg;
    c2.reserve_accounts = naccts;
    fz_engine *e;
    if (fz_engine_new(&e, &c2, &err) || fz_engine_set_rules(e, rs) || fz_engine_set_model(e, m, &err)) return 3;
    fz_decision d;
    uint64_t alerts = 0;
    for (size_t i = 0; i < r.n; i++) {
        int64_t a = now_ns();
        fz_engine_score(e, &r.t[i], &d);
        lat[i] = now_ns() - a;
        alerts += d.model_hit;
    }
    fz_engine_stats st;
    fz_engine_stats_get(e, &st);
    fz_engine_free(e);
    qsort(lat, r.n, sizeof *lat, cmp_i64);

    printf("input        %s: %zu rows, %zu accounts\n", argv[1], r.n, naccts);
    printf("model        %s: %d trees, %d features, threshold %.6f; graph window %us%s\n", argv[2], fz_model_ntrees(m),
           fz_model_nfeatures(m), fz_model_threshold(m), cfg.graph.window_sec, cfg.graph.cycle_any_order ? ", cycles in any order" : "");
    printf("without      rules and windows only: %.0f txn/s (best of %d), %.0f bytes per account\n", (double)r.n / ta,
           FULL_RUNS, (double)sa.bytes_used / (double)sa.accounts);
    printf("full         + graph patterns + model: %.0f txn/s (best of %d), %.0f bytes per account, %llu model alerts, %llu edges capped\n",
           (double)r.n / tb, FULL_RUNS, (double)sb.bytes_used / (double)sb.accounts, (unsigned long long)alerts,
           (unsigned long long)st.graph_capped);
    printf("latency      full engine: p50 %.0f ns, p99 %.0f ns, p99.9 %.0f ns, max %.0f ns\n", pct(lat, r.n, 0.5),
           pct(lat, r.n, 0.99), pct(lat, r.n, 0.999), (double)lat[r.n - 1]);
    printf("ratio        the full engine runs at %.2fx the speed of the engine without graph and model\n", ta / tb);
    free(lat);
    free(ptr);
    free(r.t);
    fz_reader_close(rd);
    fz_rules_free((fz_ruleset *)rs);
    fz_model_free(m);
    return 0;
}
