/* test_acct_class.c — the engine enforces class II and III accounts' limits
 * (rules/limits.rules) from the class KYC gives it, and a customer's grade
 * set after its account was seen still reaches the rules. Run from the
 * repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fz_engine.h"
#include "fz_test_txn.h"

#define YUAN(y) ((int64_t)(y) * 100)
/* 2026-12-30 10:00 Asia/Shanghai */
#define T0 (fz_days_from_civil(2026, 12, 30) * FZ_MS_PER_DAY + 2 * FZ_MS_PER_HOUR)

static fz_engine *e;
static fz_ruleset *rs;

static int setup(void **state) {
    (void)state;
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    fz_error err;
    const char *pack = "rules/limits.rules";
    if (fz_engine_new(&e, &cfg, &err) || fz_rules_load(&rs, &pack, 1, fz_engine_schema(e), &err)) return -1;
    return fz_engine_set_rules(e, rs);
}

static int teardown(void **state) {
    (void)state;
    fz_engine_free(e);
    fz_rules_free(rs);
    return 0;
}


/* Score an online transfer of yuan from payer to payee at t; 1 if rule hit. */
static int hits(const char *payer, const char *payee, fz_ms t, int64_t yuan, const char *rule) {
    fz_txn x = fz_test_txn(payer, payee, t, YUAN(yuan), FZ_KIND_TRANSFER);
    x.channel = FZ_CH_MOBILE;
    fz_decision d;
    assert_int_equal(fz_engine_score(e, &x, &d), 0);
    for (unsigned i = 0; i < d.nhits; i++)
        if (!strcmp(fz_rules_info(rs, d.hits[i].rule)->id, rule)) return 1;
    return 0;
}

static void class_two_day_and_year_limits(void **state) {
    (void)state;
    assert_int_equal(fz_engine_set_account_class(e, "A2", 2, 2), 0);
    assert_int_equal(fz_engine_set_account_class(e, "A2", 2, 4), FZ_EINVAL);
    assert_false(hits("A2", "X", T0, 6000, "LIM-CLASS2-DAILY"));
    assert_true(hits("A2", "X", T0 + FZ_MS_PER_HOUR, 5000, "LIM-CLASS2-DAILY")); /* 11,000 today */
    assert_false(hits("A2", "X", T0 + FZ_MS_PER_DAY, 9000, "LIM-CLASS2-DAILY"));  /* a new day */
    /* a class I account may move the same */
    assert_false(hits("A1", "X", T0, 6000, "LIM-CLASS2-DAILY"));
    assert_false(hits("A1", "X", T0 + FZ_MS_PER_HOUR, 5000, "LIM-CLASS2-DAILY"));
}

static void class_three_limits_and_the_new_year(void **state) {
    (void)state;
    assert_int_equal(fz_engine_set_account_class(e, "B3", 2, 3), 0);
    assert_false(hits("B3", "X", T0, 2000, "LIM-CLASS3-DAILY")); /* at the limit: allowed */
    assert_true(hits("B3", "X", T0 + 1000, 1, "LIM-CLASS3-DAILY"));
    /* the year: 25 days of 2,000 make 50,000 (2027-01-01 on; the days before
     * the new year do not count) */
    fz_ms jan1 = fz_days_from_civil(2027, 1, 1) * FZ_MS_PER_DAY + 2 * FZ_MS_PER_HOUR;
    int over = 0;
    for (int d = 0; d < 26; d++) over += hits("B3", "X", jan1 + d * FZ_MS_PER_DAY, 2000, "LIM-CLASS3-YEARLY");
    assert_int_equal(over, 1); /* only the 26th: 52,000 */
}

static void grade_set_after_the_account_was_seen(void **state) {
    (void)state;
    assert_false(hits("G1", "X", T0, 60000, "LIM-ONLINE-SINGLE-HIGH"));
    assert_int_equal(fz_engine_set_grade(e, "G1", 2, 2), 0); /* the account's own customer */
    assert_true(hits("G1", "X", T0 + 1000, 60000, "LIM-ONLINE-SINGLE-HIGH"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(class_two_day_and_year_limits),
        cmocka_unit_test(class_three_limits_and_the_new_year),
        cmocka_unit_test(grade_set_after_the_account_was_seen),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
