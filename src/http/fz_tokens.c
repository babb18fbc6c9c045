/* fz_tokens.c — token actions with their audit entries (fz_tokens.h). */
#include "fz_tokens.h"

#include <stdio.h>

#include "fz_audit.h"

static const char SQL_LIST[] = "SELECT id, name, role, created_ms, revoked_ms FROM tokens ORDER BY id";

static int audit(fz_db *db, const fz_principal *who, const char *action, int64_t id, json_t *detail,
                 fz_error *err) {
    char object[32];
    snprintf(object, sizeof object, "token:%lld", (long long)id);
    int rc = fz_audit_append(db, who, action, object, detail, err);
    json_decref(detail);
    return rc;
}

int fz_tokens_create(fz_auth *a, fz_db *db, const fz_principal *who, int role, const char *name,
                     char token[FZ_TOKEN_LEN + 1], int64_t *id, fz_error *err) {
    int rc = fz_db_begin(db, err);
    if (!rc) rc = fz_auth_create(a, role, name, token, id, err);
    if (!rc)
        rc = audit(
            db, who, "token.create", *id,
            json_pack("{s:I, s:s, s:s}", "id", (json_int_t)*id, "role", fz_role_name(role), "name", name),
            err);
    rc = fz_db_end(db, rc, err);
    /* A token that was not stored must not be revealed; and if the commit
     * failed, the cache entry fz_auth_create made is for a hash nobody
     * holds, which does no harm. */
    if (rc) token[0] = 0;
    return rc;
}

int fz_tokens_revoke(fz_auth *a, fz_db *db, const fz_principal *who, int64_t id, fz_error *err) {
    int rc = fz_db_begin(db, err);
    if (!rc) rc = fz_auth_revoke(a, id, err);
    if (!rc) rc = audit(db, who, "token.revoke", id, json_pack("{s:I}", "id", (json_int_t)id), err);
    return fz_db_end(db, rc, err);
}

static json_t *token_json(sqlite3_stmt *st) {
    json_t *revoked =
        sqlite3_column_type(st, 4) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(st, 4));
    return json_pack("{s:I, s:s, s:s, s:I, s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
                     fz_db_col_text(st, 1, NULL), "role", fz_db_col_text(st, 2, NULL), "created_ms",
                     (json_int_t)sqlite3_column_int64(st, 3), "revoked_ms", revoked);
}

int fz_tokens_list(fz_db *db, json_t **out, fz_error *err) {
    *out = NULL;
    sqlite3_stmt *st = fz_db_stmt(db, SQL_LIST, err);
    return st ? fz_db_rows(db, st, token_json, "list tokens", out, err) : FZ_EIO;
}
