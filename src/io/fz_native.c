/* fz_native.c — write canonical records as native CSV and JSON lines.
 *
 * The column order is fz__col_names (fz_fmt_native.c), documented in
 * docs/formats.md; the readers accept what this writes (tests round-trip it).
 * Unknown values are written empty (CSV) or left out (JSON), which the
 * readers read back as unknown. */
#include "fz_native.h"

#include <inttypes.h>
#include <string.h>

#include "fz_error.h"
#include "fz_reader_int.h"

int fz_native_write_header(FILE *f) {
    for (int c = 0; c < FZ__C__COUNT; c++) {
        if (c) fputc(',', f);
        fputs(fz__col_names[c], f);
    }
    fputc('\n', f);
    return ferror(f) ? FZ_EIO : 0;
}

/* ---- CSV -------------------------------------------------------------- */

static void csv_str(FILE *f, fz_str s) {
    int quote = 0;
    for (uint32_t i = 0; i < s.n && !quote; i++)
        quote = s.p[i] == ',' || s.p[i] == '"' || s.p[i] == '\r' || s.p[i] == '\n';
    if (!quote) {
        if (s.n) fwrite(s.p, 1, s.n, f);
        return;
    }
    fputc('"', f);
    for (uint32_t i = 0; i < s.n; i++) {
        if (s.p[i] == '"') fputc('"', f);
        fputc(s.p[i], f);
    }
    fputc('"', f);
}

static void csv_cstr(FILE *f, const char *s) { fputs(s, f); }

static void csv_money(FILE *f, const fz_txn *t, fz_money m) {
    char buf[48];
    fz_money_format(m, fz_ccy_digits(t->currency), buf, sizeof buf);
    fputs(buf, f);
}

static const char *party(unsigned p) { return p == FZ_PARTY_UNKNOWN ? "" : fz_party_name(p); }
static const char *channel(unsigned c) { return c == FZ_CH_UNKNOWN ? "" : fz_channel_name(c); }

static void csv_bal(FILE *f, const fz_txn *t, unsigned flag, fz_money before, fz_money after) {
    if (t->flags & flag) csv_money(f, t, before);
    fputc(',', f);
    if (t->flags & flag) csv_money(f, t, after);
    fputc(',', f);
}

int fz_native_write_row(FILE *f, const fz_txn *t) {
    char buf[64], ccy[4];
    csv_str(f, t->id), fputc(',', f);
    fz_time_format(t->time, buf, sizeof buf);
    csv_cstr(f, buf), fputc(',', f);
    csv_str(f, t->payer_acct), fputc(',', f);
    csv_str(f, t->payer_bank), fputc(',', f);
    csv_str(f, t->payer_cust), fputc(',', f);
    csv_cstr(f, party(t->payer_party)), fputc(',', f);
    csv_str(f, t->payee_acct), fputc(',', f);
    csv_str(f, t->payee_bank), fputc(',', f);
    csv_str(f, t->payee_cust), fputc(',', f);
    csv_cstr(f, party(t->payee_party)), fputc(',', f);
    csv_money(f, t, t->amount), fputc(',', f);
    csv_cstr(f, fz_ccy_str(t->currency, ccy)), fputc(',', f);
    csv_cstr(f, channel(t->channel)), fputc(',', f);
    csv_cstr(f, fz_kind_name(t->kind)), fputc(',', f);
    csv_cstr(f, (t->flags & FZ_TXN_CROSS_BORDER) ? "1" : "0"), fputc(',', f);
    csv_str(f, t->device), fputc(',', f);
    csv_str(f, t->ip), fputc(',', f);
    csv_bal(f, t, FZ_TXN_HAS_PAYER_BAL, t->payer_bal_before, t->payer_bal_after);
    csv_bal(f, t, FZ_TXN_HAS_PAYEE_BAL, t->payee_bal_before, t->payee_bal_after);
    if (t->label >= 0) fprintf(f, "%d", t->label);
    fputc(',', f);
    csv_str(f, t->typology), fputc(',', f);
    if (t->group >= 0) fprintf(f, "%" PRId32, t->group);
    fputc(',', f);
    csv_cstr(f, (t->flags & FZ_TXN_EXEMPT) ? "1" : "0");
    fputc('\n', f);
    return ferror(f) ? FZ_EIO : 0;
}

/* ---- JSON ------------------------------------------------------------- */

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static int utf8_len(const unsigned char *s, uint32_t n) {
    int len = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : 0;
    if (len == 0 || (uint32_t)len > n) return 0;
    for (int i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) return 0;
    if (len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))) return 0;
    return len;
}

/* A JSON string. JSON cannot hold arbitrary bytes: a byte that is not part
 * of valid UTF-8 is written as the Latin-1 character of the same value. */
static void json_str(FILE *f, fz_str s) {
    const unsigned char *p = (const unsigned char *)s.p;
    fputc('"', f);
    for (uint32_t i = 0; i < s.n;) {
        unsigned c = p[i];
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c == '\n') fputs("\\n", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c == '\r') fputs("\\r", f);
        else if (c < 0x20 || c == 0x7F) fprintf(f, "\\u%04x", c);
        else if (c >= 0x80) {
            int l = utf8_len(p + i, s.n - i);
            if (l == 0) fprintf(f, "\\u%04x", c);
            else fwrite(p + i, 1, (size_t)l, f);
            i += l ? (uint32_t)l : 1;
            continue;
        } else fputc((int)c, f);
        i++;
    }
    fputc('"', f);
}

static void json_key(FILE *f, int col) { fprintf(f, ",\"%s\":", fz__col_names[col]); }

static void json_opt_str(FILE *f, int col, fz_str s) {
    if (!s.n) return;
    json_key(f, col);
    json_str(f, s);
}

static void json_opt_name(FILE *f, int col, const char *name) {
    if (!name[0]) return;
    json_key(f, col);
    fprintf(f, "\"%s\"", name);
}

/* Money as a string: exact, where a JSON number would pass through a double. */
static void json_money(FILE *f, const fz_txn *t, int col, fz_money m) {
    char buf[48];
    fz_money_format(m, fz_ccy_digits(t->currency), buf, sizeof buf);
    json_key(f, col);
    fprintf(f, "\"%s\"", buf);
}

static void json_bal(FILE *f, const fz_txn *t, unsigned flag, int col, fz_money b, fz_money a) {
    if (!(t->flags & flag)) return;
    json_money(f, t, col, b);
    json_money(f, t, col + 1, a);
}

int fz_native_write_json(FILE *f, const fz_txn *t) {
    char buf[64], ccy[4];
    fz_time_format(t->time, buf, sizeof buf);
    fprintf(f, "{\"time\":\"%s\"", buf);
    json_opt_str(f, FZ__C_ID, t->id);
    json_key(f, FZ__C_PAYER_ACCT), json_str(f, t->payer_acct);
    json_opt_str(f, FZ__C_PAYER_BANK, t->payer_bank);
    json_opt_str(f, FZ__C_PAYER_CUST, t->payer_cust);
    json_opt_name(f, FZ__C_PAYER_PARTY, party(t->payer_party));
    json_key(f, FZ__C_PAYEE_ACCT), json_str(f, t->payee_acct);
    json_opt_str(f, FZ__C_PAYEE_BANK, t->payee_bank);
    json_opt_str(f, FZ__C_PAYEE_CUST, t->payee_cust);
    json_opt_name(f, FZ__C_PAYEE_PARTY, party(t->payee_party));
    json_money(f, t, FZ__C_AMOUNT, t->amount);
    json_opt_name(f, FZ__C_CURRENCY, fz_ccy_str(t->currency, ccy));
    json_opt_name(f, FZ__C_CHANNEL, channel(t->channel));
    json_opt_name(f, FZ__C_KIND, fz_kind_name(t->kind));
    json_key(f, FZ__C_CROSS_BORDER), fputs((t->flags & FZ_TXN_CROSS_BORDER) ? "true" : "false", f);
    json_opt_str(f, FZ__C_DEVICE, t->device);
    json_opt_str(f, FZ__C_IP, t->ip);
    json_bal(f, t, FZ_TXN_HAS_PAYER_BAL, FZ__C_PAYER_BAL_BEFORE, t->payer_bal_before, t->payer_bal_after);
    json_bal(f, t, FZ_TXN_HAS_PAYEE_BAL, FZ__C_PAYEE_BAL_BEFORE, t->payee_bal_before, t->payee_bal_after);
    json_key(f, FZ__C_LABEL);
    if (t->label >= 0) fprintf(f, "%d", t->label);
    else fputs("null", f);
    json_opt_str(f, FZ__C_TYPOLOGY, t->typology);
    if (t->group >= 0) json_key(f, FZ__C_GROUP), fprintf(f, "%" PRId32, t->group);
    if (t->flags & FZ_TXN_EXEMPT) json_key(f, FZ__C_EXEMPT), fputs("true", f);
    fputs("}\n", f);
    return ferror(f) ? FZ_EIO : 0;
}
