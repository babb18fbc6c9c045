/* test_report.c — the working-day calendar, the XML writer's escaping, the
 * ZIP writer, and large-value report file names and deadlines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fz_calendar.h"
#include "fz_exempt.h"
#include "fz_hvtr.h"
#include "fz_time.h"
#include "fz_xmlw.h"
#include "fz_zip.h"

static int32_t D(int y, unsigned m, unsigned d) { return (int32_t)fz_days_from_civil(y, m, d); }

static const char cn2026[] =
    "years 2026 2026\n"
    "off  2026-09-25..2026-09-27  中秋节\n"
    "off  2026-10-01..2026-10-07  国庆节\n"
    "work 2026-09-20              # 调休\n"
    "work 2026-10-10\n";

static fz_calendar *cal2026(void) {
    fz_calendar *c;
    fz_error err;
    assert_int_equal(fz_calendar_new(&c), 0);
    assert_int_equal(fz_calendar_load_mem(c, "cn", cn2026, sizeof cn2026 - 1, &err), 0);
    return c;
}

static void test_working_days(void **st) {
    (void)st;
    fz_calendar *c = cal2026();
    assert_int_equal(fz_weekday(D(2026, 10, 10)), 5);            /* a Saturday ... */
    assert_true(fz_calendar_is_working_day(c, D(2026, 10, 10))); /* ... made a working day */
    assert_true(fz_calendar_is_working_day(c, D(2026, 9, 20)));  /* a make-up Sunday */
    assert_false(fz_calendar_is_working_day(c, D(2026, 10, 1))); /* Thursday, National Day */
    assert_false(fz_calendar_is_working_day(c, D(2026, 10, 11)));
    assert_true(fz_calendar_is_working_day(c, D(2026, 10, 8)));
    int32_t due;
    /* National Day: 2026-09-30 + 5 working days = 10-08, 10-09, 10-10 (Sat), 10-12, 10-13 */
    assert_int_equal(fz_hvtr_due(c, D(2026, 9, 30), &due), 0);
    assert_int_equal(due, D(2026, 10, 13));
    assert_int_equal(fz_calendar_working_days_between(c, D(2026, 9, 30), due), 5);
    assert_int_equal(fz_calendar_working_days_between(c, due, D(2026, 9, 30)), -5);
    assert_int_equal(fz_calendar_add_working_days(c, due, -5, &due), 0);
    assert_int_equal(due, D(2026, 9, 30));
    assert_int_equal(fz_calendar_add_working_days(c, D(2026, 10, 3), 0, &due), 0);
    assert_int_equal(due, D(2026, 10, 3));
    assert_true(fz_calendar_covers(c, D(2026, 1, 1)));
    assert_false(fz_calendar_covers(c, D(2027, 1, 4)));
    fz_calendar_free(c);
}

static void test_weekends_only(void **st) {
    (void)st;
    fz_calendar *c;
    assert_int_equal(fz_calendar_new(&c), 0);
    int32_t due;
    assert_int_equal(fz_hvtr_due(c, D(2026, 11, 6), &due), 0); /* Friday -> next Friday */
    assert_int_equal(due, D(2026, 11, 13));
    assert_false(fz_calendar_covers(c, D(2026, 1, 1)));
    fz_calendar_free(c);
}

static void bad_cal(const char *text, const char *want) {
    fz_calendar *c = cal2026();
    fz_error err;
    char msg[512];
    assert_int_not_equal(fz_calendar_load_mem(c, "f.txt", text, strlen(text), &err), 0);
    fz_error_format(&err, msg, sizeof msg);
    if (!strstr(msg, want)) fail_msg("'%s' lacks '%s'", msg, want);
    assert_true(fz_calendar_is_working_day(c, D(2026, 10, 10))); /* unchanged */
    fz_calendar_free(c);
}

static void test_calendar_errors(void **st) {
    (void)st;
    bad_cal("off 2026-02-30\n", "f.txt:1: date: not a date");
    bad_cal("\nholiday 2026-01-01\n", "f.txt:2: entry: want years, off or work");
    bad_cal("work 2026-10-10..2026-10-11\n", "a make-up working day is one day");
    bad_cal("off 2026-10-09..2026-10-01\n", "range must run forward");
    bad_cal("off 2026-10-10\n", "2026-10-10 is listed both off and work");
    bad_cal("years 2027\n", "f.txt:1: years: want two years");
    bad_cal("off\n", "f.txt:1: date: missing");
    bad_cal("off 2026/10/09\n", "f.txt:1: date: not a date"); /* fz_day_parse alone takes these */
    bad_cal("off 1793577600\n", "f.txt:1: date: not a date");
    bad_cal("off 1899-12-31\n", "f.txt:1: date: not a date");
    bad_cal("off 2025-02-29\n", "f.txt:1: date: not a date");
}

/* An exemptions file of text into a temporary file; its load's error message. */
static void exempt_file(const char *text, size_t n, const char *want) {
    char path[] = "/tmp/fz_test_exempt_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_int_equal(fwrite(text, 1, n, f), n);
    fclose(f);
    fz_exempt *x = NULL;
    fz_error err;
    char msg[512];
    int rc = fz_exempt_load(&x, path, &err);
    unlink(path);
    if (!want) {
        assert_int_equal(rc, 0);
        fz_exempt_free(x);
        return;
    }
    assert_int_equal(rc, FZ_EPARSE);
    fz_error_format(&err, msg, sizeof msg);
    if (!strstr(msg, want)) fail_msg("'%s' lacks '%s'", msg, want);
}

#define EXEMPT_FILE(text, want) exempt_file(text, sizeof text - 1, want)

static void test_exempt_file(void **st) {
    (void)st;
    EXEMPT_FILE("1 account A\n2 same-customer", NULL); /* no newline at the end */
    EXEMPT_FILE("1 account A\n2 customer\n", ":2: value: missing");
    EXEMPT_FILE("1 account A\n2 account B\0C\n", ":2: NUL byte");
    char big[1600];
    memset(big, ' ', sizeof big);
    memcpy(big, "1 account A", 11);
    memcpy(big + sizeof big - 3, "B\n", 2); /* a long line stays one line */
    exempt_file(big, sizeof big - 1, ":1: value: one value only");
}

static char *escaped(const char *s, size_t n) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    fz_xmlw_escape(m, s, n);
    fclose(m);
    return buf;
}

static void test_xml_escape(void **st) {
    (void)st;
    char *e = escaped("a&b<c>d\"e'f 中文", strlen("a&b<c>d\"e'f 中文"));
    assert_string_equal(e, "a&amp;b&lt;c&gt;d&quot;e&apos;f 中文");
    free(e);
    e = escaped("x\x01y\xff\xc3(z", 7); /* a control character, a bad byte, a cut sequence */
    assert_string_equal(e, "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBD(z");
    free(e);
    e = escaped("\xed\xa0\x80", 3); /* a surrogate is not XML */
    assert_string_equal(e, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    free(e);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    fz_xmlw w;
    fz_xmlw_init(&w, m, "@N");
    fz_xmlw_open(&w, "A", 0);
    fz_xmlw_textz(&w, "B", "");
    fz_xmlw_text_seq(&w, "C", 2, "<", 1);
    fz_xmlw_close(&w, "A");
    fclose(m);
    assert_string_equal(buf, "<A>\n  <B>@N</B>\n  <C seqno=\"2\">&lt;</C>\n</A>\n");
    free(buf);
}

static void test_file_names(void **st) {
    (void)st;
    char name[48];
    assert_int_equal(fz_hvtr_file_name('N', "C0000000000001", D(2018, 7, 1), 10, "XML", name, sizeof name), 0);
    assert_string_equal(name, "NBHC0000000000001-20180701-00000010.XML"); /* the spec's own example, §4.1.1 */
    assert_int_equal(fz_hvtr_file_name('D', "C0000000000001", D(2018, 10, 6), 1, "XML", name, sizeof name), 0);
    assert_string_equal(name, "DBHC0000000000001-20181006-00000001.XML"); /* §6.1 */
    assert_int_equal(fz_hvtr_file_name('N', "C0000000000001", D(2018, 8, 1), 1, "ZIP", name, sizeof name), 0);
    assert_string_equal(name, "NBHC0000000000001-20180801-00000001.ZIP"); /* §3.2 */
    assert_int_equal(fz_hvtr_file_name('X', "C0000000000001", D(2018, 8, 1), 1, "XML", name, sizeof name), FZ_EINVAL);
    assert_int_equal(fz_hvtr_file_name('N', "C0000000000001", D(2018, 8, 1), 0, "XML", name, sizeof name), FZ_EINVAL);
    assert_int_equal(fz_hvtr_file_name('N', "C0000000000001", D(2018, 8, 1), 100000000u, "XML", name, sizeof name),
                     FZ_EINVAL);
    assert_int_equal(fz_hvtr_file_name('N', "C000", D(2018, 8, 1), 1, "XML", name, sizeof name), FZ_EINVAL);
    fz_hvtr_config c = {.ricd = "C0000000000001", .trcd = "CHN310000"};
    fz_error err;
    assert_int_equal(fz_hvtr_config_check(&c, &err), 0);
    strcpy(c.ricd, "C00000000000-1");
    assert_int_equal(fz_hvtr_config_check(&c, &err), FZ_EINVAL);
}

static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static void test_zip(void **st) {
    (void)st;
    fz_zip z;
    fz_zip_init(&z, 1793577600000LL); /* 2026-11-02T08:00:00+08:00 */
    char big[4000];
    memset(big, 'x', sizeof big);
    assert_int_equal(fz_zip_add(&z, "a.XML", big, sizeof big, 0), 0);
    assert_int_equal(fz_zip_add(&z, "b.XML", "hi", 2, 0), 0);
    size_t before = fz_zip_size(&z);
    assert_int_equal(fz_zip_add(&z, "c.XML", big, sizeof big, before + 10), FZ_EFULL);
    assert_int_equal(fz_zip_size(&z), before);
    const unsigned char *data;
    size_t n;
    assert_int_equal(fz_zip_finish(&z, &data, &n), 0);
    assert_int_equal(n, before);
    assert_int_equal(le32(data), 0x04034b50u);
    assert_int_equal(data[8], 8);                  /* deflated: 4000 x's shrink */
    assert_int_equal(le32(data + n - 22), 0x06054b50u);
    assert_int_equal(data[n - 22 + 10], 2);        /* two entries */
    assert_int_equal(data[12] | data[13] << 8, ((2026 - 1980) << 9) | (11 << 5) | 2); /* DOS date */
    assert_int_equal(data[10] | data[11] << 8, 8 << 11);                               /* DOS time, Shanghai */
    fz_zip_free(&z);
    fz_zip_init(&z, 1793548800000LL - 1000); /* 2026-11-01T23:59:59+08:00 */
    assert_int_equal(z.dos_date, ((2026 - 1980) << 9) | (11 << 5) | 1);
    assert_int_equal(z.dos_time, (23 << 11) | (59 << 5) | 29);
    fz_zip_free(&z);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_working_days), cmocka_unit_test(test_weekends_only),
        cmocka_unit_test(test_calendar_errors), cmocka_unit_test(test_exempt_file),
        cmocka_unit_test(test_xml_escape),
        cmocka_unit_test(test_file_names), cmocka_unit_test(test_zip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
