/* test_metrics.c — confusion counts, P/R/F1, PR-AUC, per typology; and the
 * JSON/CSV escaping the writers use. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_jsonw.h"
#include "fz_metrics.h"

static fz_str S(const char *s) { return (fz_str){s, (uint32_t)strlen(s)}; }

static void confusion_and_rates(void **state) {
    (void)state;
    fz_metrics m;
    fz_metrics_init(&m);
    fz_metrics_add(&m, 1, S("fan_in"), 1, 500);  /* tp */
    fz_metrics_add(&m, 1, S("fan_in"), 0, 0);    /* fn */
    fz_metrics_add(&m, 1, S("cycle"), 1, 300);   /* tp */
    fz_metrics_add(&m, 0, S("fan_in"), 1, 400);  /* fp, a decoy */
    fz_metrics_add(&m, 0, S(""), 0, 0);          /* tn */
    fz_metrics_add(&m, -1, S("cycle"), 1, 900);  /* unlabelled: not counted */
    assert_int_equal(m.all.tp, 2);
    assert_int_equal(m.all.fn, 1);
    assert_int_equal(m.all.fp, 1);
    assert_int_equal(m.all.tn, 1);
    assert_true(fabs(fz_precision(&m.all) - 2.0 / 3) < 1e-12);
    assert_true(fabs(fz_recall(&m.all) - 2.0 / 3) < 1e-12);
    assert_true(fabs(fz_f1(&m.all) - 2.0 / 3) < 1e-12);
    assert_int_equal(m.ntyp, 2);
    assert_string_equal(m.typ[0].name, "fan_in");
    assert_int_equal(m.typ[0].c.tp, 1);
    assert_int_equal(m.typ[0].c.fn, 1);
    assert_int_equal(m.typ[0].c.fp, 1); /* the decoy */
    /* scores 500 (pos), 400 (neg), 300 (pos), 0 (pos, neg):
     * AP = 1/3*1 + 1/3*(2/3) + 1/3*(3/5) */
    double ap = 1.0 / 3 + (1.0 / 3) * (2.0 / 3) + (1.0 / 3) * (3.0 / 5);
    assert_true(fabs(fz_metrics_pr_auc(&m) - ap) < 1e-12);
    assert_true(fz_metrics_has_labels(&m));
}

static void nothing_labelled(void **state) {
    (void)state;
    fz_metrics m;
    fz_metrics_init(&m);
    fz_metrics_add(&m, -1, S(""), 1, 10);
    assert_false(fz_metrics_has_labels(&m));
    assert_true(fz_f1(&m.all) == 0.0);
    assert_true(fz_metrics_pr_auc(&m) == 0.0);
}

static char *capture(void (*fn)(FILE *, const char *, size_t), const char *s, size_t n) {
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    fn(f, s, n);
    fclose(f);
    return out;
}

static void escaping(void **state) {
    (void)state;
    char *j = capture(fz_jsonw_str, "a\"b\\c\n\x01中", 10);
    assert_string_equal(j, "\"a\\\"b\\\\c\\u000a\\u0001中\"");
    free(j);
    j = capture(fz_jsonw_str, NULL, 0);
    assert_string_equal(j, "\"\"");
    free(j);
    char *c = capture(fz_csvw_field, "plain", 5);
    assert_string_equal(c, "plain");
    free(c);
    c = capture(fz_csvw_field, "a,\"b\"", 5);
    assert_string_equal(c, "\"a,\"\"b\"\"\"");
    free(c);
    c = capture(fz_csvw_field, NULL, 0);
    assert_string_equal(c, "");
    free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(confusion_and_rates),
        cmocka_unit_test(nothing_labelled),
        cmocka_unit_test(escaping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
