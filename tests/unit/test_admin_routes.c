/* test_admin_routes.c — tokens, customers and accounts through their
 * routes: roles, each field checked (400 naming it), changes audited with
 * before and after, grades reaching the engine. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fz_kyc.h"
#include "fz_test_admin.h"

static fz_test_env env;

static int setup(void **state) {
    (void)state;
    return fz_test_env_new(&env, "admin_routes");
}

/* Every change a test made is in the audit chain, and the chain checks. */
static int teardown(void **state) {
    (void)state;
    fz_audit_result res;
    fz_error err;
    int rc = fz_audit_verify(env.app.db, &res, &err);
    fz_test_env_remove(&env);
    return rc;
}

/* Call as an analyst and return the status; *out (if given) gets the body. */
static int call_as(int role, const char *method, const char *path, const char *body, json_t **out) {
    fz_resp rs;
    int st = fz_test_call(&env.app, method, path, role, body, NULL, &rs);
    if (out)
        *out = rs.json;
    else
        json_decref(rs.json);
    return st;
}

static int call(const char *method, const char *path, const char *body, json_t **out) {
    return call_as(FZ_ROLE_ANALYST, method, path, body, out);
}

/* The status of a call whose error must name field. */
static void expect_400(const char *method, const char *path, const char *body, const char *field) {
    fz_resp rs;
    int st = fz_test_call(&env.app, method, path, FZ_ROLE_ANALYST, body, NULL, &rs);
    if (st != 400 || strcmp(fz_test_field(&rs), field)) {
        char *t = json_dumps(rs.json, 0);
        fail_msg("%s %s %s: want 400 naming %s, got %d %s", method, path, body, field, st, t);
    }
    json_decref(rs.json);
}

static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static json_int_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static void customer_create_get_patch(void **state) {
    (void)state;
    json_t *c;
    assert_int_equal(call("POST", "/v1/customers",
                          "{\"id\":\"C1\",\"name\":\"张三\",\"id_type\":\"resident_id\","
                          "\"id_number\":\"110101199001011237\"}",
                          &c),
                     201);
    assert_string_equal(str(c, "id"), "C1");
    assert_string_equal(str(c, "kind"), "natural"); /* defaults */
    assert_int_equal(num(c, "grade"), 0);
    assert_true(json_is_object(json_object_get(c, "data")));
    assert_true(num(c, "created_ms") > 0);
    json_decref(c);
    assert_int_equal(call("POST", "/v1/customers", "{\"id\":\"C1\"}", NULL), 409);
    assert_int_equal(call("GET", "/v1/customers/C1", NULL, &c), 200);
    assert_string_equal(str(c, "name"), "张三");
    json_decref(c);
    assert_int_equal(call("GET", "/v1/customers/C9", NULL, NULL), 404);
    assert_int_equal(call_as(FZ_ROLE_INGEST, "GET", "/v1/customers/C1", NULL, NULL), 403);

    json_t *d;
    assert_int_equal(fz_test_audit(env.app.db, "customer.create", &d), 1);
    assert_string_equal(str(d, "id_number"), "110101199001011237");
    json_decref(d);

    assert_int_equal(
        call("PATCH", "/v1/customers/C1",
             "{\"name\":\"张三丰\",\"grade\":2,\"id\":\"C1\",\"data\":{\"occupation\":\"教师\"}}", &c),
        200);
    assert_string_equal(str(c, "name"), "张三丰");
    assert_int_equal(num(c, "grade"), 2);
    assert_string_equal(str(json_object_get(c, "data"), "occupation"), "教师");
    json_decref(c);
    assert_int_equal(fz_test_audit(env.app.db, "customer.update", &d), 1);
    json_t *ch = json_object_get(d, "changes");
    /* name, grade, data; not the unchanged id; a new name is key identity
     * data: identity becomes pending (and the customer is due at once) */
    assert_int_equal(json_object_size(ch), 4);
    assert_string_equal(str(json_object_get(ch, "identity"), "after"), "pending");
    assert_string_equal(str(json_object_get(ch, "name"), "before"), "张三");
    assert_string_equal(str(json_object_get(ch, "name"), "after"), "张三丰");
    assert_int_equal(num(json_object_get(ch, "grade"), "before"), 0);
    assert_int_equal(num(json_object_get(ch, "grade"), "after"), 2);
    json_decref(d);

    /* Nothing changed: nothing written. Clearing an optional field works. */
    assert_int_equal(call("PATCH", "/v1/customers/C1", "{\"grade\":2}", NULL), 200);
    assert_int_equal(fz_test_audit(env.app.db, "customer.update", NULL), 1);
    assert_int_equal(call("PATCH", "/v1/customers/C1", "{\"id_number\":null}", &c), 200);
    assert_true(json_is_null(json_object_get(c, "id_number")));
    json_decref(c);
    assert_int_equal(call("PATCH", "/v1/customers/C9", "{\"grade\":1}", NULL), 404);
}

static void customer_fields_are_checked(void **state) {
    (void)state;
    expect_400("POST", "/v1/customers", "{\"name\":\"x\"}", "id");
    expect_400("POST", "/v1/customers", "{\"id\":\"\"}", "id");
    expect_400("POST", "/v1/customers", "{\"id\":\"has space\"}", "id");
    expect_400("POST", "/v1/customers", "{\"id\":\"a/b\"}", "id");
    expect_400("POST", "/v1/customers", "{\"id\":\"C2\",\"kind\":\"robot\"}", "kind");
    expect_400("POST", "/v1/customers", "{\"id\":\"C2\",\"grade\":4}", "grade");
    expect_400("POST", "/v1/customers", "{\"id\":\"C2\",\"grade\":\"1\"}", "grade");
    expect_400("POST", "/v1/customers", "{\"id\":\"C2\",\"grade\":null}", "grade");
    expect_400("POST", "/v1/customers", "{\"id\":\"C2\",\"id_type\":\"library_card\"}", "id_type");
    expect_400("POST", "/v1/customers", "{\"id\":\"C2\",\"name\":\"a\\nb\"}", "name");
    expect_400("POST", "/v1/customers", "{\"id\":\"C2\",\"data\":[1]}", "data");
    expect_400("POST", "/v1/customers", "{\"id\":\"C2\",\"colour\":\"red\"}", "colour");
    char body[400];
    snprintf(body, sizeof body, "{\"id\":\"C2\",\"name\":\"%0129d\"}", 0);
    expect_400("POST", "/v1/customers", body, "name");
    assert_int_equal(call("POST", "/v1/customers", "[1,2]", NULL), 400);
    assert_int_equal(call("POST", "/v1/customers", NULL, NULL), 400);

    assert_int_equal(
        call("POST", "/v1/customers", "{\"id\":\"C2\",\"kind\":\"entity\",\"id_type\":\"uscc\"}", NULL), 201);
    expect_400("PATCH", "/v1/customers/C2", "{\"id\":\"C3\"}", "id");
    expect_400("PATCH", "/v1/customers/C2", "{\"kind\":null}", "kind");
    expect_400("PATCH", "/v1/customers/C2", "{\"grade\":-1}", "grade");
    assert_int_equal(fz_test_audit(env.app.db, "customer.create", NULL), 1);
    assert_int_equal(fz_test_audit(env.app.db, "customer.update", NULL), 0);
}

/* A grade set through the API is what the rules read as cust.grade. */
static void grades_reach_the_engine(void **state) {
    (void)state;
    static const char pack[] = "pack \"g\" version \"1\"\nrule \"G\" {\n on payer\n when cust.grade >= 2\n"
                               " then hold\n reason zh \"z\"\n reason en \"e\"\n}\n";
    fz_principal who = {.role = FZ_ROLE_ADMIN, .name = "t"};
    fz_rules_src src = {"g.rules", pack, strlen(pack)};
    int64_t id;
    fz_error err;
    assert_int_equal(fz_rulebook_upload(env.app.rules, &who, &src, 1, NULL, &id, &err), 0);
    fz_txn t;
    memset(&t, 0, sizeof t);
    t.time = 1790000000000LL;
    t.payer_acct = (fz_str){"A1", 2};
    t.payer_cust = (fz_str){"G1", 2};
    t.payee_acct = (fz_str){"B1", 2};
    t.amount = 100;
    t.currency = FZ_CCY_CNY;
    fz_decision d;
    assert_int_equal(call("POST", "/v1/customers", "{\"id\":\"G1\",\"grade\":1}", NULL), 201);
    assert_int_equal(fz_engine_score(env.app.engine, &t, &d), 0);
    assert_int_equal(d.outcome, FZ_OUT_ALLOW);
    assert_int_equal(call("PATCH", "/v1/customers/G1", "{\"grade\":3}", NULL), 200);
    assert_int_equal(fz_engine_score(env.app.engine, &t, &d), 0);
    assert_int_equal(d.outcome, FZ_OUT_HOLD);
    assert_int_equal(call("POST", "/v1/customers", "{\"id\":\"G2\",\"grade\":2}", NULL), 201);

    /* At server start the stored grades are loaded into a fresh engine. */
    fz_engine *e2;
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    assert_int_equal(fz_engine_new(&e2, &cfg, &err), 0);
    assert_int_equal(fz_engine_set_rules(e2, fz_rulebook_active(env.app.rules, NULL)), 0);
    assert_int_equal(fz_kyc_load_grades(env.app.db, e2, &err), 0);
    assert_int_equal(fz_engine_score(e2, &t, &d), 0);
    assert_int_equal(d.outcome, FZ_OUT_HOLD);
    fz_engine_free(e2);
}

static int list_customers(const char *const *query, fz_resp *rs) {
    return fz_test_call(&env.app, "GET", "/v1/customers", FZ_ROLE_ANALYST, NULL, query, rs);
}

static void customer_list_filters_and_pages(void **state) {
    (void)state;
    static const char *const bodies[] = {
        "{\"id\":\"K1\",\"name\":\"王芳\",\"grade\":1}", "{\"id\":\"K2\",\"name\":\"王强\",\"grade\":2}",
        "{\"id\":\"K3\",\"name\":\"李娜\",\"grade\":2}", "{\"id\":\"K4\",\"name\":\"王五\",\"grade\":0}"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(call("POST", "/v1/customers", bodies[i], NULL), 201);
    fz_resp rs;
    const char *const by_name[] = {"name", "王", NULL};
    assert_int_equal(list_customers(by_name, &rs), 200);
    assert_int_equal(json_array_size(json_object_get(rs.json, "items")), 3);
    assert_int_equal(num(rs.json, "total"), 3);
    assert_int_equal(num(rs.json, "limit"), 50);
    json_decref(rs.json);
    const char *const by_grade[] = {"grade", "2", "name", "王", NULL};
    assert_int_equal(list_customers(by_grade, &rs), 200);
    json_t *a = json_object_get(rs.json, "items");
    assert_int_equal(json_array_size(a), 1);
    assert_string_equal(str(json_array_get(a, 0), "id"), "K2");
    json_decref(rs.json);
    const char *const page2[] = {"limit", "2", "offset", "2", NULL};
    assert_int_equal(list_customers(page2, &rs), 200);
    a = json_object_get(rs.json, "items");
    assert_int_equal(json_array_size(a), 2);
    assert_string_equal(str(json_array_get(a, 0), "id"), "K3");
    assert_string_equal(str(json_array_get(a, 1), "id"), "K4");
    assert_int_equal(num(rs.json, "total"), 4);
    assert_int_equal(num(rs.json, "offset"), 2);
    json_decref(rs.json);
    const char *const beyond[] = {"offset", "10", NULL};
    assert_int_equal(list_customers(beyond, &rs), 200);
    assert_int_equal(json_array_size(json_object_get(rs.json, "items")), 0);
    assert_int_equal(num(rs.json, "total"), 4);
    json_decref(rs.json);
    const char *const bad[] = {"grade", "9", NULL};
    assert_int_equal(list_customers(bad, &rs), 400);
    assert_string_equal(fz_test_field(&rs), "grade");
    json_decref(rs.json);
    const char *const bad_limit[] = {"limit", "0", NULL};
    assert_int_equal(list_customers(bad_limit, &rs), 400);
    assert_string_equal(fz_test_field(&rs), "limit");
    json_decref(rs.json);
}

static void account_create_get_patch(void **state) {
    (void)state;
    assert_int_equal(call("POST", "/v1/customers", "{\"id\":\"C1\"}", NULL), 201);
    expect_400("POST", "/v1/accounts", "{\"id\":\"6222000011112222@ICBC\",\"customer_id\":\"C9\"}",
               "customer_id");
    expect_400("POST", "/v1/accounts", "{\"id\":\"a@b\",\"class\":4}", "class");
    expect_400("POST", "/v1/accounts", "{\"id\":\"a@b\",\"class\":\"II\"}", "class");
    expect_400("POST", "/v1/accounts", "{\"id\":\"a@b\",\"opened_ms\":1790000000000,\"closed_ms\":1}",
               "closed_ms");
    expect_400("POST", "/v1/accounts", "{\"id\":\"a@b\",\"opened_ms\":1e3}", "opened_ms");
    expect_400("POST", "/v1/accounts", "{\"id\":\"a@b\",\"grade\":1}", "grade");
    json_t *a;
    assert_int_equal(call("POST", "/v1/accounts",
                          "{\"id\":\"6222000011112222@ICBC\",\"customer_id\":\"C1\",\"class\":2,"
                          "\"opened_ms\":1790000000000}",
                          &a),
                     201);
    assert_int_equal(num(a, "class"), 2);
    assert_true(json_is_null(json_object_get(a, "closed_ms")));
    json_decref(a);
    assert_int_equal(call("POST", "/v1/accounts", "{\"id\":\"6222000011112222@ICBC\"}", NULL), 409);
    assert_int_equal(call("GET", "/v1/accounts/6222000011112222@ICBC", NULL, &a), 200);
    assert_string_equal(str(a, "customer_id"), "C1");
    json_decref(a);
    assert_int_equal(call("GET", "/v1/accounts/nope@X", NULL, NULL), 404);

    expect_400("PATCH", "/v1/accounts/6222000011112222@ICBC", "{\"closed_ms\":1000}", "closed_ms");
    assert_int_equal(
        call("PATCH", "/v1/accounts/6222000011112222@ICBC", "{\"class\":3,\"closed_ms\":1790000100000}", &a),
        200);
    assert_int_equal(num(a, "class"), 3);
    assert_int_equal(num(a, "closed_ms"), 1790000100000LL);
    json_decref(a);
    json_t *d;
    assert_int_equal(fz_test_audit(env.app.db, "account.update", &d), 1);
    json_t *ch = json_object_get(d, "changes");
    assert_int_equal(num(json_object_get(ch, "class"), "before"), 2);
    assert_int_equal(num(json_object_get(ch, "class"), "after"), 3);
    assert_true(json_is_null(json_object_get(json_object_get(ch, "closed_ms"), "before")));
    json_decref(d);
    assert_int_equal(fz_test_audit(env.app.db, "account.create", NULL), 1);
}

static void tokens_through_routes(void **state) {
    (void)state;
    json_t *t;
    assert_int_equal(call_as(FZ_ROLE_SUPERVISOR, "POST", "/v1/tokens", "{\"role\":\"ingest\"}", NULL), 403);
    assert_int_equal(
        call_as(FZ_ROLE_ADMIN, "POST", "/v1/tokens", "{\"role\":\"ingest\",\"name\":\"网银\"}", &t), 201);
    const char *tok = str(t, "token");
    assert_int_equal(strlen(tok), FZ_TOKEN_LEN);
    fz_principal who;
    assert_int_equal(fz_auth_check(env.app.auth, tok, strlen(tok), &who), 0);
    assert_int_equal(who.role, FZ_ROLE_INGEST);
    assert_string_equal(who.name, "网银");
    char secret[FZ_TOKEN_LEN + 1];
    snprintf(secret, sizeof secret, "%s", tok);
    int64_t id = num(t, "id");
    json_decref(t);

    json_t *d;
    assert_int_equal(fz_test_audit(env.app.db, "token.create", &d), 1);
    char *dt = json_dumps(d, 0);
    assert_null(strstr(dt, secret + 3));
    free(dt);
    json_decref(d);

    assert_int_equal(call_as(FZ_ROLE_ADMIN, "GET", "/v1/tokens", NULL, &t), 200);
    assert_int_equal(num(t, "total"), 1);
    assert_true(json_is_null(json_object_get(json_array_get(json_object_get(t, "items"), 0), "revoked_ms")));
    char *text = json_dumps(t, 0);
    assert_non_null(strstr(text, "网银"));
    assert_null(strstr(text, secret + 3));
    free(text);
    json_decref(t);

    char path[64];
    snprintf(path, sizeof path, "/v1/tokens/%lld/revoke", (long long)id);
    assert_int_equal(call_as(FZ_ROLE_ADMIN, "POST", path, NULL, NULL), 200);
    assert_int_equal(fz_auth_check(env.app.auth, secret, strlen(secret), &who), FZ_ENOTFOUND);
    assert_int_equal(call_as(FZ_ROLE_ADMIN, "POST", "/v1/tokens/77/revoke", NULL, NULL), 404);
    assert_int_equal(fz_test_audit(env.app.db, "token.revoke", NULL), 1);

    fz_resp rs;
    assert_int_equal(
        fz_test_call(&env.app, "POST", "/v1/tokens", FZ_ROLE_ADMIN, "{\"role\":\"root\"}", NULL, &rs), 400);
    assert_string_equal(fz_test_field(&rs), "role");
    json_decref(rs.json);
    assert_int_equal(fz_test_call(&env.app, "POST", "/v1/tokens", FZ_ROLE_ADMIN,
                                  "{\"role\":\"admin\",\"name\":7}", NULL, &rs),
                     400);
    assert_string_equal(fz_test_field(&rs), "name");
    json_decref(rs.json);
}

/* Every route has a summary and a role (none is public), and the
 * table is well formed. */
static void route_table_is_complete(void **state) {
    (void)state;
    int n = 0;
    for (const fz_route *r = fz_routes_admin; r->method; r++, n++) {
        assert_non_null(r->fn);
        assert_non_null(r->summary);
        assert_true(r->roles != FZ_ROLES_PUBLIC);
        assert_true(r->pattern[0] == '/');
    }
    assert_int_equal(n, 16); /* tokens 3, rules 5, customers 4, accounts 3, /v1/me */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(customer_create_get_patch, setup, teardown),
        cmocka_unit_test_setup_teardown(customer_fields_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(grades_reach_the_engine, setup, teardown),
        cmocka_unit_test_setup_teardown(customer_list_filters_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(account_create_get_patch, setup, teardown),
        cmocka_unit_test_setup_teardown(tokens_through_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(route_table_is_complete, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
