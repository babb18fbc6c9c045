/* fz_money.h — money as int64 minor units, currencies, and USD conversion.
 *
 * Money never touches a float. An amount is an int64 count of the currency's
 * minor unit. Fanzha's minor unit is 1/100 of the major unit for every fiat
 * currency (so JPY amounts with cents, as IBM's data has, keep their
 * precision) and 1e-8 (the satoshi) for Bitcoin. */
#ifndef FZ_MONEY_H
#define FZ_MONEY_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t fz_money;

/* A currency: its ISO 4217 letters packed in a uint32 (0 = unknown). */
typedef uint32_t fz_ccy;
#define FZ_CCY(a, b, c) ((fz_ccy)(((uint32_t)(a) << 16) | ((uint32_t)(b) << 8) | (uint32_t)(c)))
#define FZ_CCY_CNY FZ_CCY('C', 'N', 'Y')
#define FZ_CCY_USD FZ_CCY('U', 'S', 'D')

/* Parse a currency: an ISO 4217 code ("CNY", any case) or one of the names
 * IBM's AML data uses ("US Dollar", "Yuan", "Euro", "Bitcoin" -> XBT ...).
 * Returns 0 or FZ_ENOTFOUND. */
int fz_ccy_parse(const char *s, size_t n, fz_ccy *out);

/* The number of decimal places of the currency's minor unit: 2, or 8 for XBT. */
int fz_ccy_digits(fz_ccy c);

/* Write the 3-letter code into buf[4]. Returns buf. */
char *fz_ccy_str(fz_ccy c, char buf[4]);

/* Parse an exact decimal ("1234", "1234.5", "-0.01", "1e3" is rejected) into
 * minor units with `digits` decimal places. More fraction digits than
 * `digits` is an error unless the extra ones are zeros; so is overflow,
 * an empty string or any other character. Returns 0, FZ_EPARSE or FZ_ERANGE. */
int fz_money_parse(const char *s, size_t n, int digits, fz_money *out);

/* Format minor units as a decimal with `digits` places ("-1234.50").
 * Returns the length written (buf is always NUL-terminated when n > 0). */
size_t fz_money_format(fz_money m, int digits, char *buf, size_t n);

/* A rate table: how many USD one major unit of each currency is worth, held as
 * an integer number of 1e-8 USD (so 1 CNY = 0.14 USD is 14000000). */
#define FZ_RATES_MAX 64
typedef struct fz_rates {
    int n;
    fz_ccy ccy[FZ_RATES_MAX];
    int64_t usd_e8[FZ_RATES_MAX];
} fz_rates;

/* Fill r with Fanzha's built-in reference rates (documented in docs/formats.md;
 * a bank configures its own with fz_rates_load). */
void fz_rates_default(fz_rates *r);

/* Load "CODE RATE" lines (RATE = USD per major unit, exact decimal, up to 8
 * places; '#' starts a comment) from path, replacing or adding entries.
 * Errors name path:line. */
struct fz_error;
int fz_rates_load(fz_rates *r, const char *path, struct fz_error *err);

/* Convert an amount in `ccy` to USD cents, rounding half away from zero.
 * Returns 0, or FZ_ENOTFOUND when the table has no rate for ccy. */
int fz_rates_to_usd_cents(const fz_rates *r, fz_ccy ccy, fz_money amount, int64_t *usd_cents);

#endif
