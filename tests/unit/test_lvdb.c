/* test_lvdb.c — large-value records in the store: an event carries its
 * records (copied keys), the deadline of a record day on a calendar with a
 * holiday, the records list (filters, deadlines), the deadline board
 * (overdue, due today, due soon, by day, with suspicious reports), and
 * making the files from stored events: a record gathers the transactions of
 * its customer's day, those before the crossing and those that name only the
 * account too; the records are filed with their file, once, and audited. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_engine.h"
#include "fz_eventlog.h"
#include "fz_lvdb.h"
#include "fz_lvreport.h"
#include "fz_reader.h"
#include "fz_time.h"

static const fz_principal sue = {.token_id = 1, .role = FZ_ROLE_SUPERVISOR, .name = "sue"};

/* 2026-11-02 (Mon) .. ; a holiday on 2026-11-05 for the test. */
static fz_calendar *calendar(void) {
    static const char text[] = "years 2026 2026\noff 2026-11-05 test holiday\n";
    fz_calendar *c;
    fz_error err;
    assert_int_equal(fz_calendar_new(&c), 0);
    assert_int_equal(fz_calendar_load_mem(c, "cal", text, strlen(text), &err), 0);
    return c;
}

static int32_t day(const char *s) {
    int32_t d;
    assert_int_equal(fz_day_parse(s, strlen(s), &d), 0);
    return d;
}

static fz_db *open_db(void) {
    fz_db *db;
    fz_error err;
    assert_int_equal(fz_db_open(&db, ":memory:", &err), 0);
    return db;
}

static void sql(fz_db *db, const char *s) {
    fz_error err;
    if (fz_db_exec(db, s, &err)) fail_msg("%s: %s", s, err.msg);
}

static void test_event_lv(void **state) {
    (void)state;
    fz_event_lv lv[2] = {{"K1", 2, "LV-0501-CNY", 20759, 501, 1, 0}, {"A9@FZB", 6, "LV-0503-CNY", 20759, 503, 0, 0}};
    fz_event *ev = fz_event_new("t1", 2, "P", "Q", "CNY", "{}", 2, "{}", 2, lv, 2);
    assert_non_null(ev);
    assert_int_equal(ev->nlv, 2);
    assert_string_equal(ev->lv[0].customer, "K1");
    assert_string_equal(ev->lv[1].customer, "A9@FZB");
    assert_ptr_not_equal(ev->lv[1].customer, lv[1].customer); /* a copy in the event */
    assert_int_equal(ev->lv[1].crcd, 503);
    assert_string_equal(ev->txn_id, "t1");
    fz_event_free(ev);
}

static void test_deadline(void **state) {
    (void)state;
    fz_calendar *c = calendar();
    fz_lv_deadline d;
    /* Mon 11-02 + 5 working days, Thu 11-05 off: 11-03, 04, 06, 09, 10 */
    assert_int_equal(fz_lvreport_deadline(c, day("2026-11-02"), day("2026-11-06"), &d), 0);
    assert_int_equal(d.due, day("2026-11-10"));
    assert_int_equal(d.left, 2);
    assert_false(d.provisional);
    assert_int_equal(fz_lvreport_deadline(c, day("2026-11-02"), day("2026-11-12"), &d), 0);
    assert_int_equal(d.left, -2);
    assert_int_equal(fz_lvreport_deadline(c, day("2026-12-30"), day("2026-12-30"), &d), 0);
    assert_true(d.provisional); /* due in 2027, a year the calendar does not know */
    fz_calendar_free(c);
}

/* Records of 11-02 (due 11-10), 11-04 (due 11-12) and 11-09 (due 11-16),
 * one filed; a draft suspicious report due 11-11. Today 11-10. */
static fz_db *board_fixture(void) {
    fz_db *db = open_db();
    char buf[1024];
    snprintf(buf, sizeof buf,
             "INSERT INTO events VALUES(1, 't1', 0, 0, 'a', 'b', 1, 'CNY', 0, 0, 'v', '{}', '{}');\n"
             "INSERT INTO large_value(seq, txn_id, customer, day, crcd, dir, fx, rule, created_ms) VALUES"
             "(1, 't1', 'K1', %d, 501, 1, 0, 'R', 0), (1, 't1', 'K2', %d, 501, 0, 0, 'R', 0),"
             "(1, 't1', 'K2', %d, 503, 0, 0, 'R', 0), (1, 't1', 'K3', %d, 501, 1, 0, 'R', 0);\n"
             "UPDATE large_value SET status = 'filed' WHERE customer = 'K3';\n",
             day("2026-11-02"), day("2026-11-04"), day("2026-11-04"), day("2026-11-09"));
    sql(db, buf);
    return db;
}

static void test_list(void **state) {
    (void)state;
    fz_db *db = board_fixture();
    fz_calendar *c = calendar();
    fz_error err;
    json_t *out;
    fz_lv_filter f = {FZ_CASEDB_ANY, FZ_CASEDB_ANY, "pending", NULL, {50, 0}};
    assert_int_equal(fz_lvdb_list(db, c, day("2026-11-11"), &f, &out, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 3);
    json_t *first = json_array_get(json_object_get(out, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "customer")), "K1");
    assert_string_equal(json_string_value(json_object_get(first, "crcd")), "0501");
    assert_string_equal(json_string_value(json_object_get(first, "direction")), "in");
    assert_string_equal(json_string_value(json_object_get(first, "due_date")), "2026-11-10");
    assert_true(json_is_true(json_object_get(first, "overdue")));
    json_decref(out);
    f = (fz_lv_filter){day("2026-11-04"), day("2026-11-04"), NULL, "K2", {1, 1}};
    assert_int_equal(fz_lvdb_list(db, c, day("2026-11-11"), &f, &out, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 2);
    assert_int_equal(json_array_size(json_object_get(out, "items")), 1);
    json_decref(out);
    f.status = "open";
    assert_int_equal(fz_lvdb_list(db, c, day("2026-11-11"), &f, &out, &err), FZ_EINVAL);
    assert_string_equal(err.field, "status");
    fz_calendar_free(c);
    fz_db_close(db);
}

static void test_board(void **state) {
    (void)state;
    fz_db *db = board_fixture();
    fz_calendar *c = calendar();
    fz_error err;
    json_t *out;
    char buf[512];
    snprintf(buf, sizeof buf,
             "INSERT INTO cases(id, title, created_by, created_ms, updated_ms) VALUES(7, 'c', 'x', 0, 0);\n"
             "INSERT INTO strs(case_id, confirmed_ms, due_day, content, created_by, created_ms, updated_ms)"
             " VALUES(7, 0, %d, '{}', 'x', 0, 0);\n",
             day("2026-11-11"));
    sql(db, buf);
    assert_int_equal(fz_lvdb_board(db, c, day("2026-11-10"), 1, &out, &err), 0);
    json_t *n = json_object_get(out, "counts");
    assert_int_equal(json_integer_value(json_object_get(n, "overdue")), 0);
    assert_int_equal(json_integer_value(json_object_get(n, "due_today")), 1); /* K1 of 11-02 */
    assert_int_equal(json_integer_value(json_object_get(n, "due_soon")), 1);  /* the report, 1 working day on */
    json_t *soon = json_array_get(json_object_get(out, "due_soon"), 0);
    assert_string_equal(json_string_value(json_object_get(soon, "report")), "suspicious");
    json_t *by = json_object_get(out, "by_day");
    assert_int_equal(json_array_size(by), 3); /* 11-10, 11-11, 11-12 (K2's two records) */
    json_t *last = json_array_get(by, 2);
    assert_string_equal(json_string_value(json_object_get(last, "date")), "2026-11-12");
    assert_int_equal(json_integer_value(json_object_get(last, "large_value")), 2);
    json_decref(out);
    assert_int_equal(fz_lvdb_board(db, c, day("2026-11-13"), 3, &out, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "counts"), "overdue")), 4);
    json_decref(out);
    fz_calendar_free(c);
    fz_db_close(db);
}

/* K1 deposits 30,000 naming the customer, then 30,000 naming only the
 * account (bound to K1 by then), the crossing; X pays 10 to Y. */
static const char txns[] =
    "{\"id\":\"d1\",\"time\":\"2026-11-02T09:00:00+08:00\",\"payee_acct\":\"A1\",\"payee_cust\":\"K1\",\"amount\":\"30000.00\",\"kind\":\"cash_deposit\",\"channel\":\"counter\"}\n"
    "{\"id\":\"d2\",\"time\":\"2026-11-02T10:00:00+08:00\",\"payee_acct\":\"A1\",\"amount\":\"30000.00\",\"kind\":\"cash_deposit\",\"channel\":\"counter\"}\n"
    "{\"id\":\"d3\",\"time\":\"2026-11-02T11:00:00+08:00\",\"payer_acct\":\"X\",\"payee_acct\":\"Y\",\"amount\":\"10.00\"}\n";

/* Score txns (binding accounts to customers) and store them as events. */
static void store_events(fz_db *db, fz_engine *e) {
    fz_read_opts o = {.format = FZ_FMT_JSONL};
    fz_reader *r;
    fz_error err;
    fz_txn t;
    fz_decision d;
    assert_int_equal(fz_reader_open_mem(&r, "t", txns, strlen(txns), &o, &err), 0);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db), "INSERT INTO events VALUES(NULL, ?, ?, 0, '', '', 0, 'CNY', 0, 0, 'v', ?, '{}')",
                                        -1, &st, NULL), SQLITE_OK);
    while (fz_reader_next(r, &t, &err) == 1) {
        assert_int_equal(fz_engine_score(e, &t, &d), 0);
        fz_str line = fz_reader_line(r);
        fz_db_bind_text(st, 1, t.id.p, t.id.n);
        sqlite3_bind_int64(st, 2, t.time);
        fz_db_bind_text(st, 3, line.p, line.n);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    fz_reader_close(r);
    char buf[256];
    snprintf(buf, sizeof buf, "INSERT INTO large_value(seq, txn_id, customer, day, crcd, dir, fx, rule, created_ms)"
                              " VALUES(2, 'd2', 'K1', %d, 501, 1, 0, 'LV-0501-CNY', 0);", day("2026-11-02"));
    sql(db, buf);
}

static void test_make_files(void **state) {
    (void)state;
    fz_db *db = open_db();
    fz_engine *e;
    fz_engine_config cfg;
    fz_error err;
    fz_engine_config_default(&cfg);
    assert_int_equal(fz_engine_new(&e, &cfg, &err), 0);
    store_events(db, e);
    fz_hvtr_config hc = {.ricd = "C0000000000001"};
    fz_lvdb_make m = {&hc, e, NULL, day("2026-11-02"), day("2026-11-02"), day("2026-11-03")};
    json_t *out;
    assert_int_equal(fz_lvdb_make_files(db, &m, &sue, &out, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "records")), 1);
    json_t *x = json_array_get(json_object_get(out, "files"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "name")), "NBHC0000000000001-20261103-00000001.XML");
    assert_int_equal(json_integer_value(json_object_get(x, "records")), 2); /* d1 and d2 */
    int64_t id = json_integer_value(json_object_get(x, "id"));
    json_decref(out);
    char name[64], kind[8];
    unsigned char *data;
    size_t n;
    assert_int_equal(fz_lvdb_file(db, id, name, kind, &data, &n, &err), 0);
    assert_string_equal(kind, "xml");
    assert_non_null(strstr((char *)data, "<CSNM>K1</CSNM>"));
    assert_non_null(strstr((char *)data, "<TICD>d1</TICD>"));
    assert_non_null(strstr((char *)data, "<TICD>d2</TICD>"));
    assert_null(strstr((char *)data, "d3"));
    free(data);
    assert_int_equal(fz_lvdb_make_files(db, &m, &sue, &out, &err), FZ_EFULL); /* nothing pending */
    sqlite3_stmt *st;
    sqlite3_prepare_v2(fz_db_sqlite(db), "SELECT status, file_id FROM large_value", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "filed");
    assert_int_equal(sqlite3_column_int64(st, 1), id);
    sqlite3_finalize(st);
    sqlite3_prepare_v2(fz_db_sqlite(db), "SELECT actor FROM audit WHERE action = 'report.large_value.files'", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "sue");
    sqlite3_finalize(st);
    fz_engine_free(e);
    fz_db_close(db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_lv), cmocka_unit_test(test_deadline), cmocka_unit_test(test_list),
        cmocka_unit_test(test_board),    cmocka_unit_test(test_make_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
