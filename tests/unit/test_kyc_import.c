/* test_kyc_import.c — importing customers from CSV: good rows go in, each
 * bad row is named file:line: field: reason and counted, --strict imports
 * nothing, a bad header stops the file; AMLSim's accounts.csv maps to
 * customers with their accounts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fz_kyc.h"
#include "fz_kyc_import.h"

static fz_db *db;
static char path[96];
static const fz_principal who = {0, FZ_ROLE_ADMIN, "tester"};
static char rejects[8][300];
static int nrejects;

static int setup(void **state) {
    (void)state;
    return 0;
}

static int fresh(void **state) {
    (void)state;
    fz_error err;
    snprintf(path, sizeof path, "/tmp/fz_test_kyc_import_%d.db", (int)getpid());
    unlink(path);
    nrejects = 0;
    return fz_db_open(&db, path, &err);
}

static int closedb(void **state) {
    (void)state;
    fz_db_close(db);
    unlink(path);
    return 0;
}

static void on_reject(void *ctx, const fz_error *e, const char *raw, size_t n) {
    (void)ctx;
    (void)raw;
    (void)n;
    if (nrejects < 8) fz_error_format(e, rejects[nrejects], sizeof rejects[0]);
    nrejects++;
}

static int import(const char *text, int strict, fz_kyc_import_stats *st, fz_error *err) {
    fz_kyc_import_opts o = {strict, on_reject, NULL};
    return fz_kyc_import_mem(db, &who, "c.csv", text, strlen(text), &o, st, err);
}

static int64_t count(const char *table) {
    char q[80];
    sqlite3_stmt *st;
    snprintf(q, sizeof q, "SELECT count(*) FROM %s", table);
    sqlite3_prepare_v2(fz_db_sqlite(db), q, -1, &st, NULL);
    sqlite3_step(st);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static const char CSV[] =
    "id,kind,name,id_type,id_number,nationality,occupation,phone,owners,cash_intensive\n"
    "C1,natural,张三,resident_id,11010519491231002X,CN,clerk,13800000000,,0\n"
    "C2,natural,李四,resident_id,110105194912310021,CN,clerk,,,0\n"          /* 3: check digit */
    "C3,entity,\"Acme, Ltd\",uscc,91350100M000100Y43,CN,,,\"[{\"\"role\"\":\"\"owner\"\",\"\"name\"\":\"\"Li\"\"}]\",1\n"
    "C4,natural,Wang,,,CN,clerk,,,0,extra\n"                                 /* 5: field count */
    "C1,natural,again,,,CN,,,,0\n"                                           /* 6: taken id */
    "C6,natural,Zhao,,,CN,,,,yes\n"                                          /* 7: not an integer */
    "C7,natural,Qian,,,CN,,,[oops,0\n"                                       /* 8: owners not JSON */
    "\n"
    "C8,natural,Sun,passport,E1234567,GB,,,,0\n";

static void rows_are_imported_or_rejected_with_reasons(void **state) {
    (void)state;
    fz_kyc_import_stats st;
    fz_error err;
    assert_int_equal(import(CSV, 0, &st, &err), 0);
    assert_string_equal(st.format, "fanzha");
    assert_int_equal(st.rows, 8);
    assert_int_equal(st.imported, 3);
    assert_int_equal(st.rejected, 5);
    assert_int_equal(nrejects, 5);
    assert_string_equal(rejects[0], "c.csv:3: id_number: the check character is wrong (GB 11643)");
    assert_non_null(strstr(rejects[1], "c.csv:5: 11 fields, the header has 10"));
    assert_string_equal(rejects[2], "c.csv:6: id: a customer C1 exists already");
    assert_string_equal(rejects[3], "c.csv:7: cash_intensive: is not an integer or time");
    assert_string_equal(rejects[4], "c.csv:8: owners: is not JSON");
    assert_int_equal(count("customers"), 3);
    json_t *c;
    assert_int_equal(fz_kyc_get(db, FZ_KYC_CUSTOMER, "C3", &c, &err), 0);
    assert_string_equal(json_string_value(json_object_get(c, "name")), "Acme, Ltd");
    assert_int_equal(json_array_size(json_object_get(c, "owners")), 1);
    assert_int_equal(json_integer_value(json_object_get(c, "cash_intensive")), 1);
    assert_true(json_integer_value(json_object_get(c, "review_due_ms")) > fz_db_now_ms()); /* onboarding deadline */
    json_decref(c);
    assert_int_equal(fz_kyc_history(db, "C3", &c, &err), 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(c, "items"), 0), "event")),
                        "import");
    json_decref(c);
}

static void strict_imports_nothing(void **state) {
    (void)state;
    fz_kyc_import_stats st;
    fz_error err;
    assert_int_equal(import(CSV, 1, &st, &err), FZ_EREJECT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "id_number");
    assert_int_equal(st.imported, 0);
    assert_int_equal(count("customers"), 0);
    assert_int_equal(count("customer_history"), 0);
}

static void bad_headers_stop_the_file(void **state) {
    (void)state;
    fz_kyc_import_stats st;
    fz_error err;
    assert_int_equal(import("id,name,colour\nC1,x,red\n", 0, &st, &err), FZ_EFORMAT);
    assert_string_equal(err.field, "colour");
    assert_int_equal(err.line, 1);
    assert_int_equal(import("name\nx\n", 0, &st, &err), FZ_EFORMAT);
    assert_string_equal(err.field, "id");
    assert_int_equal(import("", 0, &st, &err), FZ_EFORMAT);
    assert_int_equal(import("acct_id,dsply_nm,type\n1,x,I\n", 0, &st, &err), FZ_EFORMAT); /* AMLSim, columns missing */
    assert_int_equal(count("customers"), 0);
}

static const char AMLSIM[] =
    "acct_id,dsply_nm,type,acct_stat,acct_rptng_crncy,prior_sar_count,branch_id,open_dt,close_dt,initial_deposit,"
    "tx_behavior_id,bank_id,first_name,last_name,street_addr,city,state,country,zip,gender,birth_date,ssn,lon,lat\n"
    "0,C_0,I,A,USD,false,1,0,1000000,79114.28,,bank_a,Emily,Blair,48764 Howard Forge Apt. 421,Vanessaside,PA,US,"
    "19763,Female,1980-08-27,701-43-7736,120.5,-62.9\n"
    "1,C_1,I,A,USD,true,1,0,1000000,76607.56,,bank_b,Dana,Nguyen,387 Grimes Green,Pagetown,NM,US,44165,Female,"
    "1919-06-23,196-73-3633,-51.8,-51.7\n"
    "2,C_2,I,A,USD,false,1,0,1000000,1.0,,bank_a,Bad,Date,1 Road,Town,LA,US,1,Male,1954-02-30,590-31-4757,0,0\n";

static void amlsim_accounts_become_customers(void **state) {
    (void)state;
    fz_kyc_import_stats st;
    fz_error err;
    assert_int_equal(import(AMLSIM, 0, &st, &err), 0);
    assert_string_equal(st.format, "amlsim");
    assert_int_equal(st.imported, 2);
    assert_int_equal(st.rejected, 1);
    assert_string_equal(rejects[0], "c.csv:4: birth_date: must be a past date YYYY-MM-DD");
    json_t *c;
    assert_int_equal(fz_kyc_get(db, FZ_KYC_CUSTOMER, "1@bank_b", &c, &err), 0);
    assert_string_equal(json_string_value(json_object_get(c, "name")), "Dana Nguyen");
    assert_string_equal(json_string_value(json_object_get(c, "id_number")), "196-73-3633");
    assert_string_equal(json_string_value(json_object_get(c, "nationality")), "US");
    json_decref(c);
    assert_int_equal(fz_kyc_get(db, FZ_KYC_ACCOUNT, "1@bank_b", &c, &err), 0);
    assert_string_equal(json_string_value(json_object_get(c, "customer_id")), "1@bank_b");
    json_decref(c);
    assert_int_equal(fz_kyc_history(db, "1@bank_b", &c, &err), 0); /* prior SAR: a report on record */
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(c, "items"), 0), "event")),
                        "trigger.str");
    json_decref(c);
    assert_int_equal(count("accounts"), 2); /* the bad row left no account behind */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rows_are_imported_or_rejected_with_reasons, fresh, closedb),
        cmocka_unit_test_setup_teardown(strict_imports_nothing, fresh, closedb),
        cmocka_unit_test_setup_teardown(bad_headers_stop_the_file, fresh, closedb),
        cmocka_unit_test_setup_teardown(amlsim_accounts_become_customers, fresh, closedb),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
