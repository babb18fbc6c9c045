/* fz_routes_reports.c — regulatory reports over HTTP (docs/api.md
 * "Reports"): the large-value records the engine made, the deadline board
 * (large-value and suspicious reports), making the large-value files
 * (supervisors and admins) and the stored files. Each handler checks the
 * request, calls one function of fz_lvdb.h and answers its JSON. */
#include <stdlib.h>
#include <string.h>

#include "fz_app.h"
#include "fz_lvdb.h"
#include "fz_routes.h"
#include "fz_str.h"
#include "fz_time.h"

#define BOARD_WITHIN_DEFAULT 3 /* working days ahead the board counts as "due soon" */

static int no_config(fz_error *err) {
    return fz_error_set(err, FZ_EIO, NULL, 0, 0, NULL, "reports are not configured on this server");
}

static int32_t today(void) { return fz_time_cn_day(fz_db_now_ms()); }

/* A date argument YYYY-MM-DD as a day number; def when absent. */
static int query_day(const fz_req *rq, const char *key, int64_t def, int64_t *out, fz_error *err) {
    const char *v = fz_req_query(rq, key);
    int32_t d;
    *out = def;
    if (!v) return 0;
    if (fz_day_parse(v, strlen(v), &d)) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, key, "must be a date YYYY-MM-DD");
    *out = d;
    return 0;
}

static int lv_list(fz_req *rq, fz_resp *rs) {
    fz_error err;
    json_t *out = NULL;
    fz_lv_filter f = {.status = fz_req_query(rq, "status"), .customer = fz_req_query(rq, "customer")};
    int rc = rq->app->str ? 0 : no_config(&err);
    if (!rc) rc = query_day(rq, "from", FZ_CASEDB_ANY, &f.from_day, &err);
    if (!rc) rc = query_day(rq, "to", FZ_CASEDB_ANY, &f.to_day, &err);
    if (!rc) rc = fz_req_query_int(rq, "limit", FZ_PAGE_DEFAULT, 1, FZ_PAGE_MAX, &f.page.limit, &err);
    if (!rc) rc = fz_req_query_int(rq, "offset", 0, 0, INT32_MAX, &f.page.offset, &err);
    if (!rc) rc = fz_lvdb_list(rq->app->db, rq->app->str->cal, today(), &f, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

static int deadlines(fz_req *rq, fz_resp *rs) {
    fz_error err;
    json_t *out = NULL;
    int64_t within;
    int rc = rq->app->str ? 0 : no_config(&err);
    if (!rc) rc = fz_req_query_int(rq, "within", BOARD_WITHIN_DEFAULT, 1, 30, &within, &err);
    if (!rc) rc = fz_lvdb_board(rq->app->db, rq->app->str->cal, today(), (int)within, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

/* A body date member YYYY-MM-DD; def when absent and not required. */
static int body_day(const fz_req *rq, const char *field, int required, int32_t def, int32_t *out, fz_error *err) {
    const char *s = NULL;
    int rc = fz_json_str(rq->json, field, required, 10, &s, err);
    *out = def;
    if (rc || !s) return rc;
    if (fz_day_parse(s, strlen(s), out)) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "must be a date YYYY-MM-DD");
    return 0;
}

/* The large-value files' codes: the server's, or the demo institution. */
static void hvtr_config(const fz_str_config *c, fz_hvtr_config *hc) {
    memset(hc, 0, sizeof *hc);
    snprintf(hc->ricd, sizeof hc->ricd, "%s", c->ricd[0] ? c->ricd : FZ_LVDB_DEMO_RICD);
    snprintf(hc->finc, sizeof hc->finc, "%s", c->finc);
    snprintf(hc->trcd, sizeof hc->trcd, "%s", c->trcd);
}

static int lv_files(fz_req *rq, fz_resp *rs) {
    fz_error err;
    json_t *out = NULL;
    fz_hvtr_config hc;
    fz_lvdb_make m = {.hc = &hc, .engine = rq->app->engine, .exempt = rq->app->exempt, .date = today()};
    int rc = rq->app->str ? 0 : no_config(&err);
    if (!rc) rc = body_day(rq, "from", 1, 0, &m.from, &err);
    if (!rc) rc = body_day(rq, "to", 0, m.from, &m.to, &err);
    if (!rc && (m.to < m.from || m.to - m.from >= FZ_LVDB_MAX_DAYS))
        rc = fz_error_set(&err, FZ_EINVAL, NULL, 0, 0, "to", "must be from or up to %d days after it", FZ_LVDB_MAX_DAYS - 1);
    if (!rc) {
        hvtr_config(rq->app->str, &hc);
        rc = fz_lvdb_make_files(rq->app->db, &m, &rq->who, &out, &err);
    }
    return fz_resp_reply(rs, rc, 201, out, &err);
}

static int files_list(fz_req *rq, fz_resp *rs) {
    fz_error err;
    json_t *out = NULL;
    fz_page p;
    int rc = fz_req_query_int(rq, "limit", FZ_PAGE_DEFAULT, 1, FZ_PAGE_MAX, &p.limit, &err);
    if (!rc) rc = fz_req_query_int(rq, "offset", 0, 0, INT32_MAX, &p.offset, &err);
    if (!rc) rc = fz_lvdb_files(rq->app->db, p, &out, &err);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

/* A stored file by the route's :id. */
typedef struct file_data {
    int64_t id;
    char name[64], kind[8];
    unsigned char *data;
    size_t n;
} file_data;

static int load_file(const fz_req *rq, file_data *f, fz_error *err) {
    int rc = fz_req_path_id(rq, 0, "id", &f->id, err);
    return rc ? rc : fz_lvdb_file(rq->app->db, f->id, f->name, f->kind, &f->data, &f->n, err);
}

static int file_get(fz_req *rq, fz_resp *rs) {
    fz_error err;
    file_data f = {0};
    if (load_file(rq, &f, &err)) return fz_resp_from_error(rs, &err);
    rs->status = 200;
    rs->ctype = strcmp(f.kind, "zip") ? "application/xml" : "application/zip";
    rs->raw = (char *)f.data;
    rs->raw_len = f.n;
    return 0;
}

static int file_preview(fz_req *rq, fz_resp *rs) {
    fz_error err;
    file_data f = {0};
    json_t *out = NULL;
    int rc = load_file(rq, &f, &err);
    if (!rc && strcmp(f.kind, "xml"))
        rc = fz_error_set(&err, FZ_EFULL, NULL, 0, 0, "id", "file %lld is a ZIP bundle: preview its XML files", (long long)f.id);
    if (!rc)
        out = json_pack("{s:I,s:s,s:s,s:s%}", "id", (json_int_t)f.id, "name", f.name, "kind", f.kind, "text",
                        (char *)f.data, f.n);
    free(f.data);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

#define STAFF FZ_ROLES_STAFF
#define SENIOR FZ_ROLES_SENIOR

const fz_route fz_routes_reports[] = {
    {"GET", "/v1/reports/large-value", STAFF, lv_list, "large-value records with their deadlines (filters, paging)", 0},
    {"GET", "/v1/reports/deadlines", STAFF, deadlines, "the deadline board: overdue, due today, due soon", 0},
    {"POST", "/v1/reports/large-value/files", SENIOR, lv_files, "make the large-value report files of a range of days", 0},
    {"GET", "/v1/reports/files", STAFF, files_list, "stored report files, newest first", 0},
    {"GET", "/v1/reports/files/:id", STAFF, file_get, "download a report file (XML or ZIP)", 0},
    {"GET", "/v1/reports/files/:id/preview", STAFF, file_preview, "an XML report file as text", 0},
    {NULL, NULL, 0, NULL, NULL, 0},
};
