/* fz_eval.c — see fz_eval.h. */
#include "fz_eval.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fz_alert_out.h"
#include "fz_jsonw.h"
#include "fz_model.h"
#include "fz_progress.h"

#define TYP_MAX 64

/* What the scan hands the evaluator, one entry per row in time order. */
typedef struct rows {
    size_t n, cap;
    int nf;
    float *x;          /* n * nf features */
    int8_t *label;     /* -1 unknown */
    uint8_t *typ;      /* index into typ_name, TYP_MAX = none */
    uint8_t *rule;     /* the rules alone flagged it (alert or worse) */
    int16_t *rule_score;
    int ntyp;
    char typ_name[TYP_MAX][FZ_TYPOLOGY_NAME];
    char (*names)[FZ_VAR_NAME_MAX + 8];
} rows;

static int grow_rows(rows *r, fz_error *err) {
    size_t cap = r->cap ? r->cap * 2 : 1 << 16;
    float *x = realloc(r->x, cap * (size_t)r->nf * sizeof *x);
    if (x) r->x = x;
    int8_t *l = realloc(r->label, cap);
    if (l) r->label = l;
    uint8_t *t = realloc(r->typ, cap), *u = t ? realloc(r->rule, cap) : NULL;
    if (t) r->typ = t;
    if (u) r->rule = u;
    int16_t *s = realloc(r->rule_score, cap * sizeof *s);
    if (s) r->rule_score = s;
    if (!x || !l || !t || !u || !s) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory at row %zu", r->n);
    r->cap = cap;
    return 0;
}

static uint8_t typology_index(rows *r, fz_str t) {
    if (t.n == 0) return TYP_MAX;
    int i = fz_typology_slot(r->typ_name, sizeof r->typ_name[0], &r->ntyp, TYP_MAX, t);
    return i < 0 ? TYP_MAX : (uint8_t)i;
}

static int on_start(void *ctx, const fz_engine *e, fz_error *err) {
    rows *r = ctx;
    r->nf = fz_engine_features_count(e);
    r->names = calloc((size_t)r->nf, sizeof *r->names);
    if (!r->names) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (int i = 0; i < r->nf; i++) snprintf(r->names[i], sizeof r->names[0], "%s", fz_engine_feature_name(e, i));
    return 0;
}

static int on_row(void *ctx, const fz_txn *t, fz_str id, const fz_decision *d, const float *x, fz_error *err) {
    rows *r = ctx;
    (void)id;
    if (r->n == r->cap && grow_rows(r, err)) return FZ_ENOMEM;
    memcpy(&r->x[r->n * (size_t)r->nf], x, (size_t)r->nf * sizeof *x);
    r->label[r->n] = t->label;
    r->typ[r->n] = typology_index(r, t->typology);
    int alert = fz_decision_is_alert(d);
    r->rule[r->n] = (uint8_t)alert;
    r->rule_score[r->n] = (int16_t)(alert ? d->score : 0);
    r->n++;
    return 0;
}

static void rows_free(rows *r) {
    free(r->x);
    free(r->label);
    free(r->typ);
    free(r->rule);
    free(r->rule_score);
    free(r->names);
}

/* The labelled rows of [from, to) as training data: features and 0/1
 * labels, copied only when some row is unlabelled. */
typedef struct split {
    const float *x;
    float *y;
    float *xcopy;
    size_t n;
} split;

static int make_split(const rows *r, size_t from, size_t to, split *s, fz_error *err) {
    memset(s, 0, sizeof *s);
    size_t n = 0;
    for (size_t i = from; i < to; i++) n += r->label[i] >= 0;
    s->y = malloc((n ? n : 1) * sizeof *s->y);
    if (!s->y) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    if (n == to - from) {
        s->x = &r->x[from * (size_t)r->nf];
    } else {
        s->xcopy = malloc((n ? n : 1) * (size_t)r->nf * sizeof *s->xcopy);
        if (!s->xcopy) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        s->x = s->xcopy;
    }
    for (size_t i = from, k = 0; i < to; i++) {
        if (r->label[i] < 0) continue;
        if (s->xcopy) memcpy(&s->xcopy[k * (size_t)r->nf], &r->x[i * (size_t)r->nf], (size_t)r->nf * sizeof(float));
        s->y[k++] = (float)r->label[i];
    }
    s->n = n;
    return 0;
}

static void split_free(split *s) {
    free(s->y);
    free(s->xcopy);
}

static fz_str typ_str(const rows *r, size_t i) {
    if (r->typ[i] == TYP_MAX) return (fz_str){"", 0};
    return (fz_str){r->typ_name[r->typ[i]], (uint32_t)strlen(r->typ_name[r->typ[i]])};
}

/* Score the test split with Fanzha's evaluator reading the saved model, and
 * measure rules, model and both. */
static int test(const rows *r, size_t from, const char *model_path, fz_eval_result *res, fz_error *err) {
    fz_model *m;
    int rc = fz_model_load(&m, model_path, err);
    if (rc) return rc;
    size_t n = r->n - from;
    float *p = malloc((n ? n : 1) * sizeof *p), *rs = malloc((n ? n : 1) * sizeof *rs),
          *bs = malloc((n ? n : 1) * sizeof *bs);
    if (!p || !rs || !bs) {
        free(p), free(rs), free(bs), fz_model_free(m);
        return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    double thr = fz_model_threshold(m);
    for (size_t k = 0; k < n; k++) {
        size_t i = from + k;
        p[k] = fz_model_predict(m, &r->x[i * (size_t)r->nf]);
        int model = p[k] >= thr, rule = r->rule[i];
        rs[k] = (float)r->rule_score[i];
        bs[k] = rule ? 1.0f + p[k] : p[k]; /* both: the rules' flags first, then the model's order */
        fz_metrics_add(&res->rules, r->label[i], typ_str(r, i), rule, r->rule_score[i]);
        fz_metrics_add(&res->model, r->label[i], typ_str(r, i), model, (int)(p[k] * 1000.0f));
        fz_metrics_add(&res->both, r->label[i], typ_str(r, i), rule || model, (int)(p[k] * 1000.0f));
    }
    res->ap_rules = fz_average_precision(rs, r->label + from, n);
    res->ap_model = fz_average_precision(p, r->label + from, n);
    res->ap_both = fz_average_precision(bs, r->label + from, n);
    free(p), free(rs), free(bs);
    fz_model_free(m);
    return 0;
}

static int train_and_test(const fz_eval_opts *o, rows *r, fz_eval_result *res, fz_error *err) {
    size_t ntrain = r->n * 3 / 5, nvalid = r->n * 4 / 5 - ntrain;
    res->rows = r->n;
    res->train_rows = ntrain;
    res->valid_rows = nvalid;
    res->test_rows = r->n - ntrain - nvalid;
    res->nfeatures = r->nf;
    split tr, va;
    int rc = make_split(r, 0, ntrain, &tr, err);
    if (!rc) rc = make_split(r, ntrain, ntrain + nvalid, &va, err);
    fz_train_result tres;
    memset(&tres, 0, sizeof tres);
    double t0 = fz_now();
    if (!rc) {
        fz_train_data d = {r->nf, tr.x, tr.y, tr.n, va.x, va.y, va.n};
        rc = fz_train(&d, &o->train, &tres, err);
    }
    res->seconds_train = fz_now() - t0;
    char tmp[] = "/tmp/fanzha-model-XXXXXX";
    const char *path = o->model_out;
    if (!rc && !path) {
        int fd = mkstemp(tmp);
        if (fd < 0) rc = fz_error_set(err, FZ_EIO, tmp, 0, 0, NULL, "cannot create a temporary file");
        else close(fd), path = tmp;
    }
    if (!rc) {
        const char *names[FZ_FEATURES_MAX];
        for (int i = 0; i < r->nf; i++) names[i] = r->names[i];
        rc = fz_train_save(&tres, path, names, r->nf, FZ_FEATURES_VERSION, err);
        res->threshold = tres.threshold;
        res->valid = tres.valid;
    }
    t0 = fz_now();
    if (!rc) rc = test(r, ntrain + nvalid, path, res, err);
    res->seconds_test = fz_now() - t0;
    if (path == tmp) unlink(tmp);
    fz_train_result_free(&tres);
    split_free(&tr);
    split_free(&va);
    return rc;
}

int fz_eval_run(const fz_eval_opts *o, fz_eval_result *res, fz_error *err) {
    memset(res, 0, sizeof *res);
    fz_metrics_init(&res->rules);
    fz_metrics_init(&res->model);
    fz_metrics_init(&res->both);
    rows r;
    memset(&r, 0, sizeof r);
    fz_scan_opts so = o->scan;
    so.hooks = (fz_scan_hooks){1, on_start, on_row, &r, NULL};
    double t0 = fz_now();
    int rc = fz_scan_run(&so, &res->scan, err);
    res->seconds_scan = fz_now() - t0;
    if (!rc && r.n < 10) rc = fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "%zu rows: too few to split and train", r.n);
    if (!rc) rc = train_and_test(o, &r, res, err);
    rows_free(&r);
    return rc;
}

void fz_eval_result_free(fz_eval_result *r) { fz_scan_result_free(&r->scan); }

static void line(FILE *f, const char *what, const fz_metrics *m, double ap) {
    fprintf(f, "  %-10s precision %.4f  recall %.4f  F1 %.4f  PR-AUC %.4f   (tp %llu fp %llu fn %llu)\n", what,
            fz_precision(&m->all), fz_recall(&m->all), fz_f1(&m->all), ap, (unsigned long long)m->all.tp,
            (unsigned long long)m->all.fp, (unsigned long long)m->all.fn);
}

void fz_eval_print(const fz_eval_result *r, FILE *f) {
    fprintf(f, "rows        %zu (train %zu, validate %zu, test %zu; by time), %d features (%s)\n", r->rows,
            r->train_rows, r->valid_rows, r->test_rows, r->nfeatures, FZ_FEATURES_VERSION);
    fprintf(f, "model       threshold %.6f chosen on validation (F1 %.4f there); trained in %.1f s\n", r->threshold,
            r->valid.f1, r->seconds_train);
    fprintf(f, "test split (last 20%% by time), minority class:\n");
    line(f, "rules", &r->rules, r->ap_rules);
    line(f, "model", &r->model, r->ap_model);
    line(f, "both", &r->both, r->ap_both);
    fprintf(f, "  %-24s %9s %14s %14s %14s\n", "typology recall", "positives", "rules", "model", "both");
    for (int i = 0; i < r->model.ntyp; i++) {
        const fz_confusion *m = &r->model.typ[i].c;
        const fz_confusion *ru = NULL, *b = NULL;
        for (int j = 0; j < r->rules.ntyp; j++)
            if (!strcmp(r->rules.typ[j].name, r->model.typ[i].name)) ru = &r->rules.typ[j].c;
        for (int j = 0; j < r->both.ntyp; j++)
            if (!strcmp(r->both.typ[j].name, r->model.typ[i].name)) b = &r->both.typ[j].c;
        if (m->tp + m->fn == 0) continue; /* decoys only */
        fprintf(f, "  %-24s %9llu %14.4f %14.4f %14.4f\n", r->model.typ[i].name, (unsigned long long)(m->tp + m->fn),
                ru ? fz_recall(ru) : 0.0, fz_recall(m), b ? fz_recall(b) : 0.0);
    }
    fprintf(f, "time        scan and features %.1f s, training %.1f s, test %.1f s\n", r->seconds_scan, r->seconds_train,
            r->seconds_test);
}

static void json_part(FILE *f, const char *key, const fz_metrics *m, double ap) {
    fprintf(f, ",\"%s\":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"pr_auc\":%.6f,\"tp\":%llu,\"fp\":%llu,\"fn\":%llu,"
               "\"typologies\":{",
            key, fz_precision(&m->all), fz_recall(&m->all), fz_f1(&m->all), ap, (unsigned long long)m->all.tp,
            (unsigned long long)m->all.fp, (unsigned long long)m->all.fn);
    for (int i = 0, k = 0; i < m->ntyp; i++) {
        const fz_confusion *c = &m->typ[i].c;
        if (c->tp + c->fn == 0) continue;
        if (k++) putc(',', f);
        fz_jsonw_str(f, m->typ[i].name, strlen(m->typ[i].name));
        fprintf(f, ":{\"positives\":%llu,\"recall\":%.6f}", (unsigned long long)(c->tp + c->fn), fz_recall(c));
    }
    fputs("}}", f);
}

int fz_eval_print_json(const fz_eval_result *r, FILE *f) {
    fprintf(f, "{\"rows\":%zu,\"train_rows\":%zu,\"valid_rows\":%zu,\"test_rows\":%zu,\"features\":%d,"
               "\"features_version\":\"%s\",\"threshold\":%.9g,\"valid_f1\":%.6f,\"seconds_train\":%.3f",
            r->rows, r->train_rows, r->valid_rows, r->test_rows, r->nfeatures, FZ_FEATURES_VERSION, r->threshold,
            r->valid.f1, r->seconds_train);
    json_part(f, "rules", &r->rules, r->ap_rules);
    json_part(f, "model", &r->model, r->ap_model);
    json_part(f, "both", &r->both, r->ap_both);
    fputs("}\n", f);
    return ferror(f) ? FZ_EIO : 0;
}
