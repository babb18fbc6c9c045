/* fz_tokens.h — managing API tokens as someone's action: each change
 * commits together with its audit entry (fz_audit.h). The token routes
 * (POST/GET /v1/tokens, POST /v1/tokens/:id/revoke) and `fanzha token` both
 * call these, so the two paths cannot drift apart. */
#ifndef FZ_TOKENS_H
#define FZ_TOKENS_H

#include <jansson.h>
#include <stdint.h>

#include "fz_auth.h"

/* Make a token (fz_auth_create) on behalf of who and audit it as
 * "token.create" (the detail names id, role and name, never the secret).
 * db is the connection a was opened on. Returns 0, FZ_EINVAL (field "role"
 * or "name") or FZ_EIO. */
int fz_tokens_create(fz_auth *a, fz_db *db, const fz_principal *who, int role, const char *name,
                     char token[FZ_TOKEN_LEN + 1], int64_t *id, fz_error *err);

/* Revoke token id (fz_auth_revoke) and audit "token.revoke". Returns 0,
 * FZ_ENOTFOUND or FZ_EIO. */
int fz_tokens_revoke(fz_auth *a, fz_db *db, const fz_principal *who, int64_t id, fz_error *err);

/* Every token, oldest first, as a new JSON array of
 * {"id", "name", "role", "created_ms", "revoked_ms" (null while live)}.
 * Returns 0, FZ_ENOMEM or FZ_EIO. */
int fz_tokens_list(fz_db *db, json_t **out, fz_error *err);

#endif
