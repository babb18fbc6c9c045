/* fz_alerts.c — listing and reading alerts (fz_alerts.h). */
#include "fz_alerts.h"

#include <string.h>

/* The columns every alert answer has; an alert is read with its event. */
#define ALERT_COLS                                                                                          \
    "a.id, a.seq, a.txn_id, a.txn_ms, a.created_ms, a.account, a.rule, a.score, a.outcome, a.status, "      \
    "a.case_id, e.payer, e.payee, e.amount, e.currency"
#define ALERT_FROM "alerts a JOIN events e ON e.seq = a.seq"

void fz_alert_filter_init(fz_alert_filter *f) {
    *f = (fz_alert_filter){.from_ms = FZ_CASEDB_ANY,
                           .to_ms = FZ_CASEDB_ANY,
                           .min_score = FZ_CASEDB_ANY,
                           .max_score = FZ_CASEDB_ANY,
                           .before_id = FZ_CASEDB_ANY,
                           .page = {FZ_PAGE_DEFAULT, 0}};
}

int fz_alert_status_ok(const char *s) {
    static const char *const st[] = {"open", "in_case", "closed", "suppressed"};
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
        if (!strcmp(s, st[i])) return 1;
    return 0;
}

int fz_alerts_list(fz_db *db, const fz_alert_filter *f, json_t **out, fz_error *err) {
    *out = NULL;
    if (f->status && !fz_alert_status_ok(f->status))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "status", "must be open, in_case, closed or suppressed");
    fz_casedb_query q;
    fz_casedb_query_init(&q, ALERT_COLS, ALERT_FROM, "a.id DESC");
    fz_casedb_where_int(&q, "a.created_ms >= ?", f->from_ms);
    fz_casedb_where_int(&q, "a.created_ms < ?", f->to_ms);
    fz_casedb_where_int(&q, "a.score >= ?", f->min_score);
    fz_casedb_where_int(&q, "a.score <= ?", f->max_score);
    fz_casedb_where_text(&q, "a.rule = ?", f->rule);
    fz_casedb_where_text(&q, "a.status = ?", f->status);
    fz_casedb_where_text(&q, "a.account = ?", f->account);
    fz_casedb_where_int(&q, "a.id < ?", f->before_id);
    return fz_casedb_page(db, &q, f->page, out, err);
}

static const char sql_get[] = "SELECT " ALERT_COLS ", e.recv_ms, e.rules_version, e.txn AS txn_json, "
                              "e.decision AS decision_json FROM " ALERT_FROM " WHERE a.id = ?";

int fz_alerts_get(fz_db *db, int64_t id, json_t **out, fz_error *err) {
    return fz_casedb_one(db, sql_get, id, "alert", out, err);
}
