/* test_grades.c — the risk-grades file, and which customer a grade lands on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fz_grades.h"

static char path[64];

static const char *write_file(const char *text) {
    snprintf(path, sizeof path, "/tmp/fz_grades_%d.csv", (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static fz_engine *engine_with(const char *rule_when) {
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    fz_engine *e;
    fz_error err;
    assert_int_equal(fz_engine_new(&e, &cfg, &err), 0);
    char text[512];
    snprintf(text, sizeof text,
             "pack \"t\" version \"1\"\nrule \"R\" {\n on payer\n when %s\n then hold\n reason zh \"z\"\n reason en \"e\"\n}\n",
             rule_when);
    fz_rules_src src = {"t.rules", text, strlen(text)};
    fz_ruleset *rs;
    assert_int_equal(fz_rules_compile(&rs, &src, 1, fz_engine_schema(e), &err), 0);
    assert_int_equal(fz_engine_set_rules(e, rs), 0);
    return e;
}

static int holds(fz_engine *e, const char *acct, const char *bank, const char *cust) {
    fz_txn t;
    memset(&t, 0, sizeof t);
    t.time = 1700000000000LL;
    t.payer_acct = (fz_str){acct, (uint32_t)strlen(acct)};
    t.payer_bank = (fz_str){bank, (uint32_t)strlen(bank)};
    t.payer_cust = (fz_str){cust, (uint32_t)strlen(cust)};
    t.payee_acct = (fz_str){"X", 1};
    t.amount = 100;
    t.currency = FZ_CCY_CNY;
    fz_decision d;
    assert_int_equal(fz_engine_score(e, &t, &d), 0);
    return d.outcome == FZ_OUT_HOLD;
}

static void grades_land_on_named_customers_and_on_accounts(void **state) {
    (void)state;
    fz_engine *e = engine_with("cust.grade >= 2");
    fz_error err;
    assert_int_equal(fz_grades_load(e, write_file("customer,grade\nP1, high\n# note\n\n7@B,3 # trailing\nP2,low\n"), &err), 0);
    assert_true(holds(e, "A1", "B", "P1"));  /* named customer */
    assert_true(holds(e, "7", "B", ""));     /* the account is its own customer: 7@B */
    assert_false(holds(e, "8", "B", ""));
    assert_false(holds(e, "A2", "B", "P2"));
    fz_rules_free((fz_ruleset *)fz_engine_rules(e));
    fz_engine_free(e);
    unlink(path);
}

static void bad_lines_name_file_line_and_field(void **state) {
    (void)state;
    fz_engine *e = engine_with("cust.grade >= 2");
    static const struct { const char *text, *want; } cases[] = {
        {"P1,4\n", ":1:4: grade: '4' is not 0-3, low, medium, high or highest"},
        {"P1,1\nP2\n", ":2: grade: expected \"customer,grade\""},
        {"P1,1\n ,2\n", ":2:1: customer: empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fz_error err;
        assert_int_equal(fz_grades_load(e, write_file(cases[i].text), &err), FZ_EPARSE);
        char msg[512];
        fz_error_format(&err, msg, sizeof msg);
        assert_non_null(strstr(msg, cases[i].want));
        assert_non_null(strstr(msg, path));
    }
    fz_error err;
    assert_int_equal(fz_grades_load(e, "/nonexistent/grades.csv", &err), FZ_EIO);
    fz_rules_free((fz_ruleset *)fz_engine_rules(e));
    fz_engine_free(e);
    unlink(path);
}

static void grade_names(void **state) {
    (void)state;
    int g;
    assert_int_equal(fz_grade_parse("HIGHEST", 7, &g), 0);
    assert_int_equal(g, 3);
    assert_int_equal(fz_grade_parse("0", 1, &g), 0);
    assert_int_equal(g, 0);
    assert_int_equal(fz_grade_parse("hi", 2, &g), FZ_EPARSE);
    assert_int_equal(fz_grade_parse("", 0, &g), FZ_EPARSE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grades_land_on_named_customers_and_on_accounts),
        cmocka_unit_test(bad_lines_name_file_line_and_field),
        cmocka_unit_test(grade_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
