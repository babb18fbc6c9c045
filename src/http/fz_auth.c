/* fz_auth.c — API tokens (fz_auth.h).
 *
 * The store keeps SHA-256(token), never the token. In memory, an
 * open-addressing table maps that hash to the token's principal: SHA-256
 * output is uniform, so its first bytes are the slot index with no further
 * hashing. Entries are never removed (tokens are few, made by hand): a
 * revoked token keeps its slot, marked, so a revoked token is refused
 * without a store lookup. */
#include "fz_auth.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A token revoked by another process (`fanzha token revoke` while the server
 * runs) is seen in the store at the latest this long after: a cached token is
 * looked up again once its entry is older. */
#define RECHECK_MS 2000
#define HASH_LEN crypto_hash_sha256_BYTES
#define RAW_LEN 32
#define PREFIX "fz_"

typedef struct slot {
    uint8_t hash[HASH_LEN];
    uint8_t used, revoked;
    int64_t checked_ms; /* when the store last said this token is live */
    fz_principal who;
} slot;

struct fz_auth {
    fz_db *db;
    slot *t;
    size_t cap; /* a power of two */
    size_t n;   /* used slots, kept below cap / 2 so probes stay short */
};

static const char SQL_INSERT[] = "INSERT INTO tokens(hash, role, name, created_ms) VALUES(?, ?, ?, ?)";
static const char SQL_LOOKUP[] = "SELECT id, role, name FROM tokens WHERE hash = ? AND revoked_ms IS NULL";
static const char SQL_REVOKE[] = "UPDATE tokens SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL";
static const char SQL_EXISTS[] = "SELECT 1 FROM tokens WHERE id = ?";

int fz_auth_open(fz_auth **out, fz_db *db, fz_error *err) {
    *out = NULL;
    if (sodium_init() < 0) return fz_error_set(err, FZ_EIO, NULL, 0, 0, NULL, "libsodium failed to start");
    fz_auth *a = calloc(1, sizeof *a);
    if (a) a->t = calloc(a->cap = 64, sizeof *a->t);
    if (!a || !a->t) {
        free(a);
        return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    a->db = db;
    *out = a;
    return 0;
}

void fz_auth_close(fz_auth *a) {
    if (!a) return;
    sodium_memzero(a->t, a->cap * sizeof *a->t);
    free(a->t);
    free(a);
}

/* The slot holding hash, or the empty slot where it would go. */
static slot *probe(slot *t, size_t cap, const uint8_t *hash) {
    uint64_t h;
    memcpy(&h, hash, sizeof h);
    for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!t[i].used || sodium_memcmp(t[i].hash, hash, HASH_LEN) == 0) return &t[i];
}

static int grow(fz_auth *a) {
    size_t cap = a->cap * 2;
    slot *t = calloc(cap, sizeof *t);
    if (!t) return FZ_ENOMEM;
    for (size_t i = 0; i < a->cap; i++)
        if (a->t[i].used) *probe(t, cap, a->t[i].hash) = a->t[i];
    free(a->t);
    a->t = t;
    a->cap = cap;
    return 0;
}

/* Remember that hash is a live token of who, as of now. Without memory for
 * it, the token still works: it is looked up in the store each time. */
static void cache(fz_auth *a, const uint8_t *hash, const fz_principal *who, int64_t now) {
    slot *s = probe(a->t, a->cap, hash);
    if (!s->used) {
        if ((a->n + 1) * 2 > a->cap && grow(a)) return;
        s = probe(a->t, a->cap, hash);
        memcpy(s->hash, hash, HASH_LEN);
        s->used = 1;
        a->n++;
    }
    s->who = *who;
    s->checked_ms = now;
}

static void hash_token(const char *token, size_t n, uint8_t hash[HASH_LEN]) {
    crypto_hash_sha256(hash, (const unsigned char *)token, n);
}

static int valid_name(const char *name) {
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n >= sizeof((fz_principal *)0)->name) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) return 0;
    return 1;
}

int fz_auth_create(fz_auth *a, int role, const char *name, char token[FZ_TOKEN_LEN + 1], int64_t *id,
                   fz_error *err) {
    if (!strcmp(fz_role_name(role), "none"))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "role",
                            "must be ingest, analyst, supervisor or admin");
    if (!valid_name(name))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "name",
                            "must be 1 to 63 bytes without control characters");
    unsigned char raw[RAW_LEN];
    randombytes_buf(raw, sizeof raw);
    memcpy(token, PREFIX, sizeof PREFIX - 1);
    sodium_bin2base64(token + sizeof PREFIX - 1, FZ_TOKEN_LEN + 1 - (sizeof PREFIX - 1), raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    uint8_t hash[HASH_LEN];
    hash_token(token, FZ_TOKEN_LEN, hash);

    int64_t now = fz_db_now_ms();
    sqlite3_stmt *st = fz_db_stmt(a->db, SQL_INSERT, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_blob(st, 1, hash, HASH_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, fz_role_name(role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, now);
    int rc = fz_db_run(a->db, st, "insert token", err);
    if (rc) {
        sodium_memzero(token, FZ_TOKEN_LEN + 1);
        return rc;
    }
    fz_principal who = {.token_id = sqlite3_last_insert_rowid(fz_db_sqlite(a->db)), .role = role};
    snprintf(who.name, sizeof who.name, "%s", name);
    cache(a, hash, &who, now);
    *id = who.token_id;
    return 0;
}

int fz_auth_revoke(fz_auth *a, int64_t id, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(a->db, SQL_REVOKE, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_int64(st, 1, fz_db_now_ms());
    sqlite3_bind_int64(st, 2, id);
    int rc = fz_db_run(a->db, st, "revoke token", err);
    if (rc) return rc;
    if (sqlite3_changes(fz_db_sqlite(a->db)) == 0) { /* already revoked (fine), or no such token */
        if (!(st = fz_db_stmt(a->db, SQL_EXISTS, err))) return FZ_EIO;
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
            return rc == SQLITE_DONE
                       ? fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, "id", "no token %lld", (long long)id)
                       : fz_db_fail(a->db, rc, "find token", err);
    }
    /* Rare, and the table is small: a scan beats a second index. */
    for (size_t i = 0; i < a->cap; i++)
        if (a->t[i].used && a->t[i].who.token_id == id) a->t[i].revoked = 1;
    return 0;
}

/* The live token with this hash in the store: 0 (who filled), FZ_ENOTFOUND
 * (unknown or revoked) or FZ_EIO. */
static int lookup(fz_auth *a, const uint8_t *hash, fz_principal *who) {
    sqlite3_stmt *st = fz_db_stmt(a->db, SQL_LOOKUP, NULL);
    if (!st) return FZ_EIO;
    sqlite3_bind_blob(st, 1, hash, HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(who, 0, sizeof *who);
        who->token_id = sqlite3_column_int64(st, 0);
        who->role = fz_role_parse(fz_db_col_text(st, 1, NULL));
        snprintf(who->name, sizeof who->name, "%s", fz_db_col_text(st, 2, NULL));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? FZ_ENOTFOUND : FZ_EIO;
}

int fz_auth_check(fz_auth *a, const char *token, size_t n, fz_principal *who) {
    if (n != FZ_TOKEN_LEN || memcmp(token, PREFIX, sizeof PREFIX - 1) != 0) return FZ_ENOTFOUND;
    uint8_t hash[HASH_LEN];
    hash_token(token, n, hash);
    slot *s = probe(a->t, a->cap, hash);
    if (s->used && s->revoked) return FZ_ENOTFOUND;
    int64_t now = fz_db_now_ms();
    if (s->used && now - s->checked_ms < RECHECK_MS) {
        *who = s->who;
        return 0;
    }
    fz_principal p;
    int rc = lookup(a, hash, &p);
    if (rc == 0) {
        cache(a, hash, &p, now);
        *who = p;
    } else if (rc == FZ_ENOTFOUND && s->used) {
        s->revoked = 1; /* revoked by another process */
    } else if (rc == FZ_EIO && s->used) {
        /* The store is busy or failing: trust what it said last rather than
         * lock every caller out; it is asked again on the next request. */
        *who = s->who;
        return 0;
    }
    return rc;
}
