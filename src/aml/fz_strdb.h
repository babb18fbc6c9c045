/* fz_strdb.h — suspicious-transaction reports in the store: their lifecycle
 * from a confirmed case to the file made for CAMLMAC, and corrections.
 *
 *   draft ──submit──> submitted ──approve (supervisor)──> filed
 *     ^                   │                                 │
 *     └──────reject───────┘             correct: a new draft of kind C
 *                                       referencing the original; once
 *                                       filed, the version it replaces is
 *                                       'corrected'
 *
 * A report is drafted from a case that is 'escalated' or 'closed_fraud':
 * the moment it reached that status is when the suspicion was confirmed,
 * and the report is due FZ_STR_DEADLINE_DAYS working days later (the
 * configured calendar). Only a draft can be edited; only a submitted report
 * can be approved, by someone other than its submitter (the route allows
 * supervisors and admins only), and approving makes the XML file (named
 * NBS + RICD + -YYYYMMDD- + the day's sequence, spec §4.1.2; a correction
 * CBS with the original's date and sequence, §5.1.2). Every step and its
 * audit entry (fz_audit.h, object "str:<id>") commit in one transaction.
 * A step the report's state does not allow is FZ_EFULL (HTTP 409). */
#ifndef FZ_STRDB_H
#define FZ_STRDB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "fz_casedb.h"
#include "fz_db.h"
#include "fz_error.h"
#include "fz_http.h"
#include "fz_str.h"

/* Draft a report from case case_id for who; changes (may be NULL) are
 * applied as fz_str_edit would (e.g. the true TPTR). Fills *id. Returns 0,
 * FZ_ENOTFOUND (no case), FZ_EFULL (the case is not confirmed, or it has a
 * report in draft or submitted), FZ_EINVAL or FZ_EIO. */
int fz_str_draft(fz_db *db, const fz_str_config *c, const fz_principal *who, int64_t case_id,
                 const json_t *changes, int64_t *id, fz_error *err);

/* The report with its content, due_date (YYYY-MM-DD) and overdue, without
 * the file's bytes (file_size, file_sha256). FZ_ENOTFOUND when none. */
int fz_str_get(fz_db *db, int64_t id, json_t **out, fz_error *err);

typedef struct fz_str_filter {
    const char *status; /* draft, submitted, filed, corrected; NULL any */
    int64_t case_id;    /* FZ_CASEDB_ANY: any */
    fz_page page;
} fz_str_filter;

/* One page of reports, soonest deadline first, without their content.
 * FZ_EINVAL naming "status" for an unknown status. */
int fz_str_list(fz_db *db, const fz_str_filter *f, json_t **out, fz_error *err);

/* Change a draft's narratives or codes (fz_str_apply_edit). */
int fz_str_edit(fz_db *db, const fz_principal *who, int64_t id, const json_t *changes, fz_error *err);

/* Submit a draft for approval; FZ_EINVAL naming the member that is not
 * ready (fz_str_check_ready). */
int fz_str_submit(fz_db *db, const fz_principal *who, int64_t id, fz_error *err);

/* Send a submitted report back to draft with reason (required). */
int fz_str_reject(fz_db *db, const fz_principal *who, int64_t id, const char *reason, fz_error *err);

/* Approve a submitted report and make its file (report day: today in
 * Asia/Shanghai). FZ_EFULL when who submitted it; FZ_EINVAL naming "ricd"
 * when the institution code is not configured. */
int fz_str_approve(fz_db *db, const fz_str_config *c, const fz_principal *who, int64_t id, fz_error *err);

/* Start a correction of filed report id: a new draft of kind C with its
 * content, referencing the original N report. Fills *new_id. FZ_EFULL
 * when id is not filed or a correction of it is already open. */
int fz_str_correct(fz_db *db, const fz_principal *who, int64_t id, int64_t *new_id, fz_error *err);

/* The file of report id: its name (into name[64]) and bytes (malloc'd).
 * FZ_ENOTFOUND when it has none yet. */
int fz_str_file(fz_db *db, int64_t id, char name[64], unsigned char **data, size_t *n, fz_error *err);

/* How many suspicious reports naming customer_id as a subject were filed
 * (approved) at or after since_ms: corrections are not counted again. For
 * risk grading ("repeated suspicious reports"). Returns 0 or FZ_EIO. */
int fz_str_count_filed(fz_db *db, const char *customer_id, int64_t since_ms, int64_t *n, fz_error *err);

#endif
