/* test_grading.c — risk grading after 银发〔2013〕2号 with the shipped
 * rules/risk-grading.conf: factor scoring, each direct-to-highest trigger
 * (in memory and through the store), configuration errors, the review
 * dates, the re-review due list, re-identification on a change of key
 * identity data, and the grade and customer histories. Run from the
 * repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fz_grading.h"
#include "fz_kyc.h"
#include "fz_review.h"
#include "fz_time.h"
#include "fz_watchlist.h"
#include "fz_workdays.h"

#define HOUR 3600000LL
/* ms of y-m-d h:00 Asia/Shanghai */
#define CST(y, m, d, h) ((int64_t)fz_days_from_civil(y, m, d) * 86400000LL + ((h) - 8) * HOUR)

static fz_grading *g;
static fz_db *db;
static char path[96];
static const fz_principal who = {0, FZ_ROLE_ADMIN, "tester"};

static int setup(void **state) {
    (void)state;
    fz_error err;
    if (fz_grading_load(&g, "rules/risk-grading.conf", &err)) return -1;
    snprintf(path, sizeof path, "/tmp/fz_test_grading_%d.db", (int)getpid());
    unlink(path);
    return fz_db_open(&db, path, &err);
}

static int teardown(void **state) {
    (void)state;
    fz_grading_free(g);
    fz_db_close(db);
    unlink(path);
    return 0;
}

/* A low-risk natural person: resident ID (Beijing), Chinese, adult,
 * onboarded at the counter, a clerk. */
static void plain_person(fz_grading_subject *s) {
    fz_grading_subject_init(s);
    s->kind = "natural";
    s->id_type = "resident_id";
    s->id_number = "110101199001011237";
    s->nationality = "CN";
    s->channel = "counter";
    s->pep = "none";
    s->cdd = "done";
    s->occupation = "clerk";
    s->birth_day = fz_days_from_civil(1990, 1, 1);
}

static const int32_t TODAY = 20775; /* 2026-11-18 */

static int has_reason(const fz_grading_result *r, const char *factor) {
    for (int i = 0; i < r->nreasons; i++)
        if (!strcmp(r->reason[i].factor, factor)) return 1;
    return 0;
}

static void factors_score_by_weight(void **state) {
    (void)state;
    fz_grading_subject s;
    fz_grading_result r;
    plain_person(&s);
    fz_grading_grade(g, &s, TODAY, &r);
    /* customer (5*10 + 10*10 + 5*10) / 105 = 1.9; geography (70*10 + 30*10) / 100 = 10;
     * business (30*10) / 100 = 3; industry 10; total (35*1.905 + 20*10 + 25*3 + 20*10) / 100 = 5.4 */
    assert_int_equal(r.group[FZ_GG_CUSTOMER], 2);
    assert_int_equal(r.group[FZ_GG_GEOGRAPHY], 10);
    assert_int_equal(r.group[FZ_GG_BUSINESS], 3);
    assert_int_equal(r.group[FZ_GG_INDUSTRY], 10);
    assert_int_equal(r.score, 5);
    assert_int_equal(r.grade, FZ_GRADE_LOW);
    assert_int_equal(r.direct, 0);

    /* Cash-intensive, cross-border, online, self-employed, a passport from a
     * listed jurisdiction, many alerts and a confirmed case: high. */
    s.id_type = "passport";
    s.id_number = "E12345678";
    s.nationality = "KP";
    s.channel = "online";
    s.cash_intensive = s.cross_border = 1;
    s.occupation = "self_employed";
    s.alerts = 7;
    s.cases = 1;
    fz_grading_grade(g, &s, TODAY, &r);
    assert_true(r.grade >= FZ_GRADE_HIGH);
    assert_int_equal(r.direct, 0);
    assert_true(has_reason(&r, "geography.nationality"));
    assert_true(has_reason(&r, "business.cash"));
    assert_true(has_reason(&r, "customer.alerts"));
    assert_true(r.reason[0].points >= r.reason[r.nreasons - 1].points); /* strongest first */

    /* Entities are scored on industry, not occupation; age bands apply to persons. */
    assert_int_equal(fz_grading_points(g, "industry.industry", "K"), 80);
    assert_int_equal(fz_grading_points(g, "industry.industry", "Z"), 30); /* "*" */
    assert_int_equal(fz_grading_points(g, "customer.age", "minor"), 50);
    plain_person(&s);
    s.kind = "entity";
    s.industry = "K";
    s.birth_day = TODAY - 100; /* founded 100 days ago: new */
    fz_grading_grade(g, &s, TODAY, &r);
    assert_true(has_reason(&r, "industry.industry"));
    assert_false(has_reason(&r, "industry.occupation"));
    assert_true(has_reason(&r, "customer.entity_age"));
}

/* Each direct trigger alone grades a low-risk customer highest, first among
 * the reasons. */
static void direct_triggers_grade_highest(void **state) {
    (void)state;
    fz_grading_subject s;
    fz_grading_result r;
    static const struct {
        unsigned bit;
        const char *reason;
    } cases[] = {{FZ_DIRECT_WATCHLIST, "direct.watchlist"},
                 {FZ_DIRECT_FOREIGN_PEP, "direct.foreign_pep"},
                 {FZ_DIRECT_FOREIGN_PEP, "direct.foreign_pep"},
                 {FZ_DIRECT_REPEATED_STR, "direct.repeated_str"},
                 {FZ_DIRECT_CDD_REFUSED, "direct.cdd_refused"}};
    for (int i = 0; i < 5; i++) {
        plain_person(&s);
        if (i == 0) s.watch_hits = 1;
        if (i == 1) s.pep = "foreign";
        if (i == 2) s.pep = "foreign_relative";
        if (i == 3) s.strs = 2;
        if (i == 4) s.cdd = "refused";
        fz_grading_grade(g, &s, TODAY, &r);
        assert_int_equal(r.grade, FZ_GRADE_HIGHEST);
        assert_int_equal(r.direct, cases[i].bit);
        assert_string_equal(r.reason[0].factor, cases[i].reason);
        assert_true(r.score < 40); /* the score alone would be low */
    }
    /* Not triggers: one report, a domestic PEP, pending CDD. */
    plain_person(&s);
    s.strs = 1;
    s.pep = "domestic";
    s.cdd = "pending";
    fz_grading_grade(g, &s, TODAY, &r);
    assert_int_equal(r.direct, 0);
    assert_true(r.grade < FZ_GRADE_HIGHEST);
}

static void expect_conf_error(const char *text, long line, const char *field) {
    fz_grading *x = NULL;
    fz_error err;
    fz_error_clear(&err);
    assert_true(fz_grading_load_mem(&x, "t.conf", text, &err) < 0);
    assert_null(x);
    assert_int_equal(err.line, line);
    assert_string_equal(err.field, field);
}

static void configuration_errors_are_named(void **state) {
    (void)state;
    expect_conf_error("customer.weight = 10\ncustomer.colour.red = 5\n", 2, "customer.colour.red");
    expect_conf_error("customer.weight = 10\nplanet.weight = 5\n", 2, "planet.weight");
    expect_conf_error("customer.weight = 101\n", 1, "customer.weight");
    expect_conf_error("customer.weight = ten\n", 1, "");
    expect_conf_error("customer.weight = 10\nreview.highest = 12\n", 2, "review.highest");
    /* across settings: reported without a line */
    expect_conf_error("customer.weight = 10\nreview.low = 60\n", 2, "review.low");
    expect_conf_error("customer.weight = 10\nreview.low = 36\n", 0, "review"); /* over 2 x 12 */
    expect_conf_error("customer.weight = 10\nreview.medium = 30\n", 0, "review");
    expect_conf_error("customer.weight = 10\ngrade.high = 30\n", 0, "grade");
    expect_conf_error("# nothing weighs\n", 0, "weight");
    fz_grading *x;
    fz_error err;
    assert_int_equal(fz_grading_load_mem(&x, "t.conf", "industry.weight = 1 # comment\n", &err), 0);
    fz_grading_free(x);
}

static void review_dates_and_onboarding_deadline(void **state) {
    (void)state;
    int64_t t = CST(2026, 8, 31, 10);
    assert_int_equal(fz_grading_review_months(g, FZ_GRADE_HIGHEST), 6);
    assert_int_equal(fz_grading_next_review(g, FZ_GRADE_HIGHEST, t), CST(2027, 2, 28, 10)); /* no 31 February */
    assert_int_equal(fz_grading_next_review(g, FZ_GRADE_HIGH, t), CST(2027, 2, 28, 10));
    assert_int_equal(fz_grading_next_review(g, FZ_GRADE_MEDIUM, t), CST(2027, 8, 31, 10));
    assert_int_equal(fz_grading_next_review(g, FZ_GRADE_LOW, t), CST(2028, 8, 31, 10));
    /* onboarded Friday 2026-11-27 15:00: 10 working days end Friday 2026-12-11 */
    assert_int_equal(fz_workdays_deadline(NULL, CST(2026, 11, 27, 15), 10), CST(2026, 12, 12, 0) - 1);
    assert_int_equal(fz_workdays_deadline(NULL, CST(2026, 11, 28, 23), 1), CST(2026, 12, 1, 0) - 1); /* Saturday */
    /* with the shipped holiday calendar, National Day week does not count */
    fz_calendar *cal;
    fz_error err;
    assert_int_equal(fz_calendar_new(&cal), 0);
    assert_int_equal(fz_calendar_load(cal, "rules/calendar-cn.txt", &err), 0);
    int64_t plain = fz_workdays_deadline(NULL, CST(2026, 9, 28, 9), 10);
    int64_t holidays = fz_workdays_deadline(cal, CST(2026, 9, 28, 9), 10);
    assert_true(holidays >= plain + 4 * 86400000LL);
    fz_calendar_free(cal);
}

/* ---- through the store ---------------------------------------------------- */

static void create(const char *json) {
    json_error_t je;
    json_t *b = json_loads(json, 0, &je), *out = NULL;
    assert_non_null(b);
    fz_error err;
    int rc = fz_kyc_create(db, NULL, FZ_KYC_CUSTOMER, &who, b, &out, &err);
    if (rc) print_error("%s: %s\n", err.field, err.msg);
    assert_int_equal(rc, 0);
    json_decref(b);
    json_decref(out);
}

static json_t *regrade(const char *id, const char *trigger) {
    json_t *out = NULL;
    fz_error err;
    int rc = fz_review_customer(db, NULL, g, &who, id, trigger, "test", &out, &err);
    if (rc) print_error("%s: %s\n", err.field, err.msg);
    assert_int_equal(rc, 0);
    return out;
}

static int grade_of(json_t *entry) {
    int gr = (int)json_integer_value(json_object_get(entry, "grade"));
    json_decref(entry);
    return gr;
}

static const char *first_reason(const json_t *entry) {
    return json_string_value(json_object_get(json_array_get(json_object_get(entry, "reasons"), 0), "factor"));
}

static void store_triggers_grade_highest(void **state) {
    (void)state;
    fz_error err;
    int64_t id;
    create("{\"id\":\"E1\",\"kind\":\"entity\",\"name\":\"Acme\",\"id_type\":\"uscc\","
           "\"id_number\":\"91350100M000100Y43\",\"nationality\":\"CN\",\"industry\":\"C\",\"owners\":["
           "{\"role\":\"owner\",\"name\":\"Li Si\",\"share\":60},"
           "{\"role\":\"controller\",\"name\":\"Ivan Petrov\",\"nationality\":\"RU\",\"id_type\":\"passport\","
           "\"id_number\":\"751234567\"}]}");
    json_t *e = regrade("E1", "review");
    assert_int_equal(json_integer_value(json_object_get(e, "grade")), FZ_GRADE_LOW);
    json_decref(e);
    /* the controller's name is on the list, written differently */
    assert_int_equal(fz_watchlist_add(db, &who, "IVAN  PETROV", NULL, "sanctions", "", &id, &err), 0);
    e = regrade("E1", "review");
    assert_int_equal(json_integer_value(json_object_get(e, "grade")), FZ_GRADE_HIGHEST);
    assert_string_equal(first_reason(e), "direct.watchlist");
    assert_int_equal(json_integer_value(json_object_get(e, "prev_grade")), FZ_GRADE_LOW);
    json_decref(e);

    /* a beneficial owner's ID number on the list */
    create("{\"id\":\"E2\",\"kind\":\"entity\",\"name\":\"Beta\",\"owners\":[{\"role\":\"owner\","
           "\"name\":\"Wang Wu\",\"id_type\":\"resident_id\",\"id_number\":\"440524188001010014\"}]}");
    assert_int_equal(grade_of(regrade("E2", "review")), FZ_GRADE_LOW);
    assert_int_equal(fz_watchlist_add(db, &who, NULL, "440524188001010014", "police", "", &id, &err), 0);
    assert_int_equal(grade_of(regrade("E2", "review")), FZ_GRADE_HIGHEST);

    /* repeated suspicious reports: the first is not enough, the second is */
    create("{\"id\":\"P1\",\"name\":\"Zhao Liu\",\"id_type\":\"resident_id\",\"id_number\":\"110101199001011237\","
           "\"nationality\":\"CN\",\"occupation\":\"clerk\"}");
    assert_true(grade_of(regrade("P1", "str")) < FZ_GRADE_HIGHEST);
    e = regrade("P1", "str");
    assert_int_equal(json_integer_value(json_object_get(e, "grade")), FZ_GRADE_HIGHEST);
    assert_string_equal(first_reason(e), "direct.repeated_str");
    assert_string_equal(json_string_value(json_object_get(e, "trigger")), "str");
    json_decref(e);

    /* a foreign PEP, refused due diligence */
    create("{\"id\":\"P2\",\"name\":\"John Smith\",\"id_type\":\"passport\",\"id_number\":\"P1234567\","
           "\"nationality\":\"GB\",\"pep\":\"foreign\"}");
    e = regrade("P2", "review");
    assert_string_equal(first_reason(e), "direct.foreign_pep");
    assert_int_equal(grade_of(e), FZ_GRADE_HIGHEST);
    create("{\"id\":\"P3\",\"name\":\"Qian Qi\",\"cdd\":\"refused\"}");
    e = regrade("P3", "review");
    assert_string_equal(first_reason(e), "direct.cdd_refused");
    assert_int_equal(grade_of(e), FZ_GRADE_HIGHEST);

    /* adverse media and a judicial inquiry raise the score and stay on record */
    create("{\"id\":\"P4\",\"name\":\"Sun Ba\",\"nationality\":\"CN\",\"occupation\":\"clerk\"}");
    e = regrade("P4", "review");
    json_int_t before = json_integer_value(json_object_get(e, "score"));
    json_decref(e);
    json_decref(regrade("P4", "media"));
    e = regrade("P4", "judicial");
    assert_true(json_integer_value(json_object_get(e, "score")) >= before + 9);
    char *text = json_dumps(json_object_get(e, "reasons"), 0);
    assert_non_null(strstr(text, "customer.media"));
    assert_non_null(strstr(text, "customer.judicial"));
    free(text);
    json_decref(e);
    json_t *h;
    assert_int_equal(fz_review_history(db, "P4", &h, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(h, "total")), 3);
    json_decref(h);
    assert_int_equal(fz_review_customer(db, NULL, g, &who, "P4", "gossip", NULL, &h, &err), FZ_EINVAL);
    assert_string_equal(err.field, "trigger");
    assert_int_equal(fz_review_customer(db, NULL, g, &who, "NOPE", "review", NULL, &h, &err), FZ_ENOTFOUND);
}

static void sql(const char *q) {
    fz_error err;
    int rc = fz_db_exec(db, q, &err);
    if (rc) print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
}

static const char *reason_value(const json_t *entry, const char *factor) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(entry, "reasons"), i, r) if (json_is_string(json_object_get(r, "factor")) &&
                                                                    !strcmp(json_string_value(json_object_get(r, "factor")), factor))
        return json_string_value(json_object_get(r, "value"));
    return NULL;
}

/* Alerts on the customer's accounts, cases closed as fraud and suspicious
 * reports filed, read from the store's tables: behaviour the engine saw. */
static void behaviour_from_alerts_and_cases(void **state) {
    (void)state;
    create("{\"id\":\"B1\",\"name\":\"Wu Shi\",\"nationality\":\"CN\",\"occupation\":\"clerk\"}");
    char q[1024];
    long long now = (long long)fz_db_now_ms();
    sql("INSERT INTO accounts(id, customer_id, class, created_ms, updated_ms) VALUES('A1@FZB', 'B1', 2, 0, 0)");
    snprintf(q, sizeof q,
             "INSERT INTO events(seq, txn_id, txn_ms, recv_ms, payer, payee, amount, currency, outcome, score,"
             " rules_version, txn, decision) VALUES(1, 't1', %lld, %lld, 'A1@FZB', 'X', 100, 'CNY', 0, 0, 'v', '{}', '{}')",
             now, now);
    sql(q);
    for (int i = 0; i < 5; i++) {
        snprintf(q, sizeof q,
                 "INSERT INTO alerts(seq, txn_id, txn_ms, created_ms, account, rule, score, outcome)"
                 " VALUES(1, 't1', %lld, %lld, 'A1@FZB', 'R%d', 100, 1)", now, now, i);
        sql(q);
    }
    json_t *e = regrade("B1", "alerts");
    assert_string_equal(reason_value(e, "customer.alerts"), "many");
    assert_null(reason_value(e, "customer.cases"));
    json_decref(e);
    sql("INSERT INTO cases(id, title, status, created_by, created_ms, updated_ms) VALUES(1, 'c1', 'closed_fraud', 't', 0, 0);"
        "INSERT INTO case_alerts VALUES(1, 1); INSERT INTO case_alerts VALUES(1, 2)");
    e = regrade("B1", "case");
    assert_string_equal(reason_value(e, "customer.cases"), "confirmed");
    assert_true(json_integer_value(json_object_get(e, "grade")) < FZ_GRADE_HIGHEST);
    json_decref(e);
    /* suspicious reports filed through Fanzha naming the customer: the
     * second grades it highest */
    for (int i = 1; i <= 2; i++) {
        snprintf(q, sizeof q,
                 "INSERT INTO strs(id, case_id, kind, status, confirmed_ms, due_day, content, created_by, created_ms,"
                 " updated_ms, approved_ms) VALUES(%d, 1, 'N', 'filed', 0, 0, '{}', 't', 0, 0, %lld);"
                 "INSERT INTO str_subjects VALUES(%d, 'B1')",
                 i, now, i);
        sql(q);
        e = regrade("B1", "case");
        if (i == 1) assert_true(json_integer_value(json_object_get(e, "grade")) < FZ_GRADE_HIGHEST);
        else assert_string_equal(first_reason(e), "direct.repeated_str");
        json_decref(e);
    }
}

static json_t *due(int64_t until) {
    json_t *out;
    fz_error err;
    assert_int_equal(fz_review_due(db, until, 500, 0, &out, &err), 0);
    return out;
}

static const char *due_why(const json_t *list, const char *id) {
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(list, "items"), i, it) if (!strcmp(json_string_value(json_object_get(it, "id")), id))
        return json_string_value(json_object_get(it, "why"));
    return NULL;
}

static void due_list_by_grade_and_onboarding(void **state) {
    (void)state;
    fz_error err;
    fz_review_stats st;
    /* onboarded Friday 2026-11-27: due for grading by the end of 2026-12-11 */
    char body[300];
    snprintf(body, sizeof body, "{\"id\":\"N1\",\"name\":\"New One\",\"onboarded_ms\":%lld}",
             (long long)CST(2026, 11, 27, 15));
    create(body);
    json_t *l = due(CST(2026, 12, 11, 23));
    assert_null(due_why(l, "N1"));
    json_decref(l);
    l = due(CST(2026, 12, 12, 0));
    assert_string_equal(due_why(l, "N1"), "onboarding");
    json_decref(l);

    /* grade everyone as of 2026-12-01 10:00: the highest are due again in 6
     * months, the low ones in 24 */
    int64_t t = CST(2026, 12, 1, 10);
    assert_int_equal(fz_review_all(db, NULL, g, &who, 0, t, &st, &err), 0);
    assert_true(st.graded >= 7);
    assert_true(st.by_grade[FZ_GRADE_HIGHEST] >= 5); /* E1 E2 P1 P2 P3 */
    assert_int_equal(st.direct, st.by_grade[FZ_GRADE_HIGHEST]);
    l = due(CST(2027, 6, 1, 10) - 1);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 0);
    json_decref(l);
    l = due(CST(2027, 6, 1, 10));
    assert_string_equal(due_why(l, "P3"), "review");
    assert_null(due_why(l, "N1"));
    int64_t first = json_integer_value(json_object_get(json_array_get(json_object_get(l, "items"), 0), "review_due_ms"));
    assert_int_equal(first, CST(2027, 6, 1, 10));
    json_decref(l);
    l = due(CST(2028, 12, 1, 10));
    assert_string_equal(due_why(l, "N1"), "review");
    assert_int_equal(json_integer_value(json_object_get(l, "total")), st.graded);
    json_decref(l);
    /* a run of those due grades nobody before then */
    assert_int_equal(fz_review_all(db, NULL, g, &who, 1, t + HOUR, &st, &err), 0);
    assert_int_equal(st.graded, 0);
}

static void identity_change_calls_for_reidentification(void **state) {
    (void)state;
    fz_error err;
    json_t *out, *h;
    int reid = -1;
    create("{\"id\":\"R1\",\"name\":\"Zhou Jiu\",\"id_type\":\"resident_id\",\"id_number\":\"110101199001011237\","
           "\"birth_date\":\"1990-01-01\",\"phone\":\"+86 138 0000 0000\"}");
    json_t *b = json_pack("{s:s}", "phone", "13900000000");
    assert_int_equal(fz_kyc_update(db, NULL, FZ_KYC_CUSTOMER, &who, "R1", b, &out, &reid, &err), 0);
    assert_int_equal(reid, 0);
    assert_string_equal(json_string_value(json_object_get(out, "identity")), "verified");
    json_decref(out);
    json_decref(b);
    /* a new ID number: a wrong check digit is refused, a right one re-identifies */
    b = json_pack("{s:s, s:s}", "id_number", "11010519491231002", "birth_date", "1949-12-31");
    assert_int_equal(fz_kyc_update(db, NULL, FZ_KYC_CUSTOMER, &who, "R1", b, &out, &reid, &err), FZ_EINVAL);
    assert_string_equal(err.field, "id_number");
    json_decref(b);
    b = json_pack("{s:s, s:s}", "id_number", "11010519491231002X", "birth_date", "1949-12-30");
    assert_int_equal(fz_kyc_update(db, NULL, FZ_KYC_CUSTOMER, &who, "R1", b, &out, &reid, &err), FZ_EINVAL);
    assert_string_equal(err.field, "birth_date"); /* not the ID's birth date */
    json_decref(b);
    b = json_pack("{s:s, s:s}", "id_number", "11010519491231002X", "birth_date", "1949-12-31");
    assert_int_equal(fz_kyc_update(db, NULL, FZ_KYC_CUSTOMER, &who, "R1", b, &out, &reid, &err), 0);
    json_decref(b);
    assert_int_equal(reid, 1);
    assert_string_equal(json_string_value(json_object_get(out, "identity")), "pending");
    assert_true(json_integer_value(json_object_get(out, "review_due_ms")) <= fz_db_now_ms());
    json_decref(out);
    json_t *l = due(fz_db_now_ms());
    assert_string_equal(due_why(l, "R1"), "reidentify");
    json_decref(l);
    /* the history: create, update (phone), update and reidentify (id_number, birth_date) */
    assert_int_equal(fz_kyc_history(db, "R1", &h, &err), 0);
    json_t *items = json_object_get(h, "items");
    assert_int_equal(json_array_size(items), 4);
    json_t *top = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(top, "event")), "reidentify");
    json_t *fields = json_object_get(json_object_get(top, "detail"), "fields");
    assert_int_equal(json_array_size(fields), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 3), "event")), "create");
    json_decref(h);
    /* re-grading on the trigger; the grade history names it */
    json_t *e = regrade("R1", "identity_change");
    assert_string_equal(json_string_value(json_object_get(e, "trigger")), "identity_change");
    json_decref(e);
    /* a grade set by hand is in the grade history as "manual" */
    b = json_pack("{s:i}", "grade", 2);
    assert_int_equal(fz_kyc_update(db, NULL, FZ_KYC_CUSTOMER, &who, "R1", b, &out, &reid, &err), 0);
    json_decref(b);
    json_decref(out);
    assert_int_equal(fz_review_history(db, "R1", &h, &err), 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(h, "items"), 0), "trigger")),
                        "manual");
    json_decref(h);
}

static void customer_fields_are_validated(void **state) {
    (void)state;
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"id\":\"V1\",\"id_type\":\"resident_id\",\"id_number\":\"110101199001011234\"}", "id_number"},
        {"{\"id\":\"V1\",\"id_number\":\"110101199001011237\"}", "id_type"},
        {"{\"id\":\"V1\",\"kind\":\"entity\",\"id_type\":\"uscc\",\"id_number\":\"91350100M000100Y44\"}", "id_number"},
        {"{\"id\":\"V1\",\"id_type\":\"uscc\"}", "id_type"},
        {"{\"id\":\"V1\",\"kind\":\"entity\",\"id_type\":\"resident_id\"}", "id_type"},
        {"{\"id\":\"V1\",\"nationality\":\"cn\"}", "nationality"},
        {"{\"id\":\"V1\",\"phone\":\"call me\"}", "phone"},
        {"{\"id\":\"V1\",\"birth_date\":\"1990-02-30\"}", "birth_date"},
        {"{\"id\":\"V1\",\"pep\":\"maybe\"}", "pep"},
        {"{\"id\":\"V1\",\"cash_intensive\":2}", "cash_intensive"},
        {"{\"id\":\"V1\",\"graded_ms\":1}", "graded_ms"},
        {"{\"id\":\"V1\",\"owners\":{}}", "owners"},
        {"{\"id\":\"V1\",\"owners\":[{\"role\":\"boss\",\"name\":\"x\"}]}", "owners[0].role"},
        {"{\"id\":\"V1\",\"owners\":[{\"role\":\"owner\",\"name\":\"x\"},{\"role\":\"owner\"}]}", "owners[1].name"},
        {"{\"id\":\"V1\",\"owners\":[{\"role\":\"owner\",\"name\":\"x\",\"share\":101}]}", "owners[0].share"},
        {"{\"id\":\"V1\",\"owners\":[{\"role\":\"owner\",\"name\":\"x\",\"id_type\":\"resident_id\","
         "\"id_number\":\"110101199001011234\"}]}",
         "owners[0].id_number"},
        {"{\"id\":\"V1\",\"owners\":[{\"role\":\"owner\",\"name\":\"x\",\"age\":\"3\"}]}", "owners[0].age"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *b = json_loads(bad[i].body, 0, NULL), *out = NULL;
        fz_error err;
        fz_error_clear(&err);
        assert_non_null(b);
        assert_int_equal(fz_kyc_create(db, NULL, FZ_KYC_CUSTOMER, &who, b, &out, &err), FZ_EINVAL);
        if (strcmp(err.field, bad[i].field)) print_error("case %zu: %s: %s\n", i, err.field, err.msg);
        assert_string_equal(err.field, bad[i].field);
        json_decref(b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(factors_score_by_weight),
        cmocka_unit_test(direct_triggers_grade_highest),
        cmocka_unit_test(configuration_errors_are_named),
        cmocka_unit_test(review_dates_and_onboarding_deadline),
        cmocka_unit_test(store_triggers_grade_highest),
        cmocka_unit_test(behaviour_from_alerts_and_cases),
        cmocka_unit_test(due_list_by_grade_and_onboarding),
        cmocka_unit_test(identity_change_calls_for_reidentification),
        cmocka_unit_test(customer_fields_are_validated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
