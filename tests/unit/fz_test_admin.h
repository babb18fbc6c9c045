/* fz_test_admin.h — shared by the tests of the admin routes and the rule
 * book: a store, an engine and an app on a temporary file; calling a route
 * as the server would, without HTTP; reading the audit table (written by
 * the real hash chain, which the tests also verify where they read it). */
#ifndef FZ_TEST_ADMIN_H
#define FZ_TEST_ADMIN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fz_app.h"
#include "fz_audit.h"
#include "fz_auth.h"
#include "fz_routes.h"
#include "fz_rulebook.h"

static const char *const fz_test_packs[] = {"rules/pboc-large-value.rules", "rules/typologies.rules",
                                            "rules/limits.rules"};

typedef struct fz_test_env {
    char path[96];
    struct fz_app app;
} fz_test_env;

/* Open (or reopen) the store at env->path with a new engine, auth and rule
 * book seeded from the shipped packs. Returns 0 or the error. */
static inline int fz_test_env_open(fz_test_env *env) {
    fz_error err;
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    struct fz_app *a = &env->app;
    memset(a, 0, sizeof *a);
    int rc = fz_db_open(&a->db, env->path, &err);
    if (!rc) rc = fz_engine_new(&a->engine, &cfg, &err);
    if (!rc) rc = fz_auth_open(&a->auth, a->db, &err);
    if (!rc) rc = fz_rulebook_open(&a->rules, a->db, a->engine, fz_test_packs, 3, &err);
    if (rc) {
        char msg[512];
        fz_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "fz_test_env_open: %s\n", msg);
    }
    return rc;
}

static inline void fz_test_env_close(fz_test_env *env) {
    struct fz_app *a = &env->app;
    fz_engine_free(a->engine); /* before the rule book: it uses its rule sets */
    fz_rulebook_close(a->rules);
    fz_auth_close(a->auth);
    fz_db_close(a->db);
    memset(a, 0, sizeof *a);
}

/* A fresh store named after the test. */
static inline int fz_test_env_new(fz_test_env *env, const char *name) {
    snprintf(env->path, sizeof env->path, "/tmp/fz_test_%s_%d.db", name, (int)getpid());
    fz_test_env_close(env);
    unlink(env->path);
    return fz_test_env_open(env);
}

static inline void fz_test_env_remove(fz_test_env *env) {
    char p[128];
    fz_test_env_close(env);
    unlink(env->path);
    snprintf(p, sizeof p, "%s-wal", env->path), unlink(p);
    snprintf(p, sizeof p, "%s-shm", env->path), unlink(p);
}

/* Does path match pattern? Fills rq's params with pointers into buf (a copy
 * of path split at '/'). */
static inline int fz_test_match(const char *pattern, const char *path, char *buf, size_t cap, fz_req *rq) {
    char pat[256];
    snprintf(pat, sizeof pat, "%s", pattern);
    snprintf(buf, cap, "%s", path);
    char *ps = NULL, *qs = NULL;
    char *p = strtok_r(pat, "/", &ps), *q = strtok_r(buf, "/", &qs);
    rq->nparams = 0;
    for (; p && q; p = strtok_r(NULL, "/", &ps), q = strtok_r(NULL, "/", &qs)) {
        if (p[0] == ':')
            rq->param[rq->nparams++] = q;
        else if (strcmp(p, q))
            return 0;
    }
    return !p && !q;
}

/* Call method path as a caller of role (named "tester") with body (JSON
 * text or NULL) and query (key, value, ..., NULL or NULL): the route's role
 * check gives 403 as the server would. Fills rs (the caller frees rs->json)
 * and returns its status; 404 when no route matches. */
static inline int fz_test_call(struct fz_app *app, const char *method, const char *path, int role,
                               const char *body, const char *const *query, fz_resp *rs) {
    static char buf[512];
    memset(rs, 0, sizeof *rs);
    fz_req rq = {.app = app, .method = method, .path = path, .body = body ? body : "", .query = query};
    rq.body_len = strlen(rq.body);
    rq.who.role = role;
    rq.who.token_id = 1;
    snprintf(rq.who.name, sizeof rq.who.name, "tester");
    for (const fz_route *const *t = fz_route_tables; *t; t++)
        for (const fz_route *r = *t; r->method; r++) {
            if (strcmp(r->method, method) || !fz_test_match(r->pattern, path, buf, sizeof buf, &rq)) continue;
            if (!(r->roles & role)) return fz_resp_error(rs, 403, NULL, "forbidden"), 403;
            rq.json = body ? json_loads(body, JSON_DECODE_ANY, NULL) : NULL;
            int rc = r->fn(&rq, rs);
            json_decref(rq.json);
            return rc ? 500 : rs->status;
        }
    return fz_resp_error(rs, 404, NULL, "no route"), 404;
}

/* The error's field of a response, "" when none. */
static inline const char *fz_test_field(const fz_resp *rs) {
    const char *f = json_string_value(json_object_get(json_object_get(rs->json, "error"), "field"));
    return f ? f : "";
}

/* The number of audit entries with action, and the detail of the last one
 * (a new JSON value, NULL when none). */
static inline int fz_test_audit(fz_db *db, const char *action, json_t **last_detail) {
    sqlite3_stmt *st;
    int n = 0;
    if (last_detail) *last_detail = NULL;
    sqlite3_prepare_v2(fz_db_sqlite(db), "SELECT detail FROM audit WHERE action = ? ORDER BY seq", -1, &st,
                       NULL);
    sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        n++;
        if (last_detail) {
            json_decref(*last_detail);
            *last_detail = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        }
    }
    sqlite3_finalize(st);
    return n;
}

#endif
