/* test_error.c — the fz_error idiom: set, format, truncation, names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fz_error.h"

static void test_set_returns_code(void **st) {
    (void)st;
    fz_error e;
    fz_error_clear(&e);
    assert_int_equal(e.code, 0);
    assert_int_equal(fz_error_set(&e, FZ_EPARSE, "a.csv", 12, 7, "amount", "not a number: '%s'", "x1"),
                     FZ_EPARSE);
    assert_int_equal(e.code, FZ_EPARSE);
    assert_int_equal(e.line, 12);
    assert_int_equal(e.col, 7);
    assert_string_equal(e.file, "a.csv");
    assert_string_equal(e.field, "amount");
    assert_string_equal(e.msg, "not a number: 'x1'");
    /* NULL err is allowed: only the code comes back */
    assert_int_equal(fz_error_set(NULL, FZ_ENOMEM, NULL, 0, 0, NULL, "x"), FZ_ENOMEM);
    fz_error_clear(NULL);
}

static void fmt_is(const fz_error *e, const char *want) {
    char buf[1024];
    size_t n = fz_error_format(e, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_format_parts(void **st) {
    (void)st;
    fz_error e;
    fz_error_set(&e, FZ_EPARSE, "a.csv", 12, 7, "amount", "bad");
    fmt_is(&e, "a.csv:12:7: amount: bad");
    fz_error_set(&e, FZ_EPARSE, "a.csv", 12, 0, "amount", "bad");
    fmt_is(&e, "a.csv:12: amount: bad");
    fz_error_set(&e, FZ_EPARSE, "a.csv", 12, 0, NULL, "bad");
    fmt_is(&e, "a.csv:12: bad");
    fz_error_set(&e, FZ_EIO, "a.csv", 0, 0, NULL, "No such file");
    fmt_is(&e, "a.csv: No such file");
    fz_error_set(&e, FZ_EINVAL, NULL, 0, 0, "window", "must be > 0");
    fmt_is(&e, "window: must be > 0");
    fz_error_set(&e, FZ_EINVAL, NULL, 0, 0, NULL, "plain");
    fmt_is(&e, "plain");
    fz_error_set(&e, FZ_EINVAL, "", 3, 2, NULL, "no file");
    fmt_is(&e, "line 3:2: no file");
    fz_error_set(&e, FZ_ENOMEM, NULL, 0, 0, NULL, NULL); /* no message: the code's name */
    fmt_is(&e, "out of memory");
    fz_error_clear(&e);
    fmt_is(&e, "ok");
}

static void test_truncation(void **st) {
    (void)st;
    fz_error e;
    char longname[600];
    memset(longname, 'f', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    fz_error_set(&e, FZ_EPARSE, longname, 1, 1, longname, "%s", longname);
    assert_int_equal(strlen(e.file), sizeof e.file - 1);
    assert_int_equal(strlen(e.field), sizeof e.field - 1);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    fz_error_set(&e, FZ_EPARSE, "a.csv", 12, 7, "amount", "bad");
    char buf[8];
    memset(buf, '#', sizeof buf);
    size_t full = fz_error_format(&e, buf, sizeof buf);
    assert_int_equal(full, strlen("a.csv:12:7: amount: bad"));
    assert_string_equal(buf, "a.csv:1");
    char one[1] = {'#'};
    assert_int_equal(fz_error_format(&e, one, 1), full);
    assert_int_equal(one[0], '\0');
    assert_int_equal(fz_error_format(&e, NULL, 0), full); /* size query */
}

static void test_strerror(void **st) {
    (void)st;
    int codes[] = {FZ_OK, FZ_ENOMEM, FZ_EIO, FZ_EPARSE, FZ_EINVAL, FZ_ERANGE,
                   FZ_ENOTFOUND, FZ_EFULL, FZ_EREJECT, FZ_EFORMAT};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = fz_strerror(codes[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        for (size_t j = 0; j < i; j++) assert_string_not_equal(s, fz_strerror(codes[j]));
    }
    assert_string_equal(fz_strerror(FZ_EPARSE), "parse error");
    assert_non_null(fz_strerror(-1000));
    assert_non_null(fz_strerror(42));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_returns_code),
        cmocka_unit_test(test_format_parts),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
