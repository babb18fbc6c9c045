/* fz_train.c — see fz_train.h and docs/model.md. */
#include "fz_train.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xgboost/c_api.h>

#include "fz_model.h"

void fz_train_params_default(fz_train_params *p) {
    memset(p, 0, sizeof *p);
    /* 70 at eta 0.25: on amlsim-96k (30d graph, cycles in any order) the best
     * validation F1 of the settings tried, 50-100 rounds at eta 0.2-0.4
     * (0.810, against 0.806 for 100 at 0.2, which was as good as 200 at
     * 0.1), and every tree is scoring time */
    p->rounds = 70;
    p->max_depth = 6;
    p->eta = 0.25;
    p->scale_pos_weight = 1.0;
    p->min_child_weight = 1.0;
    p->lambda = 1.0;
    p->subsample = 1.0;
    p->colsample_bytree = 1.0;
    p->seed = 0;
    p->nthread = 1;
    snprintf(p->tree_method, sizeof p->tree_method, "hist");
}

static int xgb_fail(fz_error *err, const char *what) {
    const char *m = XGBGetLastError();
    return fz_error_set(err, FZ_EIO, NULL, 0, 0, "xgboost", "%s: %s", what, m ? m : "unknown error");
}

/* ---- checking inputs ---- */

static int check_labels(const float *y, size_t n, long long *pos, const char *which,
                        fz_error *err) {
    *pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 0.0f && y[i] != 1.0f)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, which,
                                "label of row %zu is %g; labels are 0 or 1", i, (double)y[i]);
        *pos += y[i] == 1.0f;
    }
    return 0;
}

static int check_params(const fz_train_params *p, fz_error *err) {
    const char *bad = NULL;
    if (p->rounds < 1 || p->rounds > 100000) bad = "rounds";
    else if (p->max_depth < 1 || p->max_depth > 64) bad = "max_depth";
    else if (!(p->eta > 0 && p->eta <= 1)) bad = "eta";
    else if (!(p->scale_pos_weight > 0 && isfinite(p->scale_pos_weight))) bad = "scale_pos_weight";
    else if (!(p->min_child_weight >= 0 && isfinite(p->min_child_weight))) bad = "min_child_weight";
    else if (!(p->lambda >= 0 && isfinite(p->lambda))) bad = "lambda";
    else if (!(p->subsample > 0 && p->subsample <= 1)) bad = "subsample";
    else if (!(p->colsample_bytree > 0 && p->colsample_bytree <= 1)) bad = "colsample_bytree";
    else if (p->nthread < 1 || p->nthread > 1024) bad = "nthread";
    else if (strcmp(p->tree_method, "exact") && strcmp(p->tree_method, "approx") &&
             strcmp(p->tree_method, "hist"))
        bad = "tree_method";
    return bad ? fz_error_set(err, FZ_EINVAL, NULL, 0, 0, bad, "training parameter out of range") : 0;
}

static int check_data(const fz_train_data *d, fz_train_result *r, fz_error *err) {
    int rc;
    if (d->nfeatures < 1 || d->nfeatures > FZ_MODEL_MAX_FEATURES)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "nfeatures", "%d features; 1 to %d allowed",
                            d->nfeatures, FZ_MODEL_MAX_FEATURES);
    if (!d->train_x || !d->train_y || d->train_rows == 0)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "train", "no training rows");
    if (!d->valid_x || !d->valid_y || d->valid_rows == 0 || d->valid_rows > FZ_TRAIN_MAX_VALID_ROWS)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "valid", "validation rows must be 1 to %zu",
                            FZ_TRAIN_MAX_VALID_ROWS);
    if (d->train_rows > SIZE_MAX / (size_t)d->nfeatures / sizeof(float))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "train", "too many training rows");
    if ((rc = check_labels(d->train_y, d->train_rows, &r->train_pos, "train", err)) ||
        (rc = check_labels(d->valid_y, d->valid_rows, &r->valid_pos, "valid", err)))
        return rc;
    return 0;
}

/* ---- libxgboost ---- */

static int make_dmatrix(const float *x, const float *y, size_t rows, int ncol, DMatrixHandle *out,
                        fz_error *err) {
    /* NaN is "missing": XGBoost drops those entries, and the tree's default
     * direction decides, which is what fz_model does with a NaN. */
    if (XGDMatrixCreateFromMat(x, (bst_ulong)rows, (bst_ulong)ncol, NAN, out))
        return xgb_fail(err, "XGDMatrixCreateFromMat");
    if (y && XGDMatrixSetFloatInfo(*out, "label", y, (bst_ulong)rows)) {
        XGDMatrixFree(*out);
        return xgb_fail(err, "XGDMatrixSetFloatInfo");
    }
    return 0;
}

static int set_param(BoosterHandle b, const char *k, const char *v, fz_error *err) {
    if (XGBoosterSetParam(b, k, v)) return xgb_fail(err, k);
    return 0;
}

static int set_paramf(BoosterHandle b, const char *k, double v, fz_error *err) {
    char s[32];
    snprintf(s, sizeof s, "%.17g", v);
    return set_param(b, k, s, err);
}

static int configure(BoosterHandle b, const fz_train_params *p, fz_error *err) {
    int rc;
    /* base_score is set rather than left to the library, whose default
     * changed across versions (estimated from the labels since 2.0). */
    if ((rc = set_param(b, "objective", "binary:logistic", err)) ||
        (rc = set_param(b, "eval_metric", "logloss", err)) ||
        (rc = set_param(b, "verbosity", "0", err)) ||
        (rc = set_param(b, "base_score", "0.5", err)) ||
        (rc = set_param(b, "tree_method", p->tree_method, err)) ||
        (rc = set_paramf(b, "max_depth", p->max_depth, err)) ||
        (rc = set_paramf(b, "eta", p->eta, err)) ||
        (rc = set_paramf(b, "scale_pos_weight", p->scale_pos_weight, err)) ||
        (rc = set_paramf(b, "min_child_weight", p->min_child_weight, err)) ||
        (rc = set_paramf(b, "lambda", p->lambda, err)) ||
        (rc = set_paramf(b, "subsample", p->subsample, err)) ||
        (rc = set_paramf(b, "colsample_bytree", p->colsample_bytree, err)) ||
        (rc = set_paramf(b, "seed", p->seed, err)) ||
        (rc = set_paramf(b, "nthread", p->nthread, err)))
        return rc;
    return 0;
}

static int boost(const fz_train_data *d, const fz_train_params *p, BoosterHandle *out,
                 fz_error *err) {
    DMatrixHandle dtrain;
    int rc = make_dmatrix(d->train_x, d->train_y, d->train_rows, d->nfeatures, &dtrain, err);
    if (rc) return rc;
    BoosterHandle b = NULL;
    if (XGBoosterCreate(&dtrain, 1, &b)) rc = xgb_fail(err, "XGBoosterCreate");
    if (!rc) rc = configure(b, p, err);
    for (int i = 0; !rc && i < p->rounds; i++)
        if (XGBoosterUpdateOneIter(b, i, dtrain)) rc = xgb_fail(err, "XGBoosterUpdateOneIter");
    XGDMatrixFree(dtrain);
    if (rc && b) XGBoosterFree(b);
    *out = rc ? NULL : b;
    return rc;
}

int fz_train_predict(const fz_train_result *r, const float *x, size_t rows, int margin,
                     float *out, fz_error *err) {
    DMatrixHandle dm;
    bst_ulong len = 0;
    const float *res = NULL;
    int rc = make_dmatrix(x, NULL, rows, r->nfeatures, &dm, err);
    if (rc) return rc;
    /* option_mask 1 = output margin; ntree_limit 0 = all trees. */
    if (XGBoosterPredict(r->booster, dm, margin ? 1 : 0, 0, 0, &len, &res))
        rc = xgb_fail(err, "XGBoosterPredict");
    else if (len != rows)
        rc = fz_error_set(err, FZ_EIO, NULL, 0, 0, "xgboost", "%llu predictions for %zu rows",
                          (unsigned long long)len, rows);
    else
        memcpy(out, res, rows * sizeof *out);
    XGDMatrixFree(dm);
    return rc;
}

/* ---- threshold ---- */

typedef struct scored {
    float score;
    float label;
} scored;

static int by_score_desc(const void *a, const void *b) {
    float x = ((const scored *)a)->score, y = ((const scored *)b)->score;
    return (x < y) - (x > y);
}

static void fill_eval(fz_train_eval *ev, long long tp, long long fp, long long pos, size_t n) {
    ev->tp = tp;
    ev->fp = fp;
    ev->fn = pos - tp;
    ev->tn = (long long)n - pos - fp;
    ev->precision = tp + fp ? (double)tp / (double)(tp + fp) : 0.0;
    ev->recall = pos ? (double)tp / (double)pos : 0.0;
    ev->f1 = (double)(2 * tp) / (double)(2 * tp + fp + (pos - tp));
}

static int check_scores(const float *s, const float *y, size_t n, long long *pos, fz_error *err) {
    if (n == 0 || n > FZ_TRAIN_MAX_VALID_ROWS)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "valid", "%zu rows; 1 to %zu allowed", n,
                            FZ_TRAIN_MAX_VALID_ROWS);
    for (size_t i = 0; i < n; i++)
        if (isnan(s[i]))
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "valid", "score of row %zu is NaN", i);
    int rc = check_labels(y, n, pos, "valid", err);
    if (!rc && *pos == 0)
        rc = fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "valid",
                          "no positive row: F1 cannot choose a threshold");
    return rc;
}

int fz_train_best_threshold(const float *scores, const float *labels, size_t n,
                            double *threshold, fz_train_eval *ev, fz_error *err) {
    long long pos;
    int rc = check_scores(scores, labels, n, &pos, err);
    if (rc) return rc;
    scored *v = malloc(n * sizeof *v);
    if (!v) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) v[i] = (scored){scores[i], labels[i]};
    qsort(v, n, sizeof *v, by_score_desc);
    /* Lower the threshold one distinct score at a time. F1 = 2TP/(2TP+FP+FN)
     * = 2TP/(TP+FP+P); with n <= 2^30 the cross products fit 64 bits. */
    long long tp = 0, fp = 0, best_tp = -1, best_fp = 0;
    float best = v[0].score;
    for (size_t i = 0; i < n;) {
        float s = v[i].score;
        for (; i < n && v[i].score == s; i++) {
            if (v[i].label == 1.0f) tp++;
            else fp++;
        }
        if (best_tp < 0 || 2 * tp * (best_tp + best_fp + pos) > 2 * best_tp * (tp + fp + pos)) {
            best_tp = tp;
            best_fp = fp;
            best = s;
        }
    }
    free(v);
    *threshold = best;
    fill_eval(ev, best_tp, best_fp, pos, n);
    return 0;
}

static int choose_threshold(const fz_train_data *d, fz_train_result *r, fz_error *err) {
    float *s = malloc(d->valid_rows * sizeof *s);
    if (!s) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    int rc = fz_train_predict(r, d->valid_x, d->valid_rows, 0, s, err);
    if (!rc) rc = fz_train_best_threshold(s, d->valid_y, d->valid_rows, &r->threshold, &r->valid, err);
    free(s);
    return rc;
}

int fz_train(const fz_train_data *d, const fz_train_params *p, fz_train_result *r,
             fz_error *err) {
    int rc;
    memset(r, 0, sizeof *r);
    if ((rc = check_params(p, err)) || (rc = check_data(d, r, err))) return rc;
    r->nfeatures = d->nfeatures;
    r->train_rows = d->train_rows;
    r->valid_rows = d->valid_rows;
    r->params = *p;
    if ((rc = boost(d, p, &r->booster, err))) return rc;
    if ((rc = choose_threshold(d, r, err))) fz_train_result_free(r);
    return rc;
}

void fz_train_result_free(fz_train_result *r) {
    if (!r) return;
    if (r->booster) XGBoosterFree(r->booster);
    r->booster = NULL;
}

/* ---- saving ---- */

static int check_names(const fz_train_result *r, const char *const *names, int n,
                       const char *version, fz_error *err) {
    if (!r->booster) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "no trained model");
    if (n != r->nfeatures || !names)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "features",
                            "%d feature names for a model of %d features", n, r->nfeatures);
    if (!version || !*version || strlen(version) > 255)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "version", "version must be 1 to 255 bytes");
    for (int i = 0; i < n; i++) {
        if (!names[i] || !*names[i] || strlen(names[i]) > 255)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "features",
                                "feature %d: a name is 1 to 255 bytes", i);
        for (int j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "features",
                                    "feature \"%s\" named twice", names[i]);
    }
    return 0;
}

static int xgb_json(const fz_train_result *r, json_t **out, fz_error *err) {
    bst_ulong len = 0;
    const char *buf = NULL;
    json_error_t je;
    /* The JSON text XGBoosterSaveModel writes to a ".json" file, without
     * the temporary file. */
    if (XGBoosterSaveModelToBuffer(r->booster, "{\"format\": \"json\"}", &len, &buf))
        return xgb_fail(err, "XGBoosterSaveModelToBuffer");
    if (!(*out = json_loadb(buf, (size_t)len, 0, &je)))
        return fz_error_set(err, FZ_EPARSE, NULL, je.line, je.column, "xgboost", "%s", je.text);
    return 0;
}

static json_t *training_info(const fz_train_result *r) {
    const fz_train_params *p = &r->params;
    int ma, mi, pa;
    char ver[32];
    XGBoostVersion(&ma, &mi, &pa);
    snprintf(ver, sizeof ver, "%d.%d.%d", ma, mi, pa);
    return json_pack(
        "{s:s, s:I, s:I, s:I, s:I, s:{s:i, s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:I, s:i, s:s}, "
        "s:{s:s, s:I, s:I, s:I, s:I, s:f, s:f, s:f}}",
        "xgboost_version", ver, "train_rows", (json_int_t)r->train_rows, "train_positives",
        (json_int_t)r->train_pos, "valid_rows", (json_int_t)r->valid_rows, "valid_positives",
        (json_int_t)r->valid_pos, "params", "rounds", p->rounds, "max_depth", p->max_depth, "eta",
        p->eta, "scale_pos_weight", p->scale_pos_weight, "min_child_weight", p->min_child_weight,
        "lambda", p->lambda, "subsample", p->subsample, "colsample_bytree", p->colsample_bytree,
        "seed", (json_int_t)p->seed, "nthread", p->nthread, "tree_method", p->tree_method,
        "threshold_choice", "method", "max F1 of the positive class on validation", "tp",
        (json_int_t)r->valid.tp, "fp", (json_int_t)r->valid.fp, "fn", (json_int_t)r->valid.fn, "tn",
        (json_int_t)r->valid.tn, "precision", r->valid.precision, "recall", r->valid.recall, "f1",
        r->valid.f1);
}

static int model_doc(const fz_train_result *r, const char *const *names, int n,
                     const char *version, json_t **doc, fz_error *err) {
    json_t *xg = NULL;
    int rc = xgb_json(r, &xg, err);
    if (rc) return rc;
    json_t *feats = json_array();
    for (int i = 0; feats && i < n; i++) json_array_append_new(feats, json_string(names[i]));
    /* Metadata first (dumped in this order), the XGBoost model last. "o"
     * steals the references, also when packing fails. */
    *doc = json_pack("{s:s, s:i, s:s, s:o, s:f, s:o, s:o}", "format", "fanzha-model",
                     "format_version", FZ_MODEL_FORMAT_VERSION, "version", version, "features",
                     feats, "threshold", r->threshold, "training", training_info(r), "xgboost", xg);
    return *doc ? 0 : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "cannot build the model document");
}

static int dump(json_t *doc, int fd) {
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return -1;
    }
    int bad = json_dumpf(doc, f, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0;
    bad = bad || fflush(f) != 0 || fsync(fd) != 0;
    bad = (fclose(f) != 0) || bad;
    return bad ? -1 : 0;
}

/* Write doc to a temporary file next to path, then rename it into place. */
static int write_atomic(json_t *doc, const char *path, fz_error *err) {
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= sizeof tmp)
        return fz_error_set(err, FZ_EINVAL, path, 0, 0, NULL, "path too long");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "cannot create a temporary file: %s",
                            strerror(errno));
    /* mkstemp creates 0600; a model is not secret and the scoring service
     * may run as another user. */
    errno = 0;
    if (fchmod(fd, 0644) == 0 && dump(doc, fd) == 0 && rename(tmp, path) == 0) return 0;
    int e = errno;
    unlink(tmp);
    return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "cannot write model file: %s",
                        e ? strerror(e) : "write failed");
}

int fz_train_save(const fz_train_result *r, const char *path,
                  const char *const *feature_names, int nfeatures, const char *version,
                  fz_error *err) {
    int rc = check_names(r, feature_names, nfeatures, version, err);
    if (rc) return rc;
    json_t *doc = NULL;
    if ((rc = model_doc(r, feature_names, nfeatures, version, &doc, err))) return rc;
    rc = write_atomic(doc, path, err);
    json_decref(doc);
    return rc;
}
