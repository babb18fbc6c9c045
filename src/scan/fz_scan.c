/* fz_scan.c — see fz_scan.h.
 *
 * The rows are held in memory as canonical records pointing into the
 * readers' buffers (so the readers stay open until the end); ordering is an
 * index permutation, only built when the input is not already in time order. */
#include "fz_scan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fz_alert_out.h"
#include "fz_daytotals.h"
#include "fz_exempt.h"
#include "fz_grades.h"
#include "fz_jsonw.h"
#include "fz_lv.h"
#include "fz_progress.h"

#define SCAN_BATCH 256

typedef struct scan {
    const fz_scan_opts *o;
    fz_scan_result *r;
    fz_error *err;
    fz_reader **readers;
    fz_txn *txn;
    size_t ntxn, cap;
    uint32_t *order;      /* time order, NULL when the input already is */
    uint32_t *cust[2];    /* payer and payee customer per row (scoring order) */
    char idbuf[320];      /* the last display id made for a row without one (display_id) */
    fz_decision *dec;     /* one batch of decisions */
    uint8_t *group_typ;   /* per labelled group: typology index + 1 (0 = none seen) */
    uint8_t *group_found; /* bit 0: an alert, bit 1: a pattern rule */
    size_t ngroup_cap;
    fz_engine *engine;
    fz_ruleset *rules;
    fz_model *model;
    FILE *rejects;
    float *fx;            /* one row's features, when the hooks want them */
    fz_lv_book *lv;
} scan;

/* ---------- reading ---------- */

static int push(scan *s, const fz_txn *t) {
    if (s->ntxn == UINT32_MAX) /* rows are numbered in 32 bits (order, records) */
        return fz_error_set(s->err, FZ_EFULL, NULL, 0, 0, NULL, "more than %u rows in one scan: split the input",
                            UINT32_MAX - 1);
    if (s->ntxn == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 65536;
        fz_txn *p = realloc(s->txn, cap * sizeof *p);
        if (!p) return fz_error_set(s->err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory at row %zu", s->ntxn);
        s->txn = p;
        s->cap = cap;
    }
    s->txn[s->ntxn] = *t;
    if (s->o->exempt) fz_exempt_apply(s->o->exempt, &s->txn[s->ntxn]);
    s->ntxn++;
    return 0;
}

static int reject(scan *s, fz_reader *rd, const fz_error *rowerr) {
    char msg[1024];
    fz_error_format(rowerr, msg, sizeof msg);
    s->r->rejects++;
    if (s->o->strict) {
        *s->err = *rowerr;
        return FZ_EREJECT;
    }
    if (s->rejects) {
        fz_str line = fz_reader_line(rd);
        fprintf(s->rejects, "%s\t%.*s\n", msg, (int)line.n, line.p);
    } else if (s->r->rejects <= 10) { /* no rejects file: say the first few, count all */
        fprintf(stderr, "reject: %s\n", msg);
    }
    return 0;
}

static int read_file(scan *s, int i, fz_progress *pg, uint64_t *done_bytes) {
    fz_read_opts ro = s->o->read;
    ro.file_index = (uint16_t)i;
    int rc = fz_reader_open(&s->readers[i], s->o->files[i], &ro, s->err);
    if (rc) return rc;
    fz_reader *rd = s->readers[i];
    s->r->input_bytes += fz_reader_size(rd);
    pg->total = s->r->input_bytes; /* grows as files open: good enough for a bar */
    fz_txn t;
    fz_error rowerr;
    for (uint64_t n = 0;; n++) {
        rc = fz_reader_next(rd, &t, &rowerr);
        if (rc == 0) break;
        if (rc == FZ_EREJECT) rc = reject(s, rd, &rowerr);
        else if (rc == 1) rc = push(s, &t);
        else *s->err = rowerr;
        if (rc) return rc;
        if ((n & 0xffff) == 0) fz_progress_update(pg, *done_bytes + fz_reader_pos(rd), s->ntxn);
    }
    *done_bytes += fz_reader_size(rd);
    return 0;
}

static int read_all(scan *s) {
    s->readers = calloc((size_t)s->o->nfiles, sizeof *s->readers);
    if (!s->readers) return fz_error_set(s->err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    fz_progress pg;
    fz_progress_start(&pg, "reading", 0, s->o->progress);
    uint64_t done = 0;
    for (int i = 0; i < s->o->nfiles; i++) {
        int rc = read_file(s, i, &pg, &done);
        if (rc) {
            fz_progress_end(&pg);
            return rc;
        }
    }
    fz_progress_end(&pg);
    return 0;
}

/* ---------- ordering ---------- */

static int by_time(const void *a, const void *b, void *rows) {
    const fz_txn *base = rows;
    const fz_txn *x = &base[*(const uint32_t *)a], *y = &base[*(const uint32_t *)b];
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    /* stable: rows were pushed in file then line order */
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int order_rows(scan *s) {
    size_t i = 1;
    while (i < s->ntxn && s->txn[i].time >= s->txn[i - 1].time) i++;
    if (i >= s->ntxn) return 0;
    s->r->sorted = 1;
    s->order = malloc(s->ntxn * sizeof *s->order);
    if (!s->order) return fz_error_set(s->err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (i = 0; i < s->ntxn; i++) s->order[i] = (uint32_t)i;
    qsort_r(s->order, s->ntxn, sizeof *s->order, by_time, s->txn);
    return 0;
}

static inline const fz_txn *row(const scan *s, size_t k) {
    return &s->txn[s->order ? s->order[k] : k];
}

static const fz_txn *row_of(void *s, size_t k) { return row(s, k); }

/* The id to show for row k: its own, or "file:line" for formats without ids,
 * made in one scratch buffer: valid until the next call, so every caller
 * writes it out before asking for another. */
static fz_str display_id(scan *s, size_t k) {
    const fz_txn *t = row(s, k);
    if (t->id.n) return t->id;
    const char *path = s->o->files[t->src_file], *base = strrchr(path, '/');
    int n = snprintf(s->idbuf, sizeof s->idbuf, "%s:%u", base ? base + 1 : path, (unsigned)t->src_line);
    return (fz_str){s->idbuf, (uint32_t)(n < (int)sizeof s->idbuf ? n : (int)sizeof s->idbuf - 1)};
}

/* ---------- scoring ---------- */

static void count_decision(scan *s, size_t k, const fz_decision *d, int alert) {
    fz_scan_result *r = s->r;
    r->outcomes[d->outcome]++;
    for (unsigned i = 0; i < d->nhits; i++) r->by_rule[d->hits[i].rule].hits++;
    const fz_txn *t = row(s, k);
    int score = alert ? d->score : 0;
    fz_metrics_add(&r->all, t->label, t->typology, alert, score);
    if (k >= s->ntxn - s->ntxn / 5) fz_metrics_add(&r->test, t->label, t->typology, alert, score);
}

/* Note a positive row's group and what found it (fz_attempts). */
static int note_attempt(scan *s, const fz_txn *t, const fz_decision *d, int alert) {
    if (t->label != 1 || t->group < 0) return 0;
    size_t g = (size_t)t->group;
    if (g >= FZ_ATTEMPT_GROUPS_MAX) { /* a table indexed by group: bound what one id can cost */
        s->r->attempts.skipped++;
        return 0;
    }
    if (g >= s->ngroup_cap) {
        size_t cap = s->ngroup_cap ? s->ngroup_cap : 1024;
        while (cap <= g) cap *= 2;
        uint8_t *a = realloc(s->group_typ, cap), *b = a ? realloc(s->group_found, cap) : NULL;
        if (a) s->group_typ = a;
        if (!a || !b) return fz_error_set(s->err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        s->group_found = b;
        memset(a + s->ngroup_cap, 0, cap - s->ngroup_cap);
        memset(b + s->ngroup_cap, 0, cap - s->ngroup_cap);
        s->ngroup_cap = cap;
    }
    fz_attempts *at = &s->r->attempts;
    if (!s->group_typ[g] && t->typology.n) {
        int i = fz_typology_slot(at->name, sizeof at->name[0], &at->ntyp, FZ_ATTEMPT_TYPOLOGIES, t->typology);
        if (i >= 0) s->group_typ[g] = (uint8_t)(i + 1);
    }
    s->group_found[g] |= (uint8_t)alert;
    for (unsigned i = 0; i < d->nhits; i++)
        if (!strncmp(fz_rules_info(d->rules, d->hits[i].rule)->typology, "pattern_", 8)) s->group_found[g] |= 2;
    return 0;
}

static void count_attempts(scan *s) {
    fz_attempts *at = &s->r->attempts;
    for (size_t g = 0; g < s->ngroup_cap; g++) {
        if (!s->group_typ[g]) continue;
        int i = s->group_typ[g] - 1;
        at->attempts[i]++;
        at->by_alert[i] += s->group_found[g] & 1;
        at->by_pattern[i] += (s->group_found[g] >> 1) & 1;
    }
}

/* What to do with row k's decision. */
static int take(scan *s, fz_alert_out *out, size_t k, const fz_decision *d) {
    s->cust[0][k] = d->payer_cust;
    s->cust[1][k] = d->payee_cust;
    int alert = fz_decision_is_alert(d);
    count_decision(s, k, d, alert);
    int rc = note_attempt(s, row(s, k), d, alert);
    if (rc) return rc;
    if (alert) {
        s->r->alerts++;
        if (out->csv) fz_alert_out_write(out, row(s, k), display_id(s, k), d);
    }
    for (unsigned i = 0; i < d->nlv; i++)
        if (fz_lv_book_add(s->lv, &d->lv[i])) return fz_error_set(s->err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    return 0;
}

/* Rows one by one, each with its features, to the row hook. */
static int score_with_features(scan *s, fz_alert_out *out, fz_progress *pg) {
    const fz_scan_hooks *h = &s->o->hooks;
    for (size_t k = 0; k < s->ntxn; k++) {
        int rc = fz_engine_score_features(s->engine, row(s, k), &s->dec[0], s->fx);
        if (rc) return fz_error_set(s->err, rc, NULL, 0, 0, NULL, "engine: %s", fz_strerror(rc));
        if ((rc = take(s, out, k, &s->dec[0]))) return rc;
        if (h->row && (rc = h->row(h->ctx, row(s, k), display_id(s, k), &s->dec[0], s->fx, s->err))) return rc;
        if ((k & 0xffff) == 0) fz_progress_update(pg, k, k);
    }
    return 0;
}

/* Score in batches of SCAN_BATCH, so the engine can look ahead
 * (fz_engine_score_many). */
static int score_batches(scan *s, fz_alert_out *out, fz_progress *pg) {
    const fz_scan_hooks *h = &s->o->hooks;
    fz_decision *d = s->dec;
    const fz_txn *batch[SCAN_BATCH];
    for (size_t k = 0; k < s->ntxn; k += SCAN_BATCH) {
        size_t n = s->ntxn - k < SCAN_BATCH ? s->ntxn - k : SCAN_BATCH;
        for (size_t j = 0; j < n; j++) batch[j] = row(s, k + j);
        int rc = fz_engine_score_many(s->engine, batch, n, d);
        if (rc) return fz_error_set(s->err, rc, NULL, 0, 0, NULL, "engine: %s", fz_strerror(rc));
        for (size_t j = 0; j < n; j++) {
            if ((rc = take(s, out, k + j, &d[j]))) return rc;
            if (h->row && (rc = h->row(h->ctx, batch[j], display_id(s, k + j), &d[j], NULL, s->err))) return rc;
        }
        if ((k & 0xffff) == 0) fz_progress_update(pg, k, k);
    }
    return 0;
}

static int score_all(scan *s, fz_alert_out *out) {
    fz_progress pg;
    fz_progress_start(&pg, "scoring", s->ntxn, s->o->progress);
    int rc = s->o->hooks.want_features ? score_with_features(s, out, &pg) : score_batches(s, out, &pg);
    fz_progress_end(&pg);
    s->r->lv_records = fz_lv_book_count(s->lv);
    count_attempts(s);
    return rc;
}

/* ---------- large-value records ---------- */

static fz_str lv_cust_key(void *ctx, uint32_t id) {
    size_t n;
    const char *p = fz_engine_customer_key(((scan *)ctx)->engine, id, &n);
    return (fz_str){p, (uint32_t)n};
}

static fz_str lv_txn_id(void *ctx, uint32_t k) { return display_id(ctx, k); }

static int gather_lv(scan *s) {
    if (fz_lv_book_count(s->lv) == 0) return 0;
    if (fz_lv_book_index(s->lv)) return FZ_ENOMEM;
    for (size_t k = 0; k < s->ntxn; k++) {
        const uint32_t cust[2] = {s->cust[0][k], s->cust[1][k]};
        if (fz_lv_book_offer_txn(s->lv, (uint32_t)k, row(s, k), cust, &s->o->engine.rates)) return FZ_ENOMEM;
    }
    return 0;
}

static fz_str id_of(void *s, size_t k) { return display_id(s, k); }

static int lv_hook(scan *s) {
    const fz_scan_hooks *h = &s->o->hooks;
    if (!h->lv) return 0;
    fz_scan_lv v = {.book = s->lv, .engine = s->engine, .row = row_of,
                    .id = id_of, .scan = s};
    return h->lv(h->ctx, &v, s->err);
}

/* ---------- outputs ---------- */

static FILE *create(scan *s, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", s->o->out_dir, name);
    FILE *f = fopen(path, "w");
    if (!f) fz_error_set(s->err, FZ_EIO, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
    return f;
}

static int write_lv(scan *s) {
    FILE *f = create(s, "large_value.csv");
    if (!f) return FZ_EIO;
    int rc = fz_lv_book_write_csv(s->lv, f, lv_cust_key, lv_txn_id, s);
    if (fclose(f) || rc) return fz_error_set(s->err, FZ_EIO, "large_value.csv", 0, 0, NULL, "write failed");
    return 0;
}

static int write_summaries(scan *s) {
    FILE *f = create(s, "summary.txt");
    if (!f) return FZ_EIO;
    fz_scan_print(s->r, f);
    fclose(f);
    if (!(f = create(s, "summary.json"))) return FZ_EIO;
    fz_scan_print_json(s->r, f);
    return fclose(f) ? FZ_EIO : 0;
}

static int start_hooks(scan *s) {
    const fz_scan_hooks *h = &s->o->hooks;
    if (h->want_features && !(s->fx = malloc(FZ_FEATURES_MAX * sizeof *s->fx)))
        return fz_error_set(s->err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    return h->start ? h->start(h->ctx, s->engine, s->err) : 0;
}

static int open_outputs(scan *s, fz_alert_out *out) {
    if (!s->o->out_dir) return 0;
    if (mkdir(s->o->out_dir, 0777) && errno != EEXIST)
        return fz_error_set(s->err, FZ_EIO, s->o->out_dir, 0, 0, NULL, "cannot create directory: %s", strerror(errno));
    if (!(s->rejects = create(s, "rejects.txt"))) return FZ_EIO;
    return fz_alert_out_open(out, s->o->out_dir, s->err);
}

/* ---------- setup ---------- */

static int setup(scan *s) {
    int rc = fz_engine_new(&s->engine, &s->o->engine, s->err);
    if (rc) return rc;
    if (s->o->grades && (rc = fz_grades_load(s->engine, s->o->grades, s->err))) return rc;
    if (s->o->model && ((rc = fz_model_load(&s->model, s->o->model, s->err)) ||
                        (rc = fz_engine_set_model(s->engine, s->model, s->err))))
        return rc;
    if (s->o->nrules && (rc = fz_rules_load(&s->rules, s->o->rules, s->o->nrules, fz_engine_schema(s->engine), s->err)))
        return rc;
    if ((rc = fz_engine_set_rules(s->engine, s->rules)))
        return fz_error_set(s->err, rc, NULL, 0, 0, NULL, "out of memory for the transaction graph");
    int n = s->rules ? fz_rules_count(s->rules) : 0;
    s->r->nrules = n;
    s->r->by_rule = calloc((size_t)n + 1, sizeof *s->r->by_rule);
    if (!s->r->by_rule) return FZ_ENOMEM;
    for (int i = 0; i < n; i++) snprintf(s->r->by_rule[i].id, sizeof s->r->by_rule[i].id, "%s", fz_rules_info(s->rules, i)->id);
    snprintf(s->r->rules_version, sizeof s->r->rules_version, "%s", s->rules ? fz_rules_version(s->rules) : "none");
    return fz_lv_book_new(&s->lv);
}

static int alloc_rows(scan *s) {
    s->cust[0] = malloc((s->ntxn + 1) * sizeof(uint32_t));
    s->cust[1] = malloc((s->ntxn + 1) * sizeof(uint32_t));
    s->dec = malloc(SCAN_BATCH * sizeof *s->dec);
    if (!s->cust[0] || !s->cust[1] || !s->dec) return fz_error_set(s->err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    return 0;
}

static int run(scan *s) {
    fz_alert_out out = {0};
    int rc = setup(s);
    if (!rc) rc = open_outputs(s, &out);
    if (!rc) rc = start_hooks(s);
    double t0 = fz_now();
    if (!rc) rc = read_all(s);
    if (!rc) rc = order_rows(s);
    if (!rc) rc = alloc_rows(s);
    double t1 = fz_now();
    s->r->seconds_read = t1 - t0;
    if (!rc) rc = score_all(s, &out);
    double t2 = fz_now();
    s->r->seconds_score = t2 - t1;
    if (!rc) rc = gather_lv(s);
    if (!rc) rc = lv_hook(s);
    s->r->rows = s->ntxn;
    fz_engine_stats_get(s->engine, &s->r->engine);
    s->r->nfeatures = fz_engine_features_count(s->engine);
    int rc2 = fz_alert_out_close(&out, rc ? NULL : s->err);
    if (!rc) rc = rc2;
    if (!rc && s->o->out_dir) rc = write_lv(s);
    s->r->seconds_write = fz_now() - t2;
    s->r->seconds_total = fz_now() - t0;
    if (!rc && s->o->out_dir) rc = write_summaries(s);
    return rc;
}

int fz_scan_run(const fz_scan_opts *o, fz_scan_result *r, fz_error *err) {
    memset(r, 0, sizeof *r);
    fz_metrics_init(&r->all);
    fz_metrics_init(&r->test);
    scan s = {.o = o, .r = r, .err = err};
    int rc = run(&s);
    if (s.rejects) fclose(s.rejects);
    free(s.fx);
    for (int i = 0; s.readers && i < o->nfiles; i++) fz_reader_close(s.readers[i]);
    free(s.readers);
    free(s.txn);
    free(s.order);
    free(s.cust[0]);
    free(s.cust[1]);
    free(s.dec);
    free(s.group_typ);
    free(s.group_found);
    fz_lv_book_free(s.lv);
    fz_engine_free(s.engine);
    fz_rules_free(s.rules);
    fz_model_free(s.model);
    return rc;
}

void fz_scan_result_free(fz_scan_result *r) {
    free(r->by_rule);
    r->by_rule = NULL;
}
