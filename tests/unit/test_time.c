/* test_time.c — civil dates, timestamp parsing, Asia/Shanghai days, format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fz_error.h"
#include "fz_time.h"

static fz_ms T(const char *s) {
    fz_ms t = 0;
    int rc = fz_time_parse(s, strlen(s), &t);
    if (rc != 0) fail_msg("fz_time_parse(\"%s\") = %d", s, rc);
    return t;
}

static void bad(const char *s) {
    fz_ms t = 777;
    int rc = fz_time_parse(s, strlen(s), &t);
    if (rc != FZ_EPARSE) fail_msg("fz_time_parse(\"%s\") = %d, want FZ_EPARSE", s, rc);
    assert_int_equal(t, 777);
}

#define E2017 1483228800000LL /* 2017-01-01T00:00:00Z */

static void test_civil(void **st) {
    (void)st;
    assert_int_equal(fz_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(fz_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(fz_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(fz_days_from_civil(2017, 1, 1), 17167);
    assert_int_equal(fz_days_from_civil(0, 3, 1), -719468);
    /* round trip across 800 years, including century leap rules */
    int64_t prev = fz_days_from_civil(1799, 12, 31);
    for (int64_t day = prev + 1; day < fz_days_from_civil(2600, 1, 1); day++) {
        int64_t y;
        unsigned m, d;
        fz_civil_from_days(day, &y, &m, &d);
        assert_int_equal(fz_days_from_civil(y, m, d), day);
        assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
    }
    int64_t y;
    unsigned m, d;
    fz_civil_from_days(fz_days_from_civil(1900, 3, 1) - 1, &y, &m, &d);
    assert_true(y == 1900 && m == 2 && d == 28); /* 1900 is not leap */
    fz_civil_from_days(fz_days_from_civil(2000, 3, 1) - 1, &y, &m, &d);
    assert_true(y == 2000 && m == 2 && d == 29); /* 2000 is */
    fz_civil_from_days(-1, &y, &m, &d);
    assert_true(y == 1969 && m == 12 && d == 31);
}

static void test_parse_forms(void **st) {
    (void)st;
    assert_int_equal(T("2017-01-01T00:00:00Z"), E2017);
    assert_int_equal(T("2017-01-01T00:00:00z"), E2017);
    assert_int_equal(T("2017-01-01T08:00:00+08:00"), E2017);
    assert_int_equal(T("2017-01-01T08:00:00+0800"), E2017);
    assert_int_equal(T("2017-01-01T08:00:00+08"), E2017);
    assert_int_equal(T("2016-12-31T19:30:00-04:30"), E2017);
    assert_int_equal(T("2017-01-01 00:00:00.123"), E2017 + 123);
    assert_int_equal(T("2017-01-01 00:00:00.1"), E2017 + 100);
    assert_int_equal(T("2017-01-01 00:00:00,25"), E2017 + 250);
    assert_int_equal(T("2017-01-01T00:00:00.123456789Z"), E2017 + 123); /* truncated */
    assert_int_equal(T("2017-01-01T00:00:00.9999"), E2017 + 999);
    assert_int_equal(T("2017-01-01T00:00"), E2017);
    assert_int_equal(T("2017-01-01T00:01Z"), E2017 + 60000);
    assert_int_equal(T("2017-01-01"), E2017);
    assert_int_equal(T("2017/01/01"), E2017);
    assert_int_equal(T("2022/09/01 05:14"), 1662009240000LL);
    assert_int_equal(T("2017-01-01t23:59:59.999"), E2017 + FZ_MS_PER_DAY - 1);
    assert_int_equal(T("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(T("1969-12-31T23:59:59.999Z"), -1);
    assert_int_equal(T("0000-01-01"), -62167219200000LL);
    assert_int_equal(T("9999-12-31T23:59:59.999Z"), 253402300799999LL);
}

static void test_parse_epoch(void **st) {
    (void)st;
    assert_int_equal(T("1483228800000"), E2017);
    assert_int_equal(T("0"), 0);
    assert_int_equal(T("-1"), -1);
    assert_int_equal(T("2017"), 2017); /* a bare integer is ms, even 4 digits */
    assert_int_equal(T("20170101"), 20170101);
    assert_int_equal(T("9223372036854775807"), INT64_MAX);
    assert_int_equal(T("-9223372036854775808"), INT64_MIN);
    bad("9223372036854775808");
    bad("-9223372036854775809");
    bad("99999999999999999999999");
    bad("-");
    bad("+5");
    bad("12a");
    bad("1.5");
}

static void test_parse_ranges(void **st) {
    (void)st;
    assert_int_equal(T("2024-02-29"), T("2024-03-01") - FZ_MS_PER_DAY);
    assert_int_equal(T("2000-02-29"), T("2000-03-01") - FZ_MS_PER_DAY);
    bad("2023-02-29");
    bad("1900-02-29");
    bad("2023-04-31");
    bad("2023-13-01");
    bad("2023-00-10");
    bad("2023-01-00");
    bad("2023-01-32");
    bad("2023-01-01T24:00");
    bad("2023-01-01T23:60");
    bad("2023-01-01T23:59:60");
    bad("2023-01-01T00:00+24:00");
    bad("2023-01-01T00:00+08:60");
    assert_int_equal(T("2023-12-31T23:59:59Z"), T("2024-01-01") - 1000);
}

static void test_parse_junk(void **st) {
    (void)st;
    static const char *junk[] = {
        "", " ", "2017-01-01 ", " 2017-01-01", "2017-1-1", "2017-01-1", "17-01-01",
        "2017-01/01", "2017/01-01", "2017-01-01X00:00", "2017-01-01T", "2017-01-01T0:00",
        "2017-01-01T00", "2017-01-01T00:0", "2017-01-01T00:00:", "2017-01-01T00:00:0",
        "2017-01-01T00:00:00.", "2017-01-01T00:00:00.Z", "2017-01-01T00:00:00ZZ",
        "2017-01-01T00:00:00+", "2017-01-01T00:00:00+8", "2017-01-01T00:00:00+08:",
        "2017-01-01T00:00:00+08:0", "2017-01-01T00:00:00+08:000", "2017-01-01T00:00:00 +08:00",
        "2017-01-01Z", "2017-01-01T00:00:00UTC", "abcd-ef-gh", "2017-0a-01", "2017-01-01T00:00:0x",
    };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) bad(junk[i]);
    /* views: only n bytes are read */
    fz_ms t;
    assert_int_equal(fz_time_parse("2017-01-01T00:00:00Zjunk", 20, &t), 0);
    assert_int_equal(t, E2017);
    assert_int_equal(fz_time_parse("2017-01-01", 7, &t), FZ_EPARSE);
}

static void test_cn_day(void **st) {
    (void)st;
    int32_t d20170101 = (int32_t)fz_days_from_civil(2017, 1, 1);
    /* 15:59:59.999Z is 23:59:59.999 CST: still Jan 1st in Shanghai */
    assert_int_equal(fz_time_cn_day(T("2017-01-01T15:59:59.999Z")), d20170101);
    assert_int_equal(fz_time_cn_hour(T("2017-01-01T15:59:59.999Z")), 23);
    /* 16:00Z is midnight Jan 2nd in Shanghai */
    assert_int_equal(fz_time_cn_day(T("2017-01-01T16:00:00Z")), d20170101 + 1);
    assert_int_equal(fz_time_cn_hour(T("2017-01-01T16:00:00Z")), 0);
    /* 2017-01-01T00:00Z is already 08:00 Jan 1st; 2016-12-31T16:00Z is Jan 1st 00:00 */
    assert_int_equal(fz_time_cn_day(E2017), d20170101);
    assert_int_equal(fz_time_cn_hour(E2017), 8);
    assert_int_equal(fz_time_cn_day(T("2016-12-31T16:00:00Z")), d20170101);
    assert_int_equal(fz_time_cn_day(T("2016-12-31T15:59:59.999Z")), d20170101 - 1);
    assert_int_equal(fz_time_cn_day(T("2017-01-01T00:00:00+08:00")), d20170101);
    /* before 1970 */
    assert_int_equal(fz_time_cn_day(-FZ_CN_OFFSET_MS), 0);
    assert_int_equal(fz_time_cn_day(-FZ_CN_OFFSET_MS - 1), -1);
    assert_int_equal(fz_time_cn_hour(-FZ_CN_OFFSET_MS - 1), 23);
    assert_int_equal(fz_time_cn_hour(T("1960-06-01T03:30:00Z")), 11);
    assert_int_equal(fz_time_cn_day(T("1960-06-01T16:30:00Z")),
                     (int32_t)fz_days_from_civil(1960, 6, 2));
    assert_int_equal(fz_time_cn_hour(INT64_MAX), fz_time_cn_hour(INT64_MAX - FZ_MS_PER_DAY));
    assert_int_equal(fz_time_cn_hour(INT64_MIN), fz_time_cn_hour(INT64_MIN + FZ_MS_PER_DAY));
}

static void fmt_eq(fz_ms t, const char *want) {
    char buf[64];
    size_t n = fz_time_format(t, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
    assert_int_equal(T(buf), t);
}

static void test_format(void **st) {
    (void)st;
    fmt_eq(E2017, "2017-01-01T00:00:00.000Z");
    fmt_eq(0, "1970-01-01T00:00:00.000Z");
    fmt_eq(-1, "1969-12-31T23:59:59.999Z");
    fmt_eq(T("2024-02-29T13:05:09.007Z"), "2024-02-29T13:05:09.007Z");
    fmt_eq(253402300799999LL, "9999-12-31T23:59:59.999Z");
    char buf[64];
    fz_time_format(253402300800000LL, buf, sizeof buf);
    assert_string_equal(buf, "10000-01-01T00:00:00.000Z");
    fz_time_format(INT64_MIN, buf, sizeof buf); /* must not crash or overflow */
    fz_time_format(INT64_MAX, buf, sizeof buf);
    char small[11];
    assert_int_equal(fz_time_format(E2017, small, sizeof small), 10);
    assert_string_equal(small, "2017-01-01");
}

static void test_day_format(void **st) {
    (void)st;
    char buf[32];
    int32_t d = (int32_t)fz_days_from_civil(2017, 1, 1);
    assert_int_equal(fz_day_format(d, 0, buf, sizeof buf), 10);
    assert_string_equal(buf, "2017-01-01");
    assert_int_equal(fz_day_format(d, 1, buf, sizeof buf), 8);
    assert_string_equal(buf, "20170101");
    fz_day_format(-1, 0, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31");
    fz_day_format(fz_time_cn_day(T("2017-01-01T16:00:00Z")), 1, buf, sizeof buf);
    assert_string_equal(buf, "20170102");
    fz_day_format(INT32_MIN, 0, buf, sizeof buf);
    assert_non_null(strchr(buf, '-'));
}

/* A day is "YYYY-MM-DD" and nothing else fz_time_parse would take. */
static void test_day_parse_strict(void **state) {
    (void)state;
    int32_t d;
    assert_int_equal(fz_day_parse("2026-10-09", 10, &d), 0);
    assert_int_equal(d, (int32_t)fz_days_from_civil(2026, 10, 9));
    assert_int_equal(fz_day_parse("2026/10/09", 10, &d), FZ_EPARSE);
    assert_int_equal(fz_day_parse("1793577600", 10, &d), FZ_EPARSE);
    assert_int_equal(fz_day_parse("2026-13-01", 10, &d), FZ_EPARSE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil),        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_epoch),  cmocka_unit_test(test_parse_ranges),
        cmocka_unit_test(test_parse_junk),   cmocka_unit_test(test_cn_day),
        cmocka_unit_test(test_format),       cmocka_unit_test(test_day_format),
        cmocka_unit_test(test_day_parse_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
