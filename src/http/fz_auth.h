/* fz_auth.h — API tokens: made at random, shown once, stored only as their
 * SHA-256, each with one role (fz_http.h).
 *
 * A token is "fz_" followed by 43 characters of base64url (32 random bytes
 * from libsodium). The server keeps the hashes it has seen in memory, so
 * checking a request costs one SHA-256 and a table probe; a token made by
 * another process (`fanzha token create` while the server runs) is found in
 * the store on first use. */
#ifndef FZ_AUTH_H
#define FZ_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "fz_db.h"
#include "fz_error.h"
#include "fz_http.h"

typedef struct fz_auth fz_auth;

#define FZ_TOKEN_LEN 46 /* "fz_" + 43, without the NUL */

/* Borrow db (the caller's thread's connection). Returns 0 or FZ_ENOMEM. */
int fz_auth_open(fz_auth **out, fz_db *db, fz_error *err);
void fz_auth_close(fz_auth *a);

/* Make a token with role (one FZ_ROLE_* bit) and name; write it NUL-terminated
 * into token[FZ_TOKEN_LEN + 1] and its id into *id. Returns 0, FZ_EINVAL
 * (bad role or name) or FZ_EIO. */
int fz_auth_create(fz_auth *a, int role, const char *name, char token[FZ_TOKEN_LEN + 1], int64_t *id,
                   fz_error *err);

/* Revoke token id from now on. Returns 0, FZ_ENOTFOUND or FZ_EIO. */
int fz_auth_revoke(fz_auth *a, int64_t id, fz_error *err);

/* Who holds the token (n bytes, not NUL-terminated)? Returns 0 and fills who,
 * or FZ_ENOTFOUND for an unknown or revoked token. */
int fz_auth_check(fz_auth *a, const char *token, size_t n, fz_principal *who);

#endif
