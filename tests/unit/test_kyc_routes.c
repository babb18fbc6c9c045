/* test_kyc_routes.c — the grading routes as the server calls them: a new
 * customer graded at onboarding, re-graded on a change of identity and on a
 * trigger, the histories, the due list, a grading run, the watch list;
 * roles, 400 naming the field, 503 without a grading model. Run from the
 * repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fz_grading.h"
#include "fz_kyc.h"
#include "fz_test_admin.h"

static fz_test_env env;

static int setup(void **state) {
    (void)state;
    fz_error err;
    if (fz_test_env_new(&env, "kyc_routes")) return -1;
    return fz_grading_load(&env.app.grading, "rules/risk-grading.conf", &err);
}

static int teardown(void **state) {
    (void)state;
    fz_grading_free(env.app.grading);
    fz_test_env_remove(&env);
    return 0;
}

static int call_q(int role, const char *method, const char *path, const char *body, const char *const *query,
                  json_t **out) {
    fz_resp rs;
    int st = fz_test_call(&env.app, method, path, role, body, query, &rs);
    if (out) *out = rs.json;
    else json_decref(rs.json);
    return st;
}

static int call(const char *method, const char *path, const char *body, json_t **out) {
    return call_q(FZ_ROLE_ANALYST, method, path, body, NULL, out);
}

static void expect_400(const char *method, const char *path, const char *body, const char *const *query,
                       const char *field) {
    fz_resp rs;
    int st = fz_test_call(&env.app, method, path, FZ_ROLE_SUPERVISOR, body, query, &rs);
    if (st != 400 || strcmp(fz_test_field(&rs), field))
        fail_msg("%s %s: want 400 naming %s, got %d %s", method, path, field, st, fz_test_field(&rs));
    json_decref(rs.json);
}

static json_int_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* Does a mobile payment of yuan by customer cust hit rule in the app's engine? */
static int engine_hits(const char *cust, int64_t yuan, const char *rule) {
    fz_txn x;
    memset(&x, 0, sizeof x);
    x.id = (fz_str){"t", 1};
    x.time = 1795000000000LL;
    x.payer_acct = (fz_str){"P", 1};
    x.payer_cust = (fz_str){cust, (uint32_t)strlen(cust)};
    x.payee_acct = (fz_str){"Q", 1};
    x.amount = yuan * 100;
    x.currency = FZ_CCY_CNY;
    x.channel = FZ_CH_MOBILE;
    x.label = -1;
    x.group = -1;
    fz_decision d;
    assert_int_equal(fz_engine_score(env.app.engine, &x, &d), 0);
    for (unsigned i = 0; i < d.nhits; i++)
        if (!strcmp(fz_rules_info(fz_engine_rules(env.app.engine), d.hits[i].rule)->id, rule)) return 1;
    return 0;
}

static void onboarding_identity_change_and_triggers(void **state) {
    (void)state;
    json_t *c, *h;
    assert_int_equal(call("POST", "/v1/customers",
                          "{\"id\":\"K1\",\"name\":\"张三\",\"id_type\":\"resident_id\","
                          "\"id_number\":\"11010519491231002X\",\"nationality\":\"CN\",\"occupation\":\"clerk\"}",
                          &c),
                     201);
    assert_true(num(c, "graded_ms") > 0); /* graded at onboarding */
    assert_int_equal(num(c, "grade"), FZ_GRADE_LOW);
    assert_true(num(c, "review_due_ms") > num(c, "graded_ms"));
    json_decref(c);
    assert_int_equal(call("PATCH", "/v1/customers/K1", "{\"name\":\"张三丰\"}", &c), 200);
    assert_string_equal(str(c, "identity"), "pending");
    json_decref(c);
    assert_int_equal(call("GET", "/v1/customers/K1/grade-history", NULL, &h), 200);
    assert_int_equal(num(h, "total"), 2);
    json_t *items = json_object_get(h, "items");
    assert_string_equal(str(json_array_get(items, 0), "trigger"), "identity_change");
    assert_string_equal(str(json_array_get(items, 1), "trigger"), "onboarding");
    json_decref(h);
    assert_int_equal(call("GET", "/v1/customers/K1/history", NULL, &h), 200);
    assert_string_equal(str(json_array_get(json_object_get(h, "items"), 0), "event"), "reidentify");
    json_decref(h);

    /* two suspicious reports: the second grades highest */
    assert_int_equal(call("POST", "/v1/customers/K1/regrade", "{\"trigger\":\"str\",\"note\":\"STR 1\"}", &h), 200);
    json_decref(h);
    assert_int_equal(call("POST", "/v1/customers/K1/regrade", "{\"trigger\":\"str\"}", &h), 200);
    assert_int_equal(num(h, "grade"), FZ_GRADE_HIGHEST);
    assert_int_equal(num(h, "prev_grade"), FZ_GRADE_LOW);
    json_decref(h);
    assert_int_equal(call("GET", "/v1/customers/K1", NULL, &c), 200);
    assert_int_equal(num(c, "grade"), FZ_GRADE_HIGHEST);
    json_decref(c);
    assert_true(engine_hits("K1", 60000, "LIM-ONLINE-SINGLE-HIGH")); /* the grade drives the limits */

    expect_400("POST", "/v1/customers/K1/regrade", "{\"trigger\":\"gossip\"}", NULL, "trigger");
    expect_400("POST", "/v1/customers/K1/regrade", "{}", NULL, "trigger");
    expect_400("POST", "/v1/customers/K1/regrade", "{\"trigger\":\"str\",\"note\":7}", NULL, "note");
    assert_int_equal(call("POST", "/v1/customers/NOPE/regrade", "{\"trigger\":\"str\"}", NULL), 404);
    assert_int_equal(call("GET", "/v1/customers/NOPE/grade-history", NULL, NULL), 404);
    assert_int_equal(call_q(FZ_ROLE_INGEST, "GET", "/v1/reviews/due", NULL, NULL, NULL), 403);
}

static void due_list_and_grading_run(void **state) {
    (void)state;
    json_t *l;
    /* K1 (highest) is due in 6 months: not now, but by then */
    assert_int_equal(call("GET", "/v1/reviews/due", NULL, &l), 200);
    assert_int_equal(num(l, "total"), 0);
    json_decref(l);
    const char *const later[] = {"until", "2099-01-01T00:00:00+08:00", NULL};
    assert_int_equal(call_q(FZ_ROLE_ANALYST, "GET", "/v1/reviews/due", NULL, later, &l), 200);
    assert_int_equal(num(l, "total"), 1);
    /* its identity is still to be verified after the change of name */
    assert_string_equal(str(json_array_get(json_object_get(l, "items"), 0), "why"), "reidentify");
    json_decref(l);
    assert_int_equal(call("PATCH", "/v1/customers/K1", "{\"identity\":\"verified\"}", NULL), 200);
    assert_int_equal(call_q(FZ_ROLE_ANALYST, "GET", "/v1/reviews/due", NULL, later, &l), 200);
    assert_string_equal(str(json_array_get(json_object_get(l, "items"), 0), "why"), "review");
    json_decref(l);
    const char *const bad[] = {"until", "soon", NULL};
    expect_400("GET", "/v1/reviews/due", NULL, bad, "until");
    const char *const lim[] = {"limit", "0", NULL};
    expect_400("GET", "/v1/reviews/due", NULL, lim, "limit");

    assert_int_equal(call("POST", "/v1/reviews/run", "{}", NULL), 403); /* analysts may not */
    assert_int_equal(call_q(FZ_ROLE_SUPERVISOR, "POST", "/v1/reviews/run", "{\"all\":true}", NULL, &l), 200);
    assert_int_equal(num(l, "graded"), 1);
    assert_int_equal(num(json_object_get(l, "by_grade"), "highest"), 1);
    json_decref(l);
    expect_400("POST", "/v1/reviews/run", "{\"all\":1}", NULL, "all");
}

static void watch_list(void **state) {
    (void)state;
    json_t *l;
    assert_int_equal(call("POST", "/v1/watchlist", "{\"name\":\"x\"}", NULL), 403);
    assert_int_equal(
        call_q(FZ_ROLE_SUPERVISOR, "POST", "/v1/watchlist", "{\"name\":\"Petrov, Ivan\",\"list\":\"UN\"}", NULL, &l),
        201);
    assert_true(num(l, "id") > 0);
    json_decref(l);
    expect_400("POST", "/v1/watchlist", "{\"list\":\"UN\"}", NULL, "name");
    expect_400("POST", "/v1/watchlist", "{\"name\":\"a\\u0001b\"}", NULL, "name");
    assert_int_equal(call("GET", "/v1/watchlist", NULL, &l), 200);
    assert_int_equal(num(l, "total"), 1);
    assert_string_equal(str(json_array_get(json_object_get(l, "items"), 0), "list"), "UN");
    json_decref(l);
    assert_int_equal(fz_test_audit(env.app.db, "watchlist.add", NULL), 1);
}

static void without_a_model_grading_is_off(void **state) {
    (void)state;
    fz_grading *g = env.app.grading;
    env.app.grading = NULL;
    assert_int_equal(call("POST", "/v1/customers/K1/regrade", "{\"trigger\":\"media\"}", NULL), 503);
    assert_int_equal(call("POST", "/v1/customers", "{\"id\":\"K2\"}", NULL), 201); /* created, graded later */
    assert_int_equal(call("GET", "/v1/reviews/due", NULL, NULL), 200);
    env.app.grading = g;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(onboarding_identity_change_and_triggers),
        cmocka_unit_test(due_list_and_grading_run),
        cmocka_unit_test(watch_list),
        cmocka_unit_test(without_a_model_grading_is_off),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
