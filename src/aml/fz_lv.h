/* fz_lv.h — large-value (大额) records and the transactions behind them.
 *
 * The engine says when a customer's day total first crosses a threshold
 * (fz_lv_hit: customer, day, CRCD, direction, RMB or FX basis). A report
 * needs every transaction that makes that total, including the ones before
 * the crossing, so the book gathers them afterwards: each transaction side
 * is offered to the book and attached to the records whose customer, day,
 * direction, basis and category it matches. */
#ifndef FZ_LV_H
#define FZ_LV_H

#include <stdint.h>
#include <stdio.h>

#include "fz_decision.h"
#include "fz_txn.h"

typedef struct fz_lv_book fz_lv_book;

int fz_lv_book_new(fz_lv_book **out);
void fz_lv_book_free(fz_lv_book *b);

/* Add a record from an engine hit. Returns 0 or FZ_ENOMEM. */
int fz_lv_book_add(fz_lv_book *b, const fz_lv_hit *h);

/* Number of records. */
uint64_t fz_lv_book_count(const fz_lv_book *b);

/* Offer transaction `txn` (the caller's index) as seen from one side: its
 * customer, Asia/Shanghai day, direction (FZ_DIR_*), FX basis (0 RMB, 1
 * foreign), large-value categories (fz_lv_categories mask), and its amount in the record's
 * basis (fen for RMB, USD cents for FX). Exempt transactions must not be
 * offered. Call fz_lv_book_index once before the first offer. */
int fz_lv_book_index(fz_lv_book *b);
int fz_lv_book_offer(fz_lv_book *b, uint32_t txn, uint32_t cust, int32_t day, int dir, int fx, unsigned cats,
                     int64_t amount);

/* Offer both sides of transaction t (the caller's index txn) whose
 * customers are cust[FZ_SIDE_PAYER] and cust[FZ_SIDE_PAYEE] (UINT32_MAX: no
 * customer, skipped): its day, direction, basis, categories and amount as
 * fz_lv_book_offer wants them, the USD equivalent from rates. An exempt
 * transaction (FZ_TXN_EXEMPT), or a foreign one without a rate, is not
 * offered. Returns 0 or FZ_ENOMEM. */
int fz_lv_book_offer_txn(fz_lv_book *b, uint32_t txn, const fz_txn *t, const uint32_t cust[2],
                         const fz_rates *rates);

/* One record as gathered: the engine's hit, the total of its transactions
 * (fen, or USD cents for FX) and how many there are. */
typedef struct fz_lv_record {
    fz_lv_hit h;
    int64_t total;
    uint32_t count;
} fz_lv_record;

/* Record i (i < fz_lv_book_count) into *out, and the first `max` of its
 * transactions (the caller's indexes, in the order offered) into txns.
 * Returns the record's transaction count (which may exceed max). */
uint32_t fz_lv_book_get(const fz_lv_book *b, size_t i, fz_lv_record *out, uint32_t *txns, uint32_t max);

/* Write large_value.csv: customer,date,crcd,direction,basis,total,count,txn_ids.
 * cust_key and txn_id give the external names of dense ids. */
typedef fz_str (*fz_lv_name_fn)(void *ctx, uint32_t id);
int fz_lv_book_write_csv(const fz_lv_book *b, FILE *f, fz_lv_name_fn cust_key, fz_lv_name_fn txn_id,
                         void *ctx);

#endif
