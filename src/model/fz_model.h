/* fz_model.h — gradient-boosted tree model: load a Fanzha model file and
 * score dense feature vectors with it.
 *
 * The model is XGBoost's binary:logistic tree ensemble, flattened into one
 * array of compact nodes. Scoring reproduces XGBoost's own predictions bit
 * for bit (same float operations in the same order; see docs/model.md).
 *
 * Scoring (fz_model_margin, fz_model_predict, fz_model_contrib) allocates
 * nothing, takes no lock and makes no system call; a loaded model is
 * read-only, so any number of threads may score with it at once.
 * libxgboost is not needed here: only fz_train links it. */
#ifndef FZ_MODEL_H
#define FZ_MODEL_H

#include <stddef.h>

#include "fz_error.h"

/* The Fanzha model file format version this code writes and reads. */
#define FZ_MODEL_FORMAT_VERSION 1
/* Most features a model may have; bounds fz_model_contrib's stack use. */
#define FZ_MODEL_MAX_FEATURES 4096
/* Most nodes over all trees; a larger file is refused, not allocated. */
#define FZ_MODEL_MAX_NODES (1 << 24)
/* Largest model file read, in bytes. */
#define FZ_MODEL_MAX_FILE_BYTES ((size_t)1 << 30)

typedef struct fz_model fz_model;

/* One feature's share of one prediction (see fz_model_contrib). */
typedef struct fz_contrib {
    int feature;        /* index into the feature vector */
    float value;        /* x[feature] as scored (NaN if missing) */
    float contribution; /* change of the margin (log-odds) due to it */
} fz_contrib;

/* Read the Fanzha model file at path (format in docs/model.md) and build the
 * evaluator. On success *out owns a model (free with fz_model_free) and 0 is
 * returned; otherwise *out is NULL and a negative FZ_E* is returned with err
 * naming the file and what is wrong: FZ_ENOTFOUND/FZ_EIO when it cannot be
 * read, FZ_EPARSE when it is not JSON (with line and column), FZ_EFORMAT when
 * a key is missing or has the wrong type, FZ_ERANGE when an index or number is
 * out of range, FZ_EINVAL when the model is of a kind this evaluator does not
 * score (another objective or booster, categorical splits...). */
int fz_model_load(fz_model **out, const char *path, fz_error *err);

/* Same as fz_model_load, from the len bytes at buf (need not be
 * NUL-terminated); name is used as the file name in errors (may be NULL). */
int fz_model_load_buffer(fz_model **out, const void *buf, size_t len,
                         const char *name, fz_error *err);

/* Free a model; NULL is allowed. */
void fz_model_free(fz_model *m);

/* Length of the feature vector the model scores. */
int fz_model_nfeatures(const fz_model *m);

/* Name of feature i (0 <= i < nfeatures), or NULL when i is out of range. */
const char *fz_model_feature_name(const fz_model *m, int i);

/* Index of the feature called name, or FZ_ENOTFOUND. */
int fz_model_feature_index(const fz_model *m, const char *name);

/* Whether any split of the model tests feature i (a feature no split tests
 * never changes a prediction, so a caller need not compute it). Walks the
 * whole model: for set-up, not per prediction. */
int fz_model_uses_feature(const fz_model *m, int i);

/* Decision threshold chosen at training: a transaction is flagged when
 * fz_model_predict(m, x) >= fz_model_threshold(m). */
double fz_model_threshold(const fz_model *m);

/* The model's version string, as given when it was saved. Never NULL. */
const char *fz_model_version(const fz_model *m);

/* Number of trees. */
int fz_model_ntrees(const fz_model *m);

/* Raw score (log-odds) of the feature vector x, which holds
 * fz_model_nfeatures(m) floats, NaN meaning missing: the base margin plus
 * every tree's leaf value, summed in float in tree order exactly as XGBoost
 * does. A split sends x left when x[f] < threshold, a missing x[f] the
 * tree's default way. Equals XGBoost's output_margin prediction bit for bit. */
float fz_model_margin(const fz_model *m, const float *x);

/* Probability of the positive class: XGBoost's float sigmoid of the margin.
 * Equals XGBoost's prediction bit for bit. */
float fz_model_predict(const fz_model *m, const float *x);

/* The constant part of the margin in fz_model_contrib's decomposition: the
 * base margin plus each tree's root expected value. */
float fz_model_contrib_bias(const fz_model *m);

/* Explain one prediction: fill top[0..n) with the n <= k features whose
 * contributions have the largest magnitude, largest first (ties: lower
 * feature index first), skipping features that contributed exactly 0, and
 * return n (0 <= n <= k; k <= 0 gives 0). Contributions are Saabas path
 * attributions: along x's path through each tree, the change of the node's
 * expected value (the cover-weighted mean of its leaves) at each split is
 * credited to the split's feature. Summed over all features and added to
 * fz_model_contrib_bias they give fz_model_margin(m, x) up to float
 * rounding; they equal XGBoost's approx_contribs. Allocates nothing. */
int fz_model_contrib(const fz_model *m, const float *x, fz_contrib *top, int k);

#endif
