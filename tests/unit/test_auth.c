/* test_auth.c — API tokens: made, checked, refused, revoked, stored hashed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fz_auth.h"

typedef struct fixture {
    char path[64];
    fz_db *db;
    fz_auth *auth;
} fixture;

static int setup(void **state) {
    static fixture f;
    fz_error err;
    snprintf(f.path, sizeof f.path, "/tmp/fz_test_auth_%d.db", (int)getpid());
    unlink(f.path);
    if (fz_db_open(&f.db, f.path, &err) || fz_auth_open(&f.auth, f.db, &err)) return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    fz_auth_close(f->auth);
    fz_db_close(f->db);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path), unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path), unlink(p);
    return 0;
}

static int64_t make(fixture *f, int role, const char *name, char tok[FZ_TOKEN_LEN + 1]) {
    int64_t id = 0;
    fz_error err;
    assert_int_equal(fz_auth_create(f->auth, role, name, tok, &id, &err), 0);
    return id;
}

static void created_token_checks_with_its_role_and_name(void **state) {
    fixture *f = *state;
    char tok[FZ_TOKEN_LEN + 1];
    int64_t id = make(f, FZ_ROLE_ANALYST, "wang.li", tok);
    assert_int_equal(strlen(tok), FZ_TOKEN_LEN);
    assert_memory_equal(tok, "fz_", 3);
    static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 3; i < FZ_TOKEN_LEN; i++)
        assert_non_null(strchr(b64url, tok[i]));
    fz_principal who;
    assert_int_equal(fz_auth_check(f->auth, tok, FZ_TOKEN_LEN, &who), 0);
    assert_int_equal(who.role, FZ_ROLE_ANALYST);
    assert_int_equal(who.token_id, id);
    assert_string_equal(who.name, "wang.li");

    /* A second auth on the same store has an empty cache: found in the store. */
    fz_auth *other;
    fz_error err;
    assert_int_equal(fz_auth_open(&other, f->db, &err), 0);
    memset(&who, 0, sizeof who);
    assert_int_equal(fz_auth_check(other, tok, FZ_TOKEN_LEN, &who), 0);
    assert_int_equal(who.token_id, id);
    assert_string_equal(who.name, "wang.li");
    fz_auth_close(other);
}

static void wrong_tokens_are_refused(void **state) {
    fixture *f = *state;
    char tok[FZ_TOKEN_LEN + 1], bad[FZ_TOKEN_LEN + 1];
    make(f, FZ_ROLE_ADMIN, "root", tok);
    fz_principal who;
    memcpy(bad, tok, sizeof bad);
    bad[10] = bad[10] == 'A' ? 'B' : 'A';
    assert_int_equal(fz_auth_check(f->auth, bad, FZ_TOKEN_LEN, &who), FZ_ENOTFOUND);
    assert_int_equal(fz_auth_check(f->auth, tok, FZ_TOKEN_LEN - 1, &who), FZ_ENOTFOUND);
    assert_int_equal(fz_auth_check(f->auth, "", 0, &who), FZ_ENOTFOUND);
    bad[0] = 'x';
    memcpy(bad + 1, tok + 1, FZ_TOKEN_LEN - 1);
    assert_int_equal(fz_auth_check(f->auth, bad, FZ_TOKEN_LEN, &who), FZ_ENOTFOUND);
}

static void bad_role_or_name_is_refused(void **state) {
    fixture *f = *state;
    char tok[FZ_TOKEN_LEN + 1];
    int64_t id;
    fz_error err;
    assert_int_equal(fz_auth_create(f->auth, 0, "x", tok, &id, &err), FZ_EINVAL);
    assert_string_equal(err.field, "role");
    assert_int_equal(fz_auth_create(f->auth, FZ_ROLE_ADMIN | FZ_ROLE_ANALYST, "x", tok, &id, &err),
                     FZ_EINVAL);
    assert_int_equal(fz_auth_create(f->auth, FZ_ROLE_ADMIN, "", tok, &id, &err), FZ_EINVAL);
    assert_string_equal(err.field, "name");
    assert_int_equal(fz_auth_create(f->auth, FZ_ROLE_ADMIN, "a\nb", tok, &id, &err), FZ_EINVAL);
    char longname[80];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    assert_int_equal(fz_auth_create(f->auth, FZ_ROLE_ADMIN, longname, tok, &id, &err), FZ_EINVAL);
}

static void revoked_tokens_are_refused(void **state) {
    fixture *f = *state;
    char tok[FZ_TOKEN_LEN + 1], tok2[FZ_TOKEN_LEN + 1];
    int64_t id = make(f, FZ_ROLE_INGEST, "channel-1", tok);
    int64_t id2 = make(f, FZ_ROLE_INGEST, "channel-2", tok2);
    fz_principal who;
    fz_error err;
    assert_int_equal(fz_auth_check(f->auth, tok, FZ_TOKEN_LEN, &who), 0);
    assert_int_equal(fz_auth_revoke(f->auth, id, &err), 0);
    assert_int_equal(fz_auth_check(f->auth, tok, FZ_TOKEN_LEN, &who), FZ_ENOTFOUND);
    assert_int_equal(fz_auth_revoke(f->auth, id, &err), 0); /* again: no harm */
    assert_int_equal(fz_auth_revoke(f->auth, 99999, &err), FZ_ENOTFOUND);

    /* Revoked by another process: another connection's auth, then a cache
     * entry old enough to be looked up again. */
    assert_int_equal(fz_auth_check(f->auth, tok2, FZ_TOKEN_LEN, &who), 0);
    fz_db *db2;
    fz_auth *a2;
    assert_int_equal(fz_db_open(&db2, f->path, &err), 0);
    assert_int_equal(fz_auth_open(&a2, db2, &err), 0);
    assert_int_equal(fz_auth_revoke(a2, id2, &err), 0);
    assert_int_equal(fz_auth_check(a2, tok2, FZ_TOKEN_LEN, &who), FZ_ENOTFOUND);
    fz_auth_close(a2);
    fz_db_close(db2);
    sleep(3); /* past RECHECK_MS */
    assert_int_equal(fz_auth_check(f->auth, tok2, FZ_TOKEN_LEN, &who), FZ_ENOTFOUND);
}

static void only_the_hash_is_stored(void **state) {
    fixture *f = *state;
    char tok[FZ_TOKEN_LEN + 1];
    make(f, FZ_ROLE_SUPERVISOR, "zhao", tok);
    /* Every column of every row, as text and as bytes: no secret, whole or in part. */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(f->db), "SELECT * FROM tokens", -1, &st, NULL),
                     SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const void *p = sqlite3_column_blob(st, c);
            int n = sqlite3_column_bytes(st, c);
            assert_null(p ? memmem(p, (size_t)n, tok + 3, 16) : NULL);
        }
    }
    sqlite3_finalize(st);
    assert_true(rows >= 1);
}

static void many_tokens_grow_the_table(void **state) {
    fixture *f = *state;
    enum { N = 200 };
    static char toks[N][FZ_TOKEN_LEN + 1];
    int64_t ids[N];
    for (int i = 0; i < N; i++)
        ids[i] = make(f, FZ_ROLE_ANALYST, "bulk", toks[i]);
    for (int i = 0; i < N; i++) {
        fz_principal who;
        assert_int_equal(fz_auth_check(f->auth, toks[i], FZ_TOKEN_LEN, &who), 0);
        assert_int_equal(who.token_id, ids[i]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(created_token_checks_with_its_role_and_name, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_tokens_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_role_or_name_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(revoked_tokens_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(only_the_hash_is_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(many_tokens_grow_the_table, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
