/* fz_money.c — see fz_money.h.
 *
 * Parsing is on the CSV hot path, so it is hand-rolled: no strtod, no locale,
 * no floats anywhere. */
#include "fz_money.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fz_error.h"
#include "fz_lines.h"

#define FZ_CCY_XBT FZ_CCY('X', 'B', 'T')

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Case-insensitive comparison of a view with a lower-case literal. */
static int eq_nocase(const char *s, size_t n, const char *lit) {
    size_t i = 0;
    for (; i < n; i++)
        if (lit[i] == '\0' || lower((unsigned char)s[i]) != lit[i]) return 0;
    return lit[i] == '\0';
}

/* Names used by IBM's AML data set (plus a few common spellings). They are
 * tried before ISO codes because "Yen" is a name, not a code. The length
 * is kept so the hot path compares bytes of at most one or two entries. */
#define NAME(s, a, b, c) {s, sizeof(s) - 1, FZ_CCY(a, b, c)}
static const struct { const char *name; size_t len; fz_ccy ccy; } ccy_names[] = {
    NAME("us dollar", 'U', 'S', 'D'),   NAME("euro", 'E', 'U', 'R'),
    NAME("yuan", 'C', 'N', 'Y'),        NAME("renminbi", 'C', 'N', 'Y'),
    NAME("rmb", 'C', 'N', 'Y'),         NAME("uk pound", 'G', 'B', 'P'),
    NAME("ruble", 'R', 'U', 'B'),       NAME("yen", 'J', 'P', 'Y'),
    NAME("rupee", 'I', 'N', 'R'),       NAME("australian dollar", 'A', 'U', 'D'),
    NAME("canadian dollar", 'C', 'A', 'D'), NAME("shekel", 'I', 'L', 'S'),
    NAME("brazil real", 'B', 'R', 'L'), NAME("saudi riyal", 'S', 'A', 'R'),
    NAME("swiss franc", 'C', 'H', 'F'), NAME("mexican peso", 'M', 'X', 'N'),
    NAME("bitcoin", 'X', 'B', 'T'),     NAME("btc", 'X', 'B', 'T'),
};
#undef NAME

int fz_ccy_parse(const char *s, size_t n, fz_ccy *out) {
    for (size_t i = 0; i < sizeof ccy_names / sizeof ccy_names[0]; i++)
        if (ccy_names[i].len == n && eq_nocase(s, n, ccy_names[i].name)) {
            *out = ccy_names[i].ccy;
            return 0;
        }
    /* Any three letters are taken as an ISO 4217 code: the list changes, and
     * whether a code is usable is decided by the rate table. */
    if (n != 3) return FZ_ENOTFOUND;
    uint32_t c = 0;
    for (size_t i = 0; i < 3; i++) {
        int ch = (unsigned char)s[i];
        if (ch >= 'a' && ch <= 'z') ch -= 32;
        if (ch < 'A' || ch > 'Z') return FZ_ENOTFOUND;
        c = (c << 8) | (uint32_t)ch;
    }
    *out = c;
    return 0;
}

int fz_ccy_digits(fz_ccy c) { return c == FZ_CCY_XBT ? 8 : 2; }

char *fz_ccy_str(fz_ccy c, char buf[4]) {
    if (c == 0) {
        memcpy(buf, "???", 4);
        return buf;
    }
    buf[0] = (char)((c >> 16) & 0xff);
    buf[1] = (char)((c >> 8) & 0xff);
    buf[2] = (char)(c & 0xff);
    buf[3] = '\0';
    return buf;
}

/* v = v * 10 + d on the magnitude; the builtins make overflow a branch, not UB. */
static int push_digit(uint64_t *v, unsigned d) {
    return __builtin_mul_overflow(*v, 10u, v) || __builtin_add_overflow(*v, d, v);
}

int fz_money_parse(const char *s, size_t n, int digits, fz_money *out) {
    if (digits < 0 || digits > 18) return FZ_ERANGE;
    size_t i = 0;
    int neg = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    uint64_t v = 0;
    int ndig = 0, frac = 0, dot = 0, of = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9) {
            if (s[i] != '.' || dot) return FZ_EPARSE;
            dot = 1;
            continue;
        }
        ndig++;
        if (dot && frac == digits) { /* beyond the minor unit: zeros only */
            if (d != 0) return FZ_EPARSE;
            continue;
        }
        frac += dot;
        of |= push_digit(&v, d);
    }
    if (ndig == 0) return FZ_EPARSE;
    for (; frac < digits; frac++) of |= push_digit(&v, 0);
    if (of || v > (uint64_t)INT64_MAX + (uint64_t)neg) return FZ_ERANGE;
    /* Negating via unsigned keeps INT64_MIN exact without signed overflow. */
    *out = neg ? (fz_money)(0 - v) : (fz_money)v;
    return 0;
}

size_t fz_money_format(fz_money m, int digits, char *buf, size_t n) {
    char tmp[48];
    char *p = tmp + sizeof tmp;
    uint64_t v = m < 0 ? 0 - (uint64_t)m : (uint64_t)m;
    if (digits < 0) digits = 0;
    if (digits > 18) digits = 18;
    for (int k = 0; k < digits; k++, v /= 10) *--p = (char)('0' + v % 10);
    if (digits > 0) *--p = '.';
    do *--p = (char)('0' + v % 10); while ((v /= 10) != 0);
    if (m < 0) *--p = '-';
    size_t len = (size_t)(tmp + sizeof tmp - p);
    if (n == 0) return 0;
    if (len > n - 1) len = n - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return len;
}

/* Built-in reference rates, USD per major unit in 1e-8 USD, rounded late-2026
 * market levels. They exist so a demo or a test converts sensibly; a bank
 * must load its own (official daily) rates with fz_rates_load. Bitcoin is
 * pinned at a round 100000 USD since no fixed value is right for long. */
static const struct { fz_ccy ccy; int64_t usd_e8; } default_rates[] = {
    {FZ_CCY('U', 'S', 'D'), 100000000},  {FZ_CCY('C', 'N', 'Y'), 14000000},
    {FZ_CCY('E', 'U', 'R'), 116000000},  {FZ_CCY('G', 'B', 'P'), 134000000},
    {FZ_CCY('J', 'P', 'Y'), 660000},     {FZ_CCY('R', 'U', 'B'), 1250000},
    {FZ_CCY('I', 'N', 'R'), 1140000},    {FZ_CCY('A', 'U', 'D'), 66000000},
    {FZ_CCY('C', 'A', 'D'), 72000000},   {FZ_CCY('I', 'L', 'S'), 30000000},
    {FZ_CCY('B', 'R', 'L'), 18500000},   {FZ_CCY('S', 'A', 'R'), 26666667},
    {FZ_CCY('C', 'H', 'F'), 125000000},  {FZ_CCY('M', 'X', 'N'), 5400000},
    {FZ_CCY('H', 'K', 'D'), 12820000},   {FZ_CCY_XBT, 10000000000000},
};

void fz_rates_default(fz_rates *r) {
    r->n = 0;
    for (size_t i = 0; i < sizeof default_rates / sizeof default_rates[0]; i++) {
        r->ccy[r->n] = default_rates[i].ccy;
        r->usd_e8[r->n++] = default_rates[i].usd_e8;
    }
}

static int rates_index(const fz_rates *r, fz_ccy c) {
    for (int i = 0; i < r->n; i++)
        if (r->ccy[i] == c) return i;
    return -1;
}

static int is_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* One "CODE RATE" line, already stripped of its comment; blank is fine. */
static int rates_line(fz_rates *r, char *s, const char *path, long line, fz_error *err) {
    size_t n = strlen(s), i = 0, a, b, c, d;
    while (i < n && is_space((unsigned char)s[i])) i++;
    if (i == n) return 0;
    for (a = i; i < n && !is_space((unsigned char)s[i]); i++) {}
    b = i;
    while (i < n && is_space((unsigned char)s[i])) i++;
    for (c = i; i < n && !is_space((unsigned char)s[i]); i++) {}
    d = i;
    while (i < n && is_space((unsigned char)s[i])) i++;
    if (c == d || i != n)
        return fz_error_set(err, FZ_EPARSE, path, line, 0, "rates", "expected \"CODE RATE\"");
    fz_ccy ccy;
    if (fz_ccy_parse(s + a, b - a, &ccy) != 0)
        return fz_error_set(err, FZ_EPARSE, path, line, (int)a + 1, "rates",
                            "unknown currency '%.*s'", (int)(b - a), s + a);
    int64_t rate;
    int rc = fz_money_parse(s + c, d - c, 8, &rate);
    if (rc != 0 || rate <= 0)
        return fz_error_set(err, rc == FZ_EPARSE ? FZ_EPARSE : FZ_ERANGE, path, line, (int)c + 1,
                            "rates", "bad rate '%.*s' (a positive decimal, up to 8 places)",
                            (int)(d - c), s + c);
    int k = rates_index(r, ccy);
    if (k < 0) {
        if (r->n >= FZ_RATES_MAX)
            return fz_error_set(err, FZ_EFULL, path, line, 0, "rates",
                                "more than %d currencies", FZ_RATES_MAX);
        k = r->n++;
        r->ccy[k] = ccy;
    }
    r->usd_e8[k] = rate;
    return 0;
}

static int rates_each(void *ctx, char *text, long line, const char *path, fz_error *err) {
    return rates_line(ctx, text, path, line, err);
}

int fz_rates_load(fz_rates *r, const char *path, struct fz_error *err) {
    fz_rates tmp = *r; /* commit only a file that loads completely */
    int rc = fz_lines_each(path, rates_each, &tmp, err);
    if (rc == 0) *r = tmp;
    return rc;
}

/* 10^k for the divisor; k <= 24 here, which needs 128 bits. */
static unsigned __int128 pow10_u128(int k) {
    unsigned __int128 p = 1;
    while (k-- > 0) p *= 10;
    return p;
}

int fz_rates_to_usd_cents(const fz_rates *r, fz_ccy ccy, fz_money amount, int64_t *usd_cents) {
    int k = rates_index(r, ccy);
    if (k < 0) return FZ_ENOTFOUND;
    /* cents = amount / 10^digits * rate / 1e8 * 100 = amount * rate / 10^(digits+6) */
    __int128 p = (__int128)amount * r->usd_e8[k];
    unsigned __int128 mag = p < 0 ? -(unsigned __int128)p : (unsigned __int128)p;
    unsigned __int128 div = pow10_u128(fz_ccy_digits(ccy) + 6);
    unsigned __int128 q = (mag + div / 2) / div;
    if (q > (unsigned __int128)INT64_MAX) return FZ_ERANGE;
    *usd_cents = p < 0 ? -(int64_t)q : (int64_t)q;
    return 0;
}
