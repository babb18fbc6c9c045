/* test_jsonobj.c — the flat JSON object scanner: members and their views,
 * escapes decoded (surrogate pairs to 4-byte UTF-8), every kind of bad input
 * refused with the column at fault. fuzz_jsonobj checks it against jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fz_jsonobj.h"

static int scan(const char *s, fz_jmember *m, size_t *col, const char **why) {
    return fz_jsonobj_scan(s, strlen(s), m, 8, col, why);
}

static void members_and_views(void **state) {
    (void)state;
    fz_jmember m[8];
    size_t col;
    const char *why;
    const char *s = " {\"id\" : \"T1\", \"amount\":-12.5e2,\"ok\":true,\"x\":null,\"n\":[1,{\"a\":[]}],\"f\":false} ";
    assert_int_equal(scan(s, m, &col, &why), 6);
    assert_int_equal(m[0].key.n, 2);
    assert_memory_equal(m[0].val.p, "T1", 2);
    assert_int_equal(m[1].val.type, FZ_JV_NUMBER);
    assert_int_equal(m[1].val.fraction, 1);
    assert_memory_equal(m[1].val.p, "-12.5e2", 7);
    assert_int_equal(m[2].val.type, FZ_JV_TRUE);
    assert_int_equal(m[3].val.type, FZ_JV_NULL);
    assert_int_equal(m[4].val.type, FZ_JV_NESTED);
    assert_int_equal(m[5].val.type, FZ_JV_FALSE);
    assert_int_equal(scan("{}", m, &col, &why), 0);
}

static void escapes(void **state) {
    (void)state;
    fz_jmember m[8];
    size_t col;
    const char *why;
    char out[64];
    const char *s = "{\"s\":\"a\\\"b\\\\c\\/\\n\\u4e2d\\ud83d\\ude00\"}";
    assert_int_equal(scan(s, m, &col, &why), 1);
    assert_int_equal(m[0].val.escaped, 1);
    size_t n = fz_jsonobj_unescape(m[0].val, out);
    assert_int_equal(n, 7 + 3 + 4);
    assert_memory_equal(out, "a\"b\\c/\n\xe4\xb8\xad\xf0\x9f\x98\x80", n);
}

static void refused(void **state) {
    (void)state;
    static const struct {
        const char *text;
        size_t col;
        const char *why;
    } bad[] = {
        {"[1]", 1, "'{' expected"},
        {"{\"a\":1,}", 8, "a member name"},
        {"{\"a\" 1}", 6, "':' expected"},
        {"{\"a\":01}", 7, "',' or '}' expected"},
        {"{\"a\":1.}", 8, "digit expected"},
        {"{\"a\":\"x\ty\"}", 8, "control character"},
        {"{\"a\":\"\\x\"}", 8, "bad escape"},
        {"{\"a\":\"\\ud800\"}", 8, "without its low half"},
        {"{\"a\":\"\\udc00\"}", 8, "lone low surrogate"},
        {"{\"a\":\"\\u0000\"}", 8, "not allowed"},
        {"{\"a\":\"\xff\"}", 7, "invalid UTF-8"},
        {"{\"a\":\"\xed\xa0\x80\"}", 7, "invalid UTF-8"}, /* an encoded surrogate */
        {"{\"a\":tru}", 6, "value expected"},
        {"{\"a\":1} x", 9, "text after the object"},
        {"{\"a\":\"open", 11, "unterminated string"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fz_jmember m[8];
        size_t col = 0;
        const char *why = NULL;
        if (scan(bad[i].text, m, &col, &why) != -1) fail_msg("accepted: %s", bad[i].text);
        if (!why || !strstr(why, bad[i].why) || col != bad[i].col)
            fail_msg("%s: got column %zu '%s', want %zu '%s'", bad[i].text, col, why ? why : "", bad[i].col,
                     bad[i].why);
    }
}

static void nesting_limit(void **state) {
    (void)state;
    char s[200];
    size_t k = 0;
    k += (size_t)sprintf(s, "{\"a\":");
    for (int i = 0; i < 40; i++) s[k++] = '[';
    for (int i = 0; i < 40; i++) s[k++] = ']';
    s[k++] = '}';
    s[k] = 0;
    fz_jmember m[8];
    size_t col;
    const char *why;
    assert_int_equal(scan(s, m, &col, &why), -1);
    assert_non_null(strstr(why, "nested too deeply"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(members_and_views),
        cmocka_unit_test(escapes),
        cmocka_unit_test(refused),
        cmocka_unit_test(nesting_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
