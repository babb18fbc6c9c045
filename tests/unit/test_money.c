/* test_money.c — currencies, exact decimal parse/format, rates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fz_error.h"
#include "fz_money.h"

#define XBT FZ_CCY('X', 'B', 'T')

static int parse(const char *s, int digits, fz_money *out) {
    return fz_money_parse(s, strlen(s), digits, out);
}

static fz_ccy ccy(const char *s) {
    fz_ccy c = 0;
    assert_int_equal(fz_ccy_parse(s, strlen(s), &c), 0);
    return c;
}

static void test_ccy_codes(void **st) {
    (void)st;
    assert_int_equal(ccy("CNY"), FZ_CCY_CNY);
    assert_int_equal(ccy("cny"), FZ_CCY_CNY);
    assert_int_equal(ccy("uSd"), FZ_CCY_USD);
    assert_int_equal(ccy("HKD"), FZ_CCY('H', 'K', 'D'));
    fz_ccy c = 123;
    assert_int_equal(fz_ccy_parse("", 0, &c), FZ_ENOTFOUND);
    assert_int_equal(fz_ccy_parse("US", 2, &c), FZ_ENOTFOUND);
    assert_int_equal(fz_ccy_parse("USDX", 4, &c), FZ_ENOTFOUND);
    assert_int_equal(fz_ccy_parse("U5D", 3, &c), FZ_ENOTFOUND);
    assert_int_equal(fz_ccy_parse("Dollar", 6, &c), FZ_ENOTFOUND);
    assert_int_equal(c, 123); /* untouched on failure */
    /* a view, not a C string: "CNYX" limited to 3 bytes is CNY */
    assert_int_equal(fz_ccy_parse("CNYX", 3, &c), 0);
    assert_int_equal(c, FZ_CCY_CNY);
    char buf[4];
    assert_string_equal(fz_ccy_str(FZ_CCY_CNY, buf), "CNY");
    assert_string_equal(fz_ccy_str(0, buf), "???");
}

static void test_ccy_ibm_names(void **st) {
    (void)st;
    static const char *pairs[][2] = {
        {"US Dollar", "USD"}, {"Euro", "EUR"},          {"Yuan", "CNY"},
        {"UK Pound", "GBP"},  {"Ruble", "RUB"},         {"Yen", "JPY"},
        {"Rupee", "INR"},     {"Australian Dollar", "AUD"}, {"Canadian Dollar", "CAD"},
        {"Shekel", "ILS"},    {"Brazil Real", "BRL"},   {"Saudi Riyal", "SAR"},
        {"Swiss Franc", "CHF"}, {"Mexican Peso", "MXN"}, {"Bitcoin", "XBT"},
        {"us dollar", "USD"}, {"YEN", "JPY"},           {"BITCOIN", "XBT"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char buf[4];
        assert_string_equal(fz_ccy_str(ccy(pairs[i][0]), buf), pairs[i][1]);
    }
    fz_ccy c;
    assert_int_equal(fz_ccy_parse("US Dollars", 10, &c), FZ_ENOTFOUND);
    assert_int_equal(fz_ccy_parse("US Dolla", 8, &c), FZ_ENOTFOUND);
}

static void test_digits(void **st) {
    (void)st;
    assert_int_equal(fz_ccy_digits(FZ_CCY_CNY), 2);
    assert_int_equal(fz_ccy_digits(ccy("Yen")), 2);
    assert_int_equal(fz_ccy_digits(ccy("Bitcoin")), 8);
}

static void test_parse_exact(void **st) {
    (void)st;
    fz_money m;
    assert_int_equal(parse("49999.99", 2, &m), 0);
    assert_int_equal(m, 4999999);
    assert_int_equal(parse("50000.00", 2, &m), 0);
    assert_int_equal(m, 5000000);
    assert_int_equal(parse("50000", 2, &m), 0);
    assert_int_equal(m, 5000000);
    assert_int_equal(parse("1234.5", 2, &m), 0);
    assert_int_equal(m, 123450);
    assert_int_equal(parse("0.01", 2, &m), 0);
    assert_int_equal(m, 1);
    assert_int_equal(parse("-0.01", 2, &m), 0);
    assert_int_equal(m, -1);
    assert_int_equal(parse("+7", 2, &m), 0);
    assert_int_equal(m, 700);
    assert_int_equal(parse("-0", 2, &m), 0);
    assert_int_equal(m, 0);
    assert_int_equal(parse("000123.40", 2, &m), 0);
    assert_int_equal(m, 12340);
    assert_int_equal(parse("5.", 2, &m), 0);
    assert_int_equal(m, 500);
    assert_int_equal(parse(".5", 2, &m), 0);
    assert_int_equal(m, 50);
    assert_int_equal(parse("0.00000001", 8, &m), 0);
    assert_int_equal(m, 1);
    assert_int_equal(parse("12", 0, &m), 0);
    assert_int_equal(m, 12);
    assert_int_equal(parse("12.000", 0, &m), 0);
    assert_int_equal(m, 12);
    /* the IBM data's precision: exact, no float drift */
    assert_int_equal(parse("3697.34", 2, &m), 0);
    assert_int_equal(m, 369734);
}

static void test_parse_extra_digits(void **st) {
    (void)st;
    fz_money m = 42;
    assert_int_equal(parse("1.234", 2, &m), FZ_EPARSE);
    assert_int_equal(m, 42);
    assert_int_equal(parse("1.230", 2, &m), 0);
    assert_int_equal(m, 123);
    assert_int_equal(parse("1.23000000000000000000000", 2, &m), 0);
    assert_int_equal(m, 123);
    assert_int_equal(parse("1.2300000000000000000001", 2, &m), FZ_EPARSE);
    assert_int_equal(parse("0.5", 0, &m), FZ_EPARSE);
}

static void test_parse_junk(void **st) {
    (void)st;
    static const char *bad[] = {"", "-", "+", ".", "-.", "1e3", "1,000", " 1", "1 ",
                                "1.2.3", "--1", "0x10", "abc", "1-", "NaN", "inf", "1.-2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fz_money m = 42;
        assert_int_equal(parse(bad[i], 2, &m), FZ_EPARSE);
        assert_int_equal(m, 42);
    }
    fz_money m;
    /* a view stops at n: "12" of "12x" is fine */
    assert_int_equal(fz_money_parse("12x", 2, 2, &m), 0);
    assert_int_equal(m, 1200);
    /* embedded NUL is junk, not an end */
    assert_int_equal(fz_money_parse("1\0" "2", 3, 2, &m), FZ_EPARSE);
    assert_int_equal(parse("1", -1, &m), FZ_ERANGE);
    assert_int_equal(parse("1", 19, &m), FZ_ERANGE);
}

static void test_parse_overflow(void **st) {
    (void)st;
    fz_money m;
    assert_int_equal(parse("9223372036854775807", 0, &m), 0);
    assert_int_equal(m, INT64_MAX);
    assert_int_equal(parse("-9223372036854775808", 0, &m), 0);
    assert_int_equal(m, INT64_MIN);
    assert_int_equal(parse("9223372036854775808", 0, &m), FZ_ERANGE);
    assert_int_equal(parse("-9223372036854775809", 0, &m), FZ_ERANGE);
    assert_int_equal(parse("92233720368547758.07", 2, &m), 0);
    assert_int_equal(m, INT64_MAX);
    assert_int_equal(parse("92233720368547758.08", 2, &m), FZ_ERANGE);
    /* overflow only after padding the missing fraction digits */
    assert_int_equal(parse("92233720368547758", 2, &m), 0);
    assert_int_equal(parse("92233720368547759", 2, &m), FZ_ERANGE);
    assert_int_equal(parse("184467440737095516160", 0, &m), FZ_ERANGE); /* wraps 2^64 */
    assert_int_equal(parse("99999999999999999999999999999", 2, &m), FZ_ERANGE);
    assert_int_equal(parse("00000000000000000000000000001", 2, &m), 0);
    assert_int_equal(m, 100);
}

static void fmt_eq(fz_money m, int digits, const char *want) {
    char buf[48];
    size_t n = fz_money_format(m, digits, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
    /* and it parses back to the same value */
    fz_money back;
    assert_int_equal(fz_money_parse(buf, n, digits, &back), 0);
    assert_int_equal(back, m);
}

static void test_format(void **st) {
    (void)st;
    fmt_eq(0, 2, "0.00");
    fmt_eq(1, 2, "0.01");
    fmt_eq(-1, 2, "-0.01");
    fmt_eq(-123450, 2, "-1234.50");
    fmt_eq(4999999, 2, "49999.99");
    fmt_eq(12, 0, "12");
    fmt_eq(1, 8, "0.00000001");
    fmt_eq(INT64_MAX, 2, "92233720368547758.07");
    fmt_eq(INT64_MIN, 2, "-92233720368547758.08");
    fmt_eq(INT64_MIN, 0, "-9223372036854775808");
    char small[5];
    assert_int_equal(fz_money_format(123456, 2, small, sizeof small), 4);
    assert_string_equal(small, "1234");
    assert_int_equal(fz_money_format(1, 2, small, 0), 0);
}

static void test_rates_default(void **st) {
    (void)st;
    fz_rates r;
    fz_rates_default(&r);
    assert_true(r.n >= 16);
    const char *need[] = {"USD", "EUR", "CNY", "GBP", "RUB", "JPY", "INR", "AUD", "CAD",
                          "ILS", "BRL", "SAR", "CHF", "MXN", "XBT"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        int64_t c;
        assert_int_equal(fz_rates_to_usd_cents(&r, ccy(need[i]), 0, &c), 0);
    }
    int64_t c;
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_USD, 12345, &c), 0);
    assert_int_equal(c, 12345);
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_CNY, 100, &c), 0);
    assert_int_equal(c, 14); /* 1 CNY = 0.14 USD */
    assert_int_equal(fz_rates_to_usd_cents(&r, ccy("ZZZ"), 100, &c), FZ_ENOTFOUND);
}

static void test_rates_rounding(void **st) {
    (void)st;
    fz_rates r = {0};
    r.n = 2;
    r.ccy[0] = FZ_CCY_CNY;
    r.usd_e8[0] = 14000000; /* 0.14 */
    r.ccy[1] = XBT;
    r.usd_e8[1] = 10000000000000; /* 100000 USD */
    int64_t c;
    /* 0.25 CNY * 0.14 = 0.035 USD = 3.5 cents -> 4, and -3.5 -> -4 */
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_CNY, 25, &c), 0);
    assert_int_equal(c, 4);
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_CNY, -25, &c), 0);
    assert_int_equal(c, -4);
    /* 0.24 CNY -> 3.36 cents -> 3; 0.11 CNY -> 1.54 -> 2 */
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_CNY, 24, &c), 0);
    assert_int_equal(c, 3);
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_CNY, 11, &c), 0);
    assert_int_equal(c, 2);
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_CNY, -24, &c), 0);
    assert_int_equal(c, -3);
    /* XBT minor unit is 1e-8: 1 BTC = 10,000,000 cents; 5 sat = 0.5 cent -> 1 */
    assert_int_equal(fz_rates_to_usd_cents(&r, XBT, 100000000, &c), 0);
    assert_int_equal(c, 10000000);
    assert_int_equal(fz_rates_to_usd_cents(&r, XBT, 5, &c), 0);
    assert_int_equal(c, 1);
    assert_int_equal(fz_rates_to_usd_cents(&r, XBT, 4, &c), 0);
    assert_int_equal(c, 0);
    /* the product needs 128 bits: INT64_MAX fen at 0.14 */
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_CNY, INT64_MAX, &c), 0);
    assert_int_equal(c, 1291272085159668613LL); /* 9223372036854775807 * 0.14 = ...612.98 */
    r.usd_e8[0] = 200000000; /* 2 USD per unit: result overflows int64 */
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_CNY, INT64_MAX, &c), FZ_ERANGE);
}

static char tmp_path[64];

static const char *write_tmp(const char *text) {
    snprintf(tmp_path, sizeof tmp_path, "/tmp/fz_rates_%d.txt", (int)getpid());
    FILE *f = fopen(tmp_path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return tmp_path;
}

static void test_rates_load(void **st) {
    (void)st;
    fz_rates r;
    fz_rates_default(&r);
    int n0 = r.n;
    fz_error err;
    fz_error_clear(&err);
    const char *p = write_tmp("# bank rates 2026-11-30\n"
                              "\n"
                              "CNY 0.13912345   # official\n"
                              "  nok\t0.09\r\n"
                              "Yen 0.0066\n");
    assert_int_equal(fz_rates_load(&r, p, &err), 0);
    assert_int_equal(r.n, n0 + 1);
    int64_t c;
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY_CNY, 100000000, &c), 0);
    assert_int_equal(c, 13912345);
    assert_int_equal(fz_rates_to_usd_cents(&r, FZ_CCY('N', 'O', 'K'), 100, &c), 0);
    assert_int_equal(c, 9);
    remove(p);
}

static void load_fails(const char *text, int code, const char *want_in_msg) {
    fz_rates r;
    fz_rates_default(&r);
    fz_rates before = r;
    fz_error err;
    fz_error_clear(&err);
    const char *p = write_tmp(text);
    assert_int_equal(fz_rates_load(&r, p, &err), code);
    assert_memory_equal(&r, &before, sizeof r); /* nothing half-applied */
    char buf[512], prefix[128];
    fz_error_format(&err, buf, sizeof buf);
    snprintf(prefix, sizeof prefix, "%s:2", p);
    assert_non_null(strstr(buf, prefix));
    assert_non_null(strstr(buf, want_in_msg));
    remove(p);
}

static void test_rates_load_errors(void **st) {
    (void)st;
    load_fails("CNY 0.5\nCNY\n", FZ_EPARSE, "CODE RATE");
    load_fails("CNY 0.5\nCNY 0.5 extra\n", FZ_EPARSE, "CODE RATE");
    load_fails("CNY 0.5\nC1Y 0.5\n", FZ_EPARSE, "C1Y");
    load_fails("CNY 0.5\nCNY 0.123456789\n", FZ_EPARSE, "0.123456789");
    load_fails("CNY 0.5\nCNY abc\n", FZ_EPARSE, "abc");
    load_fails("CNY 0.5\nCNY 0\n", FZ_ERANGE, "positive");
    load_fails("CNY 0.5\nCNY -1\n", FZ_ERANGE, "positive");
    fz_rates r;
    fz_rates_default(&r);
    fz_error err;
    assert_int_equal(fz_rates_load(&r, "/nonexistent/rates.txt", &err), FZ_EIO);
    assert_string_equal(err.file, "/nonexistent/rates.txt");
}

static void test_rates_full(void **st) {
    (void)st;
    char text[4096] = "", line[32];
    for (int i = 0; i < FZ_RATES_MAX + 1; i++) {
        snprintf(line, sizeof line, "Q%c%c 1\n", 'A' + i / 26, 'A' + i % 26);
        strcat(text, line);
    }
    fz_rates r = {0};
    fz_error err;
    const char *p = write_tmp(text);
    assert_int_equal(fz_rates_load(&r, p, &err), FZ_EFULL);
    assert_int_equal(r.n, 0);
    assert_int_equal(err.line, FZ_RATES_MAX + 1);
    remove(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ccy_codes),       cmocka_unit_test(test_ccy_ibm_names),
        cmocka_unit_test(test_digits),          cmocka_unit_test(test_parse_exact),
        cmocka_unit_test(test_parse_extra_digits), cmocka_unit_test(test_parse_junk),
        cmocka_unit_test(test_parse_overflow),  cmocka_unit_test(test_format),
        cmocka_unit_test(test_rates_default),   cmocka_unit_test(test_rates_rounding),
        cmocka_unit_test(test_rates_load),      cmocka_unit_test(test_rates_load_errors),
        cmocka_unit_test(test_rates_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
