/* fz_fmt_paysim.c — PaySim transactions.csv (mobile money simulator).
 *
 * step,action,amount,nameOrig,oldBalanceOrig,newBalanceOrig,nameDest,
 * oldBalanceDest,newBalanceDest,isFraud,isFlaggedFraud,isUnauthorizedOverdraft
 *
 * PaySim always names the customer nameOrig, whichever way money flows; the
 * balance columns show the direction (checked on paysim-2m, see
 * docs/formats.md): CASH_IN raises nameOrig's balance by amount (cash paid in
 * at the merchant/agent nameDest), every other action lowers it. Canonically
 * the payer is the side money leaves, so CASH_IN swaps the two sides.
 * PaySim keeps no balance for the merchant/bank side of CASH_IN, CASH_OUT and
 * DEBIT (it never moves; it is always 0 for DEBIT), so those balances are not
 * claimed as known.
 *
 * step is hours since FZ_PAYSIM_EPOCH (2020-01-01T00:00:00Z, an arbitrary
 * fixed origin: PaySim has no calendar). The currency comes from the reader
 * options; the channel is mobile. Account id prefixes (C, CC, M, B) leak the
 * label in this data set and are never looked at. isFlaggedFraud (PaySim's
 * own toy rule) and isUnauthorizedOverdraft (a declined attempt: balances
 * unchanged) are checked to be 0/1 and otherwise not used. */
#include "fz_reader_int.h"

#include <string.h>

#define FZ_PAYSIM_EPOCH_MS 1577836800000LL /* 2020-01-01T00:00:00Z */

enum { PS_NF = 12 };

static const char *const ps_cols[PS_NF] = {
    "step", "action", "amount", "nameOrig", "oldBalanceOrig", "newBalanceOrig",
    "nameDest", "oldBalanceDest", "newBalanceDest", "isFraud", "isFlaggedFraud",
    "isUnauthorizedOverdraft",
};

#define SHOW(s) (int)((s).n > 40 ? 40 : (s).n), (s).p

int fz__fmt_paysim_header(const fz_reader *r) {
    if (r->nf != PS_NF) return 0;
    for (int i = 0; i < PS_NF; i++)
        if (!fz__eq_ci(r->f[i], ps_cols[i])) return 0;
    return 1;
}

enum { A_CASH_IN, A_CASH_OUT, A_PAYMENT, A_TRANSFER, A_DEBIT };

static const struct {
    const char *name;
    uint8_t kind;
    uint8_t swap;     /* nameOrig receives the money */
    uint8_t dest_bal; /* PaySim tracks nameDest's balance for this action */
} actions[] = {
    [A_CASH_IN] = {"CASH_IN", FZ_KIND_CASH_DEPOSIT, 1, 0},
    [A_CASH_OUT] = {"CASH_OUT", FZ_KIND_CASH_WITHDRAWAL, 0, 0},
    [A_PAYMENT] = {"PAYMENT", FZ_KIND_PAYMENT, 0, 1},
    [A_TRANSFER] = {"TRANSFER", FZ_KIND_TRANSFER, 0, 1},
    [A_DEBIT] = {"DEBIT", FZ_KIND_DEBIT, 0, 0},
};

static int money(fz_reader *r, const fz_txn *t, int i, fz_money *out, fz_error *err) {
    fz_str s = r->f[i];
    int digits = fz_ccy_digits(t->currency);
    int rc = fz_money_parse(s.p, s.n, digits, out);
    if (rc == FZ_ERANGE) return fz__reject(r, err, ps_cols[i], "out of range: '%.*s'", SHOW(s));
    if (rc != 0)
        return fz__reject(r, err, ps_cols[i], "not a decimal amount with at most %d decimals: '%.*s'", digits, SHOW(s));
    return 0;
}

static int step_time(fz_reader *r, fz_txn *t, fz_error *err) {
    int64_t step;
    fz_str s = r->f[0];
    if (fz__parse_i64(s.p, s.n, &step) != 0 || step < 0 ||
        step >= (FZ_TIME_END_MS - FZ_PAYSIM_EPOCH_MS) / FZ_MS_PER_HOUR) /* a time up to year 9999 */
        return fz__reject(r, err, "step", "not a non-negative hour count: '%.*s'", SHOW(s));
    t->time = FZ_PAYSIM_EPOCH_MS + step * FZ_MS_PER_HOUR;
    return 0;
}

static int flags01(fz_reader *r, fz_txn *t, fz_error *err) {
    int8_t v;
    if (fz__parse_label(r->f[9], 0, &t->label) != 0)
        return fz__reject(r, err, ps_cols[9], "not 0 or 1: '%.*s'", SHOW(r->f[9]));
    for (int i = 10; i < PS_NF; i++)
        if (fz__parse_label(r->f[i], 0, &v) != 0)
            return fz__reject(r, err, ps_cols[i], "not 0 or 1: '%.*s'", SHOW(r->f[i]));
    return 0;
}

/* The orig/dest balance pairs onto the canonical payer/payee sides. */
static int balances(fz_reader *r, fz_txn *t, int a, fz_error *err) {
    fz_money ob, oa, db, da;
    int rc;
    if ((rc = money(r, t, 4, &ob, err)) || (rc = money(r, t, 5, &oa, err)) ||
        (rc = money(r, t, 7, &db, err)) || (rc = money(r, t, 8, &da, err)))
        return rc;
    if (r->opts.hide_balances) return 0;
    if (actions[a].swap) {
        t->payee_bal_before = ob;
        t->payee_bal_after = oa;
        t->flags |= FZ_TXN_HAS_PAYEE_BAL;
        return 0;
    }
    t->payer_bal_before = ob;
    t->payer_bal_after = oa;
    t->flags |= FZ_TXN_HAS_PAYER_BAL;
    if (actions[a].dest_bal) {
        t->payee_bal_before = db;
        t->payee_bal_after = da;
        t->flags |= FZ_TXN_HAS_PAYEE_BAL;
    }
    return 0;
}

static int paysim_row(fz_reader *r, fz_txn *t, fz_error *err) {
    fz__txn_reset(r, t);
    int rc, a = -1;
    for (int i = 0; i < (int)(sizeof actions / sizeof actions[0]); i++)
        if (fz__eq_ci(r->f[1], actions[i].name)) a = i;
    if (a < 0) return fz__reject(r, err, "action", "unknown action '%.*s'", SHOW(r->f[1]));
    if ((rc = step_time(r, t, err)) != 0) return rc;
    if ((rc = money(r, t, 2, &t->amount, err)) != 0) return rc;
    if (t->amount < 0) return fz__reject(r, err, "amount", "negative: '%.*s'", SHOW(r->f[2]));
    if (r->f[3].n == 0) return fz__reject(r, err, "nameOrig", "missing");
    if (r->f[6].n == 0) return fz__reject(r, err, "nameDest", "missing");
    t->payer_acct = actions[a].swap ? r->f[6] : r->f[3];
    t->payee_acct = actions[a].swap ? r->f[3] : r->f[6];
    t->kind = actions[a].kind;
    t->channel = FZ_CH_MOBILE;
    if ((rc = balances(r, t, a, err)) != 0) return rc;
    return flags01(r, t, err);
}

int fz__fmt_paysim_init(fz_reader *r, fz_error *err) {
    (void)err;
    r->fixed_nf = PS_NF;
    r->row = paysim_row;
    r->next = fz__fixed_next;
    return 0;
}
