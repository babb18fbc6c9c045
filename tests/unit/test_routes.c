/* test_routes.c — every route with every role: the route table and the
 * server's role check allow exactly the roles a route lists, answer 401
 * without a token and 403 for a role not listed, and public routes need no
 * token. Also: unknown paths 404, a known path with the wrong method 405. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fz_routes.h"
#include "fz_server.h"

/* A concrete path for a pattern: each ":x" becomes "7". */
static void concrete(const char *pattern, char *out, size_t n) {
    size_t k = 0;
    for (const char *p = pattern; *p && k + 2 < n;) {
        if (*p == ':') {
            out[k++] = '7';
            while (*p && *p != '/') p++;
        } else {
            out[k++] = *p++;
        }
    }
    out[k] = 0;
}

static const int roles[] = {0, FZ_ROLE_INGEST, FZ_ROLE_ANALYST, FZ_ROLE_SUPERVISOR, FZ_ROLE_ADMIN};

static void each_route_each_role(void **state) {
    (void)state;
    int checked = 0;
    for (const fz_route *const *t = fz_route_tables; *t; t++)
        for (const fz_route *r = *t; r->method; r++) {
            char path[256], scratch[256];
            concrete(r->pattern, path, sizeof path);
            for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
                fz_req rq = {0};
                fz_resp rs = {0};
                rq.who.role = roles[i];
                const fz_route *got;
                int ok = fz_server_route(r->method, path, scratch, sizeof scratch, &rq, &rs, &got);
                int want = r->roles == FZ_ROLES_PUBLIC || (r->roles & roles[i]);
                if (ok != want || (ok && got != r))
                    fail_msg("%s %s as %s: allowed=%d, want %d", r->method, r->pattern, fz_role_name(roles[i]), ok,
                             want);
                if (!ok) {
                    int expect = roles[i] ? 403 : 401;
                    if (rs.status != expect)
                        fail_msg("%s %s as %s: status %d, want %d", r->method, r->pattern, fz_role_name(roles[i]),
                                 rs.status, expect);
                }
                json_decref(rs.json);
                checked++;
            }
        }
    assert_true(checked >= 5 * 30); /* the tables are all there */
}

/* The routes the issue names as senior-only. */
static void rules_changes_need_a_supervisor(void **state) {
    (void)state;
    static const char *const senior[][2] = {
        {"POST", "/v1/rules"}, {"POST", "/v1/rules/versions/3/activate"}, {"GET", "/v1/audit"}};
    for (size_t i = 0; i < sizeof senior / sizeof senior[0]; i++) {
        char scratch[256];
        fz_req rq = {0};
        fz_resp rs = {0};
        const fz_route *got;
        rq.who.role = FZ_ROLE_ANALYST;
        assert_int_equal(fz_server_route(senior[i][0], senior[i][1], scratch, sizeof scratch, &rq, &rs, &got), 0);
        assert_int_equal(rs.status, 403);
        json_decref(rs.json);
    }
}

static void unknown_and_wrong_method(void **state) {
    (void)state;
    char scratch[256];
    fz_req rq = {.who.role = FZ_ROLE_ADMIN};
    fz_resp rs = {0};
    const fz_route *got;
    assert_int_equal(fz_server_route("GET", "/v1/nothing", scratch, sizeof scratch, &rq, &rs, &got), 0);
    assert_int_equal(rs.status, 404);
    assert_int_equal(fz_server_route("DELETE", "/v1/transactions", scratch, sizeof scratch, &rq, &rs, &got), 0);
    assert_int_equal(rs.status, 405);
    assert_int_equal(fz_server_route("GET", "/v1/cases/12", scratch, sizeof scratch, &rq, &rs, &got), 1);
    assert_string_equal(rq.param[0], "12");
    json_decref(rs.json);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_route_each_role),
        cmocka_unit_test(rules_changes_need_a_supervisor),
        cmocka_unit_test(unknown_and_wrong_method),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
