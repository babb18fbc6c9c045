/* fz_audit.c — the audit hash chain (fz_audit.h). */
#include "fz_audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_LEN crypto_hash_sha256_BYTES

/* One entry's fields as hashed. */
typedef struct entry {
    int64_t seq, at_ms;
    const char *field[5]; /* actor, role, action, object, detail */
    size_t len[5];
} entry;

static void put_be(crypto_hash_sha256_state *h, uint64_t v, int bytes) {
    unsigned char b[8];
    for (int i = 0; i < bytes; i++) b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    crypto_hash_sha256_update(h, b, (unsigned long long)bytes);
}

/* hash = SHA-256(prev || canonical bytes of e), the layout fz_audit.h gives. */
static void entry_hash(const unsigned char prev[HASH_LEN], const entry *e, unsigned char out[HASH_LEN]) {
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, prev, HASH_LEN);
    put_be(&h, (uint64_t)e->seq, 8);
    put_be(&h, (uint64_t)e->at_ms, 8);
    for (int i = 0; i < 5; i++) {
        put_be(&h, (uint64_t)e->len[i], 4);
        crypto_hash_sha256_update(&h, (const unsigned char *)e->field[i], e->len[i]);
    }
    crypto_hash_sha256_final(&h, out);
}

/* libsodium asks to be initialised before use; it is idempotent and cheap
 * after the first call. */
static int need_sodium(fz_error *err) {
    return sodium_init() < 0 ? fz_error_set(err, FZ_EIO, NULL, 0, 0, NULL, "libsodium failed to initialise") : 0;
}

static const char sql_head[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";

/* The newest entry's seq and hash (0 and zeros for an empty chain). */
static int read_head(fz_db *db, int64_t *seq, unsigned char hash[HASH_LEN], fz_error *err) {
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_head, &st, err);
    if (rc) return rc;
    *seq = 0;
    memset(hash, 0, HASH_LEN);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == HASH_LEN) memcpy(hash, sqlite3_column_blob(st, 1), HASH_LEN);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "read audit head", err);
}

static const char sql_insert[] =
    "INSERT INTO audit(seq, at_ms, actor, role, action, object, detail, prev, hash) VALUES(?,?,?,?,?,?,?,?,?)";

static int insert(fz_db *db, const entry *e, const unsigned char prev[HASH_LEN], fz_error *err) {
    unsigned char hash[HASH_LEN];
    entry_hash(prev, e, hash);
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_insert, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, e->seq);
    sqlite3_bind_int64(st, 2, e->at_ms);
    for (int i = 0; i < 5; i++) fz_db_bind_text(st, 3 + i, e->field[i], e->len[i]);
    sqlite3_bind_blob(st, 8, prev, HASH_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 9, hash, HASH_LEN, SQLITE_TRANSIENT);
    return fz_db_run(db, st, "insert audit entry", err);
}

/* Read the head and append after it; the caller holds the write lock, so
 * no other writer can take the same seq. */
static int append_locked(fz_db *db, entry *e, fz_error *err) {
    unsigned char prev[HASH_LEN];
    int rc = read_head(db, &e->seq, prev, err);
    if (rc) return rc;
    e->seq++;
    return insert(db, e, prev, err);
}

int fz_audit_append(fz_db *db, const fz_principal *who, const char *action, const char *object,
                    const json_t *detail, fz_error *err) {
    if (need_sodium(err)) return FZ_EIO;
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
    if (detail && !text) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    entry e = {.at_ms = fz_db_now_ms(),
               .field = {who->name, fz_role_name(who->role), action, object, text ? text : "{}"}};
    for (int i = 0; i < 5; i++) e.len[i] = strlen(e.field[i]);
    int own = sqlite3_get_autocommit(fz_db_sqlite(db));
    int rc = own ? fz_db_begin(db, err) : 0;
    if (!rc) rc = append_locked(db, &e, err);
    if (own) rc = fz_db_end(db, rc, err);
    free(text);
    return rc;
}

static int bad(fz_audit_result *res, int64_t seq, const char *fmt, long long a) {
    res->bad_seq = seq;
    snprintf(res->why, sizeof res->why, fmt, a);
    return FZ_EPARSE;
}

/* Check one row against the chain so far: its place (seq follows the last
 * one), its link (prev is the last hash) and its own hash. The link is
 * checked first so a deleted entry is reported at the one after the gap
 * as "does not link". */
static int check_row(sqlite3_stmt *st, int64_t last_seq, unsigned char last[HASH_LEN], fz_audit_result *res) {
    entry e = {.seq = sqlite3_column_int64(st, 0), .at_ms = sqlite3_column_int64(st, 1)};
    for (int i = 0; i < 5; i++) e.field[i] = fz_db_col_text(st, 2 + i, &e.len[i]);
    const void *prev = sqlite3_column_blob(st, 7), *hash = sqlite3_column_blob(st, 8);
    if (sqlite3_column_bytes(st, 7) != HASH_LEN || memcmp(prev, last, HASH_LEN))
        return bad(res, e.seq, "prev is not the hash of entry %lld: an entry was removed, changed or moved",
                   (long long)last_seq);
    if (e.seq != last_seq + 1) return bad(res, e.seq, "seq does not follow %lld", (long long)last_seq);
    unsigned char want[HASH_LEN];
    entry_hash(last, &e, want);
    if (sqlite3_column_bytes(st, 8) != HASH_LEN || memcmp(hash, want, HASH_LEN))
        return bad(res, e.seq, "hash does not match the entry's contents (%lld bytes of detail)",
                   (long long)e.len[4]);
    memcpy(last, want, HASH_LEN);
    return 0;
}

static const char sql_walk[] =
    "SELECT seq, at_ms, actor, role, action, object, detail, prev, hash FROM audit ORDER BY seq";

int fz_audit_verify(fz_db *db, fz_audit_result *res, fz_error *err) {
    memset(res, 0, sizeof *res);
    if (need_sodium(err)) return FZ_EIO;
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_walk, &st, err);
    if (rc) return rc;
    unsigned char last[HASH_LEN] = {0};
    int64_t last_seq = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int bad_row = check_row(st, last_seq, last, res);
        if (bad_row) {
            sqlite3_reset(st);
            return bad_row;
        }
        last_seq = sqlite3_column_int64(st, 0);
        res->entries++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "read audit", err);
}

int fz_audit_head(fz_db *db, int64_t *seq, char hex[65], fz_error *err) {
    unsigned char hash[HASH_LEN];
    int rc = read_head(db, seq, hash, err);
    if (!rc) sodium_bin2hex(hex, 65, hash, HASH_LEN);
    return rc;
}

int fz_audit_list(fz_db *db, const fz_audit_filter *f, json_t **out, fz_error *err) {
    fz_casedb_query q;
    fz_casedb_query_init(&q, "seq, at_ms, actor, role, action, object, detail AS detail_json, prev, hash", "audit",
                         "seq DESC");
    fz_casedb_where_text(&q, "actor = ?", f->actor);
    fz_casedb_where_text(&q, "action = ?", f->action);
    fz_casedb_where_text(&q, "object = ?", f->object);
    fz_casedb_where_int(&q, "at_ms >= ?", f->from_ms);
    fz_casedb_where_int(&q, "at_ms < ?", f->to_ms);
    return fz_casedb_page(db, &q, f->page, out, err);
}
