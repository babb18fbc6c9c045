/* test_lv.c — the large-value book: records gather every transaction of
 * their customer, day, direction, basis and category, including those before
 * the crossing; nothing else. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_daytotals.h"
#include "fz_lv.h"

static fz_str name(void *ctx, uint32_t id) {
    static char buf[8][16];
    static int k;
    (void)ctx;
    char *b = buf[k++ & 7];
    int n = snprintf(b, 16, "X%u", (unsigned)id);
    return (fz_str){b, (uint32_t)n};
}

static char *write_book(const fz_lv_book *b) {
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    assert_int_equal(fz_lv_book_write_csv(b, f, name, name, NULL), 0);
    fclose(f);
    return out;
}

static void records_gather_their_transactions(void **state) {
    (void)state;
    fz_lv_book *b;
    assert_int_equal(fz_lv_book_new(&b), 0);
    /* customer 7 crossed 0501 in on day 100; customer 9 crossed 0503 out */
    fz_lv_hit h1 = {7, 100, 501, 0, FZ_DIR_IN, 0, {0, 0}};
    fz_lv_hit h2 = {9, 100, 503, 0, FZ_DIR_OUT, 0, {0, 0}};
    assert_int_equal(fz_lv_book_add(b, &h1), 0);
    assert_int_equal(fz_lv_book_add(b, &h2), 0);
    assert_int_equal(fz_lv_book_index(b), 0);
    unsigned cash = fz_lv_categories(FZ_KIND_CASH_DEPOSIT, 0), dom = fz_lv_categories(FZ_KIND_TRANSFER, 0);
    fz_lv_book_offer(b, 1, 7, 100, FZ_DIR_IN, 0, cash, 3000000);   /* before the crossing: in */
    fz_lv_book_offer(b, 2, 7, 100, FZ_DIR_OUT, 0, cash, 9000000);  /* other direction: out */
    fz_lv_book_offer(b, 3, 7, 101, FZ_DIR_IN, 0, cash, 9000000);   /* other day: out */
    fz_lv_book_offer(b, 4, 7, 100, FZ_DIR_IN, 1, cash, 100000);    /* other basis (USD): out */
    fz_lv_book_offer(b, 5, 7, 100, FZ_DIR_IN, 0, dom, 7000000);    /* a transfer, not cash: out */
    fz_lv_book_offer(b, 6, 7, 100, FZ_DIR_IN, 0, cash, 2000000);   /* the crossing: in */
    fz_lv_book_offer(b, 7, 9, 100, FZ_DIR_OUT, 0, dom, 50000000);  /* 0503 */
    fz_lv_book_offer(b, 8, 9, 100, FZ_DIR_OUT, 0, fz_lv_categories(FZ_KIND_TRANSFER, FZ_TXN_CROSS_BORDER),
                     1000); /* cross-border: not 0503 */
    char *csv = write_book(b);
    assert_string_equal(csv, "customer,date,crcd,direction,basis,total,count,txn_ids\n"
                             "X7,1970-04-11,0501,in,CNY,50000.00,2,X1|X6\n"
                             "X9,1970-04-11,0503,out,CNY,500000.00,1,X7\n");
    free(csv);
    fz_lv_book_free(b);
}

static void a_cash_remittance_counts_for_cash_and_transfer(void **state) {
    (void)state;
    fz_lv_book *b;
    assert_int_equal(fz_lv_book_new(&b), 0);
    fz_lv_hit a = {1, 5, 501, 0, FZ_DIR_OUT, 0, {0, 0}}, c = {1, 5, 504, 0, FZ_DIR_OUT, 0, {0, 0}};
    fz_lv_book_add(b, &a);
    fz_lv_book_add(b, &c);
    fz_lv_book_index(b);
    fz_lv_book_offer(b, 3, 1, 5, FZ_DIR_OUT, 0, fz_lv_categories(FZ_KIND_CASH_REMITTANCE, FZ_TXN_CROSS_BORDER),
                     30000000);
    char *csv = write_book(b);
    assert_non_null(strstr(csv, "X1,1970-01-06,0501,out,CNY,300000.00,1,X3\n"));
    assert_non_null(strstr(csv, "X1,1970-01-06,0504,out,CNY,300000.00,1,X3\n"));
    free(csv);
    assert_int_equal(fz_lv_book_count(b), 2);
    fz_lv_book_free(b);
}

static void an_empty_book_writes_a_header(void **state) {
    (void)state;
    fz_lv_book *b;
    assert_int_equal(fz_lv_book_new(&b), 0);
    assert_int_equal(fz_lv_book_offer(b, 1, 1, 1, 0, 0, 1, 1), 0); /* not indexed: ignored */
    char *csv = write_book(b);
    assert_string_equal(csv, "customer,date,crcd,direction,basis,total,count,txn_ids\n");
    free(csv);
    fz_lv_book_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_gather_their_transactions),
        cmocka_unit_test(a_cash_remittance_counts_for_cash_and_transfer),
        cmocka_unit_test(an_empty_book_writes_a_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
