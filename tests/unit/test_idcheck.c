/* test_idcheck.c — resident ID check digits (GB 11643) and unified social
 * credit code check characters (GB 32100): published valid samples, each
 * broken in one place. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fz_error.h"
#include "fz_idcheck.h"
#include "fz_time.h"

static int resident(const char *s) { return fz_idcheck_resident(s, strlen(s), fz_time_cn_day(1795000000000LL), NULL); }
static int uscc(const char *s) { return fz_idcheck_uscc(s, strlen(s), NULL); }

static void resident_ids_valid(void **state) {
    (void)state;
    assert_int_equal(resident("11010519491231002X"), 0); /* the standard's example: check X */
    assert_int_equal(resident("440524188001010014"), 0);
    assert_int_equal(resident("110101199001011237"), 0);
    assert_int_equal(fz_idcheck_resident_char("11010519491231002"), 'X');
    assert_int_equal(fz_idcheck_resident_birth("11010519491231002X"), fz_days_from_civil(1949, 12, 31));
}

static void resident_ids_invalid(void **state) {
    (void)state;
    const char *why = NULL;
    assert_int_equal(fz_idcheck_resident("110105194912310021", 18, -1, &why), FZ_EINVAL); /* wrong check */
    assert_non_null(strstr(why, "check character"));
    assert_int_equal(resident("11010519491231002x"), FZ_EINVAL); /* lower-case x */
    assert_int_equal(resident("11010519491231002"), FZ_EINVAL);  /* 17 */
    assert_int_equal(resident("11010519491231002XX"), FZ_EINVAL);
    assert_int_equal(resident("1101051949123A002X"), FZ_EINVAL);
    assert_int_equal(resident("110105194902300021"), FZ_EINVAL); /* 30 February */
    /* a birth date after "today" (2026-11-18), with a right check digit */
    char future[19] = "11010520301231002";
    future[17] = fz_idcheck_resident_char(future);
    future[18] = 0;
    assert_int_equal(resident(future), FZ_EINVAL);
    assert_int_equal(fz_idcheck_resident(future, 18, -1, NULL), 0);
}

static void uscc_valid_and_invalid(void **state) {
    (void)state;
    assert_int_equal(uscc("91350100M000100Y43"), 0);
    assert_int_equal(uscc("91110000600037341L"), 0);
    assert_int_equal(fz_idcheck_uscc_char("91350100M000100Y4"), '3');
    const char *why = NULL;
    assert_int_equal(fz_idcheck_uscc("91350100M000100Y44", 18, &why), FZ_EINVAL);
    assert_non_null(strstr(why, "GB 32100"));
    assert_int_equal(uscc("91350100M000100Y4"), FZ_EINVAL);   /* 17 characters */
    assert_int_equal(uscc("91350100I000100Y43"), FZ_EINVAL);  /* I is not in the alphabet */
    assert_int_equal(uscc("9135O100M000100Y43"), FZ_EINVAL);  /* letter O in the division code */
    assert_int_equal(uscc("91350100m000100Y43"), FZ_EINVAL);  /* lower case */
    assert_int_equal(fz_idcheck_uscc_char("91350100S000100Y4"), 0);
}

static void other_documents_and_dates(void **state) {
    (void)state;
    assert_int_equal(fz_idcheck("passport", "E12345678", 9, -1, NULL), 0);
    assert_int_equal(fz_idcheck("passport", "E1 2345678", 10, -1, NULL), FZ_EINVAL);
    assert_int_equal(fz_idcheck("other", "AB1", 3, -1, NULL), FZ_EINVAL);
    assert_int_equal(fz_idcheck("uscc", "91350100M000100Y43", 18, -1, NULL), 0);
    int32_t d;
    assert_int_equal(fz_date_parse("2024-02-29", 10, &d), 0);
    assert_int_equal(d, fz_days_from_civil(2024, 2, 29));
    assert_int_equal(fz_date_parse("2023-02-29", 10, &d), FZ_EINVAL);
    assert_int_equal(fz_date_parse("2023-2-28", 9, &d), FZ_EINVAL);
    assert_int_equal(fz_date_parse("2023/02/28", 10, &d), FZ_EINVAL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resident_ids_valid),
        cmocka_unit_test(resident_ids_invalid),
        cmocka_unit_test(uscc_valid_and_invalid),
        cmocka_unit_test(other_documents_and_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
