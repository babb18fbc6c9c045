/* fz_routes_str.c — suspicious-transaction reports (BSTR) over HTTP
 * (docs/api.md, docs/reports.md). Analysts draft, edit and submit; only
 * supervisors and admins approve (which makes the file) or send a report
 * back: the route table says so and the server enforces it. Each handler
 * checks the request, calls one function of fz_strdb.h and answers the
 * report as it now is. */
#include <stdlib.h>
#include <string.h>

#include "fz_app.h"
#include "fz_routes.h"
#include "fz_strdb.h"

static int reply_str(fz_req *rq, fz_resp *rs, int rc, int status, int64_t id, fz_error *err) {
    json_t *out = NULL;
    if (!rc) rc = fz_str_get(rq->app->db, id, &out, err);
    return fz_resp_reply(rs, rc, status, out, err);
}

static int no_config(fz_error *err) {
    return fz_error_set(err, FZ_EIO, NULL, 0, 0, NULL, "suspicious reports are not configured on this server");
}

/* The JSON body as changes, or NULL when there is none. */
static const json_t *changes(const fz_req *rq, fz_error *err, int *rc) {
    if (!rq->json && rq->body_len) *rc = fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "the body must be a JSON object");
    return json_object_size(rq->json) ? rq->json : NULL;
}

static int str_draft(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t case_id = 0, id = 0;
    int rc = fz_req_path_id(rq, 0, "id", &case_id, &err);
    const json_t *ch = changes(rq, &err, &rc);
    if (!rc && !rq->app->str) rc = no_config(&err);
    if (!rc) rc = fz_str_draft(rq->app->db, rq->app->str, &rq->who, case_id, ch, &id, &err);
    return reply_str(rq, rs, rc, 201, id, &err);
}

static int str_list(fz_req *rq, fz_resp *rs) {
    fz_error err;
    json_t *out = NULL;
    fz_str_filter f = {.status = fz_req_query(rq, "status")};
    int rc = fz_req_query_int(rq, "case_id", FZ_CASEDB_ANY, 1, INT64_MAX, &f.case_id, &err);
    if (!rc) rc = fz_req_query_int(rq, "limit", FZ_PAGE_DEFAULT, 1, FZ_PAGE_MAX, &f.page.limit, &err);
    if (!rc) rc = fz_req_query_int(rq, "offset", 0, 0, INT32_MAX, &f.page.offset, &err);
    if (!rc) rc = fz_str_list(rq->app->db, &f, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int str_get(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0;
    int rc = fz_req_path_id(rq, 0, "id", &id, &err);
    return reply_str(rq, rs, rc, 200, id, &err);
}

static int str_edit(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0;
    int rc = fz_req_path_id(rq, 0, "id", &id, &err);
    const json_t *ch = changes(rq, &err, &rc);
    if (!rc && !ch) rc = fz_error_set(&err, FZ_EINVAL, NULL, 0, 0, NULL, "nothing to change");
    if (!rc) rc = fz_str_edit(rq->app->db, &rq->who, id, ch, &err);
    return reply_str(rq, rs, rc, 200, id, &err);
}

static int str_submit(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0;
    int rc = fz_req_path_id(rq, 0, "id", &id, &err);
    if (!rc) rc = fz_str_submit(rq->app->db, &rq->who, id, &err);
    return reply_str(rq, rs, rc, 200, id, &err);
}

static int str_approve(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0;
    int rc = fz_req_path_id(rq, 0, "id", &id, &err);
    if (!rc && !rq->app->str) rc = no_config(&err);
    if (!rc) rc = fz_str_approve(rq->app->db, rq->app->str, &rq->who, id, &err);
    return reply_str(rq, rs, rc, 200, id, &err);
}

static int str_reject(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0;
    const char *reason = NULL;
    int rc = fz_req_path_id(rq, 0, "id", &id, &err);
    if (!rc) rc = fz_json_str(rq->json, "reason", 1, 8000, &reason, &err);
    if (!rc) rc = fz_str_reject(rq->app->db, &rq->who, id, reason, &err);
    return reply_str(rq, rs, rc, 200, id, &err);
}

static int str_correct(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0, new_id = 0;
    int rc = fz_req_path_id(rq, 0, "id", &id, &err);
    if (!rc) rc = fz_str_correct(rq->app->db, &rq->who, id, &new_id, &err);
    return reply_str(rq, rs, rc, 201, new_id, &err);
}

static int str_file(fz_req *rq, fz_resp *rs) {
    fz_error err;
    int64_t id = 0;
    char name[64];
    unsigned char *data = NULL;
    size_t n = 0;
    int rc = fz_req_path_id(rq, 0, "id", &id, &err);
    if (!rc) rc = fz_str_file(rq->app->db, id, name, &data, &n, &err);
    if (rc) return fz_resp_from_error(rs, &err);
    rs->status = 200;
    rs->ctype = "application/xml";
    rs->raw = (char *)data;
    rs->raw_len = n;
    return 0;
}

#define STAFF FZ_ROLES_STAFF
#define SENIOR FZ_ROLES_SENIOR

const fz_route fz_routes_str[] = {
    {"POST", "/v1/cases/:id/str", STAFF, str_draft, "draft a suspicious-transaction report from a confirmed case", 0},
    {"GET", "/v1/str", STAFF, str_list, "list suspicious reports, soonest deadline first", 0},
    {"GET", "/v1/str/:id", STAFF, str_get, "one suspicious report with its content and deadline", 0},
    {"PATCH", "/v1/str/:id", STAFF, str_edit, "edit a draft report's narratives and codes", 0},
    {"POST", "/v1/str/:id/submit", STAFF, str_submit, "submit a draft report for approval", 0},
    {"POST", "/v1/str/:id/approve", SENIOR, str_approve, "approve a submitted report and make its BSTR file", 0},
    {"POST", "/v1/str/:id/reject", SENIOR, str_reject, "send a submitted report back to draft, with a reason", 0},
    {"POST", "/v1/str/:id/correct", STAFF, str_correct, "start a correction (C file) of a filed report", 0},
    {"GET", "/v1/str/:id/file", STAFF, str_file, "download a filed report's BSTR XML file", 0},
    {NULL, NULL, 0, NULL, NULL, 0},
};
