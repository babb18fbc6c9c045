/* test_csv.c — the internal CSV tokenizer (src/io/fz_csv.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fz_arena.h"
#include "fz_csv.h"
#include "fz_error.h"

typedef struct {
    fz__arena arena;
    fz__csv csv;
    fz_str f[8];
    fz__csv_rec rec;
} ctx;

static void start(ctx *c, const char *text) {
    fz__arena_init(&c->arena);
    fz__csv_init(&c->csv, text, strlen(text), &c->arena);
}

static void field_is(fz_str f, const char *want) {
    assert_int_equal(f.n, strlen(want));
    assert_memory_equal(f.p, want, f.n);
}

static int next(ctx *c) { return fz__csv_next(&c->csv, c->f, 8, &c->rec); }

static void test_plain(void **state) {
    (void)state;
    ctx c;
    start(&c, "a,bb,,ccc\nx,y,\n");
    assert_int_equal(next(&c), 1);
    assert_int_equal(c.rec.nf, 4);
    field_is(c.f[0], "a");
    field_is(c.f[1], "bb");
    field_is(c.f[2], "");
    field_is(c.f[3], "ccc");
    field_is(c.rec.raw, "a,bb,,ccc");
    assert_int_equal(c.rec.line, 1);
    assert_int_equal(next(&c), 1);
    assert_int_equal(c.rec.nf, 3); /* a trailing comma is a trailing empty field */
    field_is(c.f[2], "");
    assert_int_equal(c.rec.line, 2);
    assert_int_equal(next(&c), 0);
    fz__arena_free(&c.arena);
}

static void test_crlf_and_no_final_newline(void **state) {
    (void)state;
    ctx c;
    start(&c, "a,b\r\nc,d\r\ne,f");
    assert_int_equal(next(&c), 1);
    field_is(c.f[1], "b");
    field_is(c.rec.raw, "a,b");
    assert_int_equal(next(&c), 1);
    field_is(c.f[1], "d");
    assert_int_equal(next(&c), 1);
    field_is(c.f[1], "f");
    assert_int_equal(c.rec.line, 3);
    assert_int_equal(next(&c), 0);
    fz__arena_free(&c.arena);
}

static void test_quotes(void **state) {
    (void)state;
    ctx c;
    const char *text = "\"a,b\",\"he said \"\"hi\"\"\",\"\"\r\n\"x\"\n";
    start(&c, text);
    assert_int_equal(next(&c), 1);
    assert_int_equal(c.rec.nf, 3);
    field_is(c.f[0], "a,b");
    assert_ptr_equal(c.f[0].p, text + 1); /* no escapes: a view, no copy */
    field_is(c.f[1], "he said \"hi\"");
    assert_true(c.f[1].p < text || c.f[1].p > text + strlen(text)); /* unescaped copy */
    field_is(c.f[2], "");
    assert_int_equal(next(&c), 1);
    field_is(c.f[0], "x");
    assert_int_equal(c.rec.line, 2);
    fz__arena_free(&c.arena);
}

static void test_multiline_quoted(void **state) {
    (void)state;
    ctx c;
    start(&c, "1,\"two\nlines\r\nthree\",4\n5,6\n");
    assert_int_equal(next(&c), 1);
    assert_int_equal(c.rec.nf, 3);
    field_is(c.f[1], "two\nlines\r\nthree");
    field_is(c.f[2], "4");
    assert_int_equal(c.rec.line, 1);
    assert_int_equal(next(&c), 1);
    assert_int_equal(c.rec.line, 4);
    field_is(c.f[0], "5");
    fz__arena_free(&c.arena);
}

static void test_bad_quotes_resume(void **state) {
    (void)state;
    ctx c;
    start(&c, "\"ab\"c,d\nok,1\n\"never closed,2\n");
    assert_int_equal(next(&c), FZ_EPARSE);
    assert_string_equal(c.rec.why, "text after a closing quote");
    field_is(c.rec.raw, "\"ab\"c,d");
    assert_int_equal(next(&c), 1);
    field_is(c.f[0], "ok");
    assert_int_equal(c.rec.line, 2);
    assert_int_equal(next(&c), FZ_EPARSE);
    assert_string_equal(c.rec.why, "unterminated quoted field");
    assert_int_equal(c.rec.line, 3);
    assert_int_equal(next(&c), 0);
    fz__arena_free(&c.arena);
}

static void test_literal_quote_and_cr(void **state) {
    (void)state;
    ctx c;
    start(&c, "5\" disk,a\rb\n");
    assert_int_equal(next(&c), 1);
    field_is(c.f[0], "5\" disk");
    field_is(c.f[1], "a\rb");
    fz__arena_free(&c.arena);
}

static void test_empty_lines_and_many_fields(void **state) {
    (void)state;
    ctx c;
    start(&c, "\n\r\n1,2,3,4,5,6,7,8,9,10\n");
    assert_int_equal(next(&c), 1);
    assert_int_equal(c.rec.raw.n, 0);
    assert_int_equal(c.rec.nf, 1);
    assert_int_equal(next(&c), 1);
    assert_int_equal(c.rec.raw.n, 0);
    assert_false(fz__csv_rest_blank(&c.csv));
    assert_int_equal(next(&c), 1);
    assert_int_equal(c.rec.nf, 10); /* counted beyond the 8 stored */
    field_is(c.f[7], "8");
    assert_true(fz__csv_rest_blank(&c.csv));
    fz__arena_free(&c.arena);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_crlf_and_no_final_newline),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_multiline_quoted),
        cmocka_unit_test(test_bad_quotes_resume),
        cmocka_unit_test(test_literal_quote_and_cr),
        cmocka_unit_test(test_empty_lines_and_many_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
