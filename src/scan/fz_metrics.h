/* fz_metrics.h — detection quality against labels.
 *
 * Counts a confusion matrix overall and per typology, and a score histogram
 * from which the precision-recall curve and its area (average precision) are
 * computed. "Flagged" means the decision raised an alert or worse. Rows with
 * no label (-1) are not counted. Typologies are the input's own tags; on a
 * label-0 row a tag marks a decoy, whose false positives are shown too. */
#ifndef FZ_METRICS_H
#define FZ_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "fz_txn.h"

#define FZ_METRICS_TYPOLOGIES 32
#define FZ_METRICS_SCORES 1001

typedef struct fz_confusion {
    uint64_t tp, fp, tn, fn;
} fz_confusion;

typedef struct fz_typology_stats {
    char name[32]; /* FZ_TYPOLOGY_NAME, first: see fz_typology_slot */
    fz_confusion c; /* tp/fn over its positives, fp/tn over its decoys */
} fz_typology_stats;

typedef struct fz_metrics {
    fz_confusion all;
    int ntyp;
    uint64_t typ_overflow; /* rows whose typology did not fit the table */
    fz_typology_stats typ[FZ_METRICS_TYPOLOGIES];
    uint64_t pos_at[FZ_METRICS_SCORES], neg_at[FZ_METRICS_SCORES]; /* by score */
} fz_metrics;

void fz_metrics_init(fz_metrics *m);

/* A typology's slot in a small table of names: n entries of `stride` bytes
 * from base, each starting with a NUL-terminated name of at most
 * FZ_TYPOLOGY_NAME - 1 bytes (longer names are cut). Returns the index of
 * name, adding it (and incrementing *n) if new, or -1 when the table holds
 * max entries already. Every typology table in the scanner uses this. */
#define FZ_TYPOLOGY_NAME 32
int fz_typology_slot(void *base, size_t stride, int *n, int max, fz_str name);

/* Count one row: its label (-1 skips), typology, whether it was flagged, its
 * score (0..1000). */
void fz_metrics_add(fz_metrics *m, int label, fz_str typology, int flagged, int score);

/* precision, recall and F1 of a confusion matrix (0 when undefined). */
double fz_precision(const fz_confusion *c);
double fz_recall(const fz_confusion *c);
double fz_f1(const fz_confusion *c);

/* Area under the precision-recall curve by average precision over the score
 * thresholds (ties at one score count as one step). */
double fz_metrics_pr_auc(const fz_metrics *m);

/* Average precision (area under the precision-recall curve) of scores
 * against labels (0/1; -1 rows are skipped), rows of equal score counted as
 * one step. Allocates n indexes; returns -1 when out of memory, 0 when no
 * positive row. For offline evaluation. */
double fz_average_precision(const float *score, const int8_t *label, size_t n);

/* Whether any labelled row was counted. */
int fz_metrics_has_labels(const fz_metrics *m);

/* Print the confusion matrix, P/R/F1, PR-AUC and the per-typology table,
 * under a title. */
void fz_metrics_print(const fz_metrics *m, const char *title, FILE *f);

#endif
