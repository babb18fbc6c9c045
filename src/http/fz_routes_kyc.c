/* fz_routes_kyc.c — the routes of customer due diligence and risk grading
 * (docs/api.md, "Customers: history and grading"; docs/kyc.md): a
 * customer's history and grade history, re-grading on a trigger, the
 * re-review due list, a grading run, and the watch list. Each handler reads
 * the request, calls fz_kyc, fz_review or fz_watchlist, and answers. */
#include <string.h>

#include "fz_app.h"
#include "fz_casedb.h"
#include "fz_kyc.h"
#include "fz_review.h"
#include "fz_routes.h"
#include "fz_time.h"
#include "fz_watchlist.h"

#define MAX_NOTE 500

/* The grading model, or a 503 in rs when the server runs without one. */
static const fz_grading *grading_of(fz_req *rq, fz_resp *rs) {
    if (rq->app->grading) return rq->app->grading;
    fz_resp_error(rs, 503, NULL, "risk grading is off: the server found no risk-grading.conf (--grading FILE)");
    return NULL;
}

static int customer_history(fz_req *rq, fz_resp *rs) {
    json_t *out = NULL;
    fz_error err;
    int rc = fz_kyc_history(rq->app->db, rq->param[0], &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int grade_history(fz_req *rq, fz_resp *rs) {
    json_t *out = NULL;
    fz_error err;
    int rc = fz_review_history(rq->app->db, rq->param[0], &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int regrade(fz_req *rq, fz_resp *rs) {
    const fz_grading *g = grading_of(rq, rs);
    if (!g) return 0;
    const char *trigger = NULL, *note = NULL;
    json_t *out = NULL;
    fz_error err;
    int rc = json_is_object(rq->json) ? 0 : fz_error_set(&err, FZ_EINVAL, NULL, 0, 0, NULL, "the body must be a JSON object");
    if (!rc) rc = fz_json_str(rq->json, "trigger", 1, 32, &trigger, &err);
    if (!rc) rc = fz_json_str(rq->json, "note", 0, MAX_NOTE, &note, &err);
    if (!rc)
        rc = fz_review_customer(rq->app->db, rq->app->engine, g, &rq->who, rq->param[0], trigger, note, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int reviews_due(fz_req *rq, fz_resp *rs) {
    const char *until = fz_req_query(rq, "until");
    int64_t until_ms = fz_db_now_ms(), limit, offset;
    json_t *out = NULL;
    fz_error err;
    int rc = until && fz_time_parse(until, strlen(until), &until_ms)
                 ? fz_error_set(&err, FZ_EINVAL, NULL, 0, 0, "until", "must be ms UTC or a time like 2026-12-01T00:00:00+08:00")
                 : 0;
    if (!rc) rc = fz_req_query_int(rq, "limit", FZ_PAGE_DEFAULT, 1, FZ_PAGE_MAX, &limit, &err);
    if (!rc) rc = fz_req_query_int(rq, "offset", 0, 0, INT32_MAX, &offset, &err);
    if (!rc) rc = fz_review_due(rq->app->db, until_ms, limit, offset, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int reviews_run(fz_req *rq, fz_resp *rs) {
    const fz_grading *g = grading_of(rq, rs);
    if (!g) return 0;
    json_t *all = json_is_object(rq->json) ? json_object_get(rq->json, "all") : NULL;
    fz_error err;
    if (all && !json_is_boolean(all)) return fz_resp_error(rs, 400, "all", "must be true or false");
    fz_review_stats st;
    int due_only = !json_is_true(all);
    int rc = fz_review_all(rq->app->db, rq->app->engine, g, &rq->who, due_only, fz_db_now_ms(), &st, &err);
    json_t *out = rc ? NULL
                     : json_pack("{s:b, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}}", "due_only", due_only, "graded",
                                 (json_int_t)st.graded, "changed", (json_int_t)st.changed, "direct",
                                 (json_int_t)st.direct, "by_grade", "low", (json_int_t)st.by_grade[0], "medium",
                                 (json_int_t)st.by_grade[1], "high", (json_int_t)st.by_grade[2], "highest",
                                 (json_int_t)st.by_grade[3]);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int watchlist_list(fz_req *rq, fz_resp *rs) {
    json_t *out = NULL;
    fz_error err;
    int rc = fz_watchlist_list(rq->app->db, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int watchlist_add(fz_req *rq, fz_resp *rs) {
    const char *name = NULL, *idn = NULL, *list = NULL, *note = NULL;
    int64_t id = 0;
    fz_error err;
    int rc = json_is_object(rq->json) ? 0 : fz_error_set(&err, FZ_EINVAL, NULL, 0, 0, NULL, "the body must be a JSON object");
    if (!rc) rc = fz_json_str(rq->json, "name", 0, 128, &name, &err);
    if (!rc) rc = fz_json_str(rq->json, "id_number", 0, 64, &idn, &err);
    if (!rc) rc = fz_json_str(rq->json, "list", 0, 64, &list, &err);
    if (!rc) rc = fz_json_str(rq->json, "note", 0, MAX_NOTE, &note, &err);
    if (!rc) rc = fz_watchlist_add(rq->app->db, &rq->who, name, idn, list, note, &id, &err);
    return fz_resp_reply(rs, rc, 201, rc ? NULL : json_pack("{s:I}", "id", (json_int_t)id), &err);
}

const fz_route fz_routes_kyc[] = {
    {"GET", "/v1/customers/:id/history", FZ_ROLES_STAFF, customer_history, "a customer's history of changes and triggers", 0},
    {"GET", "/v1/customers/:id/grade-history", FZ_ROLES_STAFF, grade_history, "a customer's grades with their reasons", 0},
    {"POST", "/v1/customers/:id/regrade", FZ_ROLES_STAFF, regrade, "record a trigger and re-grade a customer", 0},
    {"GET", "/v1/reviews/due", FZ_ROLES_STAFF, reviews_due, "customers due for grading or re-review", 0},
    {"POST", "/v1/reviews/run", FZ_ROLES_SENIOR, reviews_run, "grade every customer due (or all)", 0},
    {"GET", "/v1/watchlist", FZ_ROLES_STAFF, watchlist_list, "the screening watch list", 0},
    {"POST", "/v1/watchlist", FZ_ROLES_SENIOR, watchlist_add, "add a name or ID number to the watch list", 0},
    {NULL, NULL, 0, NULL, NULL, 0},
};
