/* fz_scan.h — the batch scanner behind `fanzha scan`.
 *
 * Reads every input file into memory, puts the rows in time order (stable:
 * equal times keep file and line order), scores them with one engine, and
 * writes the alerts, the large-value records, the rejects and a summary.
 * With labels it measures detection over all rows and over the test split
 * (the last 20 % by time, as ../shared/data/README.md prescribes). */
#ifndef FZ_SCAN_H
#define FZ_SCAN_H

#include <stdint.h>
#include <stdio.h>

#include "fz_decision.h"
#include "fz_engine.h"
#include "fz_error.h"
#include "fz_metrics.h"
#include "fz_reader.h"

/* Hooks for callers that want every row (fanzha features, fanzha eval):
 * start once the engine exists (to learn the feature names), then row for
 * each row in time order, with its features when want_features is set (x is
 * NULL otherwise). Either returns 0, or an error (err filled) that stops
 * the scan. */
/* The large-value records of a scan and the rows behind them, for the
 * report writers (fanzha report). Row numbers k are scoring order. */
typedef struct fz_scan_lv {
    const struct fz_lv_book *book;
    const fz_engine *engine;          /* customer keys: fz_engine_customer_key */
    const fz_txn *(*row)(void *scan, size_t k);
    fz_str (*id)(void *scan, size_t k); /* row k's id ("file:line" when it has none), valid until the next call */
    void *scan;
} fz_scan_lv;

typedef struct fz_scan_hooks {
    int want_features;
    int (*start)(void *ctx, const fz_engine *e, fz_error *err);
    int (*row)(void *ctx, const fz_txn *t, fz_str id, const fz_decision *d, const float *x, fz_error *err);
    void *ctx;
    /* after the large-value records are gathered, before outputs are written */
    int (*lv)(void *ctx, const fz_scan_lv *v, fz_error *err);
} fz_scan_hooks;

typedef struct fz_scan_opts {
    const char *const *files;
    int nfiles;
    fz_read_opts read;          /* format, default currency, hide_balances */
    const char *const *rules;   /* rule pack files */
    int nrules;
    fz_engine_config engine;
    const char *grades;         /* customers' risk grades file (fz_grades.h), or NULL */
    const struct fz_exempt *exempt; /* large-value exemptions to flag rows with (fz_exempt.h), or NULL */
    const char *model;          /* a tree model file (fz_model.h) to score with, or NULL */
    const char *out_dir;        /* where output files go; NULL writes none */
    fz_scan_hooks hooks;        /* all NULL: none */
    int strict;                 /* stop at the first bad row */
    int progress;               /* allow a progress bar on a terminal */
} fz_scan_opts;

/* Labelled attempts (fz_txn.group of positive rows: an IBM laundering
 * attempt, an AMLSim alert) per typology, and how many were found: by a
 * pattern rule (typology tag "pattern_*") or by any alert, on at least one
 * of their transactions. */
#define FZ_ATTEMPT_TYPOLOGIES 32
#define FZ_ATTEMPT_GROUPS_MAX ((size_t)1 << 24) /* group ids at or above are not tracked */
typedef struct fz_attempts {
    int ntyp;
    uint64_t skipped; /* positive rows whose group id is too large to track */
    char name[FZ_ATTEMPT_TYPOLOGIES][FZ_TYPOLOGY_NAME];
    uint64_t attempts[FZ_ATTEMPT_TYPOLOGIES], by_pattern[FZ_ATTEMPT_TYPOLOGIES], by_alert[FZ_ATTEMPT_TYPOLOGIES];
} fz_attempts;

typedef struct fz_rule_count {
    char id[48];
    uint64_t hits;
} fz_rule_count;

typedef struct fz_scan_result {
    uint64_t rows;            /* rows scored */
    uint64_t rejects;         /* bad rows, each in rejects.txt */
    uint64_t alerts;          /* decisions with at least one alert-or-worse rule */
    uint64_t lv_records;      /* large-value records */
    uint64_t outcomes[FZ_OUT__COUNT];
    int nrules;
    fz_rule_count *by_rule;   /* hits per rule, rule order */
    int sorted;               /* input needed re-ordering by time */
    double seconds_read, seconds_score, seconds_write, seconds_total;
    uint64_t input_bytes;
    fz_metrics all, test;     /* labelled rows: all, and the last 20 % by time */
    fz_attempts attempts;     /* labelled groups, when the input has them */
    fz_engine_stats engine;
    int nfeatures;            /* features per row (fanzha features) */
    char rules_version[256];
} fz_scan_result;

/* Run a scan. Fatal problems (unreadable file, bad rules, --strict reject,
 * unwritable output) return < 0 with err filled; r then holds what was
 * counted so far. r must be released with fz_scan_result_free either way. */
int fz_scan_run(const fz_scan_opts *o, fz_scan_result *r, fz_error *err);
void fz_scan_result_free(fz_scan_result *r);

/* The human summary (counts, speed, rules, metrics tables). */
void fz_scan_print(const fz_scan_result *r, FILE *f);

/* The summary as one JSON object on one line. Returns 0 or FZ_EIO. */
int fz_scan_print_json(const fz_scan_result *r, FILE *f);

#endif
