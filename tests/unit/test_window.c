/* test_window.c — time-bucket windows, distinct-counterparty sets, day totals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fz_cpset.h"
#include "fz_daytotals.h"
#include "fz_window.h"

#define H 3600000LL

/* A 1 h window is 3 buckets of 30 min: it holds the last hour and at most
 * 30 minutes more, never less. */
static void window_keeps_everything_of_the_last_w(void **state) {
    (void)state;
    fz_bucket ring[FZ_WIN_BUCKETS] = {0};
    int64_t width = H / (FZ_WIN_BUCKETS - 1), last = 0, count, sum;
    int64_t times[] = {0, 10 * 60000, 50 * 60000, 65 * 60000};
    for (int i = 0; i < 4; i++) {
        int64_t to = fz_window_epoch(times[i], width);
        fz_window_advance(ring, fz_window_slot(to), to - fz_window_epoch(last, width));
        fz_window_add(ring, fz_window_slot(to), 100 * (i + 1));
        last = times[i];
    }
    fz_window_read(ring, &count, &sum);
    /* at 65 min the buckets are [0,30) [30,60) [60,90): all four are inside */
    assert_int_equal(count, 4);
    assert_int_equal(sum, 1000);
    int64_t e91 = fz_window_epoch(91 * 60000, width);
    fz_window_advance(ring, fz_window_slot(e91), e91 - fz_window_epoch(last, width));
    fz_window_read(ring, &count, &sum);
    /* at 91 min: [30,60) [60,90) [90,120): the two at 0 and 10 min are gone */
    assert_int_equal(count, 2);
    assert_int_equal(sum, 700);
    int64_t e10h = fz_window_epoch(10 * H, width);
    fz_window_advance(ring, fz_window_slot(e10h), e10h - e91);
    fz_window_read(ring, &count, &sum);
    assert_int_equal(count, 0);
    assert_int_equal(sum, 0);
}

static void window_saturates_instead_of_wrapping(void **state) {
    (void)state;
    fz_bucket ring[FZ_WIN_BUCKETS] = {0};
    int64_t count, sum;
    fz_window_add(ring, 0, FZ_BUCKET_SUM_MAX - 5);
    fz_window_add(ring, 0, 100);
    fz_window_read(ring, &count, &sum);
    assert_int_equal(count, 2);
    assert_int_equal(sum, FZ_BUCKET_SUM_MAX);
}

static void window_epochs_floor_negative_times(void **state) {
    (void)state;
    assert_int_equal(fz_window_slot(-1), FZ_WIN_BUCKETS - 1);
    assert_int_equal(fz_window_slot(FZ_WIN_BUCKETS), 0);
    assert_int_equal(fz_window_epoch(-1, 10), -1);
    assert_int_equal(fz_window_epoch(-10, 10), -1);
    assert_int_equal(fz_window_epoch(-11, 10), -2);
    assert_int_equal(fz_window_epoch(9, 10), 0);
}

/* The set holds the most recent distinct counterparties: exact up to its size. */
static void cpset_counts_distinct_exactly_up_to_its_size(void **state) {
    (void)state;
    fz_cp_slot set[FZ_CP_SLOTS];
    fz_cpset_init(set);
    fz_cpset_touch(set, 7, 100);
    fz_cpset_touch(set, 7, 200); /* same counterparty: one */
    fz_cpset_touch(set, 9, 150);
    assert_int_equal(fz_cpset_since(set, 1), 2);
    assert_int_equal(fz_cpset_since(set, 160), 1); /* 9 was last seen at 150 */
    for (uint32_t cp = 100; cp < 100 + 3 * FZ_CP_SLOTS; cp++) fz_cpset_touch(set, cp, 1000 + cp);
    assert_int_equal(fz_cpset_since(set, 1), FZ_CP_SLOTS);
    /* the most recent three are still exactly three */
    assert_int_equal(fz_cpset_since(set, 1000 + 100 + 3 * FZ_CP_SLOTS - 3), 3);
}

static void cpset_clock_clamps(void **state) {
    (void)state;
    assert_int_equal(fz_cpset_sec(0), 1);                        /* before 2000 */
    assert_int_equal(fz_cpset_sec(946684800000LL + 5000), 5);
    assert_int_equal(fz_cpset_sec(INT64_MAX / 2), UINT32_MAX);
}

static void daytotals_keep_directions_and_categories_apart(void **state) {
    (void)state;
    fz_daytotals d = {0};
    d.day = -1;
    fz_daytotals_roll(&d, 100);
    fz_daytotals_add(&d, FZ_DIR_IN, fz_lv_categories(FZ_KIND_CASH_DEPOSIT, 0), 3000000, 0, FZ_CH_COUNTER, 3000000);
    fz_daytotals_add(&d, FZ_DIR_OUT, fz_lv_categories(FZ_KIND_CASH_WITHDRAWAL, 0), 2500000, 0, FZ_CH_ATM, 2500000);
    assert_int_equal(d.cny[FZ_LV_CASH][FZ_DIR_IN], 3000000);
    assert_int_equal(d.cny[FZ_LV_CASH][FZ_DIR_OUT], 2500000); /* never netted */
    assert_int_equal(d.chan_out[FZ_CH_ATM - 1], 2500000);
    assert_int_equal(d.chan_out[FZ_CH_COUNTER - 1], 0); /* inflow is not outflow */
    /* a cross-border cash remittance is cash and a cross-border transfer */
    fz_daytotals_add(&d, FZ_DIR_OUT, fz_lv_categories(FZ_KIND_CASH_REMITTANCE, FZ_TXN_CROSS_BORDER), 100, 0,
                     FZ_CH_COUNTER, 100);
    assert_int_equal(d.cny[FZ_LV_CASH][FZ_DIR_OUT], 2500100);
    assert_int_equal(d.cny[FZ_LV_TRANSFER_XB][FZ_DIR_OUT], 100);
    assert_int_equal(d.cny[FZ_LV_TRANSFER_DOM][FZ_DIR_OUT], 0);
    /* exempt: counted as activity, not in large-value sums */
    fz_daytotals_add(&d, FZ_DIR_IN, 0, 9999999, 0, FZ_CH_ONLINE, 9999999);
    assert_int_equal(d.count[FZ_DIR_IN], 2);
    assert_int_equal(d.cny[FZ_LV_TRANSFER_DOM][FZ_DIR_IN], 0);
    fz_daytotals_roll(&d, 101);
    assert_int_equal(d.cny[FZ_LV_CASH][FZ_DIR_IN], 0);
    assert_int_equal(d.count[FZ_DIR_IN], 0);
}

static void daytotals_usd_saturates(void **state) {
    (void)state;
    fz_daytotals d = {0};
    fz_daytotals_add(&d, FZ_DIR_IN, 1u << FZ_LV_CASH, 0, 4000000000LL, FZ_CH_COUNTER, 0);
    fz_daytotals_add(&d, FZ_DIR_IN, 1u << FZ_LV_CASH, 0, 4000000000LL, FZ_CH_COUNTER, 0);
    assert_int_equal(d.usd[FZ_LV_CASH][FZ_DIR_IN], UINT32_MAX);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(window_keeps_everything_of_the_last_w),
        cmocka_unit_test(window_saturates_instead_of_wrapping),
        cmocka_unit_test(window_epochs_floor_negative_times),
        cmocka_unit_test(cpset_counts_distinct_exactly_up_to_its_size),
        cmocka_unit_test(cpset_clock_clamps),
        cmocka_unit_test(daytotals_keep_directions_and_categories_apart),
        cmocka_unit_test(daytotals_usd_saturates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
