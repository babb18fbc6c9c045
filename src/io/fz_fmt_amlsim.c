/* fz_fmt_amlsim.c — IBM AMLSim transactions.csv.
 *
 * tran_id,step,tran_timestamp,orig_acct,orig_bank,bene_acct,bene_bank,
 * tx_type,base_amt,is_sar,alert_id,alert_type
 * AMLSim account ids are global (not per bank), so they are used as they are.
 * The file carries no currency: the reader's currency option (CNY by default)
 * applies. Nor does it say how the customer reached the bank: channel unknown. */
#include "fz_reader_int.h"

#include <string.h>

enum { AML_NF = 12 };

static const char *const aml_cols[AML_NF] = {
    "tran_id", "step", "tran_timestamp", "orig_acct", "orig_bank", "bene_acct",
    "bene_bank", "tx_type", "base_amt", "is_sar", "alert_id", "alert_type",
};

#define SHOW(s) (int)((s).n > 40 ? 40 : (s).n), (s).p

int fz__fmt_amlsim_header(const fz_reader *r) {
    if (r->nf != AML_NF) return 0;
    for (int i = 0; i < AML_NF; i++)
        if (!fz__eq_ci(r->f[i], aml_cols[i])) return 0;
    return 1;
}

/* AMLSim's tx_type; generators configured for cash write these names. */
static uint8_t tx_kind(fz_str s) {
    if (fz__eq_ci(s, "TRANSFER") || fz__eq_ci(s, "WIRE") || fz__eq_ci(s, "CHECK")) return FZ_KIND_TRANSFER;
    if (fz__eq_ci(s, "CASH-IN") || fz__eq_ci(s, "CASH_IN") || fz__eq_ci(s, "DEPOSIT")) return FZ_KIND_CASH_DEPOSIT;
    if (fz__eq_ci(s, "CASH-OUT") || fz__eq_ci(s, "CASH_OUT") || fz__eq_ci(s, "WITHDRAWAL"))
        return FZ_KIND_CASH_WITHDRAWAL;
    if (fz__eq_ci(s, "PAYMENT")) return FZ_KIND_PAYMENT;
    return FZ_KIND_OTHER;
}

static int need(fz_reader *r, int i, fz_error *err) {
    return r->f[i].n ? 0 : fz__reject(r, err, aml_cols[i], "missing");
}

static int amount(fz_reader *r, fz_txn *t, fz_error *err) {
    fz_str s = r->f[8];
    int digits = fz_ccy_digits(t->currency);
    int rc = fz_money_parse(s.p, s.n, digits, &t->amount);
    if (rc == FZ_ERANGE) return fz__reject(r, err, "base_amt", "out of range: '%.*s'", SHOW(s));
    if (rc != 0)
        return fz__reject(r, err, "base_amt", "not a decimal amount with at most %d decimals: '%.*s'", digits, SHOW(s));
    if (t->amount < 0) return fz__reject(r, err, "base_amt", "negative: '%.*s'", SHOW(s));
    return 0;
}

static int alert(fz_reader *r, fz_txn *t, fz_error *err) {
    fz_str s = r->f[10];
    int64_t id = -1;
    if (s.n && (fz__parse_i64(s.p, s.n, &id) != 0 || id < -1 || id > INT32_MAX))
        return fz__reject(r, err, "alert_id", "not an integer >= -1: '%.*s'", SHOW(s));
    t->group = (int32_t)id;
    /* The type of an alert; on an is_sar=0 row it marks a decoy. */
    if (id >= 0) t->typology = r->f[11];
    return 0;
}

static int amlsim_row(fz_reader *r, fz_txn *t, fz_error *err) {
    fz__txn_reset(r, t);
    int rc;
    static const int required[] = {2, 3, 5, 8};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if ((rc = need(r, required[i], err)) != 0) return rc;
    t->id = r->f[0];
    fz_str ts = r->f[2];
    if ((rc = fz__parse_time(r, "tran_timestamp", ts, &t->time, err)) != 0) return rc;
    t->payer_acct = r->f[3];
    t->payer_bank = r->f[4];
    t->payee_acct = r->f[5];
    t->payee_bank = r->f[6];
    t->kind = tx_kind(r->f[7]);
    if ((rc = amount(r, t, err)) != 0) return rc;
    if (fz__parse_label(r->f[9], 0, &t->label) != 0)
        return fz__reject(r, err, "is_sar", "not 0 or 1: '%.*s'", SHOW(r->f[9]));
    return alert(r, t, err);
}

int fz__fmt_amlsim_init(fz_reader *r, fz_error *err) {
    (void)err;
    r->fixed_nf = AML_NF;
    r->row = amlsim_row;
    r->next = fz__fixed_next;
    return 0;
}
