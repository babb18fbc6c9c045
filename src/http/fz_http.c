/* fz_http.c — request and response helpers shared by every route (fz_http.h). */
#include "fz_http.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[] = {"ingest", "analyst", "supervisor", "admin"};

const char *fz_role_name(int role) {
    for (int i = 0; i < 4; i++)
        if (role == 1 << i) return role_names[i];
    return "none";
}

int fz_role_parse(const char *s) {
    for (int i = 0; i < 4; i++)
        if (s && !strcmp(s, role_names[i])) return 1 << i;
    return 0;
}

const char *fz_req_query(const fz_req *rq, const char *key) {
    if (rq->conn) return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);
    for (const char *const *q = rq->query; q && q[0] && q[1]; q += 2)
        if (!strcmp(q[0], key)) return q[1];
    return NULL;
}

int fz_req_query_int(const fz_req *rq, const char *key, int64_t def, int64_t lo, int64_t hi,
                     int64_t *out, fz_error *err) {
    const char *v = fz_req_query(rq, key);
    *out = def;
    if (!v) return 0;
    char *end;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || x < lo || x > hi)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, key, "must be an integer from %lld to %lld",
                            (long long)lo, (long long)hi);
    *out = x;
    return 0;
}

int fz_resp_json(fz_resp *rs, int status, json_t *j) {
    rs->status = status;
    json_decref(rs->json);
    rs->json = j ? j : json_object();
    return 0;
}

static const char *status_code(int status) {
    switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "too_large";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal" : "error";
    }
}

int fz_resp_error(fz_resp *rs, int status, const char *field, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* members in the order docs/api.md shows: status, code, field, message */
    json_t *e = json_pack("{s:i, s:s}", "status", status, "code", status_code(status));
    if (e && field && *field) json_object_set_new(e, "field", json_string(field));
    if (e) json_object_set_new(e, "message", json_string(msg));
    return fz_resp_json(rs, status, json_pack("{s:o}", "error", e ? e : json_object()));
}

int fz_resp_from_error(fz_resp *rs, const fz_error *err) {
    int st;
    switch (err->code) {
    case FZ_EINVAL:
    case FZ_EPARSE:
    case FZ_ERANGE:
    case FZ_EREJECT:
    case FZ_EFORMAT: st = 400; break;
    case FZ_ENOTFOUND: st = 404; break;
    case FZ_EFULL: st = 409; break;
    default: st = 500; break;
    }
    char text[700];
    fz_error e = *err;
    e.field[0] = 0; /* the field goes in its own member */
    fz_error_format(&e, text, sizeof text);
    return fz_resp_error(rs, st, err->field, "%s", text);
}

int fz_resp_reply(fz_resp *rs, int rc, int status, json_t *out, const fz_error *err) {
    if (!rc) return fz_resp_json(rs, status, out);
    json_decref(out);
    return fz_resp_from_error(rs, err);
}

int fz_req_path_id(const fz_req *rq, int i, const char *field, int64_t *id, fz_error *err) {
    const char *s = i < rq->nparams ? rq->param[i] : NULL;
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v < 1) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "must be a positive integer");
    *id = v;
    return 0;
}

int fz_json_str(const json_t *o, const char *field, int required, size_t max, const char **out,
                fz_error *err) {
    json_t *v = json_object_get(o, field);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "is required") : 0;
    if (!json_is_string(v)) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "must be a string");
    if (json_string_length(v) > max)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "is longer than %zu bytes", max);
    if (required && json_string_length(v) == 0)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "must not be empty");
    *out = json_string_value(v);
    return 0;
}

int fz_json_int(const json_t *o, const char *field, int required, int64_t lo, int64_t hi, int64_t *out,
                fz_error *err) {
    json_t *v = json_object_get(o, field);
    if (!v || json_is_null(v))
        return required ? fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "is required") : 0;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "must be an integer from %lld to %lld",
                            (long long)lo, (long long)hi);
    *out = json_integer_value(v);
    return 0;
}

int fz_req_suspend(fz_req *rq, fz_resp *rs, fz_later_fn fn, void *ctx) {
    if (!rq->conn) return fn(rq, rs, ctx); /* tests: no connection to suspend */
    rq->later = malloc(sizeof *rq->later);
    if (!rq->later) return FZ_ENOMEM;
    rq->later->fn = fn;
    rq->later->ctx = ctx;
    MHD_suspend_connection(rq->conn);
    return 0;
}

void fz_http_resume(void *conn) {
    if (conn) MHD_resume_connection(conn);
}
