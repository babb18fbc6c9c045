/* fz_eval.h — measure detection the way ../shared/data/README.md says:
 * features -> time split -> train -> threshold -> test.
 *
 * One scan of the input (fz_scan with hooks) gives every row's feature
 * vector, label, typology and whether the rules alone flagged it. Rows in
 * time order are split 60/20/20: a tree model is trained on the first 60 %,
 * its decision threshold chosen on the next 20 % (largest F1), and the last
 * 20 % is the test on which the rules alone, the model alone and both
 * together (flagged by either) are measured, overall and per typology. The
 * test predictions come from Fanzha's own evaluator (fz_model) reading the
 * saved model file, as the engine would. */
#ifndef FZ_EVAL_H
#define FZ_EVAL_H

#include <stdio.h>

#include "fz_error.h"
#include "fz_metrics.h"
#include "fz_scan.h"
#include "fz_train.h"

typedef struct fz_eval_opts {
    fz_scan_opts scan;      /* inputs, reading, rules, engine; hooks are the evaluator's */
    fz_train_params train;
    const char *model_out;  /* keep the trained model here; NULL: a temporary file */
} fz_eval_opts;

typedef struct fz_eval_result {
    size_t rows, train_rows, valid_rows, test_rows;
    int nfeatures;
    double threshold;                 /* chosen on the validation split */
    fz_train_eval valid;              /* the model on the validation split at that threshold */
    fz_metrics rules, model, both;    /* the test split */
    double ap_rules, ap_model, ap_both; /* PR-AUC (average precision) on the test split */
    double seconds_scan, seconds_train, seconds_test;
    fz_scan_result scan;
} fz_eval_result;

/* Run the protocol. Returns 0, or < 0 with err filled (unreadable input,
 * too few labelled rows or positives to train on, libxgboost errors...). r
 * must be released with fz_eval_result_free either way. */
int fz_eval_run(const fz_eval_opts *o, fz_eval_result *r, fz_error *err);
void fz_eval_result_free(fz_eval_result *r);

/* The results as a table, and as one JSON object on one line. */
void fz_eval_print(const fz_eval_result *r, FILE *f);
int fz_eval_print_json(const fz_eval_result *r, FILE *f);

#endif
