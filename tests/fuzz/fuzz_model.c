/* fuzz_model.c — arbitrary bytes as a Fanzha model file; whatever loads is
 * scored on a few rows (margin, probability, contributions). Nothing may
 * crash, read out of bounds or hit undefined behaviour, and a load that
 * fails must set an error and leave no model.
 *
 * Each input is tried twice: as the whole file, and spliced into a small
 * valid model (first two bytes choose where), so mutations reach the tree
 * checks even without a seed corpus. Only fz_model is reachable: the
 * target does not need libxgboost. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two features, two trees (depth 2 and a lone leaf), shaped like
 * XGBoost 1.7's JSON. */
static const char TEMPLATE[] =
    "{\"format\":\"fanzha-model\",\"format_version\":1,\"version\":\"fuzz\","
    "\"features\":[\"a\",\"b\"],\"threshold\":0.5,\"training\":{},"
    "\"xgboost\":{\"learner\":{\"learner_model_param\":{\"base_score\":\"5E-1\","
    "\"num_class\":\"0\",\"num_feature\":\"2\",\"num_target\":\"1\"},"
    "\"objective\":{\"name\":\"binary:logistic\"},"
    "\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{"
    "\"gbtree_model_param\":{\"num_trees\":\"2\"},\"tree_info\":[0,0],\"trees\":["
    "{\"tree_param\":{\"num_nodes\":\"5\"},\"left_children\":[1,3,-1,-1,-1],"
    "\"right_children\":[2,4,-1,-1,-1],\"split_indices\":[0,1,0,0,0],"
    "\"split_conditions\":[0.5,-1.25,0.3,-0.2,0.1],\"default_left\":[1,0,0,0,0],"
    "\"sum_hessian\":[10,6,4,3,3],\"split_type\":[0,0,0,0,0],\"categories_nodes\":[]},"
    "{\"tree_param\":{\"num_nodes\":\"1\"},\"left_children\":[-1],\"right_children\":[-1],"
    "\"split_indices\":[0],\"split_conditions\":[0.05],\"default_left\":[0],"
    "\"sum_hessian\":[10]}]}}}}}";

static void score(const fz_model *m, const uint8_t *data, size_t size) {
    static float x[FZ_MODEL_MAX_FEATURES];
    fz_contrib top[8];
    int n = fz_model_nfeatures(m);
    const float fill[] = {NAN, 0.0f, -1e30f, 1e30f, INFINITY, -INFINITY};
    for (size_t r = 0; r < sizeof fill / sizeof fill[0] + 1; r++) {
        for (int f = 0; f < n; f++) {
            if (r < sizeof fill / sizeof fill[0]) {
                x[f] = fill[r];
            } else { /* last row: values from the input bytes */
                uint8_t b = size ? data[(size_t)f % size] : 0;
                x[f] = b == 0xff ? NAN : (float)b / 16.0f - 4.0f;
            }
        }
        float mg = fz_model_margin(m, x), p = fz_model_predict(m, x);
        if (!(p >= 0.0f && p <= 1.0f) && !isnan(mg)) abort();
        int k = fz_model_contrib(m, x, top, (int)(sizeof top / sizeof top[0]));
        if (k < 0 || k > 8) abort();
        for (int j = 0; j < k; j++)
            if (top[j].feature < 0 || top[j].feature >= n) abort();
    }
    for (int i = -1; i <= n; i++) (void)fz_model_feature_name(m, i);
    (void)fz_model_threshold(m);
    if (!fz_model_version(m)) abort();
}

static void try_load(const void *buf, size_t len, const uint8_t *data, size_t size) {
    fz_model *m = NULL;
    fz_error err = {0};
    int rc = fz_model_load_buffer(&m, buf, len, "fuzz.json", &err);
    if (rc == 0) {
        if (!m) abort();
        score(m, data, size);
        fz_model_free(m);
    } else if (m || rc != err.code || rc > 0) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    try_load(data, size, data, size);
    if (size < 2 || size > 4096) return 0;
    size_t tl = sizeof TEMPLATE - 1, at = ((size_t)data[0] << 8 | data[1]) % tl;
    /* Overwrite template bytes from `at` with the rest of the input. */
    size_t n = size - 2, len = at + n > tl ? at + n : tl;
    char *buf = malloc(len);
    if (!buf) return 0;
    memcpy(buf, TEMPLATE, tl);
    memcpy(buf + at, data + 2, n);
    try_load(buf, len, data, size);
    free(buf);
    return 0;
}
