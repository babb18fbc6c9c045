/* test_intern.c — string interning: ids, lookups, growth, memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_error.h"
#include "fz_intern.h"

static int64_t get(fz_intern *t, const char *s, int *added) {
    return fz_intern_get(t, s, strlen(s), added);
}

static void test_basic(void **st) {
    (void)st;
    fz_intern *t;
    assert_int_equal(fz_intern_new(&t, 0), 0);
    int added = -1;
    assert_int_equal(get(t, "alice", &added), 0);
    assert_int_equal(added, 1);
    assert_int_equal(get(t, "bob", &added), 1);
    assert_int_equal(added, 1);
    assert_int_equal(get(t, "alice", &added), 0);
    assert_int_equal(added, 0);
    assert_int_equal(get(t, "alice", NULL), 0);
    assert_int_equal(fz_intern_find(t, "bob", 3), 1);
    assert_int_equal(fz_intern_find(t, "carol", 5), -1);
    assert_int_equal(fz_intern_find(t, "bo", 2), -1);      /* prefix is another key */
    assert_int_equal(fz_intern_find(t, "alice!", 6), -1);
    assert_int_equal(fz_intern_count(t), 2);
    size_t n;
    const char *k = fz_intern_key(t, 1, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(k, "bob", 3);
    assert_null(fz_intern_key(t, 2, &n));
    assert_int_equal(n, 0);
    fz_intern_free(t);
    fz_intern_free(NULL);
}

static void test_binary_and_empty(void **st) {
    (void)st;
    fz_intern *t;
    assert_int_equal(fz_intern_new(&t, 4), 0);
    assert_int_equal(fz_intern_find(t, "", 0), -1);
    assert_int_equal(fz_intern_get(t, "", 0, NULL), 0);
    assert_int_equal(fz_intern_find(t, "", 0), 0);
    assert_int_equal(fz_intern_get(t, "a\0b", 3, NULL), 1);
    assert_int_equal(fz_intern_get(t, "a\0c", 3, NULL), 2);
    assert_int_equal(fz_intern_get(t, "a", 1, NULL), 3);
    assert_int_equal(fz_intern_find(t, "a\0b", 3), 1);
    size_t n;
    assert_memory_equal(fz_intern_key(t, 2, &n), "a\0c", 3);
    assert_int_equal(n, 3);
    fz_intern_key(t, 0, &n);
    assert_int_equal(n, 0);
    fz_intern_free(t);
}

static void test_key_limits(void **st) {
    (void)st;
    fz_intern *t;
    assert_int_equal(fz_intern_new(&t, 0), 0);
    char *big = malloc(65536);
    assert_non_null(big);
    memset(big, 'x', 65536);
    assert_int_equal(fz_intern_get(t, big, 65535, NULL), 0);
    assert_int_equal(fz_intern_find(t, big, 65535), 0);
    assert_int_equal(fz_intern_get(t, big, 65536, NULL), FZ_ERANGE);
    assert_int_equal(fz_intern_find(t, big, 65536), -1);
    size_t n;
    fz_intern_key(t, 0, &n);
    assert_int_equal(n, 65535);
    assert_int_equal(fz_intern_count(t), 1);
    free(big);
    fz_intern_free(t);
}

/* Account-number-like keys: many share long prefixes. */
static size_t key_of(uint32_t i, char *buf) {
    return (size_t)sprintf(buf, "6222%012u", i * 2654435761u % 1000000007u);
}

static void test_million_roundtrip(void **st) {
    (void)st;
    enum { N = 1000000 };
    fz_intern *t;
    assert_int_equal(fz_intern_new(&t, 0), 0); /* grows from the default size */
    char buf[32];
    for (uint32_t i = 0; i < N; i++) {
        size_t n = key_of(i, buf);
        int added = 0;
        assert_int_equal(fz_intern_get(t, buf, n, &added), i);
        assert_int_equal(added, 1);
    }
    assert_int_equal(fz_intern_count(t), N);
    for (uint32_t i = 0; i < N; i++) {
        size_t n = key_of(i, buf), kn;
        assert_int_equal(fz_intern_find(t, buf, n), i);
        int added = 1;
        assert_int_equal(fz_intern_get(t, buf, n, &added), i);
        assert_int_equal(added, 0);
        const char *k = fz_intern_key(t, i, &kn);
        assert_int_equal(kn, n);
        assert_memory_equal(k, buf, n);
    }
    for (uint32_t i = N; i < N + 1000; i++) {
        size_t n = key_of(i, buf);
        assert_int_equal(fz_intern_find(t, buf, n), -1);
    }
    assert_int_equal(fz_intern_count(t), N);
    /* 16-byte keys: the budget is ~ 8..16 slot + 8 id + 18 arena bytes, with
     * doubling slack; well under 100 bytes a key even after growth. */
    size_t per_key = fz_intern_bytes(t) / N;
    print_message("intern: %zu bytes per 16-byte key after growth\n", per_key);
    assert_true(per_key < 100);
    fz_intern_free(t);
}

static void test_reserve(void **st) {
    (void)st;
    enum { N = 100000 };
    fz_intern *t;
    assert_int_equal(fz_intern_new(&t, N), 0);
    size_t before = fz_intern_bytes(t);
    char buf[32];
    for (uint32_t i = 0; i < N; i++) {
        size_t n = key_of(i, buf);
        assert_int_equal(fz_intern_get(t, buf, n, NULL), i);
    }
    /* keys of <= 16 bytes fit the reservation: nothing grew */
    assert_int_equal(fz_intern_bytes(t), before);
    size_t per_key = before / N;
    print_message("intern: %zu bytes per key reserved\n", per_key);
    assert_true(per_key <= 16 + 8 + 18 + 8);
    /* reserve on a filled table keeps every id */
    assert_int_equal(fz_intern_reserve(t, 4 * N), 0);
    assert_true(fz_intern_bytes(t) > before);
    for (uint32_t i = 0; i < N; i++) {
        size_t n = key_of(i, buf);
        assert_int_equal(fz_intern_find(t, buf, n), i);
    }
    assert_int_equal(fz_intern_reserve(t, 10), 0); /* smaller: a no-op */
    assert_int_equal(fz_intern_count(t), N);
    fz_intern_free(t);
}

static void test_growth_small_steps(void **st) {
    (void)st;
    fz_intern *t;
    assert_int_equal(fz_intern_new(&t, 1), 0);
    char buf[32];
    size_t last = fz_intern_bytes(t);
    int grew = 0;
    for (uint32_t i = 0; i < 5000; i++) {
        int n = snprintf(buf, sizeof buf, "%u", i);
        assert_int_equal(fz_intern_get(t, buf, (size_t)n, NULL), i);
        if (fz_intern_bytes(t) != last) grew++;
        last = fz_intern_bytes(t);
        /* every earlier key survives each rehash */
        if ((i & (i + 1)) == 0)
            for (uint32_t j = 0; j <= i; j++) {
                n = snprintf(buf, sizeof buf, "%u", j);
                assert_int_equal(fz_intern_find(t, buf, (size_t)n), j);
            }
    }
    assert_true(grew > 3 && grew < 60); /* doubling, not per-key growth */
    fz_intern_free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),          cmocka_unit_test(test_binary_and_empty),
        cmocka_unit_test(test_key_limits),     cmocka_unit_test(test_million_roundtrip),
        cmocka_unit_test(test_reserve),        cmocka_unit_test(test_growth_small_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
