/* test_rulebook.c — rule-set versions: seeded from the shipped packs,
 * uploaded, refused with pack:line:col, rolled back, restored on reopen. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fz_test_admin.h"

static fz_test_env env;

static const char HOLD_PACK[] = "pack \"t\" version \"7\"\n"
                                "rule \"T-HOLD-5\" {\n"
                                "  on payer\n"
                                "  when amount >= 5.00\n"
                                "  then hold\n"
                                "  score 300\n"
                                "  reason zh \"测试\"\n"
                                "  reason en \"test\"\n"
                                "}\n";

static int setup(void **state) {
    (void)state;
    return fz_test_env_new(&env, "rulebook");
}

static int teardown(void **state) {
    (void)state;
    fz_test_env_remove(&env);
    return 0;
}

static int outcome_of_small_payment(void) {
    fz_txn t;
    memset(&t, 0, sizeof t);
    t.time = 1790000000000LL;
    t.payer_acct = (fz_str){"P", 1};
    t.payee_acct = (fz_str){"Q", 1};
    t.amount = 1000; /* 10.00 yuan */
    t.currency = FZ_CCY_CNY;
    fz_decision d;
    assert_int_equal(fz_engine_score(env.app.engine, &t, &d), 0);
    return d.outcome;
}

static int64_t upload(const char *name, const char *text, fz_error *err) {
    fz_principal who = {.token_id = 3, .role = FZ_ROLE_SUPERVISOR, .name = "zhao"};
    fz_rules_src src = {name, text, strlen(text)};
    int64_t id = 0;
    int rc = fz_rulebook_upload(env.app.rules, &who, &src, 1, "tighter", &id, err);
    return rc ? rc : id;
}

static int versions(void) {
    json_t *a;
    fz_error err;
    assert_int_equal(fz_rulebook_list(env.app.rules, &a, &err), 0);
    int n = (int)json_array_size(a);
    json_decref(a);
    return n;
}

static void first_open_seeds_the_shipped_packs(void **state) {
    (void)state;
    int64_t id;
    const fz_ruleset *rs = fz_rulebook_active(env.app.rules, &id);
    assert_int_equal(id, 1);
    assert_ptr_equal(fz_engine_rules(env.app.engine), rs);
    assert_non_null(strstr(fz_rules_version(rs), "pboc-large-value@"));
    assert_true(fz_rules_count(rs) > 10);
    json_t *v;
    fz_error err;
    assert_int_equal(fz_rulebook_get(env.app.rules, 1, &v, &err), 0);
    assert_string_equal(json_string_value(json_object_get(v, "created_by")), "system");
    assert_true(json_is_true(json_object_get(v, "active")));
    json_t *packs = json_object_get(v, "packs");
    assert_int_equal(json_array_size(packs), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(packs, 2), "name")), "limits.rules");
    assert_non_null(
        strstr(json_string_value(json_object_get(json_array_get(packs, 2), "text")), "pack \"limits\""));
    json_decref(v);
    assert_int_equal(fz_test_audit(env.app.db, "rules.seed", NULL), 1);
    assert_int_equal(fz_rulebook_get(env.app.rules, 99, &v, &err), FZ_ENOTFOUND);
}

static void upload_makes_the_new_version_active(void **state) {
    (void)state;
    fz_error err;
    assert_int_equal(outcome_of_small_payment(), FZ_OUT_ALLOW);
    int64_t id = upload("hold.rules", HOLD_PACK, &err);
    assert_int_equal(id, 2);
    int64_t active;
    const fz_ruleset *rs = fz_rulebook_active(env.app.rules, &active);
    assert_int_equal(active, 2);
    assert_ptr_equal(fz_engine_rules(env.app.engine), rs);
    assert_string_equal(fz_rules_info(rs, 0)->id, "T-HOLD-5");
    assert_int_equal(outcome_of_small_payment(), FZ_OUT_HOLD);

    json_t *d;
    assert_int_equal(fz_test_audit(env.app.db, "rules.upload", &d), 1);
    assert_int_equal(json_integer_value(json_object_get(d, "replaces")), 1);
    assert_string_equal(json_string_value(json_object_get(d, "note")), "tighter");
    json_decref(d);
    json_t *list;
    assert_int_equal(fz_rulebook_list(env.app.rules, &list, &err), 0);
    json_t *newest = json_array_get(list, 0);
    assert_int_equal(json_integer_value(json_object_get(newest, "id")), 2);
    assert_string_equal(json_string_value(json_object_get(newest, "created_by")), "zhao");
    assert_true(json_is_true(json_object_get(newest, "active")));
    assert_true(json_is_false(json_object_get(json_array_get(list, 1), "active")));
    json_decref(list);
}

static void bad_upload_names_pack_line_col_and_changes_nothing(void **state) {
    (void)state;
    fz_error err;
    const fz_ruleset *before = fz_rulebook_active(env.app.rules, NULL);
    static const char bad[] = "pack \"b\" version \"1\"\nrule \"B\" {\n  when amount >= 5 yuan\n}\n";
    assert_true(upload("bad.rules", bad, &err) < 0);
    char msg[512];
    fz_error_format(&err, msg, sizeof msg);
    assert_non_null(strstr(msg, "bad.rules:3:"));
    assert_ptr_equal(fz_rulebook_active(env.app.rules, NULL), before);
    assert_ptr_equal(fz_engine_rules(env.app.engine), before);
    assert_int_equal(versions(), 1);

    /* Through the route: 400, the message and the place. */
    fz_resp rs;
    json_t *body = json_pack("{s:[{s:s, s:s}]}", "packs", "name", "bad.rules", "text", bad);
    char *text = json_dumps(body, 0);
    assert_int_equal(fz_test_call(&env.app, "POST", "/v1/rules", FZ_ROLE_SUPERVISOR, text, NULL, &rs), 400);
    json_t *e = json_object_get(rs.json, "error");
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "bad.rules:3:"));
    assert_string_equal(json_string_value(json_object_get(e, "pack")), "bad.rules");
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_true(json_integer_value(json_object_get(e, "col")) > 0);
    json_decref(rs.json);
    free(text);
    json_decref(body);
    assert_int_equal(fz_test_call(&env.app, "POST", "/v1/rules", FZ_ROLE_ANALYST, "{}", NULL, &rs), 403);
    json_decref(rs.json);
    assert_int_equal(versions(), 1);

    assert_true(upload("bad/name.rules", HOLD_PACK, &err) == FZ_EINVAL);
    assert_string_equal(err.field, "packs[0].name");
    assert_true(upload("hold.txt", HOLD_PACK, &err) == FZ_EINVAL);
    assert_int_equal(versions(), 1);
    assert_int_equal(fz_test_audit(env.app.db, "rules.upload", NULL), 0);
}

static void rollback_and_forward(void **state) {
    (void)state;
    fz_error err;
    fz_principal who = {.token_id = 9, .role = FZ_ROLE_ADMIN, .name = "root"};
    const fz_ruleset *v1 = fz_rulebook_active(env.app.rules, NULL);
    assert_int_equal(upload("hold.rules", HOLD_PACK, &err), 2);
    const fz_ruleset *v2 = fz_rulebook_active(env.app.rules, NULL);
    assert_int_equal(fz_rulebook_activate(env.app.rules, &who, 1, &err), 0);
    assert_ptr_equal(fz_engine_rules(env.app.engine), v1);
    assert_int_equal(outcome_of_small_payment(), FZ_OUT_ALLOW);
    json_t *d;
    assert_int_equal(fz_test_audit(env.app.db, "rules.activate", &d), 1);
    assert_int_equal(json_integer_value(json_object_get(d, "replaces")), 2);
    json_decref(d);
    /* Forward again, through the route; the compiled version is reused. */
    fz_resp rs;
    assert_int_equal(
        fz_test_call(&env.app, "POST", "/v1/rules/versions/2/activate", FZ_ROLE_SUPERVISOR, NULL, NULL, &rs),
        200);
    json_decref(rs.json);
    assert_ptr_equal(fz_engine_rules(env.app.engine), v2);
    assert_int_equal(fz_rulebook_activate(env.app.rules, &who, 7, &err), FZ_ENOTFOUND);
    assert_ptr_equal(fz_engine_rules(env.app.engine), v2);
    /* Activating the active version changes nothing and audits nothing. */
    assert_int_equal(fz_rulebook_activate(env.app.rules, &who, 2, &err), 0);
    assert_int_equal(fz_test_audit(env.app.db, "rules.activate", NULL), 2);
}

static void reopen_restores_the_active_version(void **state) {
    (void)state;
    fz_error err;
    assert_int_equal(upload("hold.rules", HOLD_PACK, &err), 2);
    char version[256];
    snprintf(version, sizeof version, "%s", fz_rules_version(fz_rulebook_active(env.app.rules, NULL)));
    fz_test_env_close(&env);
    assert_int_equal(fz_test_env_open(&env), 0);
    int64_t id;
    const fz_ruleset *rs = fz_rulebook_active(env.app.rules, &id);
    assert_int_equal(id, 2);
    assert_string_equal(fz_rules_version(rs), version);
    assert_ptr_equal(fz_engine_rules(env.app.engine), rs);
    assert_int_equal(outcome_of_small_payment(), FZ_OUT_HOLD);
    assert_int_equal(versions(), 2); /* not seeded again */
    assert_int_equal(fz_test_audit(env.app.db, "rules.seed", NULL), 1);
}

static void routes_show_rules_and_versions(void **state) {
    (void)state;
    fz_resp rs;
    assert_int_equal(fz_test_call(&env.app, "GET", "/v1/rules", FZ_ROLE_ANALYST, NULL, NULL, &rs), 200);
    json_t *rules = json_object_get(rs.json, "rules");
    assert_true(json_array_size(rules) > 10);
    int lv = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r) {
        assert_non_null(json_string_value(json_object_get(json_object_get(r, "reason"), "zh")));
        assert_non_null(json_string_value(json_object_get(r, "on")));
        if (!strcmp(json_string_value(json_object_get(r, "id")), "LV-0501-CNY")) {
            lv = 1;
            assert_string_equal(json_string_value(json_object_get(r, "action")), "large_value");
            assert_string_equal(json_string_value(json_object_get(r, "crcd")), "0501");
        }
    }
    assert_true(lv);
    json_decref(rs.json);
    assert_int_equal(fz_test_call(&env.app, "GET", "/v1/rules", FZ_ROLE_INGEST, NULL, NULL, &rs), 403);
    json_decref(rs.json);

    json_t *body =
        json_pack("{s:[{s:s, s:s}], s:s}", "packs", "name", "hold.rules", "text", HOLD_PACK, "note", "why");
    char *text = json_dumps(body, 0);
    assert_int_equal(fz_test_call(&env.app, "POST", "/v1/rules", FZ_ROLE_ADMIN, text, NULL, &rs), 201);
    assert_int_equal(json_integer_value(json_object_get(rs.json, "id")), 2);
    assert_int_equal(json_integer_value(json_object_get(rs.json, "rules")), 1);
    json_decref(rs.json);
    free(text);
    json_decref(body);

    assert_int_equal(fz_test_call(&env.app, "GET", "/v1/rules/versions", FZ_ROLE_ANALYST, NULL, NULL, &rs),
                     200);
    assert_int_equal(json_array_size(json_object_get(rs.json, "versions")), 2);
    json_decref(rs.json);
    assert_int_equal(fz_test_call(&env.app, "GET", "/v1/rules/versions/2", FZ_ROLE_ANALYST, NULL, NULL, &rs),
                     200);
    assert_string_equal(json_string_value(json_object_get(rs.json, "note")), "why");
    json_t *p0 = json_array_get(json_object_get(rs.json, "packs"), 0);
    assert_string_equal(json_string_value(json_object_get(p0, "text")), HOLD_PACK);
    json_decref(rs.json);
    assert_int_equal(fz_test_call(&env.app, "GET", "/v1/rules/versions/x", FZ_ROLE_ANALYST, NULL, NULL, &rs),
                     400);
    assert_string_equal(fz_test_field(&rs), "id");
    json_decref(rs.json);
    assert_int_equal(fz_test_call(&env.app, "GET", "/v1/rules/versions/5", FZ_ROLE_ANALYST, NULL, NULL, &rs),
                     404);
    json_decref(rs.json);
    assert_int_equal(fz_test_call(&env.app, "POST", "/v1/rules", FZ_ROLE_ADMIN,
                                  "{\"packs\":[{\"name\":\"a.rules\"}]}", NULL, &rs),
                     400);
    assert_string_equal(fz_test_field(&rs), "packs[0].text");
    json_decref(rs.json);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(first_open_seeds_the_shipped_packs, setup, teardown),
        cmocka_unit_test_setup_teardown(upload_makes_the_new_version_active, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_upload_names_pack_line_col_and_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(rollback_and_forward, setup, teardown),
        cmocka_unit_test_setup_teardown(reopen_restores_the_active_version, setup, teardown),
        cmocka_unit_test_setup_teardown(routes_show_rules_and_versions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
