/* fz_rulebook.h — the server's rule sets: every version ever uploaded, kept
 * in the store, and which one the engine uses.
 *
 * A version is a set of named rule packs (their text). The first open of a
 * store seeds version 1 from the shipped packs; later versions are uploaded
 * (POST /v1/rules) and any version can be made active again (roll back or
 * forward). Activating compiles, records and swaps in one step: the engine
 * switches between two transactions (the HTTP thread owns both), the row's
 * active flag and an audit entry commit together. A restart compiles the
 * active row again, so uploaded rules survive it.
 *
 * Decisions point at the rule set that made them (fz_decision.rules), so a
 * version compiled by this process is kept until fz_rulebook_close. */
#ifndef FZ_RULEBOOK_H
#define FZ_RULEBOOK_H

#include <jansson.h>
#include <stdint.h>

#include "fz_db.h"
#include "fz_engine.h"
#include "fz_error.h"
#include "fz_http.h"

typedef struct fz_rulebook fz_rulebook;

#define FZ_RULEBOOK_MAX_PACKS 32
#define FZ_RULEBOOK_MAX_NAME 64        /* a pack's name, "x.rules" */
#define FZ_RULEBOOK_MAX_TEXT (1 << 20) /* a pack's text, bytes */

/* Open the rule book on db (borrowed) for engine (borrowed; rules compile
 * against its schema and are set on it). When the store has no version yet,
 * version 1 is made from the files seed[0..nseed) (created_by "system",
 * audited "rules.seed"). Then the active version is compiled and set on the
 * engine. Returns 0, FZ_EIO, FZ_ENOMEM, or FZ_EPARSE/FZ_EINVAL when a seed
 * file or the stored active version does not compile (err names the pack,
 * line and column). */
int fz_rulebook_open(fz_rulebook **out, fz_db *db, fz_engine *engine, const char *const *seed, int nseed,
                     fz_error *err);

/* Free every compiled version. The engine must no longer use any of them
 * (free the engine first, or set other rules on it). */
void fz_rulebook_close(fz_rulebook *rb);

/* The active rule set and its version id (the rulesets row). */
const fz_ruleset *fz_rulebook_active(const fz_rulebook *rb, int64_t *id);

/* Compile packs[0..n) (name: a file name ending in ".rules", text) against
 * the engine's schema, store them as a new version by who with note (may be
 * NULL), make it active and audit "rules.upload". On a compile error nothing
 * changes and err reads "name:line:col: message" (FZ_EPARSE or FZ_EINVAL);
 * a bad name or size is FZ_EINVAL naming the field "packs". *id gets the
 * new version. Returns 0 or the error. */
int fz_rulebook_upload(fz_rulebook *rb, const fz_principal *who, const fz_rules_src *packs, int n,
                       const char *note, int64_t *id, fz_error *err);

/* Make version id active (compiling it if this process has not yet) and
 * audit "rules.activate" with the version it replaces. Returns 0,
 * FZ_ENOTFOUND, FZ_EIO or a compile error (a version stored by an older
 * build whose rules this one no longer accepts). */
int fz_rulebook_activate(fz_rulebook *rb, const fz_principal *who, int64_t id, fz_error *err);

/* Every version, newest first, as a new JSON array of {"id", "version",
 * "created_by", "created_ms", "note", "active"}. Returns 0, FZ_ENOMEM or
 * FZ_EIO. */
int fz_rulebook_list(fz_rulebook *rb, json_t **out, fz_error *err);

/* Version id as a new JSON object: the list's members and "packs":
 * [{"name", "text"}]. Returns 0, FZ_ENOTFOUND, FZ_ENOMEM or FZ_EIO. */
int fz_rulebook_get(fz_rulebook *rb, int64_t id, json_t **out, fz_error *err);

#endif
