/* fz_exempt.h — configured large-value exemptions (DOMAIN.md §1, PBOC
 * Order 2016 No.3 Art.7): which transactions need no large-value report.
 *
 * The bank names them in a text file, one rule a line:
 *   CATEGORY account ACCT     either side's account is ACCT (e.g. 3: a state
 *                             organ's account; 6: an internal account)
 *   CATEGORY customer CUST    either side's customer is CUST
 *   CATEGORY same-customer    payer and payee are the same customer (1:
 *                             rollovers within one name; 6: internal transfers)
 * CATEGORY is the exemption's number 1-9 in DOMAIN.md §1; '#' starts a
 * comment. A matching transaction is flagged FZ_TXN_EXEMPT: it counts as
 * activity but makes and joins no large-value record. */
#ifndef FZ_EXEMPT_H
#define FZ_EXEMPT_H

#include <stdint.h>

#include "fz_error.h"
#include "fz_txn.h"

typedef struct fz_exempt fz_exempt;

/* Load a rules file. Errors name "file:line: field: reason". Returns 0,
 * FZ_EIO, FZ_EPARSE or FZ_ENOMEM. */
int fz_exempt_load(fz_exempt **out, const char *path, fz_error *err);
void fz_exempt_free(fz_exempt *x);

/* The category (1-9) of the first rule t matches, or 0. */
int fz_exempt_match(const fz_exempt *x, const fz_txn *t);

/* Flag t FZ_TXN_EXEMPT when a rule matches; returns the category or 0. */
int fz_exempt_apply(const fz_exempt *x, fz_txn *t);

#endif
