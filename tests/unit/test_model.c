/* test_model.c — fz_model against libxgboost itself: a model trained here
 * on synthetic data is saved, loaded by fz_model and must give XGBoost's
 * predictions, margins and approx contributions bit for bit. Then the
 * threshold choice, and every kind of broken model file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xgboost/c_api.h>

#include "fz_model.h"
#include "fz_train.h"

#define NF 8
#define NTRAIN 3000
#define NVALID 1000
#define NGOLD 1500

static const char *const NAMES[NF] = {"amount_log", "hour", "txn_count_1h", "new_payee",
                                      "distinct_payees_24h", "account_age_days", "device_risk",
                                      "geo_km"};

/* ---- synthetic data: splitmix64, so every run sees the same rows ---- */

static uint64_t rng_state;

static uint64_t rng(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double unif(void) { return (double)(rng() >> 11) / 9007199254740992.0; }

/* A fraud-like pattern: large amounts at night to new payees from young
 * accounts, plus noise; some features discrete, so values sit exactly on
 * split thresholds, and ~8% of values missing. */
static void make_row(float *x, float *y) {
    x[0] = (float)(4.0 + 4.0 * unif());
    x[1] = (float)(rng() % 24);
    x[2] = (float)(rng() % 12);
    x[3] = (float)(rng() % 2);
    x[4] = (float)(rng() % 9);
    x[5] = (float)(3650.0 * unif() * unif());
    x[6] = (float)unif();
    x[7] = (float)(2000.0 * unif() * unif() * unif());
    double z = -3.0 + 0.9 * (x[0] - 6.0) + (x[1] < 6 ? 1.2 : 0.0) + 1.0 * x[3] + 0.15 * x[4] +
               (x[5] < 60 ? 1.0 : 0.0) + 2.0 * (x[6] - 0.5) + 0.6 * (unif() - 0.5) * 4;
    *y = unif() < 1.0 / (1.0 + exp(-z)) ? 1.0f : 0.0f;
    for (int f = 0; f < NF; f++)
        if (f != 3 && unif() < 0.08) x[f] = NAN;
}

static void make_rows(float *x, float *y, int n) {
    for (int i = 0; i < n; i++) make_row(x + (size_t)i * NF, y + i);
}

/* ---- shared fixture: one trained, saved and loaded model ---- */

typedef struct fixture {
    char dir[64], path[128];
    float train_x[NTRAIN * NF], train_y[NTRAIN];
    float valid_x[NVALID * NF], valid_y[NVALID];
    float gold_x[NGOLD * NF], gold_y[NGOLD];
    fz_train_result res;
    fz_model *m;
} fixture;

static void add_special_rows(float *x) {
    /* First golden rows: all missing, none missing at 0, one feature
     * missing at a time. */
    for (int f = 0; f < NF; f++) x[f] = NAN;
    for (int f = 0; f < NF; f++) x[NF + f] = 0.0f;
    for (int r = 2; r < 2 + NF; r++)
        for (int f = 0; f < NF; f++) x[r * NF + f] = (f == r - 2) ? NAN : x[(r + 20) * NF + f];
}

static int setup(void **state) {
    fixture *fx = calloc(1, sizeof *fx);
    fz_error err = {0};
    if (!fx) return -1;
    rng_state = 20240601;
    make_rows(fx->train_x, fx->train_y, NTRAIN);
    make_rows(fx->valid_x, fx->valid_y, NVALID);
    make_rows(fx->gold_x, fx->gold_y, NGOLD);
    add_special_rows(fx->gold_x);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/fz_model_test.XXXXXX");
    if (!mkdtemp(fx->dir)) return -1;
    snprintf(fx->path, sizeof fx->path, "%s/model.json", fx->dir);
    fz_train_params p;
    fz_train_params_default(&p);
    p.rounds = 60;
    p.max_depth = 4;
    p.eta = 0.3;
    p.scale_pos_weight = 2.0;
    p.seed = 7;
    fz_train_data d = {NF, fx->train_x, fx->train_y, NTRAIN, fx->valid_x, fx->valid_y, NVALID};
    if (fz_train(&d, &p, &fx->res, &err) != 0 ||
        fz_train_save(&fx->res, fx->path, NAMES, NF, "test-model-1", &err) != 0 ||
        fz_model_load(&fx->m, fx->path, &err) != 0) {
        fprintf(stderr, "setup: %s: %s: %s\n", err.file, err.field, err.msg);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state) {
    fixture *fx = *state;
    fz_model_free(fx->m);
    fz_train_result_free(&fx->res);
    unlink(fx->path);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* ---- exactness ---- */

/* Every row of x: fz_model's probability and margin == XGBoost's. */
static int compare_rows(fixture *fx, const fz_model *m, const float *x, int n) {
    float *p = malloc(sizeof *p * (size_t)n), *mg = malloc(sizeof *mg * (size_t)n);
    fz_error err = {0};
    int bad = 0;
    assert_non_null(p);
    assert_non_null(mg);
    assert_int_equal(fz_train_predict(&fx->res, x, (size_t)n, 0, p, &err), 0);
    assert_int_equal(fz_train_predict(&fx->res, x, (size_t)n, 1, mg, &err), 0);
    for (int i = 0; i < n; i++) {
        float mine = fz_model_predict(m, x + (size_t)i * NF);
        float marg = fz_model_margin(m, x + (size_t)i * NF);
        if (mine != p[i] || marg != mg[i]) {
            if (bad++ < 5)
                fprintf(stderr, "row %d: predict %.9g vs xgboost %.9g, margin %.9g vs %.9g\n", i,
                        (double)mine, (double)p[i], (double)marg, (double)mg[i]);
        }
    }
    free(p);
    free(mg);
    return bad;
}

static void test_predict_exact(void **state) {
    fixture *fx = *state;
    int bad = compare_rows(fx, fx->m, fx->gold_x, NGOLD);
    bad += compare_rows(fx, fx->m, fx->valid_x, NVALID);
    bad += compare_rows(fx, fx->m, fx->train_x, NTRAIN);
    printf("exactness: %d rows (%d golden) compared with XGBoosterPredict, %d mismatches\n",
           NGOLD + NVALID + NTRAIN, NGOLD, bad);
    assert_int_equal(bad, 0);
}

static void test_metadata(void **state) {
    fixture *fx = *state;
    assert_int_equal(fz_model_nfeatures(fx->m), NF);
    assert_int_equal(fz_model_ntrees(fx->m), 60);
    for (int i = 0; i < NF; i++) {
        assert_string_equal(fz_model_feature_name(fx->m, i), NAMES[i]);
        assert_int_equal(fz_model_feature_index(fx->m, NAMES[i]), i);
    }
    assert_null(fz_model_feature_name(fx->m, NF));
    assert_null(fz_model_feature_name(fx->m, -1));
    assert_int_equal(fz_model_feature_index(fx->m, "nope"), FZ_ENOTFOUND);
    assert_string_equal(fz_model_version(fx->m), "test-model-1");
    assert_true(fz_model_threshold(fx->m) == fx->res.threshold);
}

/* ---- threshold ---- */

/* Brute force: every distinct validation score as threshold, F1 in double,
 * the highest threshold among the best. */
static double brute_threshold(const float *s, const float *y, int n, double *best_f1) {
    double best_t = -1;
    *best_f1 = -1;
    for (int c = 0; c < n; c++) {
        double tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < n; i++) {
            int flag = s[i] >= s[c];
            tp += flag && y[i] == 1;
            fp += flag && y[i] == 0;
            fn += !flag && y[i] == 1;
        }
        double f1 = 2 * tp / (2 * tp + fp + fn);
        if (f1 > *best_f1 || (f1 == *best_f1 && s[c] > best_t)) {
            *best_f1 = f1;
            best_t = s[c];
        }
    }
    return best_t;
}

static void test_threshold_is_best_f1(void **state) {
    fixture *fx = *state;
    float s[NVALID];
    double f1;
    fz_error err = {0};
    assert_int_equal(fz_train_predict(&fx->res, fx->valid_x, NVALID, 0, s, &err), 0);
    double t = brute_threshold(s, fx->valid_y, NVALID, &f1);
    printf("threshold %.9g, validation F1 %.4f (precision %.4f, recall %.4f)\n", t, f1,
           fx->res.valid.precision, fx->res.valid.recall);
    assert_true(fx->res.threshold == t);
    assert_true(fz_model_threshold(fx->m) == t);
    assert_true(fabs(fx->res.valid.f1 - f1) < 1e-12);
    assert_int_equal(fx->res.valid.tp + fx->res.valid.fn, fx->res.valid_pos);
    assert_int_equal(fx->res.valid.tp + fx->res.valid.fp + fx->res.valid.fn + fx->res.valid.tn, NVALID);
}

static void test_threshold_small(void **state) {
    (void)state;
    /* Flag >= 0.8: TP 2, FP 0, FN 1 -> F1 0.8. Flag >= 0.4: TP 3, FP 1 ->
     * F1 6/7 = 0.857, the best. Flag >= 0.3: TP 3, FP 2 -> 0.75. Ties of
     * score are one candidate. */
    const float s[] = {0.9f, 0.8f, 0.4f, 0.4f, 0.3f, 0.1f};
    const float y[] = {1, 1, 1, 0, 0, 0};
    double t;
    fz_train_eval ev;
    fz_error err = {0};
    assert_int_equal(fz_train_best_threshold(s, y, 6, &t, &ev, &err), 0);
    assert_true(t == (double)0.4f);
    assert_int_equal(ev.tp, 3);
    assert_int_equal(ev.fp, 1);
    assert_int_equal(ev.fn, 0);
    assert_int_equal(ev.tn, 2);
    /* Equal F1 at two thresholds: the higher one wins. */
    const float s2[] = {0.9f, 0.5f, 0.2f};
    const float y2[] = {1, 0, 1};
    /* >=0.9: F1 2/3; >=0.5: 2/4 -> 0.5; >=0.2: 4/5. Best 0.2. */
    assert_int_equal(fz_train_best_threshold(s2, y2, 3, &t, &ev, &err), 0);
    assert_true(t == (double)0.2f);
    const float s3[] = {0.9f, 0.1f};
    const float y3[] = {1, 0};
    const float y4[] = {0, 0};
    assert_int_equal(fz_train_best_threshold(s3, y3, 2, &t, &ev, &err), 0);
    assert_true(t == (double)0.9f);
    assert_int_equal(fz_train_best_threshold(s3, y4, 2, &t, &ev, &err), FZ_EINVAL);
}

/* ---- contributions ---- */

static void test_contrib(void **state) {
    fixture *fx = *state;
    fz_contrib all[NF], top[3];
    fz_error err = {0};
    DMatrixHandle dm;
    bst_ulong len;
    const float *xc;
    assert_int_equal(XGDMatrixCreateFromMat(fx->gold_x, NGOLD, NF, NAN, &dm), 0);
    /* option_mask 4 | 8: approximate (Saabas) contributions, NF + 1 per row. */
    assert_int_equal(XGBoosterPredict(fx->res.booster, dm, 4 | 8, 0, 0, &len, &xc), 0);
    assert_int_equal(len, (bst_ulong)NGOLD * (NF + 1));
    int mismatches = 0;
    for (int i = 0; i < NGOLD; i++) {
        const float *x = fx->gold_x + (size_t)i * NF;
        int n = fz_model_contrib(fx->m, x, all, NF);
        double sum = fz_model_contrib_bias(fx->m), scale = fabs(sum);
        float mine[NF] = {0};
        for (int j = 0; j < n; j++) {
            sum += all[j].contribution;
            scale += fabsf(all[j].contribution);
            mine[all[j].feature] = all[j].contribution;
            assert_true(all[j].contribution != 0.0f);
            assert_memory_equal(&all[j].value, &x[all[j].feature], sizeof(float));
            if (j > 0) assert_true(fabsf(all[j - 1].contribution) >= fabsf(all[j].contribution));
        }
        assert_true(fabs(sum - fz_model_margin(fx->m, x)) <= 1e-6 * (1 + scale));
        for (int f = 0; f < NF; f++) mismatches += mine[f] != xc[(size_t)i * (NF + 1) + f];
        mismatches += fz_model_contrib_bias(fx->m) != xc[(size_t)i * (NF + 1) + NF];
        int k = fz_model_contrib(fx->m, x, top, 3);
        assert_int_equal(k, n < 3 ? n : 3);
        for (int j = 0; j < k; j++) {
            assert_int_equal(top[j].feature, all[j].feature);
            assert_true(top[j].contribution == all[j].contribution);
        }
    }
    printf("contributions: %d rows x %d features vs XGBoost approx_contribs, %d mismatches\n",
           NGOLD, NF + 1, mismatches);
    assert_int_equal(mismatches, 0);
    assert_int_equal(fz_model_contrib(fx->m, fx->gold_x, top, 0), 0);
    XGDMatrixFree(dm);
    (void)err;
}

/* ---- hand-made models: extreme margins, and XGBoost loading our JSON ---- */

static json_t *load_doc(const char *path) {
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    assert_non_null(doc);
    return doc;
}

static json_t *xgb_model_of(json_t *doc) {
    return json_object_get(json_object_get(json_object_get(json_object_get(doc, "xgboost"),
                                                           "learner"),
                                           "gradient_booster"),
                           "model");
}

static json_t *first_tree(json_t *doc) {
    return json_array_get(json_object_get(xgb_model_of(doc), "trees"), 0);
}

static int load_json(json_t *doc, fz_model **m, fz_error *err) {
    char *s = json_dumps(doc, JSON_COMPACT);
    assert_non_null(s);
    int rc = fz_model_load_buffer(m, s, strlen(s), "doc.json", err);
    free(s);
    return rc;
}

/* Keep only tree 0 and make its leaves +-leaf: margins beyond the sigmoid's
 * clamp (|margin| > 88.7). Then XGBoost loads the same JSON and both must
 * agree on every row. */
static void test_extreme_leaves(void **state) {
    fixture *fx = *state;
    json_t *doc = load_doc(fx->path), *model = xgb_model_of(doc);
    json_t *tree = json_incref(first_tree(doc));
    json_array_clear(json_object_get(model, "trees"));
    json_array_append_new(json_object_get(model, "trees"), tree);
    json_object_set_new(model, "tree_info", json_pack("[i]", 0));
    json_object_set_new(json_object_get(model, "gbtree_model_param"), "num_trees", json_string("1"));
    json_t *l = json_object_get(tree, "left_children"), *c = json_object_get(tree, "split_conditions");
    size_t i, leaves = 0;
    json_t *v;
    json_array_foreach(l, i, v) if (json_integer_value(v) == -1)
        json_array_set_new(c, i, json_real(leaves++ % 2 ? 120.0 : -95.5));
    fz_model *m = NULL;
    fz_error err = {0};
    assert_int_equal(load_json(doc, &m, &err), 0);

    BoosterHandle b;
    char *xs = json_dumps(json_object_get(doc, "xgboost"), JSON_COMPACT);
    assert_int_equal(XGBoosterCreate(NULL, 0, &b), 0);
    assert_int_equal(XGBoosterLoadModelFromBuffer(b, xs, strlen(xs)), 0);
    DMatrixHandle dm;
    bst_ulong len;
    const float *p;
    assert_int_equal(XGDMatrixCreateFromMat(fx->gold_x, NGOLD, NF, NAN, &dm), 0);
    assert_int_equal(XGBoosterPredict(b, dm, 0, 0, 0, &len, &p), 0);
    int bad = 0, tiny = 0;
    for (int r = 0; r < NGOLD; r++) {
        float mine = fz_model_predict(m, fx->gold_x + (size_t)r * NF);
        bad += mine != p[r];
        tiny += mine > 0.0f && mine < 1e-38f;
    }
    assert_int_equal(bad, 0);
    assert_true(tiny > 0); /* the clamp was exercised: exp(88.7) not inf */
    XGDMatrixFree(dm);
    XGBoosterFree(b);
    free(xs);
    fz_model_free(m);
    json_decref(doc);
}

/* ---- errors ---- */

static void write_file(const char *path, const void *buf, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, n, f), n);
    fclose(f);
}

static void test_missing_file(void **state) {
    fixture *fx = *state;
    char path[160];
    fz_model *m = (fz_model *)1;
    fz_error err = {0};
    snprintf(path, sizeof path, "%s/none.json", fx->dir);
    assert_int_equal(fz_model_load(&m, path, &err), FZ_ENOTFOUND);
    assert_null(m);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.msg, "cannot open"));
    assert_int_equal(fz_model_load(&m, fx->dir, &err), FZ_EIO); /* a directory */
}

static void test_not_json(void **state) {
    fixture *fx = *state;
    char path[160];
    fz_model *m = NULL;
    fz_error err = {0};
    snprintf(path, sizeof path, "%s/bad.json", fx->dir);
    write_file(path, "{\"format\": \"fanzha-model\",\n  oops}", 34);
    assert_int_equal(fz_model_load(&m, path, &err), FZ_EPARSE);
    assert_null(m);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "not valid JSON"));
    write_file(path, "[1, 2]", 6);
    assert_int_equal(fz_model_load(&m, path, &err), FZ_EFORMAT);
    write_file(path, "", 0);
    assert_int_equal(fz_model_load(&m, path, &err), FZ_EPARSE);
    unlink(path);
}

static void test_truncated(void **state) {
    fixture *fx = *state;
    FILE *f = fopen(fx->path, "rb");
    assert_non_null(f);
    static char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 100 && n < sizeof buf);
    fz_model *m = NULL;
    fz_error err = {0};
    /* Cut anywhere: always an error, never a crash or a half model. */
    for (size_t cut = 0; cut < n; cut += n / 97 + 1) {
        assert_true(fz_model_load_buffer(&m, buf, cut, "model.json", &err) < 0);
        assert_null(m);
        assert_string_equal(err.file, "model.json");
    }
    assert_int_equal(fz_model_load_buffer(&m, buf, n, "model.json", &err), 0);
    fz_model_free(m);
}

/* Apply one edit to tree 0 of the saved model; loading must fail with code
 * and a message naming what. */
static void expect_tree_error(fixture *fx, const char *key, size_t idx, json_t *val, int code,
                              const char *needle) {
    json_t *doc = load_doc(fx->path);
    json_array_set_new(json_object_get(first_tree(doc), key), idx, val);
    fz_model *m = NULL;
    fz_error err = {0};
    int rc = load_json(doc, &m, &err);
    if (rc != code || !strstr(err.msg, needle))
        fprintf(stderr, "%s[%zu]: rc %d, msg \"%s\"\n", key, idx, rc, err.msg);
    assert_int_equal(rc, code);
    assert_null(m);
    assert_string_equal(err.file, "doc.json");
    assert_non_null(strstr(err.msg, needle));
    json_decref(doc);
}

static void test_bad_trees(void **state) {
    fixture *fx = *state;
    expect_tree_error(fx, "left_children", 0, json_integer(999999), FZ_ERANGE, "left_children[0]");
    expect_tree_error(fx, "right_children", 0, json_integer(-7), FZ_ERANGE, "right_children[0]");
    expect_tree_error(fx, "left_children", 0, json_integer(0), FZ_ERANGE, "do not form a tree");
    expect_tree_error(fx, "right_children", 0, json_integer(1), FZ_ERANGE, "do not form a tree");
    expect_tree_error(fx, "split_indices", 0, json_integer(NF), FZ_ERANGE, "split_indices[0]");
    expect_tree_error(fx, "split_indices", 0, json_integer(-1), FZ_ERANGE, "split_indices[0]");
    expect_tree_error(fx, "split_indices", 0, json_real(1.5), FZ_ERANGE, "split_indices[0]");
    expect_tree_error(fx, "split_indices", 0, json_string("2"), FZ_EFORMAT, "split_indices[0]");
    expect_tree_error(fx, "split_conditions", 0, json_real(1e300), FZ_ERANGE, "split_conditions[0]");
    expect_tree_error(fx, "default_left", 0, json_integer(2), FZ_ERANGE, "default_left[0]");
    expect_tree_error(fx, "sum_hessian", 0, json_real(-1), FZ_ERANGE, "sum_hessian[0]");
    expect_tree_error(fx, "split_type", 0, json_integer(1), FZ_EINVAL, "categorical");
    /* A child pointing back at an ancestor: a cycle, not a tree. */
    json_t *doc = load_doc(fx->path);
    json_t *t = first_tree(doc), *l = json_object_get(t, "left_children");
    json_int_t c = json_integer_value(json_array_get(l, 0));
    json_int_t cc = json_integer_value(json_array_get(l, (size_t)c));
    assert_true(cc > 0); /* depth 4: the root's left child splits too */
    json_array_set_new(l, (size_t)c, json_integer(c));
    fz_model *m = NULL;
    fz_error err = {0};
    assert_int_equal(load_json(doc, &m, &err), FZ_ERANGE);
    assert_non_null(strstr(err.msg, "do not form a tree"));
    /* An array shorter than num_nodes. */
    json_array_remove(json_object_get(t, "split_indices"), 0);
    assert_int_equal(load_json(doc, &m, &err), FZ_EFORMAT);
    assert_non_null(strstr(err.msg, "split_indices"));
    json_decref(doc);
}

/* Set key (a dotted path from the top) to val (NULL deletes). */
static void expect_doc_error(fixture *fx, const char *const *keys, int nkeys, json_t *val, int code,
                             const char *needle) {
    json_t *doc = load_doc(fx->path), *o = doc;
    for (int i = 0; i < nkeys - 1; i++) o = json_object_get(o, keys[i]);
    assert_non_null(o);
    if (val) json_object_set_new(o, keys[nkeys - 1], val);
    else json_object_del(o, keys[nkeys - 1]);
    fz_model *m = NULL;
    fz_error err = {0};
    int rc = load_json(doc, &m, &err);
    if (rc != code || !strstr(err.msg, needle))
        fprintf(stderr, "%s: rc %d, msg \"%s\"\n", keys[nkeys - 1], rc, err.msg);
    assert_int_equal(rc, code);
    assert_non_null(strstr(err.msg, needle));
    assert_null(m);
    json_decref(doc);
}

static void test_bad_documents(void **state) {
    fixture *fx = *state;
    static const char *const fmt[] = {"format"}, *const ver[] = {"format_version"},
                             *const xg[] = {"xgboost"}, *const th[] = {"threshold"},
                             *const ft[] = {"features"}, *const vs[] = {"version"},
                             *const obj[] = {"xgboost", "learner", "objective", "name"},
                             *const gb[] = {"xgboost", "learner", "gradient_booster", "name"},
                             *const bs[] = {"xgboost", "learner", "learner_model_param", "base_score"},
                             *const nf[] = {"xgboost", "learner", "learner_model_param", "num_feature"},
                             *const nt[] = {"xgboost", "learner", "gradient_booster", "model",
                                            "gbtree_model_param", "num_trees"};
    expect_doc_error(fx, fmt, 1, json_string("onnx"), FZ_EFORMAT, "not a Fanzha model");
    expect_doc_error(fx, ver, 1, json_integer(2), FZ_EFORMAT, "format version 2");
    expect_doc_error(fx, xg, 1, NULL, FZ_EFORMAT, "missing key \"xgboost\"");
    expect_doc_error(fx, th, 1, json_real(1.5), FZ_ERANGE, "threshold");
    expect_doc_error(fx, th, 1, json_string("0.5"), FZ_EFORMAT, "wrong type");
    expect_doc_error(fx, ft, 1, json_pack("[s,s]", "a", "a"), FZ_EFORMAT, "appears twice");
    expect_doc_error(fx, ft, 1, json_pack("[s,s]", "a", "b"), FZ_EFORMAT, "num_feature");
    expect_doc_error(fx, vs, 1, json_string(""), FZ_EFORMAT, "version");
    expect_doc_error(fx, obj, 4, json_string("reg:squarederror"), FZ_EINVAL, "binary:logistic");
    expect_doc_error(fx, gb, 4, json_string("dart"), FZ_EINVAL, "gbtree");
    expect_doc_error(fx, bs, 4, json_string("1"), FZ_ERANGE, "base_score");
    expect_doc_error(fx, bs, 4, json_string("half"), FZ_ERANGE, "base_score");
    expect_doc_error(fx, nf, 4, json_string("99999999999999999999"), FZ_ERANGE, "num_feature");
    expect_doc_error(fx, nt, 6, json_string("59"), FZ_EFORMAT, "num_trees");
}

/* ---- training errors ---- */

static void test_train_errors(void **state) {
    fixture *fx = *state;
    fz_train_params p;
    fz_train_result r;
    fz_error err = {0};
    fz_train_params_default(&p);
    p.rounds = 2;
    float y[NVALID];
    memcpy(y, fx->train_y, sizeof y);
    y[5] = 0.5f;
    fz_train_data d = {NF, fx->train_x, y, NVALID, fx->valid_x, fx->valid_y, NVALID};
    assert_int_equal(fz_train(&d, &p, &r, &err), FZ_EINVAL);
    assert_string_equal(err.field, "train");
    float zeros[NVALID] = {0};
    d = (fz_train_data){NF, fx->train_x, fx->train_y, NVALID, fx->valid_x, zeros, NVALID};
    assert_int_equal(fz_train(&d, &p, &r, &err), FZ_EINVAL);
    assert_null(r.booster);
    assert_non_null(strstr(err.msg, "no positive"));
    d.valid_y = fx->valid_y;
    p.eta = 0;
    assert_int_equal(fz_train(&d, &p, &r, &err), FZ_EINVAL);
    assert_string_equal(err.field, "eta");
    p.eta = 0.3;
    snprintf(p.tree_method, sizeof p.tree_method, "gpu_hist");
    assert_int_equal(fz_train(&d, &p, &r, &err), FZ_EINVAL);
    assert_int_equal(fz_train_save(&fx->res, "/nonexistent-dir/m.json", NAMES, NF, "v", &err), FZ_EIO);
    assert_int_equal(fz_train_save(&fx->res, "/tmp/x.json", NAMES, NF - 1, "v", &err), FZ_EINVAL);
    const char *dup[NF];
    memcpy(dup, NAMES, sizeof dup);
    dup[1] = dup[0];
    assert_int_equal(fz_train_save(&fx->res, "/tmp/x.json", dup, NF, "v", &err), FZ_EINVAL);
}

/* Exact training (another split finder, other thresholds) must match too. */
static void test_exact_method(void **state) {
    fixture *fx = *state;
    fz_train_params p;
    fz_train_result r;
    fz_error err = {0};
    fz_model *m = NULL;
    char path[160];
    fz_train_params_default(&p);
    p.rounds = 30;
    p.max_depth = 6;
    p.eta = 0.2;
    snprintf(p.tree_method, sizeof p.tree_method, "exact");
    fz_train_data d = {NF, fx->train_x, fx->train_y, NTRAIN, fx->valid_x, fx->valid_y, NVALID};
    assert_int_equal(fz_train(&d, &p, &r, &err), 0);
    snprintf(path, sizeof path, "%s/exact.json", fx->dir);
    assert_int_equal(fz_train_save(&r, path, NAMES, NF, "exact-1", &err), 0);
    assert_int_equal(fz_model_load(&m, path, &err), 0);
    fz_train_result keep = fx->res;
    fx->res = r;
    int bad = compare_rows(fx, m, fx->gold_x, NGOLD);
    fx->res = keep;
    assert_int_equal(bad, 0);
    fz_model_free(m);
    fz_train_result_free(&r);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predict_exact),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_threshold_is_best_f1),
        cmocka_unit_test(test_threshold_small),
        cmocka_unit_test(test_contrib),
        cmocka_unit_test(test_extreme_leaves),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bad_trees),
        cmocka_unit_test(test_bad_documents),
        cmocka_unit_test(test_train_errors),
        cmocka_unit_test(test_exact_method),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
