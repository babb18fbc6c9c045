/* bench_common.h — what the benchmarks share: clocks, loading the input
 * once (pre-parsed rows), presizing an engine, sorting timings. Each
 * benchmark is one .c file including this. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fz_engine.h"
#include "fz_intern.h"
#include "fz_reader.h"

static inline double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

typedef struct rows {
    fz_txn *t;
    size_t n, cap;
} rows;

static inline void load(const char *path, rows *r, fz_reader **rd) {
    fz_error err;
    fz_read_opts ro = {0};
    if (fz_reader_open(rd, path, &ro, &err)) {
        char m[1024];
        fz_error_format(&err, m, sizeof m);
        fprintf(stderr, "bench_engine: %s\n", m);
        exit(2);
    }
    fz_txn t;
    int rc;
    size_t rejects = 0;
    while ((rc = fz_reader_next(*rd, &t, &err)) != 0) {
        if (rc == FZ_EREJECT) { rejects++; continue; }
        if (rc < 0) { fprintf(stderr, "bench_engine: read failed\n"); exit(2); }
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 1 << 16;
            r->t = realloc(r->t, r->cap * sizeof *r->t);
            if (!r->t) exit(3);
        }
        r->t[r->n++] = t;
    }
    if (rejects) fprintf(stderr, "bench_engine: %zu rejected rows\n", rejects);
}

/* Distinct accounts (bank + account, as the engine keys them), so the engine
 * can be presized the way a bank presizes it to its account base. */
static inline size_t count_accounts(const rows *r) {
    fz_intern *in;
    if (fz_intern_new(&in, r->n / 8)) exit(3);
    char key[512];
    for (size_t i = 0; i < r->n; i++) {
        const fz_str *a[2] = {&r->t[i].payer_acct, &r->t[i].payee_acct};
        const fz_str *b[2] = {&r->t[i].payer_bank, &r->t[i].payee_bank};
        for (int s = 0; s < 2; s++) {
            size_t n = (size_t)snprintf(key, sizeof key, "%.*s@%.*s", (int)a[s]->n, a[s]->p, (int)b[s]->n, b[s]->p);
            fz_intern_get(in, key, n < sizeof key ? n : sizeof key - 1, NULL);
        }
    }
    size_t n = fz_intern_count(in);
    fz_intern_free(in);
    return n;
}

/* An engine presized for reserve accounts with the rule packs (compiled on
 * the first call into *rs, shared after). */
static inline fz_engine *engine(size_t reserve, const fz_ruleset **rs, int nrules, const char **rules) {
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    cfg.reserve_accounts = reserve;
    fz_engine *e;
    fz_error err;
    if (fz_engine_new(&e, &cfg, &err)) exit(3);
    if (!*rs) {
        fz_ruleset *loaded;
        if (fz_rules_load(&loaded, rules, nrules, fz_engine_schema(e), &err)) {
            char m[1024];
            fz_error_format(&err, m, sizeof m);
            fprintf(stderr, "bench_engine: %s\n", m);
            exit(2);
        }
        *rs = loaded;
    }
    if (fz_engine_set_rules(e, *rs)) exit(3);
    return e;
}

#define RUNS 5
#define BATCH 256

static inline int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static inline int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}


/* p-th percentile of sorted values. */
static inline double pct(const int64_t *v, size_t n, double p) { return (double)v[(size_t)((double)(n - 1) * p)]; }

#endif
