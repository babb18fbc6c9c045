/* fz_audit.h — the tamper-evident audit trail: a hash chain in the store.
 *
 * Every analyst action and every rule or token change appends one entry:
 * who (token name and role), when, what action on which object, and a JSON
 * detail. Entry n stores prev = hash of entry n-1 (32 zero bytes for the
 * first) and hash = SHA-256(prev || the entry's canonical bytes), so editing,
 * deleting or reordering any entry breaks every hash after it, and
 * fz_audit_verify names the first entry that does not check.
 *
 * The canonical bytes of an entry are its seven fields in this order:
 *
 *     seq      8 bytes, big-endian two's complement
 *     at_ms    8 bytes, big-endian two's complement (ms UTC)
 *     actor, role, action, object, detail
 *              each: 4-byte big-endian byte length, then the UTF-8 bytes
 *              as stored (no terminator); the length prefix is what keeps
 *              ("ab","c") and ("a","bc") apart. detail is compact JSON
 *              with sorted keys, hashed as stored.
 *
 * so hash = SHA-256(prev[32] || seq || at_ms || len actor || actor || ...
 * || len detail || detail). role is fz_role_name of the caller's role.
 *
 * What the chain cannot show by itself: that the newest entries were cut
 * off the end (the rest still checks). Keep the head (GET /v1/audit's
 * first item, or `fanzha audit verify`'s last line) somewhere else to
 * detect that. */
#ifndef FZ_AUDIT_H
#define FZ_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "fz_casedb.h"
#include "fz_db.h"
#include "fz_error.h"
#include "fz_http.h"

/* Append one entry inside the caller's transaction if one is open (so the
 * action and its audit entry commit together), else in its own. detail is
 * borrowed and may be NULL ({}). Returns 0 or FZ_EIO. */
int fz_audit_append(fz_db *db, const fz_principal *who, const char *action, const char *object,
                    const json_t *detail, fz_error *err);

typedef struct fz_audit_result {
    int64_t entries;   /* entries checked */
    int64_t bad_seq;   /* first entry whose hash or link does not check; 0 when all do */
    char why[160];     /* what did not check at bad_seq */
} fz_audit_result;

/* Walk the whole chain. Returns 0 when every entry checks, FZ_EPARSE when
 * one does not (res says which and why), FZ_EIO on a store error. */
int fz_audit_verify(fz_db *db, fz_audit_result *res, fz_error *err);

/* The hash of the newest entry in hex (64 zeros when there is none) and
 * its seq, for anchoring the head elsewhere. Returns 0 or FZ_EIO. */
int fz_audit_head(fz_db *db, int64_t *seq, char hex[65], fz_error *err);

/* One page of entries, newest first, as {"items": [...], "total", "limit",
 * "offset"} (fz_casedb.h); each item has seq, at_ms, actor, role, action,
 * object, detail (parsed), prev and hash (hex). Filters: actor, action,
 * object exactly (NULL for any), at_ms in [from_ms, to_ms) (FZ_CASEDB_ANY
 * for unbounded). */
typedef struct fz_audit_filter {
    const char *actor, *action, *object;
    int64_t from_ms, to_ms;
    fz_page page;
} fz_audit_filter;
int fz_audit_list(fz_db *db, const fz_audit_filter *f, json_t **out, fz_error *err);

#endif
