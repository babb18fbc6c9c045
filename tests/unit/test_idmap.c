/* test_idmap.c — the id map (fz_idmap.h): every key put is found with its
 * value, before, during and after the table grows; keys never put are not
 * found; growing moves the old table a few slots an insert, so no insert
 * walks the whole table and the old table is gone before the next growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fz_idmap.h"

/* Distinct non-zero keys spread over the low bits, as hashed ids are. */
static uint64_t key_of(uint64_t i) {
    uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull;
    x ^= x >> 31;
    return x ? x : 1;
}

static void finds_what_was_put(void **state) {
    (void)state;
    fz_idmap m = {0};
    assert_int_equal(fz_idmap_get(&m, key_of(1)), 0); /* empty map */
    const uint64_t n = 600000;                         /* grows 4 times past the first table */
    int grew_while_moving = 0;
    for (uint64_t i = 0; i < n; i++) {
        assert_int_equal(fz_idmap_put(&m, key_of(i), (int64_t)i + 1), 0);
        if (m.old) {
            /* mid-move: a key the move has not reached yet, the newest, and
             * one never put */
            size_t j = m.moved;
            while (j < m.old_cap && !m.old[j].key) j++;
            if (j < m.old_cap) {
                grew_while_moving = 1;
                assert_int_equal(fz_idmap_get(&m, m.old[j].key), m.old[j].val);
            }
            assert_int_equal(fz_idmap_get(&m, key_of(i)), (int64_t)i + 1);
            assert_int_equal(fz_idmap_get(&m, key_of(n + i)), 0);
        }
        /* the load never passes 3/4, and a move ends before the next growth */
        assert_true(m.n * 4 <= m.cap * 3);
    }
    assert_true(grew_while_moving);
    assert_int_equal(m.n, n);
    for (uint64_t i = 0; i < n; i++) assert_int_equal(fz_idmap_get(&m, key_of(i)), (int64_t)i + 1);
    for (uint64_t i = n; i < n + 1000; i++) assert_int_equal(fz_idmap_get(&m, key_of(i)), 0);
    fz_idmap_free(&m);
    assert_null(m.t);
    assert_int_equal(m.n, 0);
}

/* Growth is spread out: the move of a table ends within 3/8 of the new
 * size in inserts, and one insert moves at most a handful of slots. */
static void growth_is_gradual(void **state) {
    (void)state;
    fz_idmap m = {0};
    uint64_t i = 0;
    while (m.cap < ((size_t)1 << 18)) assert_int_equal(fz_idmap_put(&m, key_of(i++), 1), 0);
    assert_non_null(m.old); /* just grew: the old table is still being moved */
    size_t cap = m.cap, before = m.moved, inserts = 0;
    assert_int_equal(fz_idmap_put(&m, key_of(i++), 1), 0);
    assert_true(m.moved - before <= 8);
    while (m.old && inserts < cap) {
        assert_int_equal(fz_idmap_put(&m, key_of(i++), 1), 0);
        inserts++;
    }
    assert_int_equal(m.cap, cap); /* done before the next growth */
    assert_true(inserts < cap * 3 / 8);
    fz_idmap_free(&m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_what_was_put),
        cmocka_unit_test(growth_is_gradual),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
