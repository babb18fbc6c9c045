/* fz_audit.h — the tamper-evident audit trail: a hash chain in the store.
 *
 * Every analyst action and every rule or token change appends one entry:
 * who (token name and role), when, what action on which object, and a JSON
 * detail. Entry n stores prev = hash of entry n-1 (32 zero bytes for the
 * first) and hash = SHA-256(prev || the entry's canonical bytes), so editing,
 * deleting or reordering any entry breaks every hash after it, and
 * fz_audit_verify names the first entry that does not check. */
#ifndef FZ_AUDIT_H
#define FZ_AUDIT_H

#include <jansson.h>
#include <stdint.h>

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

#endif
