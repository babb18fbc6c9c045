/* fz_cases.h — cases: alerts grouped for an analyst to work, with notes,
 * evidence and an outcome.
 *
 * A case is made from open alerts (they become 'in_case'), is assigned,
 * commented on, given evidence, and ends 'closed_fp' (a false positive:
 * its rules are suppressed on its accounts for a while), 'closed_fraud', or
 * 'escalated' for a suspicious-transaction report (an escalated case can
 * still be closed; filing the report itself needs a supervisor, issue 5).
 * Closing closes the case's alerts. Each mutation and its audit entry
 * (fz_audit.h, object "case:<id>") commit in one transaction; a status
 * change also leaves a note of kind "status" so the timeline shows it.
 * Conflicts with the case's state are FZ_EFULL (HTTP 409). */
#ifndef FZ_CASES_H
#define FZ_CASES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "fz_casedb.h"
#include "fz_db.h"
#include "fz_error.h"
#include "fz_http.h"

#define FZ_CASE_TITLE_MAX 200
#define FZ_CASE_TEXT_MAX 8000        /* comment, reason */
#define FZ_CASE_MAX_ALERTS 200       /* alerts one case is made from */
#define FZ_CASE_EVIDENCE_MAX (4 << 20) /* decoded bytes of one piece of evidence */
#define FZ_CASE_SUPPRESS_DAYS 30     /* default false-positive suppression */
#define FZ_CASE_SUPPRESS_DAYS_MAX 365

typedef struct fz_case_filter {
    const char *status;   /* open, escalated, closed_fp, closed_fraud; NULL: any */
    const char *assignee; /* exactly; NULL: any */
    int64_t from_ms, to_ms; /* created_ms in [from_ms, to_ms); FZ_CASEDB_ANY: open-ended */
    fz_page page;
} fz_case_filter;

void fz_case_filter_init(fz_case_filter *f);

/* Make case "title" from n alert ids (1..FZ_CASE_MAX_ALERTS, each open and
 * listed once), assigned to assignee (NULL: nobody). Fills *id. Returns 0,
 * FZ_EINVAL naming "title" or "alert_ids" (bad count, unknown or repeated
 * id), FZ_EFULL naming "alert_ids" (an alert is not open) or FZ_EIO. */
int fz_cases_create(fz_db *db, const fz_principal *who, const char *title, const int64_t *alert_ids, size_t n,
                    const char *assignee, int64_t *id, fz_error *err);

/* The case with "alerts" (each with its transaction's parties and amount)
 * and "notes" (comments, evidence without its bytes but with size and
 * sha256, status changes), oldest first. FZ_ENOTFOUND when none. */
int fz_cases_get(fz_db *db, int64_t id, json_t **out, fz_error *err);

/* One page of cases, newest first, each with alert_count. FZ_EINVAL naming
 * "status" for an unknown status. */
int fz_cases_list(fz_db *db, const fz_case_filter *f, json_t **out, fz_error *err);

/* Give an open or escalated case to assignee. FZ_EFULL when closed. */
int fz_cases_assign(fz_db *db, const fz_principal *who, int64_t id, const char *assignee, fz_error *err);

/* Add a comment (any status); fills *note_id. */
int fz_cases_comment(fz_db *db, const fz_principal *who, int64_t id, const char *body, int64_t *note_id,
                     fz_error *err);

typedef struct fz_evidence {
    const char *name;   /* file name, 1..200 bytes */
    const char *mime;   /* "type/subtype" */
    const char *base64; /* the bytes, standard base64 (line breaks allowed) */
} fz_evidence;

/* Attach evidence (any status): decoded, at most FZ_CASE_EVIDENCE_MAX
 * bytes, stored with its SHA-256 (hex into sha256). Fills *note_id.
 * FZ_EINVAL naming "name", "mime" or "data". */
int fz_cases_evidence(fz_db *db, const fz_principal *who, int64_t id, const fz_evidence *ev, int64_t *note_id,
                      char sha256[65], fz_error *err);

/* The bytes of evidence note_id of case id (malloc'd into *data, free it)
 * and its mime type. FZ_ENOTFOUND when the case has no such evidence. */
int fz_cases_evidence_data(fz_db *db, int64_t id, int64_t note_id, char mime[128], unsigned char **data,
                           size_t *n, fz_error *err);

/* Escalate an open case for a suspicious-transaction report. */
int fz_cases_escalate(fz_db *db, const fz_principal *who, int64_t id, const char *reason, fz_error *err);

/* Told, after the close has committed, of each (account, rule) pair a
 * false positive silences until until_ms (fz_ingest_suppress's shape). */
typedef int (*fz_suppress_fn)(void *ctx, const char *account, const char *rule, int64_t until_ms);

typedef struct fz_case_close {
    int fraud;              /* 1: closed_fraud; 0: closed_fp */
    const char *reason;     /* required */
    int64_t suppress_days;  /* closed_fp: 1..FZ_CASE_SUPPRESS_DAYS_MAX */
    fz_suppress_fn suppress; /* may be NULL */
    void *ctx;
} fz_case_close;

/* Close an open or escalated case. As a false positive, one suppressions
 * row per distinct (account, rule) of its alerts (who, when, why, until
 * now + suppress_days) is written with the close, then c->suppress is
 * called for each. Returns 0, FZ_EINVAL naming "reason" or
 * "suppress_days", FZ_EFULL when already closed, FZ_EIO, or the first
 * error c->suppress returned (the close stands). */
int fz_cases_close(fz_db *db, const fz_principal *who, int64_t id, const fz_case_close *c, fz_error *err);

#endif
