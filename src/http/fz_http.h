/* fz_http.h — what a route handler sees: the request, the response, the
 * caller's role, and the application state.
 *
 * fz_server.c owns libmicrohttpd: it reads the body (size-limited), parses
 * JSON bodies, authenticates the bearer token, matches the route table,
 * refuses a role the route does not allow (403), and sends what the handler
 * filled in. Handlers run on the server's one thread, which also owns the
 * engine, so they need no locks. Each routes file (fz_routes_*.c) exports
 * one table; fz_routes.c lists the tables. docs/api.md documents every
 * route. */
#ifndef FZ_HTTP_H
#define FZ_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "fz_db.h"
#include "fz_error.h"

/* Roles, as a bit set so a route can list who may call it. */
enum {
    FZ_ROLE_INGEST = 1,     /* channels: score transactions */
    FZ_ROLE_ANALYST = 2,    /* work alerts, cases and holds */
    FZ_ROLE_SUPERVISOR = 4, /* also file suspicious reports, change rules */
    FZ_ROLE_ADMIN = 8,      /* also manage tokens */
};
#define FZ_ROLES_STAFF (FZ_ROLE_ANALYST | FZ_ROLE_SUPERVISOR | FZ_ROLE_ADMIN)
#define FZ_ROLES_SENIOR (FZ_ROLE_SUPERVISOR | FZ_ROLE_ADMIN)
#define FZ_ROLES_ANY (FZ_ROLE_INGEST | FZ_ROLES_STAFF)
#define FZ_ROLES_PUBLIC 0 /* no token needed (/healthz, the web UI's files) */

/* "ingest", "analyst", "supervisor", "admin"; fz_role_parse returns the bit
 * or 0 for an unknown name. */
const char *fz_role_name(int role);
int fz_role_parse(const char *s);

typedef struct fz_app fz_app; /* fz_app.h */

/* Who is calling: the token's name and role (role 0 on public routes). */
typedef struct fz_principal {
    int64_t token_id;
    int role;
    char name[64];
} fz_principal;

#define FZ_HTTP_MAX_PARAMS 4

typedef struct fz_req {
    fz_app *app;
    const char *method;
    const char *path;
    const char *param[FZ_HTTP_MAX_PARAMS]; /* the ":name" parts of the route, in order */
    int nparams;
    const char *body;      /* raw body (NUL-terminated copy), "" when none */
    size_t body_len;
    json_t *json;          /* the body parsed, when it is JSON; borrowed */
    fz_principal who;
    void *conn;            /* the MHD connection, for fz_req_query */
    const char *const *query; /* without conn (tests): key, value, ..., NULL */
    struct fz_resp_later *later; /* set by fz_req_suspend */
} fz_req;

/* A query-string argument, or NULL. */
const char *fz_req_query(const fz_req *rq, const char *key);

/* An integer query argument in [lo, hi]; def when absent. Returns 0, or
 * FZ_EINVAL with err naming the argument when it is not such an integer. */
int fz_req_query_int(const fz_req *rq, const char *key, int64_t def, int64_t lo, int64_t hi,
                     int64_t *out, fz_error *err);

typedef struct fz_resp {
    int status;            /* HTTP status */
    json_t *json;          /* owned; sent as application/json */
    const char *ctype;     /* for a raw body: its content type */
    char *raw;             /* owned (malloc); sent as is */
    size_t raw_len;
} fz_resp;

/* Fill rs with status and j (stolen; NULL j means {}). Returns 0. */
int fz_resp_json(fz_resp *rs, int status, json_t *j);

/* Fill rs with {"error": {"status": .., "field": .., "message": ..}};
 * field may be NULL. Returns 0. */
int fz_resp_error(fz_resp *rs, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fill rs from an fz_error: FZ_EINVAL/EPARSE/ERANGE/EREJECT -> 400 naming
 * err->field, FZ_ENOTFOUND -> 404, FZ_EFULL -> 409, others -> 500. */
int fz_resp_from_error(fz_resp *rs, const fz_error *err);

/* Answer out with status when rc is 0, else the error (out is dropped).
 * Returns 0. */
int fz_resp_reply(fz_resp *rs, int rc, int status, json_t *out, const fz_error *err);

/* The route's i-th ":param" as a positive integer into *id; FZ_EINVAL
 * naming field otherwise. */
int fz_req_path_id(const fz_req *rq, int i, const char *field, int64_t *id, fz_error *err);

/* A handler fills rs and returns 0; a non-zero return is a bug path and
 * becomes a 500. */
typedef int (*fz_handler)(fz_req *rq, fz_resp *rs);

typedef struct fz_route {
    const char *method;
    const char *pattern;   /* "/v1/cases/:id/comments": ":x" matches one segment */
    int roles;             /* FZ_ROLE_* bits allowed; FZ_ROLES_PUBLIC for none */
    fz_handler fn;
    const char *summary;   /* one line, for docs and the role test */
    int raw_body;          /* 1: the handler parses the body itself (large bodies allowed) */
} fz_route;

/* Answer later: suspend the connection now (it stays open, costing no
 * thread), and once fz_http_resume(rq->conn) is called — from any thread —
 * the server calls fn(rq, rs, ctx) on its own thread to fill the response.
 * fn must release ctx. The handler returns 0 without filling rs. Without a
 * connection (tests) fn runs at once. Returns 0 or FZ_ENOMEM. */
typedef int (*fz_later_fn)(fz_req *rq, struct fz_resp *rs, void *ctx);
struct fz_resp_later {
    fz_later_fn fn;
    void *ctx;
};
int fz_req_suspend(fz_req *rq, struct fz_resp *rs, fz_later_fn fn, void *ctx);
void fz_http_resume(void *conn);

/* Body fields of a JSON request: required string/integer members with
 * limits. Each returns 0, or FZ_EINVAL with err naming the field. */
int fz_json_str(const json_t *o, const char *field, int required, size_t max, const char **out,
                fz_error *err);
int fz_json_int(const json_t *o, const char *field, int required, int64_t lo, int64_t hi, int64_t *out,
                fz_error *err);

#endif
