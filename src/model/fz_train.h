/* fz_train.h — train a tree model with libxgboost and write Fanzha's model
 * file (docs/model.md).
 *
 * This is the only code that links libxgboost; the scoring side (fz_model)
 * reads the file it writes without it. Training is offline work: it
 * allocates freely and is not for the scoring hot path. */
#ifndef FZ_TRAIN_H
#define FZ_TRAIN_H

#include <stddef.h>

#include "fz_error.h"

/* Most validation rows: keeps fz_train_best_threshold's exact F1
 * comparisons (products of counts) inside 64 bits. */
#define FZ_TRAIN_MAX_VALID_ROWS ((size_t)1 << 30)

/* Dense row-major data: x holds rows * nfeatures floats, NaN meaning
 * missing; y holds rows labels, each 0 (legitimate) or 1 (fraud). */
typedef struct fz_train_data {
    int nfeatures;
    const float *train_x, *train_y;
    size_t train_rows;
    const float *valid_x, *valid_y; /* used to choose the threshold */
    size_t valid_rows;
} fz_train_data;

typedef struct fz_train_params {
    int rounds;              /* boosting rounds = trees (1..100000) */
    int max_depth;           /* 1..64 */
    double eta;              /* learning rate, (0, 1] */
    double scale_pos_weight; /* weight of positive rows, > 0 */
    double min_child_weight; /* >= 0 */
    double lambda;           /* L2 regularisation, >= 0 */
    double subsample;        /* row sampling per tree, (0, 1] */
    double colsample_bytree; /* feature sampling per tree, (0, 1] */
    unsigned seed;
    int nthread;             /* 1 makes training bit-for-bit reproducible */
    char tree_method[16];    /* "exact", "approx" or "hist" */
} fz_train_params;

/* Validation counts at a threshold: rows with score >= threshold are
 * flagged. */
typedef struct fz_train_eval {
    long long tp, fp, fn, tn;
    double precision, recall, f1;
} fz_train_eval;

typedef struct fz_train_result {
    void *booster;           /* XGBoost BoosterHandle; owned, freed by fz_train_result_free */
    int nfeatures;
    double threshold;        /* F1-maximising threshold on the validation set */
    fz_train_eval valid;     /* validation counts at that threshold */
    size_t train_rows, valid_rows;
    long long train_pos, valid_pos;
    fz_train_params params;
} fz_train_result;

/* Defaults: 70 rounds, depth 6, eta 0.25, scale_pos_weight 1,
 * min_child_weight 1, lambda 1, no sampling, seed 0, 1 thread, "hist". */
void fz_train_params_default(fz_train_params *p);

/* Train a binary:logistic gradient-boosted tree model on d's training rows
 * with p, then score d's validation rows and choose the decision threshold
 * with fz_train_best_threshold. On success fills r (release with
 * fz_train_result_free) and returns 0; on error r holds nothing to free and
 * a negative FZ_E* is returned: FZ_EINVAL for bad data or parameters
 * (labels not 0/1, no positive validation row...), FZ_EIO with XGBoost's
 * message when libxgboost fails. */
int fz_train(const fz_train_data *d, const fz_train_params *p, fz_train_result *r,
             fz_error *err);

/* Score rows (rows * r->nfeatures floats, NaN missing) with XGBoost itself:
 * probabilities, or margins when margin is non-zero, into out[rows]. This
 * is the reference fz_model must match. */
int fz_train_predict(const fz_train_result *r, const float *x, size_t rows, int margin,
                     float *out, fz_error *err);

/* The threshold that maximises F1 of the positive class when rows with
 * score >= threshold are flagged. Candidates are the distinct scores; F1 =
 * 2TP / (2TP + FP + FN) is compared exactly (as fractions of counts); among
 * equal F1 the highest threshold wins (fewest alerts). Fills *threshold and
 * *ev. FZ_EINVAL when n is 0 or above FZ_TRAIN_MAX_VALID_ROWS, a label is
 * not 0/1, a score is NaN, or there is no positive row. Allocates n
 * entries. */
int fz_train_best_threshold(const float *scores, const float *labels, size_t n,
                            double *threshold, fz_train_eval *ev, fz_error *err);

/* Write Fanzha's model file for r at path: the metadata (version string,
 * feature names in order, threshold, training summary) and XGBoost's own
 * JSON model under "xgboost". nfeatures must equal r->nfeatures and the
 * names must be distinct, non-empty and at most 255 bytes. The file is
 * written to a temporary name beside path and renamed over it, so a reader
 * never sees half a model. */
int fz_train_save(const fz_train_result *r, const char *path,
                  const char *const *feature_names, int nfeatures, const char *version,
                  fz_error *err);

/* Release r's booster; r may then be reused. NULL is allowed. */
void fz_train_result_free(fz_train_result *r);

#endif
