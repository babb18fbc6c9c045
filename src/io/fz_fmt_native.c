/* fz_fmt_native.c — Fanzha's native CSV: header-driven, any column order.
 *
 * Unknown column names are a fatal error rather than ignored, so a typo such
 * as "ammount" cannot silently turn into "no amount column". The value
 * parsers here are shared with the JSON lines reader (fz_fmt_jsonl.c). */
#include "fz_reader_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* One list gives the names and, for the per-key JSON lookup, their lengths. */
#define COLS(X)                                                                                      \
    X(id) X(time) X(payer_acct) X(payer_bank) X(payer_cust) X(payer_party) X(payee_acct)            \
    X(payee_bank) X(payee_cust) X(payee_party) X(amount) X(currency) X(channel) X(kind)             \
    X(cross_border) X(device) X(ip) X(payer_bal_before) X(payer_bal_after) X(payee_bal_before)      \
    X(payee_bal_after) X(label) X(typology) X(group) X(exempt)
#define NAME(c) #c,
#define LEN(c) (uint8_t)(sizeof #c - 1),
const char *const fz__col_names[FZ__C__COUNT] = {COLS(NAME)};
static const uint8_t col_len[FZ__C__COUNT] = {COLS(LEN)};
#undef NAME
#undef LEN

#define BIT(c) (1u << (c))
/* Columns a header must have, and values a row must have (accounts: see
 * check_accounts). */
#define REQUIRED (BIT(FZ__C_TIME) | BIT(FZ__C_PAYER_ACCT) | BIT(FZ__C_PAYEE_ACCT) | BIT(FZ__C_AMOUNT))
#define REQUIRED_VALUES (BIT(FZ__C_TIME) | BIT(FZ__C_AMOUNT))

static fz_str trim(fz_str s) {
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) { s.p++; s.n--; }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t')) s.n--;
    return s;
}

int fz__col_lookup(const char *s, size_t n) {
    fz_str v = trim((fz_str){s, (uint32_t)n});
    for (int c = 0; c < FZ__C__COUNT; c++)
        if (v.n == col_len[c] && strncasecmp(v.p, fz__col_names[c], v.n) == 0) return c;
    return -1;
}

int fz__col_is_text(int col) {
    switch (col) {
    case FZ__C_ID: case FZ__C_PAYER_ACCT: case FZ__C_PAYER_BANK: case FZ__C_PAYER_CUST:
    case FZ__C_PAYEE_ACCT: case FZ__C_PAYEE_BANK: case FZ__C_PAYEE_CUST:
    case FZ__C_DEVICE: case FZ__C_IP: case FZ__C_TYPOLOGY:
        return 1;
    default:
        return 0;
    }
}

/* Values are quoted in messages, cut to keep the message readable. */
#define SHOW(s) (int)((s).n > 40 ? 40 : (s).n), (s).p

static int set_money(fz_reader *r, const fz_txn *t, int col, fz_str s, fz_money *out, int allow_neg,
                     fz_error *err) {
    int digits = fz_ccy_digits(t->currency);
    int rc = fz_money_parse(s.p, s.n, digits, out);
    const char *f = fz__col_names[col];
    if (rc == FZ_ERANGE) return fz__reject(r, err, f, "out of range: '%.*s'", SHOW(s));
    if (rc != 0) return fz__reject(r, err, f, "not a decimal amount with at most %d decimals: '%.*s'", digits, SHOW(s));
    if (!allow_neg && *out < 0) return fz__reject(r, err, f, "negative: '%.*s'", SHOW(s));
    return 0;
}

static int set_enum(fz_reader *r, int col, fz_str s, uint8_t *out, fz_error *err) {
    int rc;
    if (col == FZ__C_CHANNEL) rc = fz_channel_parse(s.p, s.n, out);
    else if (col == FZ__C_KIND) rc = fz_kind_parse(s.p, s.n, out);
    else rc = fz_party_parse(s.p, s.n, out);
    if (rc != 0) return fz__reject(r, err, fz__col_names[col], "unknown name '%.*s'", SHOW(s));
    return 0;
}

/* A 0/1/true/false column that sets `flag` in fz_txn.flags. */
static int set_flag(fz_reader *r, fz_txn *t, int col, unsigned flag, fz_str s, fz_error *err) {
    if (fz__eq_ci(s, "1") || fz__eq_ci(s, "true")) t->flags |= (uint8_t)flag;
    else if (!fz__eq_ci(s, "0") && !fz__eq_ci(s, "false"))
        return fz__reject(r, err, fz__col_names[col], "not 0/1/true/false: '%.*s'", SHOW(s));
    return 0;
}

static int set_group(fz_reader *r, fz_txn *t, fz_str s, fz_error *err) {
    int64_t g;
    if (fz__parse_i64(s.p, s.n, &g) != 0 || g < -1 || g > INT32_MAX)
        return fz__reject(r, err, "group", "not an integer >= -1: '%.*s'", SHOW(s));
    t->group = (int32_t)g;
    return 0;
}

static fz_str *text_slot(fz_txn *t, int col) {
    switch (col) {
    case FZ__C_ID: return &t->id;
    case FZ__C_PAYER_ACCT: return &t->payer_acct;
    case FZ__C_PAYER_BANK: return &t->payer_bank;
    case FZ__C_PAYER_CUST: return &t->payer_cust;
    case FZ__C_PAYEE_ACCT: return &t->payee_acct;
    case FZ__C_PAYEE_BANK: return &t->payee_bank;
    case FZ__C_PAYEE_CUST: return &t->payee_cust;
    case FZ__C_DEVICE: return &t->device;
    case FZ__C_IP: return &t->ip;
    default: return &t->typology;
    }
}

/* Parsed (non-text) columns; s is non-empty. */
static int set_value(fz_reader *r, fz_txn *t, int col, fz_str s, fz_error *err) {
    switch (col) {
    case FZ__C_TIME:
        return fz__parse_time(r, "time", s, &t->time, err);
    case FZ__C_AMOUNT: return set_money(r, t, col, s, &t->amount, 0, err);
    case FZ__C_CURRENCY:
        if (fz_ccy_parse(s.p, s.n, &t->currency) != 0)
            return fz__reject(r, err, "currency", "unknown currency '%.*s'", SHOW(s));
        return 0;
    case FZ__C_CHANNEL: return set_enum(r, col, s, &t->channel, err);
    case FZ__C_KIND: return set_enum(r, col, s, &t->kind, err);
    case FZ__C_PAYER_PARTY: return set_enum(r, col, s, &t->payer_party, err);
    case FZ__C_PAYEE_PARTY: return set_enum(r, col, s, &t->payee_party, err);
    case FZ__C_CROSS_BORDER: return set_flag(r, t, col, FZ_TXN_CROSS_BORDER, s, err);
    case FZ__C_EXEMPT: return set_flag(r, t, col, FZ_TXN_EXEMPT, s, err);
    case FZ__C_PAYER_BAL_BEFORE: return set_money(r, t, col, s, &t->payer_bal_before, 1, err);
    case FZ__C_PAYER_BAL_AFTER: return set_money(r, t, col, s, &t->payer_bal_after, 1, err);
    case FZ__C_PAYEE_BAL_BEFORE: return set_money(r, t, col, s, &t->payee_bal_before, 1, err);
    case FZ__C_PAYEE_BAL_AFTER: return set_money(r, t, col, s, &t->payee_bal_after, 1, err);
    case FZ__C_LABEL:
        if (fz__parse_label(s, 1, &t->label) != 0) return fz__reject(r, err, "label", "not empty, 0 or 1: '%.*s'", SHOW(s));
        return 0;
    case FZ__C_GROUP: return set_group(r, t, s, err);
    default: return 0;
    }
}

int fz__native_set(fz_reader *r, fz_txn *t, int col, fz_str s, uint32_t *seen, fz_error *err) {
    if (s.n == 0) return 0; /* empty = unknown: the reset record already says so */
    *seen |= BIT(col);
    if (fz__col_is_text(col)) {
        *text_slot(t, col) = s;
        return 0;
    }
    return set_value(r, t, col, s, err);
}

static int bal_pair(fz_reader *r, fz_txn *t, uint32_t seen, int before, unsigned flag, fz_error *err) {
    int hb = (seen & BIT(before)) != 0, ha = (seen & BIT(before + 1)) != 0;
    if (hb && ha) t->flags |= (uint8_t)flag;
    else if (hb || ha)
        return fz__reject(r, err, fz__col_names[hb ? before + 1 : before], "missing while %s is given",
                          fz__col_names[hb ? before : before + 1]);
    return 0;
}

/* A cash deposit has no paying account and a cash withdrawal no receiving
 * one (the cash side); a cash remittance may lack either. Every other row
 * names both accounts. */
static int check_accounts(fz_reader *r, const fz_txn *t, fz_error *err) {
    int cash = fz_kind_is_cash(t->kind);
    if (t->payer_acct.n == 0 && t->payee_acct.n == 0)
        return fz__reject(r, err, "payer_acct", "missing, and so is payee_acct");
    if (t->payer_acct.n == 0 && !(cash && t->kind != FZ_KIND_CASH_WITHDRAWAL))
        return fz__reject(r, err, "payer_acct", "missing (only a cash deposit or remittance may lack it)");
    if (t->payee_acct.n == 0 && !(cash && t->kind != FZ_KIND_CASH_DEPOSIT))
        return fz__reject(r, err, "payee_acct", "missing (only a cash withdrawal or remittance may lack it)");
    return 0;
}

int fz__native_finish(fz_reader *r, fz_txn *t, uint32_t seen, fz_error *err) {
    uint32_t missing = REQUIRED_VALUES & ~seen;
    if (missing) {
        int c = __builtin_ctz(missing);
        return fz__reject(r, err, fz__col_names[c], "missing");
    }
    int rc = check_accounts(r, t, err);
    if (rc) return rc;
    rc = bal_pair(r, t, seen, FZ__C_PAYER_BAL_BEFORE, FZ_TXN_HAS_PAYER_BAL, err);
    if (rc == 0) rc = bal_pair(r, t, seen, FZ__C_PAYEE_BAL_BEFORE, FZ_TXN_HAS_PAYEE_BAL, err);
    return rc;
}

int fz__fmt_native_header(const fz_reader *r) {
    for (int i = 0; i < r->nf; i++)
        if (fz__col_lookup(r->f[i].p, r->f[i].n) >= 0) return 1;
    return 0;
}

static int native_next(fz_reader *r, fz_txn *t, fz_error *err) {
    int rc = fz__read_record(r, r->ncol, err);
    if (rc != 1) return rc;
    fz__txn_reset(r, t);
    uint32_t seen = 0;
    /* Currency first: it decides how many decimals the money columns take. */
    if (r->ccy_col >= 0 && (rc = fz__native_set(r, t, FZ__C_CURRENCY, r->f[r->ccy_col], &seen, err)) != 0)
        return rc;
    for (int i = 0; i < r->ncol; i++) {
        if (i == r->ccy_col) continue;
        if ((rc = fz__native_set(r, t, r->colmap[i], r->f[i], &seen, err)) != 0) return rc;
    }
    rc = fz__native_finish(r, t, seen, err);
    return rc ? rc : 1;
}

/* Append ", 'name'" to a message buffer. */
static void list_add(char *buf, size_t n, fz_str name) {
    size_t l = strlen(buf);
    snprintf(buf + l, n - l, "%s'%.*s'", l ? ", " : "", SHOW(name));
}

static int header_error(fz_reader *r, fz_error *err, const char *what, const char *list) {
    return fz_error_set(err, FZ_EFORMAT, r->name, r->line_no, 0, NULL, "native header: %s: %s", what, list);
}

int fz__fmt_native_init(fz_reader *r, fz_error *err) {
    char unknown[160] = "", dup[160] = "";
    uint32_t have = 0;
    for (int i = 0; i < r->nf; i++) {
        int c = fz__col_lookup(r->f[i].p, r->f[i].n);
        if (c < 0) list_add(unknown, sizeof unknown, r->f[i]);
        else if (have & BIT(c)) list_add(dup, sizeof dup, r->f[i]);
        else have |= BIT(c);
        r->colmap[i] = (int8_t)c;
        if (c == FZ__C_CURRENCY) r->ccy_col = (int8_t)i;
    }
    if (unknown[0]) return header_error(r, err, "unknown columns", unknown);
    if (dup[0]) return header_error(r, err, "duplicate columns", dup);
    char missing[160] = "";
    for (int c = 0; c < FZ__C__COUNT; c++)
        if ((REQUIRED & BIT(c)) && !(have & BIT(c)))
            list_add(missing, sizeof missing, (fz_str){fz__col_names[c], (uint32_t)strlen(fz__col_names[c])});
    if (missing[0]) return header_error(r, err, "missing required columns", missing);
    r->ncol = r->nf;
    r->next = native_next;
    return 0;
}
