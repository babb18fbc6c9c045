/* test_audit.c — the audit hash chain: appends verify; every kind of
 * tampering done with raw SQL is caught at the entry it touched. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "fz_audit.h"
#include "fz_db.h"

static fz_db *db;

/* A fresh in-memory store with five entries by two people. */
static int setup(void **st) {
    (void)st;
    fz_error err;
    if (fz_db_open(&db, ":memory:", &err)) return -1;
    fz_principal ann = {.role = FZ_ROLE_ANALYST, .name = "ann"}, sam = {.role = FZ_ROLE_SUPERVISOR, .name = "sam"};
    for (int i = 1; i <= 5; i++) {
        char obj[32];
        snprintf(obj, sizeof obj, "case:%d", i);
        json_t *d = json_pack("{s:i, s:s}", "n", i, "note", "备注");
        int rc = fz_audit_append(db, i % 2 ? &ann : &sam, "case.comment", obj, d, &err);
        json_decref(d);
        if (rc) return -1;
    }
    return 0;
}

static int teardown(void **st) {
    (void)st;
    fz_db_close(db);
    return 0;
}

static void sql(const char *s) {
    fz_error err;
    assert_int_equal(fz_db_exec(db, s, &err), 0);
}

/* Verify must fail at bad_seq with why containing word. */
static void expect_bad(int64_t bad_seq, const char *word) {
    fz_audit_result r;
    fz_error err;
    assert_int_equal(fz_audit_verify(db, &r, &err), FZ_EPARSE);
    if (r.bad_seq != bad_seq || !strstr(r.why, word))
        fail_msg("bad_seq %lld (want %lld): %s", (long long)r.bad_seq, (long long)bad_seq, r.why);
}

static void test_intact(void **st) {
    (void)st;
    fz_audit_result r;
    fz_error err;
    assert_int_equal(fz_audit_verify(db, &r, &err), 0);
    assert_int_equal(r.entries, 5);
    assert_int_equal(r.bad_seq, 0);
    int64_t seq;
    char hex[65];
    assert_int_equal(fz_audit_head(db, &seq, hex, &err), 0);
    assert_int_equal(seq, 5);
    assert_int_equal(strlen(hex), 64);
}

static void test_empty_chain(void **st) {
    (void)st;
    sql("DELETE FROM audit");
    fz_audit_result r;
    fz_error err;
    assert_int_equal(fz_audit_verify(db, &r, &err), 0);
    assert_int_equal(r.entries, 0);
}

/* An entry's hash recomputed here from the layout fz_audit.h documents
 * (reading the row's own prev), so the documented format and the code
 * cannot drift apart, and a test can forge a consistent entry. */
static void put(crypto_hash_sha256_state *h, const unsigned char *p, size_t n) {
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8),
                            (unsigned char)n};
    crypto_hash_sha256_update(h, len, 4);
    crypto_hash_sha256_update(h, p, n);
}

static void hash_row(int64_t seq, unsigned char out[32]) {
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db),
                                        "SELECT prev, seq, at_ms, actor, role, action, object, detail FROM audit "
                                        "WHERE seq = ?",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(q, 1, seq);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, sqlite3_column_blob(q, 0), 32);
    for (int c = 1; c <= 2; c++) {
        unsigned char be[8];
        for (int i = 0; i < 8; i++) be[i] = (unsigned char)((uint64_t)sqlite3_column_int64(q, c) >> (56 - 8 * i));
        crypto_hash_sha256_update(&h, be, 8);
    }
    for (int c = 3; c <= 7; c++) put(&h, sqlite3_column_text(q, c), (size_t)sqlite3_column_bytes(q, c));
    crypto_hash_sha256_final(&h, out);
    sqlite3_finalize(q);
}

static void test_documented_layout(void **st) {
    (void)st;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db), "SELECT seq, actor, role, detail, hash FROM audit", -1, &q,
                                        NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
        unsigned char want[32];
        hash_row(sqlite3_column_int64(q, 0), want);
        assert_int_equal(sqlite3_column_bytes(q, 4), 32);
        assert_memory_equal(sqlite3_column_blob(q, 4), want, 32);
        if (sqlite3_column_int64(q, 0) == 1) {
            assert_string_equal((const char *)sqlite3_column_text(q, 1), "ann");
            assert_string_equal((const char *)sqlite3_column_text(q, 2), "analyst");
            /* compact, sorted keys, UTF-8 as is */
            assert_string_equal((const char *)sqlite3_column_text(q, 3), "{\"n\":1,\"note\":\"备注\"}");
        }
    }
    sqlite3_finalize(q);
}

static void test_edit_detail(void **st) {
    (void)st;
    sql("UPDATE audit SET detail = '{\"n\":3,\"note\":\"nothing\"}' WHERE seq = 3");
    expect_bad(3, "hash does not match");
}

static void test_edit_time(void **st) {
    (void)st;
    sql("UPDATE audit SET at_ms = at_ms - 3600000 WHERE seq = 2");
    expect_bad(2, "hash does not match");
}

/* Moving bytes from one field to the next keeps the concatenation the same:
 * only the length prefixes tell "ann"+"analyst" from "an"+"nanalyst". */
static void test_field_boundary(void **st) {
    (void)st;
    sql("UPDATE audit SET actor = 'an', role = 'nanalyst' WHERE seq = 1");
    expect_bad(1, "hash does not match");
}

static void test_delete_middle(void **st) {
    (void)st;
    sql("DELETE FROM audit WHERE seq = 3");
    expect_bad(4, "prev is not the hash of entry 2");
}

/* Deleting and renumbering the rest so seq has no gap: still caught by the
 * link, which is what an attacker cannot fix without recomputing hashes. */
static void test_delete_and_renumber(void **st) {
    (void)st;
    sql("DELETE FROM audit WHERE seq = 3; UPDATE audit SET seq = seq - 1 WHERE seq > 3");
    expect_bad(3, "prev is not the hash");
}

static void test_change_hash(void **st) {
    (void)st;
    sql("UPDATE audit SET hash = randomblob(32) WHERE seq = 4");
    expect_bad(4, "hash does not match");
}

/* An attacker who knows the layout edits entry 2 and gives it a matching
 * hash: entry 2 checks, but entry 3 no longer links to it. */
static void test_forged_entry_breaks_next_link(void **st) {
    (void)st;
    sql("UPDATE audit SET detail = '{}' WHERE seq = 2");
    unsigned char h[32];
    hash_row(2, h);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db), "UPDATE audit SET hash = ? WHERE seq = 2", -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(q, 1, h, 32, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    expect_bad(3, "prev is not the hash of entry 2");
}

static void test_swap_rows(void **st) {
    (void)st;
    sql("UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3;"
        "UPDATE audit SET seq = 3 WHERE seq = -2");
    expect_bad(2, "prev is not the hash of entry 1");
}

static void test_seq_gap(void **st) {
    (void)st;
    sql("UPDATE audit SET seq = 9 WHERE seq = 5");
    expect_bad(9, "seq does not follow 4");
}

static void test_append_in_callers_transaction(void **st) {
    (void)st;
    fz_error err;
    fz_principal p = {.role = FZ_ROLE_ADMIN, .name = "root"};
    assert_int_equal(fz_db_begin(db, &err), 0);
    assert_int_equal(fz_audit_append(db, &p, "token.create", "token:1", NULL, &err), 0);
    fz_db_rollback(db); /* the action failed: its entry goes with it */
    fz_audit_result r;
    assert_int_equal(fz_audit_verify(db, &r, &err), 0);
    assert_int_equal(r.entries, 5);
    assert_int_equal(fz_audit_append(db, &p, "token.create", "token:1", NULL, &err), 0);
    assert_int_equal(fz_audit_verify(db, &r, &err), 0);
    assert_int_equal(r.entries, 6);
}

static void test_list(void **st) {
    (void)st;
    fz_error err;
    json_t *out;
    fz_audit_filter f = {.actor = "sam", .from_ms = FZ_CASEDB_ANY, .to_ms = FZ_CASEDB_ANY, .page = {10, 0}};
    assert_int_equal(fz_audit_list(db, &f, &out, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 2);
    json_t *first = json_array_get(json_object_get(out, "items"), 0);
    assert_int_equal(json_integer_value(json_object_get(first, "seq")), 4); /* newest first */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(first, "detail"), "n")), 4);
    assert_int_equal(strlen(json_string_value(json_object_get(first, "hash"))), 64);
    json_decref(out);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_intact),          T(test_empty_chain),         T(test_documented_layout),
        T(test_edit_detail),     T(test_edit_time),           T(test_field_boundary),
        T(test_delete_middle),   T(test_delete_and_renumber), T(test_change_hash),
        T(test_forged_entry_breaks_next_link), T(test_swap_rows),   T(test_seq_gap),
        T(test_append_in_callers_transaction), T(test_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
