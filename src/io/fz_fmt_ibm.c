/* fz_fmt_ibm.c — IBM AML CSV (Kaggle "IBM Transactions for Anti Money
 * Laundering", HI/LI-Small/Medium/Large_Trans.csv).
 *
 * Columns: Timestamp,From Bank,Account,To Bank,Account,Amount Received,
 * Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering.
 * The money that leaves the payer is Amount Paid in Payment Currency, so that
 * is the amount. IBM account numbers are only unique within a bank, so the
 * account key is "<bank>,<account>" (the two fields as they stand in the
 * file, so usually a view with no copy). */
#include "fz_reader_int.h"

#include <string.h>

enum { IBM_NF = 11 };

static const char *const ibm_cols[IBM_NF] = {
    "Timestamp", "From Bank", "Account", "To Bank", "Account", "Amount Received",
    "Receiving Currency", "Amount Paid", "Payment Currency", "Payment Format", "Is Laundering",
};

/* Names for messages: the file's two "Account" columns are told apart. */
static const char *const ibm_field[IBM_NF] = {
    "Timestamp", "From Bank", "From Account", "To Bank", "To Account", "Amount Received",
    "Receiving Currency", "Amount Paid", "Payment Currency", "Payment Format", "Is Laundering",
};

#define SHOW(s) (int)((s).n > 40 ? 40 : (s).n), (s).p

static fz_str trim(fz_str s) {
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) { s.p++; s.n--; }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t')) s.n--;
    return s;
}

int fz__fmt_ibm_header(const fz_reader *r) {
    if (r->nf != IBM_NF) return 0;
    for (int i = 0; i < IBM_NF; i++) {
        fz_str h = trim(r->f[i]);
        /* pandas renames the second "Account" when it rewrites the file */
        if (!fz__eq_ci(h, ibm_cols[i]) && !(i == 4 && fz__eq_ci(h, "Account.1"))) return 0;
    }
    return 1;
}

static int account_key(fz_reader *r, int bank, fz_str *acct, fz_str *bank_out, fz_error *err) {
    fz_str b = r->f[bank], a = r->f[bank + 1];
    if (b.n == 0) return fz__reject(r, err, ibm_field[bank], "missing");
    if (a.n == 0) return fz__reject(r, err, ibm_field[bank + 1], "missing");
    *bank_out = b;
    acct->n = b.n + 1 + a.n;
    /* Unquoted, the two fields are already "bank,account" in the buffer:
     * a view costs nothing, where a copy would cost ~30 bytes a row (5 GB
     * on IBM's 180M-row HI-Large). */
    if (a.p == b.p + b.n + 1 && b.p[b.n] == ',') {
        acct->p = b.p;
        return 0;
    }
    char *k = fz__arena_alloc(&r->arena, acct->n);
    if (!k) return fz_error_set(err, FZ_ENOMEM, r->name, r->line_no, 0, NULL, "out of memory");
    memcpy(k, b.p, b.n);
    k[b.n] = ',';
    memcpy(k + b.n + 1, a.p, a.n);
    acct->p = k;
    return 0;
}

static int money(fz_reader *r, int amt, int ccy, fz_ccy *c, fz_money *m, fz_error *err) {
    fz_str cs = r->f[ccy], as = r->f[amt];
    if (fz_ccy_parse(cs.p, cs.n, c) != 0) return fz__reject(r, err, ibm_field[ccy], "unknown currency '%.*s'", SHOW(cs));
    int digits = fz_ccy_digits(*c);
    int rc = fz_money_parse(as.p, as.n, digits, m);
    if (rc == FZ_ERANGE) return fz__reject(r, err, ibm_field[amt], "out of range: '%.*s'", SHOW(as));
    if (rc != 0)
        return fz__reject(r, err, ibm_field[amt], "not a decimal amount with at most %d decimals: '%.*s'", digits,
                          SHOW(as));
    if (*m < 0) return fz__reject(r, err, ibm_field[amt], "negative: '%.*s'", SHOW(as));
    return 0;
}

/* Payment Format -> channel and kind (docs/formats.md has the table). */
static int payment_format(fz_reader *r, fz_txn *t, fz_error *err) {
    static const struct { const char *name; uint8_t ch, kind; } map[] = {
        {"ACH", FZ_CH_ONLINE, FZ_KIND_TRANSFER},
        {"Wire", FZ_CH_ONLINE, FZ_KIND_TRANSFER},
        {"Bitcoin", FZ_CH_ONLINE, FZ_KIND_TRANSFER},
        {"Cheque", FZ_CH_COUNTER, FZ_KIND_TRANSFER},
        {"Credit Card", FZ_CH_POS, FZ_KIND_PAYMENT},
        {"Cash", FZ_CH_COUNTER, FZ_KIND_CASH_REMITTANCE},
        {"Reinvestment", FZ_CH_UNKNOWN, FZ_KIND_OTHER},
    };
    fz_str s = r->f[9];
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (fz__eq_ci(s, map[i].name)) {
            t->channel = map[i].ch;
            t->kind = map[i].kind;
            return 0;
        }
    }
    return fz__reject(r, err, ibm_field[9], "unknown payment format '%.*s'", SHOW(s));
}

int fz__ibm_row(fz_reader *r, fz_txn *t, fz_error *err) {
    fz__txn_reset(r, t);
    fz_str ts = r->f[0];
    int rc;
    if ((rc = fz__parse_time(r, ibm_field[0], ts, &t->time, err)) != 0) return rc;
    if ((rc = account_key(r, 1, &t->payer_acct, &t->payer_bank, err)) != 0) return rc;
    if ((rc = account_key(r, 3, &t->payee_acct, &t->payee_bank, err)) != 0) return rc;
    fz_ccy recv_ccy;
    fz_money recv;
    if ((rc = money(r, 5, 6, &recv_ccy, &recv, err)) != 0) return rc;
    if ((rc = money(r, 7, 8, &t->currency, &t->amount, err)) != 0) return rc;
    if (recv_ccy != t->currency) t->flags |= FZ_TXN_CROSS_BORDER;
    if ((rc = payment_format(r, t, err)) != 0) return rc;
    if (fz__parse_label(r->f[10], 0, &t->label) != 0)
        return fz__reject(r, err, ibm_field[10], "not 0 or 1: '%.*s'", SHOW(r->f[10]));
    return 0;
}

int fz__fmt_ibm_init(fz_reader *r, fz_error *err) {
    (void)err;
    r->fixed_nf = IBM_NF;
    r->row = fz__ibm_row;
    r->next = fz__fixed_next;
    return 0;
}
