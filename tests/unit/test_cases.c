/* test_cases.c — the analysts' routes driven through their handlers (no
 * HTTP): alerts, cases, evidence, false-positive suppressions, escalation,
 * holds, the audit routes and the dashboard counts, over an in-memory
 * store whose events, alerts and holds are inserted by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_app.h"
#include "fz_audit.h"
#include "fz_cases.h"
#include "fz_ingest.h"
#include "fz_routes.h"

/* The ingest hooks, recorded. Weak, so that once libfanzha.a holds the real
 * ones these still serve this test (the linker takes a definition it
 * already has over an archive member). */
static int nsuppress, nresolved;
static char last_suppress[128], last_resolved[128];

__attribute__((weak)) int fz_ingest_suppress(fz_ingest *ig, const char *account, const char *rule, int64_t until_ms) {
    (void)ig;
    (void)until_ms;
    nsuppress++;
    snprintf(last_suppress, sizeof last_suppress, "%s %s", account, rule);
    return 0;
}

__attribute__((weak)) void fz_ingest_hold_resolved(fz_ingest *ig, const char *txn_id, const char *status) {
    (void)ig;
    nresolved++;
    snprintf(last_resolved, sizeof last_resolved, "%s %s", txn_id, status);
}

static fz_app app;
static char fake_ingest;
static int64_t now;
#define DAY 86400000LL

static void sql(const char *s) {
    fz_error err;
    if (fz_db_exec(app.db, s, &err)) fail_msg("%s: %s", s, err.msg);
}

static void sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sqlf(const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sql(buf);
}

static int64_t count(const char *q) {
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(fz_db_sqlite(app.db), q, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Three events; four alerts (1, 2: both sides of t1 under r_big; 3: t2
 * under r_night; 4: t3 under r_big, a day old); holds on t2 and t3. */
static int setup(void **st) {
    (void)st;
    fz_error err;
    if (fz_db_open(&app.db, ":memory:", &err)) return -1;
    app.ingest = (struct fz_ingest *)&fake_ingest;
    now = fz_db_now_ms();
    nsuppress = nresolved = 0;
    for (int i = 1; i <= 3; i++)
        sqlf("INSERT INTO events VALUES(%d, 't%d', %lld, %lld, 'A@b', '%s', %d, 'CNY', 2, %d, 'v1', "
             "'{\"id\":\"t%d\"}', '{\"outcome\":\"hold\",\"reasons\":[\"r\"]}')",
             i, i, (long long)(now - (3 - i) * DAY), (long long)(now - (3 - i) * DAY), i == 3 ? "C@b" : "B@b",
             123450 * i, 40 * i, i);
    sqlf("INSERT INTO alerts(seq, txn_id, txn_ms, created_ms, account, rule, score, outcome) VALUES"
         "(1, 't1', %lld, %lld, 'A@b', 'r_big', 80, 2), (1, 't1', %lld, %lld, 'B@b', 'r_big', 80, 2),"
         "(2, 't2', %lld, %lld, 'A@b', 'r_night', 40, 2), (3, 't3', %lld, %lld, 'C@b', 'r_big', 90, 3)",
         (long long)now, (long long)now, (long long)now, (long long)now, (long long)now, (long long)now,
         (long long)(now - DAY), (long long)(now - DAY));
    sqlf("INSERT INTO holds(seq, txn_id, created_ms) VALUES(3, 't3', %lld), (2, 't2', %lld)", (long long)now,
         (long long)(now - DAY));
    return 0;
}

static int teardown(void **st) {
    (void)st;
    fz_db_close(app.db);
    return 0;
}

static const fz_route *route(const char *method, const char *pattern) {
    for (const fz_route *r = fz_routes_cases; r->method; r++)
        if (!strcmp(r->method, method) && !strcmp(r->pattern, pattern)) return r;
    fail_msg("no route %s %s", method, pattern);
    return NULL;
}

/* Call the route's handler as analyst "ann"; returns the status and the
 * answer in *out (the caller frees it). params: up to two path values. */
static int call(const char *method, const char *pattern, const char *p0, const char *p1, const char *body,
                const char *const *query, json_t **out) {
    fz_req rq = {.app = &app, .method = method, .path = pattern, .body = body ? body : "", .query = query};
    rq.who = (fz_principal){.token_id = 1, .role = FZ_ROLE_ANALYST, .name = "ann"};
    rq.param[0] = p0;
    rq.param[1] = p1;
    rq.nparams = !!p0 + !!p1;
    rq.json = body ? json_loads(body, 0, NULL) : NULL;
    fz_resp rs = {0};
    assert_int_equal(route(method, pattern)->fn(&rq, &rs), 0);
    json_decref(rq.json);
    free(rs.raw);
    *out = rs.json;
    return rs.status;
}

static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static json_t *item(const json_t *list, size_t i) { return json_array_get(json_object_get(list, "items"), i); }

/* The request is refused with status, naming field. */
static void expect_error(const char *method, const char *pattern, const char *p0, const char *body,
                         const char *const *query, int status, const char *field) {
    json_t *out;
    assert_int_equal(call(method, pattern, p0, NULL, body, query, &out), status);
    json_t *e = json_object_get(out, "error");
    if (field) assert_string_equal(str(e, "field"), field);
    json_decref(out);
}

static int64_t list_total(const char *pattern, const char *const *query) {
    json_t *out;
    assert_int_equal(call("GET", pattern, NULL, NULL, NULL, query, &out), 200);
    int64_t n = num(out, "total");
    json_decref(out);
    return n;
}

static void test_alerts_filters(void **st) {
    (void)st;
    assert_int_equal(list_total("/v1/alerts", NULL), 4);
    assert_int_equal(list_total("/v1/alerts", (const char *const[]){"rule", "r_big", NULL}), 3);
    assert_int_equal(list_total("/v1/alerts", (const char *const[]){"account", "A@b", NULL}), 2);
    assert_int_equal(list_total("/v1/alerts", (const char *const[]){"min_score", "85", NULL}), 1);
    assert_int_equal(list_total("/v1/alerts", (const char *const[]){"max_score", "40", NULL}), 1);
    assert_int_equal(list_total("/v1/alerts", (const char *const[]){"status", "open", "rule", "r_big", NULL}), 3);
    char from[32];
    snprintf(from, sizeof from, "%lld", (long long)(now - 3600000));
    assert_int_equal(list_total("/v1/alerts", (const char *const[]){"from", from, NULL}), 3);
    assert_int_equal(list_total("/v1/alerts", (const char *const[]){"to", from, NULL}), 1);
    assert_int_equal(list_total("/v1/alerts", (const char *const[]){"from", "2999-01-01", NULL}), 0);
}

static void test_alerts_paging(void **st) {
    (void)st;
    json_t *out;
    assert_int_equal(call("GET", "/v1/alerts", NULL, NULL, NULL,
                          (const char *const[]){"limit", "2", "offset", "1", NULL}, &out),
                     200);
    assert_int_equal(num(out, "total"), 4);
    assert_int_equal(num(out, "limit"), 2);
    assert_int_equal(num(out, "offset"), 1);
    assert_int_equal(json_array_size(json_object_get(out, "items")), 2);
    assert_int_equal(num(item(out, 0), "id"), 3); /* newest first: 4, [3, 2], 1 */
    assert_int_equal(num(item(out, 1), "id"), 2);
    assert_string_equal(str(item(out, 1), "amount_display"), "1234.50 CNY");
    assert_int_equal(num(item(out, 1), "amount"), 123450);
    json_decref(out);
    assert_int_equal(call("GET", "/v1/alerts", NULL, NULL, NULL, (const char *const[]){"before_id", "3", NULL}, &out),
                     200);
    assert_int_equal(num(out, "total"), 2);
    assert_int_equal(num(item(out, 0), "id"), 2);
    json_decref(out);
}

static void test_alerts_bad_input(void **st) {
    (void)st;
    expect_error("GET", "/v1/alerts", NULL, NULL, (const char *const[]){"status", "gone", NULL}, 400, "status");
    expect_error("GET", "/v1/alerts", NULL, NULL, (const char *const[]){"limit", "0", NULL}, 400, "limit");
    expect_error("GET", "/v1/alerts", NULL, NULL, (const char *const[]){"limit", "501", NULL}, 400, "limit");
    expect_error("GET", "/v1/alerts", NULL, NULL, (const char *const[]){"from", "yesterday", NULL}, 400, "from");
    expect_error("GET", "/v1/alerts", NULL, NULL, (const char *const[]){"min_score", "1x", NULL}, 400, "min_score");
    expect_error("GET", "/v1/alerts/:id", "x", NULL, NULL, 400, "id");
    expect_error("GET", "/v1/alerts/:id", "99", NULL, NULL, 404, NULL);
}

static void test_alert_get(void **st) {
    (void)st;
    json_t *out;
    assert_int_equal(call("GET", "/v1/alerts/:id", "3", NULL, NULL, NULL, &out), 200);
    assert_string_equal(str(out, "rule"), "r_night");
    assert_string_equal(str(out, "outcome_name"), "hold");
    assert_string_equal(str(json_object_get(out, "txn"), "id"), "t2");
    assert_string_equal(str(json_object_get(out, "decision"), "outcome"), "hold");
    assert_string_equal(str(out, "rules_version"), "v1");
    json_decref(out);
}

/* POST body to a case route of case "1"; returns the case as answered. */
static json_t *case_post(const char *pattern, const char *body, int want) {
    json_t *out;
    assert_int_equal(call("POST", pattern, "1", NULL, body, NULL, &out), want);
    return out;
}

static void test_case_create(void **st) {
    (void)st;
    json_t *out;
    assert_int_equal(call("POST", "/v1/cases", NULL, NULL, "{\"title\":\"A@b night and big\",\"alert_ids\":[1,3]}",
                          NULL, &out),
                     201);
    assert_int_equal(num(out, "id"), 1);
    assert_string_equal(str(out, "status"), "open");
    assert_string_equal(str(out, "created_by"), "ann");
    assert_int_equal(num(out, "alert_count"), 2);
    assert_int_equal(json_array_size(json_object_get(out, "alerts")), 2);
    assert_string_equal(str(json_array_get(json_object_get(out, "alerts"), 0), "status"), "in_case");
    json_decref(out);
    assert_int_equal(count("SELECT count(*) FROM alerts WHERE status = 'in_case' AND case_id = 1"), 2);
    /* an alert already in a case; unknown, repeated, missing ids; no title */
    expect_error("POST", "/v1/cases", NULL, "{\"title\":\"t\",\"alert_ids\":[2,1]}", NULL, 409, "alert_ids");
    assert_int_equal(count("SELECT count(*) FROM cases"), 1); /* the failed create left nothing */
    assert_int_equal(count("SELECT count(*) FROM alerts WHERE status = 'open'"), 2);
    expect_error("POST", "/v1/cases", NULL, "{\"title\":\"t\",\"alert_ids\":[99]}", NULL, 400, "alert_ids");
    expect_error("POST", "/v1/cases", NULL, "{\"title\":\"t\",\"alert_ids\":[2,2]}", NULL, 400, "alert_ids");
    expect_error("POST", "/v1/cases", NULL, "{\"title\":\"t\",\"alert_ids\":[]}", NULL, 400, "alert_ids");
    expect_error("POST", "/v1/cases", NULL, "{\"title\":\"t\",\"alert_ids\":[\"2\"]}", NULL, 400, "alert_ids");
    expect_error("POST", "/v1/cases", NULL, "{\"alert_ids\":[2]}", NULL, 400, "title");
    expect_error("POST", "/v1/cases", NULL, NULL, NULL, 400, "title");
    assert_int_equal(count("SELECT count(*) FROM audit"), 1);
}

static void make_case(const char *ids) {
    char body[128];
    json_t *out;
    snprintf(body, sizeof body, "{\"title\":\"case\",\"alert_ids\":%s}", ids);
    assert_int_equal(call("POST", "/v1/cases", NULL, NULL, body, NULL, &out), 201);
    json_decref(out);
}

static void test_case_notes(void **st) {
    (void)st;
    make_case("[1,3]");
    json_t *out = case_post("/v1/cases/:id/comments", "{\"body\":\"called the customer\"}", 201);
    json_t *note = json_array_get(json_object_get(out, "notes"), 0);
    assert_string_equal(str(note, "kind"), "comment");
    assert_string_equal(str(note, "body"), "called the customer");
    assert_string_equal(str(note, "author"), "ann");
    json_decref(out);
    out = case_post("/v1/cases/:id/evidence", "{\"name\":\"call.txt\",\"mime\":\"text/plain\",\"data\":\"aGVsbG8=\"}",
                    201);
    note = json_array_get(json_object_get(out, "notes"), 1);
    assert_string_equal(str(note, "kind"), "evidence");
    assert_int_equal(num(note, "size"), 5);
    assert_string_equal(str(note, "sha256"), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assert_null(json_object_get(note, "data")); /* the bytes are fetched on their own */
    json_decref(out);
    /* download: the bytes back, and a type browsers do not run */
    fz_req rq = {.app = &app, .param = {"1", "2"}, .nparams = 2, .body = ""};
    fz_resp rs = {0};
    assert_int_equal(route("GET", "/v1/cases/:id/evidence/:note")->fn(&rq, &rs), 0);
    assert_int_equal(rs.status, 200);
    assert_int_equal(rs.raw_len, 5);
    assert_memory_equal(rs.raw, "hello", 5);
    assert_string_equal(rs.ctype, "text/plain");
    free(rs.raw);
    json_decref(rs.json);
    expect_error("POST", "/v1/cases/:id/evidence", "1", "{\"name\":\"x\",\"mime\":\"text/html\",\"data\":\"!!\"}", NULL,
                 400, "data");
    expect_error("POST", "/v1/cases/:id/evidence", "1", "{\"name\":\"x\",\"mime\":\"html\",\"data\":\"aGVsbG8=\"}",
                 NULL, 400, "mime");
    expect_error("POST", "/v1/cases/:id/evidence", "1", "{\"mime\":\"a/b\",\"data\":\"aGVsbG8=\"}", NULL, 400, "name");
    expect_error("POST", "/v1/cases/:id/comments", "1", "{\"body\":\"\"}", NULL, 400, "body");
    expect_error("POST", "/v1/cases/:id/comments", "7", "{\"body\":\"x\"}", NULL, 404, NULL);
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action IN ('case.comment', 'case.evidence')"), 2);
}

static void test_evidence_too_large(void **st) {
    (void)st;
    make_case("[1]");
    size_t n = (size_t)FZ_CASE_EVIDENCE_MAX / 3 * 4 + 8; /* decodes to more than the limit */
    char *body = malloc(n + 64);
    int k = snprintf(body, 64, "{\"name\":\"x\",\"mime\":\"a/b\",\"data\":\"");
    memset(body + k, 'A', n);
    strcpy(body + k + n, "\"}");
    expect_error("POST", "/v1/cases/:id/evidence", "1", body, NULL, 400, "data");
    free(body);
    assert_int_equal(count("SELECT count(*) FROM case_notes"), 0);
}

static void test_close_false_positive(void **st) {
    (void)st;
    make_case("[1,2,3]");
    json_t *out = case_post("/v1/cases/:id/assign", "{\"assignee\":\"bob\"}", 200);
    assert_string_equal(str(out, "assignee"), "bob");
    json_decref(out);
    expect_error("POST", "/v1/cases/:id/close", "1", "{\"as\":\"maybe\",\"reason\":\"x\"}", NULL, 400, "as");
    expect_error("POST", "/v1/cases/:id/close", "1", "{\"as\":\"false_positive\"}", NULL, 400, "reason");
    expect_error("POST", "/v1/cases/:id/close", "1", "{\"as\":\"false_positive\",\"reason\":\"x\",\"suppress_days\":0}",
                 NULL, 400, "suppress_days");
    out = case_post("/v1/cases/:id/close",
                    "{\"as\":\"false_positive\",\"reason\":\"salary run\",\"suppress_days\":7}", 200);
    assert_string_equal(str(out, "status"), "closed_fp");
    assert_string_equal(str(out, "resolution"), "salary run");
    assert_true(num(out, "closed_ms") >= now);
    json_decref(out);
    /* one row per distinct (account, rule): A@b r_big, B@b r_big, A@b r_night */
    assert_int_equal(count("SELECT count(*) FROM suppressions WHERE case_id = 1 AND by = 'ann' AND why = 'salary run'"),
                     3);
    assert_int_equal(count("SELECT count(*) FROM suppressions WHERE account = 'A@b' AND rule = 'r_night'"), 1);
    int64_t until = count("SELECT min(until_ms) FROM suppressions");
    assert_true(until >= now + 7 * DAY && until < now + 7 * DAY + 60000);
    assert_int_equal(nsuppress, 3);
    assert_int_equal(count("SELECT count(*) FROM alerts WHERE status = 'closed'"), 3);
    /* closed is final */
    expect_error("POST", "/v1/cases/:id/close", "1", "{\"as\":\"fraud\",\"reason\":\"x\"}", NULL, 409, NULL);
    expect_error("POST", "/v1/cases/:id/assign", "1", "{\"assignee\":\"sue\"}", NULL, 409, NULL);
    expect_error("POST", "/v1/cases/:id/escalate", "1", "{\"reason\":\"x\"}", NULL, 409, NULL);
    assert_int_equal(count("SELECT count(*) FROM suppressions"), 3);
    fz_audit_result r;
    fz_error err;
    assert_int_equal(fz_audit_verify(app.db, &r, &err), 0);
    assert_int_equal(r.entries, 3); /* create, assign, close */
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'case.close' AND object = 'case:1' "
                           "AND actor = 'ann' AND role = 'analyst'"),
                     1);
}

static void test_default_suppression(void **st) {
    (void)st;
    make_case("[4]");
    json_decref(case_post("/v1/cases/:id/close", "{\"as\":\"false_positive\",\"reason\":\"known payee\"}", 200));
    int64_t until = count("SELECT until_ms FROM suppressions");
    assert_true(until >= now + 30 * DAY && until < now + 30 * DAY + 60000);
    assert_string_equal(last_suppress, "C@b r_big");
}

static void test_escalate_then_close_fraud(void **st) {
    (void)st;
    make_case("[2]");
    expect_error("POST", "/v1/cases/:id/escalate", "1", "{}", NULL, 400, "reason");
    json_t *out = case_post("/v1/cases/:id/escalate", "{\"reason\":\"mule pattern\"}", 200);
    assert_string_equal(str(out, "status"), "escalated");
    json_t *note = json_array_get(json_object_get(out, "notes"), 0);
    assert_string_equal(str(note, "kind"), "status");
    assert_string_equal(str(note, "body"), "escalated: mule pattern");
    json_decref(out);
    expect_error("POST", "/v1/cases/:id/escalate", "1", "{\"reason\":\"again\"}", NULL, 409, NULL);
    out = case_post("/v1/cases/:id/close", "{\"as\":\"fraud\",\"reason\":\"confirmed by police\"}", 200);
    assert_string_equal(str(out, "status"), "closed_fraud");
    json_decref(out);
    assert_int_equal(count("SELECT count(*) FROM suppressions"), 0);
    assert_int_equal(nsuppress, 0);
}

static void test_cases_list(void **st) {
    (void)st;
    make_case("[1]");
    make_case("[2]");
    make_case("[3]");
    json_decref(case_post("/v1/cases/:id/escalate", "{\"reason\":\"r\"}", 200));
    assert_int_equal(list_total("/v1/cases", NULL), 3);
    assert_int_equal(list_total("/v1/cases", (const char *const[]){"status", "escalated", NULL}), 1);
    assert_int_equal(list_total("/v1/cases", (const char *const[]){"status", "open", NULL}), 2);
    assert_int_equal(list_total("/v1/cases", (const char *const[]){"assignee", "bob", NULL}), 0);
    expect_error("GET", "/v1/cases", NULL, NULL, (const char *const[]){"status", "shut", NULL}, 400, "status");
    json_t *out;
    assert_int_equal(call("GET", "/v1/cases", NULL, NULL, NULL, (const char *const[]){"limit", "1", NULL}, &out), 200);
    assert_int_equal(json_array_size(json_object_get(out, "items")), 1);
    assert_int_equal(num(item(out, 0), "id"), 3);
    assert_int_equal(num(item(out, 0), "alert_count"), 1);
    json_decref(out);
}

static void test_holds(void **st) {
    (void)st;
    json_t *out;
    assert_int_equal(call("GET", "/v1/holds", NULL, NULL, NULL, NULL, &out), 200);
    assert_int_equal(num(out, "total"), 2);
    assert_string_equal(str(item(out, 0), "txn_id"), "t2"); /* oldest pending first */
    assert_string_equal(str(item(out, 0), "payer"), "A@b");
    json_decref(out);
    expect_error("POST", "/v1/holds/:id/release", "2", "{\"note\":\"ok\"}", NULL, 400, "verification");
    assert_int_equal(call("POST", "/v1/holds/:id/release", "2", NULL,
                          "{\"verification\":\"callback to registered phone\",\"note\":\"customer confirmed\"}", NULL,
                          &out),
                     200);
    assert_string_equal(str(out, "status"), "released");
    assert_string_equal(str(out, "resolved_by"), "ann");
    assert_string_equal(str(out, "verification"), "callback to registered phone");
    assert_string_equal(str(json_object_get(out, "txn"), "id"), "t2");
    json_decref(out);
    assert_int_equal(nresolved, 1);
    assert_string_equal(last_resolved, "t2 released");
    /* a resolved hold cannot be resolved again, either way */
    expect_error("POST", "/v1/holds/:id/release", "2", "{\"verification\":\"again\"}", NULL, 409, NULL);
    expect_error("POST", "/v1/holds/:id/reject", "2", "{\"verification\":\"again\"}", NULL, 409, NULL);
    expect_error("POST", "/v1/holds/:id/reject", "9", "{\"verification\":\"x\"}", NULL, 404, NULL);
    assert_int_equal(nresolved, 1);
    json_decref(case_post("/v1/holds/:id/reject", "{\"verification\":\"customer could not be reached\"}", 200));
    assert_string_equal(last_resolved, "t3 rejected");
    assert_int_equal(list_total("/v1/holds", (const char *const[]){"status", "pending", NULL}), 0);
    assert_int_equal(list_total("/v1/holds", (const char *const[]){"status", "rejected", NULL}), 1);
    expect_error("GET", "/v1/holds", NULL, NULL, (const char *const[]){"status", "held", NULL}, 400, "status");
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action IN ('hold.release', 'hold.reject')"), 2);
}

/* Pending holds come before resolved ones whatever their age. */
static void test_hold_queue_order(void **st) {
    (void)st;
    json_decref(case_post("/v1/holds/:id/release", "{\"verification\":\"in branch with ID\"}", 200));
    json_t *out;
    assert_int_equal(call("GET", "/v1/holds", NULL, NULL, NULL, NULL, &out), 200);
    assert_string_equal(str(item(out, 0), "status"), "pending");
    assert_string_equal(str(item(out, 1), "status"), "released");
    json_decref(out);
}

static void test_audit_routes(void **st) {
    (void)st;
    make_case("[1]");
    json_decref(case_post("/v1/cases/:id/comments", "{\"body\":\"x\"}", 201));
    json_t *out;
    assert_int_equal(call("GET", "/v1/audit", NULL, NULL, NULL, (const char *const[]){"action", "case.create", NULL},
                          &out),
                     200);
    assert_int_equal(num(out, "total"), 1);
    assert_string_equal(str(item(out, 0), "object"), "case:1");
    json_decref(out);
    assert_int_equal(call("GET", "/v1/audit/verify", NULL, NULL, NULL, NULL, &out), 200);
    assert_true(json_is_true(json_object_get(out, "ok")));
    assert_int_equal(num(out, "entries"), 2);
    assert_int_equal(num(out, "head_seq"), 2);
    json_decref(out);
    sql("UPDATE audit SET actor = 'mallory' WHERE seq = 1");
    assert_int_equal(call("GET", "/v1/audit/verify", NULL, NULL, NULL, NULL, &out), 200);
    assert_true(json_is_false(json_object_get(out, "ok")));
    assert_int_equal(num(out, "bad_seq"), 1);
    json_decref(out);
    assert_int_equal(route("GET", "/v1/audit")->roles, FZ_ROLES_SENIOR);
    assert_int_equal(route("GET", "/v1/audit/verify")->roles, FZ_ROLES_SENIOR);
}

static void test_roles(void **st) {
    (void)st;
    for (const fz_route *r = fz_routes_cases; r->method; r++) {
        assert_non_null(r->fn);
        assert_false(r->roles & FZ_ROLE_INGEST);                 /* channels never see analysts' data */
        assert_true(r->roles & FZ_ROLE_SUPERVISOR);
        assert_int_equal(!!(r->roles & FZ_ROLE_ANALYST), strncmp(r->pattern, "/v1/audit", 9) != 0);
    }
}

static void test_stats(void **st) {
    (void)st;
    json_t *out;
    assert_int_equal(call("GET", "/v1/stats/alerts-per-day", NULL, NULL, NULL, (const char *const[]){"days", "3", NULL},
                          &out),
                     200);
    json_t *items = json_object_get(out, "items");
    assert_int_equal(json_array_size(items), 3);
    /* three alerts now, one a day ago (which Shanghai day depends on the hour, so sum) */
    int64_t total = 0;
    for (size_t i = 0; i < 3; i++) total += num(json_array_get(items, i), "count");
    assert_int_equal(total, 4);
    assert_int_equal(num(json_array_get(items, 2), "count") >= 3, 1);
    assert_int_equal(strlen(str(json_array_get(items, 0), "day")), 10);
    json_decref(out);
    expect_error("GET", "/v1/stats/alerts-per-day", NULL, NULL, (const char *const[]){"days", "0", NULL}, 400, "days");
    sqlf("INSERT INTO cases(title, status, created_by, created_ms, updated_ms) VALUES"
         "('a', 'open', 'x', %lld, 0), ('b', 'escalated', 'x', %lld, 0), ('c', 'open', 'x', %lld, 0),"
         "('d', 'closed_fp', 'x', %lld, 0), ('e', 'open', 'x', %lld, 0)",
         (long long)now, (long long)(now - 2 * DAY), (long long)(now - 10 * DAY), (long long)(now - 10 * DAY),
         (long long)(now - 40 * DAY));
    assert_int_equal(call("GET", "/v1/stats/case-ageing", NULL, NULL, NULL, NULL, &out), 200);
    assert_int_equal(num(out, "total"), 4);
    static const int64_t want[] = {1, 1, 0, 1, 1};
    for (size_t i = 0; i < 5; i++) assert_int_equal(num(item(out, i), "count"), want[i]);
    assert_string_equal(str(item(out, 4), "bucket"), ">30d");
    json_decref(out);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_alerts_filters),   T(test_alerts_paging),       T(test_alerts_bad_input),
        T(test_alert_get),        T(test_case_create),         T(test_case_notes),
        T(test_evidence_too_large), T(test_close_false_positive), T(test_default_suppression),
        T(test_escalate_then_close_fraud), T(test_cases_list), T(test_holds),
        T(test_hold_queue_order), T(test_audit_routes),        T(test_roles),
        T(test_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
