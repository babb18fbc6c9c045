/* test_db.c — the store's schema moves forward: a file written at version
 * 1 is migrated to the latest version on open with its rows kept; a file
 * from a newer build is refused by name; the pragmas that make a commit
 * durable are set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fz_db_int.h"

static void path_of(char *buf, size_t n, const char *tag) {
    snprintf(buf, n, "/tmp/fanzha-test-db-%d-%s.db", (int)getpid(), tag);
    unlink(buf);
}

static void raw_exec(const char *path, const char *sql) {
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

static void migrates_forward_keeping_rows(void **state) {
    (void)state;
    char path[128];
    path_of(path, sizeof path, "v1");
    raw_exec(path, fz__db_steps[0]);
    raw_exec(path, "PRAGMA user_version=1;"
                   "INSERT INTO rulesets(version, source, created_by, created_ms, active) VALUES('r1','[]','t',1,1);"
                   "INSERT INTO customers(id, created_ms, updated_ms) VALUES('C1', 1000, 1000)");
    fz_db *db;
    fz_error err;
    assert_int_equal(fz_db_open(&db, path, &err), 0);
    assert_int_equal(fz_db_schema_version(db), fz_db_schema_latest());
    assert_true(fz_db_schema_latest() >= 2);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db), "SELECT version, note FROM rulesets", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "r1");
    assert_string_equal((const char *)sqlite3_column_text(st, 1), ""); /* v2's column, defaulted */
    sqlite3_finalize(st);
    /* v4: a customer from before is due for grading two weeks after it was created */
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db),
                                        "SELECT review_due_ms, pep FROM customer_reviews JOIN customers ON id = customer_id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 1000 + 14 * 86400000LL);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "none");
    sqlite3_finalize(st);
    fz_db_close(db);
    /* opening again changes nothing */
    assert_int_equal(fz_db_open(&db, path, &err), 0);
    assert_int_equal(fz_db_schema_version(db), fz_db_schema_latest());
    fz_db_close(db);
    unlink(path);
}

static void refuses_a_newer_file(void **state) {
    (void)state;
    char path[128], sql[64];
    path_of(path, sizeof path, "new");
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", fz_db_schema_latest() + 1);
    raw_exec(path, sql);
    fz_db *db = NULL;
    fz_error err;
    assert_int_equal(fz_db_open(&db, path, &err), FZ_EIO);
    assert_null(db);
    assert_non_null(strstr(err.msg, "newer than this build"));
    unlink(path);
}

static int pragma_int(fz_db *db, const char *sql) {
    sqlite3_stmt *st;
    int v = -1;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void durable_pragmas(void **state) {
    (void)state;
    char path[128];
    path_of(path, sizeof path, "wal");
    fz_db *db;
    fz_error err;
    assert_int_equal(fz_db_open(&db, path, &err), 0);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db), "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(pragma_int(db, "PRAGMA synchronous"), 2); /* FULL: the WAL is fsynced at each commit */
    fz_db_close(db);
    unlink(path);
    char side[160];
    snprintf(side, sizeof side, "%s-wal", path), unlink(side);
    snprintf(side, sizeof side, "%s-shm", path), unlink(side);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrates_forward_keeping_rows),
        cmocka_unit_test(refuses_a_newer_file),
        cmocka_unit_test(durable_pragmas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
