/* fz_holds.h — held transactions (落地处理): the queue analysts work and
 * how each hold ends.
 *
 * fz_ingest writes a 'pending' hold with each event whose decision is
 * hold. An analyst verifies the customer (e.g. a callback to the
 * registered phone) and releases or rejects it; only a pending hold can be
 * resolved. The resolution and its audit entry (object "hold:<id>") commit
 * together, then the caller is told so the channel waiting on the
 * transaction gets its answer. */
#ifndef FZ_HOLDS_H
#define FZ_HOLDS_H

#include <jansson.h>
#include <stdint.h>

#include "fz_casedb.h"
#include "fz_db.h"
#include "fz_error.h"
#include "fz_http.h"

#define FZ_HOLD_TEXT_MAX 2000 /* verification and note */

typedef struct fz_hold_filter {
    const char *status; /* pending, released, rejected; NULL: any */
    fz_page page;
} fz_hold_filter;

void fz_hold_filter_init(fz_hold_filter *f);

/* One page of the queue: pending holds first, then oldest first; each with
 * its transaction's time, parties, amount (amount_display), score and
 * outcome. FZ_EINVAL naming "status" for an unknown status. */
int fz_holds_list(fz_db *db, const fz_hold_filter *f, json_t **out, fz_error *err);

/* One hold with the list's members plus "txn" and "decision" (the stored
 * JSON). FZ_ENOTFOUND when none. */
int fz_holds_get(fz_db *db, int64_t id, json_t **out, fz_error *err);

/* Told, after the resolution has committed (fz_ingest_hold_resolved's shape). */
typedef void (*fz_hold_resolved_fn)(void *ctx, const char *txn_id, const char *status);

typedef struct fz_hold_resolution {
    int release;              /* 1: released; 0: rejected */
    const char *verification; /* how the customer was verified; required */
    const char *note;         /* may be NULL */
    fz_hold_resolved_fn done; /* may be NULL */
    void *ctx;
} fz_hold_resolution;

/* Resolve pending hold id. Returns 0, FZ_EINVAL naming "verification" or
 * "note", FZ_ENOTFOUND, FZ_EFULL (409) when it is no longer pending, or
 * FZ_EIO. */
int fz_holds_resolve(fz_db *db, const fz_principal *who, int64_t id, const fz_hold_resolution *r, fz_error *err);

#endif
