/* fz_routes_cases.c — the analysts' routes: alerts, cases, holds, the audit
 * trail and the dashboard's counts (docs/api.md). Each handler reads and
 * checks the request, calls one function of src/cases, and answers its
 * JSON; the modules do the work and the audit entries. */
#include <stdlib.h>
#include <string.h>

#include "fz_alerts.h"
#include "fz_app.h"
#include "fz_audit.h"
#include "fz_cases.h"
#include "fz_holds.h"
#include "fz_ingest.h"
#include "fz_routes.h"
#include "fz_stats.h"
#include "fz_time.h"

/* ---- request pieces ---- */

/* The route's i-th ":id" as a positive integer. */
static int path_id(const fz_req *rq, int i, int64_t *id, fz_error *err) {
    return fz_req_path_id(rq, i, i ? "note_id" : "id", id, err);
}

static int query_page(const fz_req *rq, fz_page *p, fz_error *err) {
    int rc = fz_req_query_int(rq, "limit", FZ_PAGE_DEFAULT, 1, FZ_PAGE_MAX, &p->limit, err);
    return rc ? rc : fz_req_query_int(rq, "offset", 0, 0, INT32_MAX, &p->offset, err);
}

/* A time argument: ms UTC or any form fz_time_parse takes; FZ_CASEDB_ANY
 * when absent. */
static int query_time(const fz_req *rq, const char *key, int64_t *out, fz_error *err) {
    const char *v = fz_req_query(rq, key);
    *out = FZ_CASEDB_ANY;
    if (!v) return 0;
    if (!fz_time_parse(v, strlen(v), out)) return 0;
    return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, key, "must be ms UTC or a time like 2024-05-01T08:00:00+08:00");
}

static int query_range(const fz_req *rq, int64_t *from, int64_t *to, fz_error *err) {
    int rc = query_time(rq, "from", from, err);
    return rc ? rc : query_time(rq, "to", to, err);
}

static const char *body_str(const fz_req *rq, const char *field, int required, size_t max, int *rc, fz_error *err) {
    const char *s = NULL;
    if (!*rc) *rc = fz_json_str(rq->json, field, required, max, &s, err);
    return s;
}

/* ---- alerts ---- */

static int alerts_list(fz_req *rq, fz_resp *rs) {
    fz_alert_filter f;
    fz_error err;
    json_t *out = NULL;
    fz_alert_filter_init(&f);
    f.rule = fz_req_query(rq, "rule");
    f.status = fz_req_query(rq, "status");
    f.account = fz_req_query(rq, "account");
    int rc = query_range(rq, &f.from_ms, &f.to_ms, &err);
    if (!rc) rc = fz_req_query_int(rq, "min_score", FZ_CASEDB_ANY, INT32_MIN, INT32_MAX, &f.min_score, &err);
    if (!rc) rc = fz_req_query_int(rq, "max_score", FZ_CASEDB_ANY, INT32_MIN, INT32_MAX, &f.max_score, &err);
    if (!rc) rc = fz_req_query_int(rq, "before_id", FZ_CASEDB_ANY, 1, INT64_MAX, &f.before_id, &err);
    if (!rc) rc = query_page(rq, &f.page, &err);
    if (!rc) rc = fz_alerts_list(rq->app->db, &f, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

/* GET of one object by its path id through get. */
static int get_one(fz_req *rq, fz_resp *rs, int (*get)(fz_db *, int64_t, json_t **, fz_error *)) {
    fz_error err;
    json_t *out = NULL;
    int64_t id = 0;
    int rc = path_id(rq, 0, &id, &err);
    if (!rc) rc = get(rq->app->db, id, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int alert_get(fz_req *rq, fz_resp *rs) { return get_one(rq, rs, fz_alerts_get); }

/* ---- cases ---- */

static int alert_ids(const fz_req *rq, int64_t ids[FZ_CASE_MAX_ALERTS], size_t *n, fz_error *err) {
    json_t *a = json_object_get(rq->json, "alert_ids"), *v;
    size_t i;
    if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > FZ_CASE_MAX_ALERTS)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "alert_ids", "must be an array of 1 to %d alert ids",
                            FZ_CASE_MAX_ALERTS);
    json_array_foreach(a, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "alert_ids", "item %zu is not an alert id", i);
        ids[i] = json_integer_value(v);
    }
    *n = json_array_size(a);
    return 0;
}

/* Answer the case id as it now is, with status. */
static int reply_case(fz_req *rq, fz_resp *rs, int rc, int status, int64_t id, fz_error *err) {
    json_t *out = NULL;
    if (!rc) rc = fz_cases_get(rq->app->db, id, &out, err);
    return fz_resp_reply(rs, rc, status, out, err);
}

static int cases_create(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t ids[FZ_CASE_MAX_ALERTS], id = 0;
    size_t n = 0;
    int rc = 0;
    const char *title = body_str(rq, "title", 1, FZ_CASE_TITLE_MAX, &rc, &err);
    const char *assignee = body_str(rq, "assignee", 0, 63, &rc, &err);
    if (!rc) rc = alert_ids(rq, ids, &n, &err);
    if (!rc) rc = fz_cases_create(rq->app->db, &rq->who, title, ids, n, assignee, &id, &err);
    return reply_case(rq, rs, rc, 201, id, &err);
}

static int cases_list(fz_req *rq, fz_resp *rs) {
    fz_case_filter f;
    fz_error err;
    json_t *out = NULL;
    fz_case_filter_init(&f);
    f.status = fz_req_query(rq, "status");
    f.assignee = fz_req_query(rq, "assignee");
    int rc = query_range(rq, &f.from_ms, &f.to_ms, &err);
    if (!rc) rc = query_page(rq, &f.page, &err);
    if (!rc) rc = fz_cases_list(rq->app->db, &f, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int case_get(fz_req *rq, fz_resp *rs) { return get_one(rq, rs, fz_cases_get); }

static int case_assign(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0;
    int rc = path_id(rq, 0, &id, &err);
    const char *assignee = body_str(rq, "assignee", 1, 63, &rc, &err);
    if (!rc) rc = fz_cases_assign(rq->app->db, &rq->who, id, assignee, &err);
    return reply_case(rq, rs, rc, 200, id, &err);
}

static int case_comment(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0, note;
    int rc = path_id(rq, 0, &id, &err);
    const char *body = body_str(rq, "body", 1, FZ_CASE_TEXT_MAX, &rc, &err);
    if (!rc) rc = fz_cases_comment(rq->app->db, &rq->who, id, body, &note, &err);
    return reply_case(rq, rs, rc, 201, id, &err);
}

static int case_evidence(fz_req *rq, fz_resp *rs) {
    fz_error err;
    fz_evidence ev;
    int64_t id = 0, note;
    char sha[65];
    int rc = path_id(rq, 0, &id, &err);
    ev.name = body_str(rq, "name", 1, FZ_CASE_TITLE_MAX, &rc, &err);
    ev.mime = body_str(rq, "mime", 1, 127, &rc, &err);
    ev.base64 = body_str(rq, "data", 1, (size_t)-1, &rc, &err);
    if (!rc) rc = fz_cases_evidence(rq->app->db, &rq->who, id, &ev, &note, sha, &err);
    return reply_case(rq, rs, rc, 201, id, &err);
}

/* Evidence is sent back only as a type that browsers do not run, so an
 * uploaded page cannot script the analysts' UI (same origin). */
static const char *safe_type(const char *mime) {
    static const char *const ok[] = {"application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain",
                                     "text/csv", "application/json"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(mime, ok[i])) return ok[i];
    return "application/octet-stream";
}

static int case_evidence_get(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0, note = 0;
    char mime[128];
    unsigned char *data = NULL;
    size_t n = 0;
    int rc = path_id(rq, 0, &id, &err);
    if (!rc) rc = path_id(rq, 1, &note, &err);
    if (!rc) rc = fz_cases_evidence_data(rq->app->db, id, note, mime, &data, &n, &err);
    if (rc) return fz_resp_from_error(rs, &err);
    rs->status = 200;
    rs->ctype = safe_type(mime);
    rs->raw = (char *)data;
    rs->raw_len = n;
    return 0;
}

static int case_escalate(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0;
    int rc = path_id(rq, 0, &id, &err);
    const char *reason = body_str(rq, "reason", 1, FZ_CASE_TEXT_MAX, &rc, &err);
    if (!rc) rc = fz_cases_escalate(rq->app->db, &rq->who, id, reason, &err);
    return reply_case(rq, rs, rc, 200, id, &err);
}

static int suppress_hook(void *ig, const char *account, const char *rule, int64_t until_ms) {
    return fz_ingest_suppress(ig, account, rule, until_ms);
}

static int case_close(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0;
    fz_case_close c = {.suppress_days = FZ_CASE_SUPPRESS_DAYS};
    int rc = path_id(rq, 0, &id, &err);
    const char *as = body_str(rq, "as", 1, 32, &rc, &err);
    c.reason = body_str(rq, "reason", 1, FZ_CASE_TEXT_MAX, &rc, &err);
    if (!rc && strcmp(as, "false_positive") && strcmp(as, "fraud"))
        rc = fz_error_set(&err, FZ_EINVAL, NULL, 0, 0, "as", "must be false_positive or fraud");
    if (!rc) rc = fz_json_int(rq->json, "suppress_days", 0, 1, FZ_CASE_SUPPRESS_DAYS_MAX, &c.suppress_days, &err);
    if (!rc) {
        c.fraud = !strcmp(as, "fraud");
        c.suppress = rq->app->ingest ? suppress_hook : NULL;
        c.ctx = rq->app->ingest;
        rc = fz_cases_close(rq->app->db, &rq->who, id, &c, &err);
    }
    return reply_case(rq, rs, rc, 200, id, &err);
}

/* ---- holds ---- */

static int holds_list(fz_req *rq, fz_resp *rs) {
    fz_hold_filter f;
    fz_error err;
    json_t *out = NULL;
    fz_hold_filter_init(&f);
    f.status = fz_req_query(rq, "status");
    int rc = query_page(rq, &f.page, &err);
    if (!rc) rc = fz_holds_list(rq->app->db, &f, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int hold_get(fz_req *rq, fz_resp *rs) { return get_one(rq, rs, fz_holds_get); }

static void resolved_hook(void *ig, const char *txn_id, const char *status) {
    fz_ingest_hold_resolved(ig, txn_id, status);
}

static int hold_resolve(fz_req *rq, fz_resp *rs, int release) {
    fz_error err;
    int64_t id = 0;
    json_t *out = NULL;
    fz_hold_resolution r = {.release = release,
                            .done = rq->app->ingest ? resolved_hook : NULL,
                            .ctx = rq->app->ingest};
    int rc = path_id(rq, 0, &id, &err);
    r.verification = body_str(rq, "verification", 1, FZ_HOLD_TEXT_MAX, &rc, &err);
    r.note = body_str(rq, "note", 0, FZ_HOLD_TEXT_MAX, &rc, &err);
    if (!rc) rc = fz_holds_resolve(rq->app->db, &rq->who, id, &r, &err);
    if (!rc) rc = fz_holds_get(rq->app->db, id, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int hold_release(fz_req *rq, fz_resp *rs) { return hold_resolve(rq, rs, 1); }
static int hold_reject(fz_req *rq, fz_resp *rs) { return hold_resolve(rq, rs, 0); }

/* ---- audit ---- */

static int audit_list(fz_req *rq, fz_resp *rs) {
    fz_audit_filter f = {.actor = fz_req_query(rq, "actor"),
                         .action = fz_req_query(rq, "action"),
                         .object = fz_req_query(rq, "object")};
    fz_error err;
    json_t *out = NULL;
    int rc = query_range(rq, &f.from_ms, &f.to_ms, &err);
    if (!rc) rc = query_page(rq, &f.page, &err);
    if (!rc) rc = fz_audit_list(rq->app->db, &f, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int audit_verify(fz_req *rq, fz_resp *rs) {
    fz_audit_result r;
    fz_error err;
    int64_t head_seq = 0;
    char head[65];
    int rc = fz_audit_verify(rq->app->db, &r, &err);
    if (rc && rc != FZ_EPARSE) return fz_resp_from_error(rs, &err);
    if (fz_audit_head(rq->app->db, &head_seq, head, &err)) return fz_resp_from_error(rs, &err);
    json_t *out = json_pack("{s:b, s:I, s:I, s:s}", "ok", !rc, "entries", (json_int_t)r.entries, "head_seq",
                            (json_int_t)head_seq, "head_hash", head);
    if (out && rc) {
        json_object_set_new(out, "bad_seq", json_integer(r.bad_seq));
        json_object_set_new(out, "why", json_string(r.why));
    }
    return fz_resp_json(rs, 200, out);
}

/* ---- dashboard ---- */

static int stats_per_day(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t days;
    json_t *out = NULL;
    int rc = fz_req_query_int(rq, "days", 30, 1, FZ_STATS_DAYS_MAX, &days, &err);
    if (!rc) rc = fz_stats_alerts_per_day(rq->app->db, fz_db_now_ms(), days, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int stats_ageing(fz_req *rq, fz_resp *rs) {
    fz_error err;
    json_t *out = NULL;
    int rc = fz_stats_case_ageing(rq->app->db, fz_db_now_ms(), &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

#define STAFF FZ_ROLES_STAFF
#define SENIOR FZ_ROLES_SENIOR

const fz_route fz_routes_cases[] = {
    {"GET", "/v1/alerts", STAFF, alerts_list, "list alerts (filters, paging)", 0},
    {"GET", "/v1/alerts/:id", STAFF, alert_get, "one alert with its transaction and decision", 0},
    {"POST", "/v1/cases", STAFF, cases_create, "make a case from open alerts", 0},
    {"GET", "/v1/cases", STAFF, cases_list, "list cases (filters, paging)", 0},
    {"GET", "/v1/cases/:id", STAFF, case_get, "one case with its alerts and notes", 0},
    {"POST", "/v1/cases/:id/assign", STAFF, case_assign, "assign a case", 0},
    {"POST", "/v1/cases/:id/comments", STAFF, case_comment, "comment on a case", 0},
    {"POST", "/v1/cases/:id/evidence", STAFF, case_evidence, "attach evidence (base64) to a case", 0},
    {"GET", "/v1/cases/:id/evidence/:note", STAFF, case_evidence_get, "download a piece of evidence", 0},
    {"POST", "/v1/cases/:id/close", STAFF, case_close, "close a case as false positive or fraud", 0},
    {"POST", "/v1/cases/:id/escalate", STAFF, case_escalate, "escalate a case for a suspicious-transaction report", 0},
    {"GET", "/v1/holds", STAFF, holds_list, "the hold queue, pending first", 0},
    {"GET", "/v1/holds/:id", STAFF, hold_get, "one hold with its transaction and decision", 0},
    {"POST", "/v1/holds/:id/release", STAFF, hold_release, "release a held transaction after verification", 0},
    {"POST", "/v1/holds/:id/reject", STAFF, hold_reject, "reject a held transaction after verification", 0},
    {"GET", "/v1/audit", SENIOR, audit_list, "the audit trail, newest first", 0},
    {"GET", "/v1/audit/verify", SENIOR, audit_verify, "check the audit hash chain", 0},
    {"GET", "/v1/stats/alerts-per-day", STAFF, stats_per_day, "alerts per Shanghai day", 0},
    {"GET", "/v1/stats/case-ageing", STAFF, stats_ageing, "open cases by age", 0},
    {NULL, NULL, 0, NULL, NULL, 0},
};
