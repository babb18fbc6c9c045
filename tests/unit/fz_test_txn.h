/* fz_test_txn.h — transactions built by hand for the engine's tests. */
#ifndef FZ_TEST_TXN_H
#define FZ_TEST_TXN_H

#include <string.h>

#include "fz_txn.h"

/* A view of a C string (the string must outlive it). */
static inline fz_str fz_test_str(const char *s) { return (fz_str){s, (uint32_t)strlen(s)}; }

/* A CNY transaction "t" of kind from payer to payee at t, unlabelled; cash
 * at the counter, anything else online. */
static inline fz_txn fz_test_txn(const char *payer, const char *payee, fz_ms t, int64_t amount, unsigned kind) {
    fz_txn x;
    memset(&x, 0, sizeof x);
    x.id = fz_test_str("t");
    x.time = t;
    x.payer_acct = fz_test_str(payer);
    x.payee_acct = fz_test_str(payee);
    x.amount = amount;
    x.currency = FZ_CCY_CNY;
    x.kind = (uint8_t)kind;
    x.channel = fz_kind_is_cash(kind) ? FZ_CH_COUNTER : FZ_CH_ONLINE;
    x.label = -1;
    x.group = -1;
    return x;
}

#endif
