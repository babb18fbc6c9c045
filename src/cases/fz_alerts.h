/* fz_alerts.h — the alerts analysts work: one row per rule hit per side of
 * a scored transaction (fz_ingest writes them with the event). Read-only
 * here: an alert changes status only by joining a case (fz_cases.h). */
#ifndef FZ_ALERTS_H
#define FZ_ALERTS_H

#include <jansson.h>
#include <stdint.h>

#include "fz_casedb.h"
#include "fz_db.h"
#include "fz_error.h"

/* What an alert list may be narrowed to. Integers are FZ_CASEDB_ANY and
 * strings NULL when not filtered. */
typedef struct fz_alert_filter {
    int64_t from_ms, to_ms;       /* created_ms in [from_ms, to_ms) */
    int64_t min_score, max_score; /* score in [min_score, max_score] */
    const char *rule;             /* rule id, exactly */
    const char *status;           /* open, in_case, closed, suppressed */
    const char *account;          /* "acct@bank", exactly */
    int64_t before_id;            /* cursor: only ids below this (the last id of the previous page) */
    fz_page page;
} fz_alert_filter;

/* No filter, the default page. */
void fz_alert_filter_init(fz_alert_filter *f);

/* Whether s is an alert status. */
int fz_alert_status_ok(const char *s);

/* One page of alerts, newest first: {"items", "total", "limit", "offset"};
 * each item has the alert's columns plus its transaction's payer, payee,
 * amount, currency and amount_display. Returns 0, FZ_EINVAL (field
 * "status" when it is not a status) or FZ_EIO. */
int fz_alerts_list(fz_db *db, const fz_alert_filter *f, json_t **out, fz_error *err);

/* One alert with its event: the list's members plus recv_ms,
 * rules_version, "txn" and "decision" (the stored JSON). Returns 0,
 * FZ_ENOTFOUND or FZ_EIO. */
int fz_alerts_get(fz_db *db, int64_t id, json_t **out, fz_error *err);

#endif
