/* fz_lvreport.h — one large-value reporting run, shared by
 * `fanzha report large-value` and the server's POST
 * /v1/reports/large-value/files: the engine's large-value records with the
 * transactions behind them (an fz_lv_book the caller gathered) become HVTR
 * entries (fz_hvtr_entry), then XML files and ZIP bundles, and each record
 * day gets its deadline on the working-day calendar.
 *
 * The caller owns the book and the transactions and says how to name them:
 * a customer's key (CSNM), a transaction's id (TICD) and whether both of its
 * accounts are the bank's (TICD gets the side, spec §9 note 8(3)). */
#ifndef FZ_LVREPORT_H
#define FZ_LVREPORT_H

#include <stddef.h>
#include <stdint.h>

#include "fz_calendar.h"
#include "fz_error.h"
#include "fz_hvtr.h"
#include "fz_lv.h"
#include "fz_report_files.h"
#include "fz_txn.h"

/* Where the records and their transactions come from. */
typedef struct fz_lvreport_src {
    const fz_lv_book *book;                            /* indexed and offered */
    fz_str (*cust_key)(void *ctx, uint32_t cust);      /* a record's customer key */
    const fz_txn *(*row)(void *ctx, size_t k);         /* the transaction of book index k */
    fz_str (*id)(void *ctx, size_t k);                 /* its id, valid until the next call */
    int (*both_home)(void *ctx, const fz_txn *t);      /* both accounts are the bank's */
    void *ctx;
} fz_lvreport_src;

/* What to make: files of kind 'N', 'C' or 'D' dated `date` (an Asia/Shanghai
 * day number), numbered from seq and zseq (each advanced past the last one
 * used), from the records of days from..to (inclusive). */
typedef struct fz_lvreport_opts {
    const fz_hvtr_config *hc;
    char kind;
    int32_t date, from, to;
    uint32_t seq, zseq;
} fz_lvreport_opts;

/* What a run made. */
typedef struct fz_lvreport {
    fz_report_files xml, zip;
    int32_t *days;    /* the distinct record days reported, ascending */
    size_t ndays;
    uint64_t records; /* large-value records reported */
} fz_lvreport;

/* Add the XML files of every record of src in o's day range to r (which
 * starts zeroed); a run may add several times. Returns 0, FZ_EINVAL or
 * FZ_ENOMEM with err filled. */
int fz_lvreport_add(fz_lvreport_opts *o, const fz_lvreport_src *src, fz_lvreport *r, fz_error *err);

/* Pack r's XML files into ZIP bundles (entries stamped with the report
 * day's Shanghai midnight) and sort r->days. Returns 0, FZ_EFULL,
 * FZ_EINVAL or FZ_ENOMEM. */
int fz_lvreport_finish(fz_lvreport_opts *o, fz_lvreport *r, fz_error *err);

void fz_lvreport_free(fz_lvreport *r);

/* The deadline of records of transaction day `day` seen on day `today`:
 * due (the FZ_HVTR_DEADLINE_DAYS-th working day after day), left (working
 * days from today to due: > 0 left, 0 due today or due earlier today, < 0
 * overdue by -left), provisional (the due day's year is not in the
 * calendar). */
typedef struct fz_lv_deadline {
    int32_t due;
    int64_t left;
    int provisional;
} fz_lv_deadline;

/* Fill *d. Returns 0, or FZ_ERANGE when the calendar has no working day
 * within ten years. */
int fz_lvreport_deadline(const fz_calendar *cal, int32_t day, int32_t today, fz_lv_deadline *d);

#endif
