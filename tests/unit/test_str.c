/* test_str.c — suspicious-transaction reports: the STCR map, a draft built
 * from a case in an in-memory store (codes, subjects with KYC fields,
 * transactions, narratives from the reasons and the model), edits checked
 * against the spec, the lifecycle (no filing without approval, four eyes,
 * rejection, corrections referencing the original, the count for risk
 * grading), and the BSTR file against its golden copy and schemas/camlmac.xsd
 * (xmllint). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_audit.h"
#include "fz_strdb.h"
#include "fz_time.h"

static fz_db *db;
static fz_calendar *cal;
static fz_stcr_map *map;
static fz_str_config cfg;
static const fz_principal alice = {.token_id = 1, .role = FZ_ROLE_ANALYST, .name = "alice"};
static const fz_principal bob = {.token_id = 2, .role = FZ_ROLE_SUPERVISOR, .name = "bob"};

static const char map_text[] = "# test map\n"
                               "TY-RAPID-INOUT   FZB-0401  1201\n"
                               "TY-NEW-ACCT-LARGE FZB-0601   # no TOSC\n"
                               "MODEL            FZB-0901\n";

static void sql(const char *s) {
    fz_error err;
    if (fz_db_exec(db, s, &err)) fail_msg("%s: %s", s, err.msg);
}

/* Customer K1 (KYC fields) owns A1@FZB; t1 pays A1 from another bank, t2
 * pays out of A1 (rapid in-out and the model), both alerted on A1's side;
 * case 1 made of those alerts, escalated on 2026-09-30 (before National Day). */
static const char fixture[] =
    "INSERT INTO customers(id, kind, name, id_type, id_number, data, created_ms, updated_ms) VALUES('K1', 'natural', "
    "'张三', '110001', '110101199001011234', '{\"nationality\":\"CHN\",\"occupation\":\"40000\",\"phone\":\"13800000000\","
    "\"address\":\"北京市东城区1号\"}', 0, 0);\n"
    "INSERT INTO accounts(id, customer_id, opened_ms, created_ms, updated_ms) VALUES('A1@FZB', 'K1', 1790000000000, 0, 0);\n"
    "INSERT INTO events VALUES(1, 't1', 1790733600000, 1790733600000, 'X9@ICBC', 'A1@FZB', 5000000, 'CNY', 0, 250, 'v1', "
    "'{\"id\":\"t1\",\"time\":\"2026-09-30T02:00:00Z\",\"payer_acct\":\"X9\",\"payer_bank\":\"ICBC\",\"payee_acct\":\"A1\","
    "\"payee_bank\":\"FZB\",\"payee_cust\":\"K1\",\"amount\":\"50000.00\",\"currency\":\"CNY\",\"channel\":\"online\","
    "\"kind\":\"transfer\",\"ip\":\"10.0.0.1\",\"device\":\"D1\"}', "
    "'{\"reasons\":[{\"rule\":\"TY-NEW-ACCT-LARGE\",\"side\":\"payee\",\"zh\":\"新开立账户（30天内）资金流量较大\"}]}');\n"
    "INSERT INTO events VALUES(2, 't2', 1790737200000, 1790737200000, 'A1@FZB', 'Y7@CCB', 4990000, 'CNY', 2, 900, 'v1', "
    "'{\"id\":\"t2\",\"time\":\"2026-09-30T03:00:00Z\",\"payer_acct\":\"A1\",\"payer_bank\":\"FZB\",\"payer_cust\":\"K1\","
    "\"payee_acct\":\"Y7\",\"payee_bank\":\"CCB\",\"amount\":\"49900.00\",\"currency\":\"CNY\",\"channel\":\"mobile\","
    "\"kind\":\"transfer\"}', "
    "'{\"reasons\":[{\"rule\":\"TY-RAPID-INOUT\",\"side\":\"payer\",\"zh\":\"大额资金快进快出，不留余额\"},"
    "{\"rule\":\"MODEL\",\"p\":0.93,\"model\":\"m1\",\"zh\":\"模型评分超过阈值\",\"features\":["
    "{\"name\":\"out_share_24h\",\"value\":0.998,\"contribution\":1.2},{\"name\":\"hour\",\"value\":11,\"contribution\":-0.1}]}]}');\n"
    "INSERT INTO alerts(id, seq, txn_id, txn_ms, created_ms, account, rule, score, outcome, status) VALUES"
    "(1, 1, 't1', 0, 0, 'A1@FZB', 'TY-NEW-ACCT-LARGE', 250, 0, 'in_case'),"
    "(2, 2, 't2', 0, 0, 'A1@FZB', 'TY-RAPID-INOUT', 600, 2, 'in_case'),"
    "(3, 2, 't2', 0, 0, 'A1@FZB', 'MODEL', 930, 2, 'in_case');\n"
    "INSERT INTO cases(id, title, status, created_by, created_ms, updated_ms) VALUES(1, 'A1', 'escalated', 'alice', 0, 0);\n"
    "INSERT INTO case_alerts VALUES(1, 1), (1, 2), (1, 3);\n"
    "INSERT INTO case_notes(case_id, kind, author, at_ms, body) VALUES(1, 'status', 'alice', 1790740800000, "
    "'escalated: 过渡账户');\n"
    "INSERT INTO cases(id, title, status, created_by, created_ms, updated_ms) VALUES(2, 'open', 'open', 'alice', 0, 0);\n";

static const char cn2026[] = "years 2026 2026\noff 2026-10-01..2026-10-07\nwork 2026-10-10\n";

static int setup(void **st) {
    (void)st;
    fz_error err;
    if (fz_db_open(&db, ":memory:", &err) || fz_calendar_new(&cal)) return -1;
    if (fz_calendar_load_mem(cal, "cn", cn2026, sizeof cn2026 - 1, &err)) return -1;
    if (fz_stcr_map_load_mem(&map, "map", map_text, sizeof map_text - 1, &err)) return -1;
    cfg = (fz_str_config){.ricd = "C0000000000001", .finc = "FZB0001", .trcd = "CHN110101", .bank = "FZB",
                          .tosc = "1402", .cal = cal, .map = map};
    sql(fixture);
    return 0;
}

static int teardown(void **st) {
    (void)st;
    fz_db_close(db);
    fz_calendar_free(cal);
    fz_stcr_map_free(map);
    return 0;
}

static json_t *report(int64_t id) {
    json_t *o = NULL;
    fz_error err;
    if (fz_str_get(db, id, &o, &err)) fail_msg("get %lld: %s", (long long)id, err.msg);
    return o;
}

static const char *str_of(const json_t *o, const char *path) { /* "a.b" */
    char k[64];
    const char *dot = strchr(path, '.');
    if (!dot) return json_string_value(json_object_get(o, path));
    snprintf(k, sizeof k, "%.*s", (int)(dot - path), path);
    return str_of(json_object_get(o, k), dot + 1);
}

static void has(const char *text, const char *want) {
    if (!text || !strstr(text, want)) fail_msg("'%s' lacks '%s'", text ? text : "(null)", want);
}

static void test_map(void **st) {
    (void)st;
    const char *tosc;
    assert_string_equal(fz_stcr_map_get(map, "TY-RAPID-INOUT", &tosc), "FZB-0401");
    assert_string_equal(tosc, "1201");
    assert_null(fz_stcr_map_get(map, "TY-FAN-OUT", NULL));
    fz_stcr_map *m;
    fz_error err;
    char msg[256];
    assert_int_equal(fz_stcr_map_load_mem(&m, "m.txt", "R1 C1\nR1 C2\n", 12, &err), FZ_EPARSE);
    fz_error_format(&err, msg, sizeof msg);
    has(msg, "m.txt:2: rule: 'R1' is mapped twice");
    assert_int_equal(fz_stcr_map_load_mem(&m, "m.txt", "R1 C1 9999\n", 11, &err), FZ_EPARSE);
    fz_error_format(&err, msg, sizeof msg);
    has(msg, "m.txt:1: tosc");
    assert_int_equal(fz_stcr_map_load_mem(&m, "m.txt", "R1 C1\0 9999\n", 12, &err), FZ_EPARSE);
    fz_error_format(&err, msg, sizeof msg);
    has(msg, "m.txt:1: NUL byte"); /* not read as "R1 C1" */
    assert_true(fz_str_tosc_ok("1201"));
    assert_false(fz_str_tosc_ok("1204"));
    assert_int_equal(fz_stcr_map_load(&m, "rules/stcr-map.txt", &err), 0); /* the shipped map reads */
    assert_non_null(fz_stcr_map_get(m, "MODEL", NULL));
    fz_stcr_map_free(m);
}

static int64_t draft_case1(void) {
    int64_t id;
    fz_error err;
    if (fz_str_draft(db, &cfg, &alice, 1, NULL, &id, &err)) fail_msg("draft: %s", err.msg);
    return id;
}

static void test_draft(void **st) {
    (void)st;
    int64_t id = draft_case1();
    json_t *r = report(id), *c = json_object_get(r, "content");
    assert_string_equal(str_of(r, "status"), "draft");
    assert_string_equal(str_of(r, "due_date"), "2026-10-13"); /* 09-30 + 5 working days: 10-08, 09, 10 (Sat), 12, 13 */
    assert_string_equal(str_of(c, "tptr"), "01");
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "stcr"), 0)), "FZB-0601");
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "stcr"), 1)), "FZB-0401");
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "stcr"), 2)), "FZB-0901");
    assert_int_equal(json_array_size(json_object_get(c, "tosc")), 1); /* the mapped 1201, not the default 1402 */
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "tosc"), 0)), "1201");
    /* one subject with its KYC fields; both transactions from its side */
    json_t *s = json_array_get(json_object_get(c, "subjects"), 0);
    assert_int_equal(json_array_size(json_object_get(c, "subjects")), 1);
    assert_string_equal(str_of(s, "csnm"), "K1");
    assert_string_equal(str_of(s, "name"), "张三");
    assert_string_equal(json_string_value(json_array_get(json_object_get(s, "phones"), 0)), "13800000000");
    json_t *tx = json_object_get(c, "transactions");
    assert_int_equal(json_array_size(tx), 2);
    assert_string_equal(str_of(json_array_get(tx, 0), "tsdr"), "01");
    assert_string_equal(str_of(json_array_get(tx, 0), "ocec"), "10.0.0.1@D1");
    assert_string_equal(str_of(json_array_get(tx, 1), "tsdr"), "02");
    assert_string_equal(str_of(json_array_get(tx, 1), "crat"), "49900.00");
    /* the narratives: names, amounts, dates, counterparties, reasons, the model's top feature, the analyst */
    const char *stcb = str_of(c, "stcb"), *aosp = str_of(c, "aosp");
    has(stcb, "可疑主体张三（客户号K1，证件号码110101199001011234），账户A1");
    has(stcb, "收入1笔，合计50000.00元；支出1笔，合计49900.00元");
    has(stcb, "2026年09月30日 11:00，账户A1经手机银行向账户Y7（CCB）转出49900.00元");
    has(aosp, "大额资金快进快出，不留余额（监测规则TY-RAPID-INOUT）：涉及交易1笔，金额合计49900.00元");
    has(aosp, "模型风险概率最高为0.93");
    has(aosp, "out_share_24h（取值0.998，贡献+1.200）");
    has(aosp, "人工分析确认意见：过渡账户");
    has(aosp, "诈骗（例如电信诈骗）（1201）");
    assert_null(strstr(aosp, "hour（")); /* a feature that lowered the score is not named */
    json_decref(r);
    /* a second report on the case while this one is open, and one on an unconfirmed case */
    fz_error err;
    int64_t other;
    assert_int_equal(fz_str_draft(db, &cfg, &alice, 1, NULL, &other, &err), FZ_EFULL);
    assert_int_equal(fz_str_draft(db, &cfg, &alice, 2, NULL, &other, &err), FZ_EFULL);
    assert_int_equal(fz_str_draft(db, &cfg, &alice, 99, NULL, &other, &err), FZ_ENOTFOUND);
}

static void edit(int64_t id, const char *body, int want, const char *field) {
    fz_error err;
    json_t *j = json_loads(body, 0, NULL);
    assert_non_null(j);
    int rc = fz_str_edit(db, &alice, id, j, &err);
    json_decref(j);
    if (rc != want) fail_msg("%s: %d (%s)", body, rc, err.msg);
    if (field) assert_string_equal(err.field, field);
}

static void test_lifecycle(void **st) {
    (void)st;
    fz_error err;
    int64_t id = 1, n;
    edit(id, "{\"tptr\":\"07\"}", FZ_EINVAL, "tptr");
    edit(id, "{\"tosc\":[\"1201\",\"1201\"]}", FZ_EINVAL, "tosc");
    edit(id, "{\"status\":\"filed\"}", FZ_EINVAL, "status");
    edit(id, "{\"tptr\":\"99\"}", 0, NULL);
    assert_int_equal(fz_str_submit(db, &alice, id, &err), FZ_EINVAL); /* TPTR 99 wants OTPR */
    assert_string_equal(err.field, "otpr");
    edit(id, "{\"tptr\":\"02\",\"aosp\":\"公安机关协查：该账户涉嫌电信诈骗资金过渡。\"}", 0, NULL);
    /* not filed without approval: no file while draft or submitted */
    unsigned char *data;
    size_t len;
    char name[64];
    assert_int_equal(fz_str_file(db, id, name, &data, &len, &err), FZ_ENOTFOUND);
    assert_int_equal(fz_str_approve(db, &cfg, &bob, id, &err), FZ_EFULL); /* a draft */
    assert_int_equal(fz_str_submit(db, &alice, id, &err), 0);
    edit(id, "{\"aosp\":\"x\"}", FZ_EFULL, NULL);
    assert_int_equal(fz_str_approve(db, &cfg, &alice, id, &err), FZ_EFULL); /* the submitter */
    assert_int_equal(fz_str_reject(db, &bob, id, "补充", &err), 0);
    assert_int_equal(fz_str_submit(db, &alice, id, &err), 0);
    assert_int_equal(fz_str_approve(db, &cfg, &bob, id, &err), 0);
    json_t *r = report(id);
    assert_string_equal(str_of(r, "status"), "filed");
    has(str_of(r, "file_name"), "NBSC0000000000001-");
    has(str_of(r, "file_name"), "-00000001.XML");
    assert_int_equal(fz_str_count_filed(db, "K1", 0, &n, &err), 0);
    assert_int_equal(n, 1);
    /* a correction references the original and takes its date and sequence */
    int64_t cid;
    assert_int_equal(fz_str_correct(db, &alice, id, &cid, &err), 0);
    assert_int_equal(fz_str_correct(db, &alice, id, &n, &err), FZ_EFULL); /* one open at a time */
    json_t *c = report(cid);
    assert_string_equal(str_of(c, "kind"), "C");
    assert_int_equal(json_integer_value(json_object_get(c, "original_id")), id);
    edit(cid, "{\"detr\":\"02\"}", 0, NULL);
    assert_int_equal(fz_str_submit(db, &alice, cid, &err), 0);
    assert_int_equal(fz_str_approve(db, &cfg, &bob, cid, &err), 0);
    json_decref(c);
    c = report(cid);
    char want[64];
    snprintf(want, sizeof want, "C%s", str_of(r, "file_name") + 1);
    assert_string_equal(str_of(c, "file_name"), want);
    json_decref(r);
    r = report(id);
    assert_string_equal(str_of(r, "status"), "corrected");
    assert_int_equal(fz_str_count_filed(db, "K1", 0, &n, &err), 0);
    assert_int_equal(n, 1); /* the correction is not another report */
    json_decref(r);
    json_decref(c);
    /* every step audited, the chain intact */
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db), "SELECT count(DISTINCT action) FROM audit WHERE object LIKE 'str:%'",
                                        -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 6); /* draft, edit, submit, reject, approve, correct */
    sqlite3_finalize(q);
    fz_audit_result res;
    assert_int_equal(fz_audit_verify(db, &res, &err), 0);
}

/* The first report's file is the golden file, and it validates. */
static void test_golden(void **st) {
    (void)st;
    fz_error err;
    unsigned char *data;
    size_t n;
    char name[64];
    assert_int_equal(fz_str_file(db, 1, name, &data, &n, &err), 0);
    const char *out = "build/test_str_bstr.XML";
    FILE *f = fopen(out, "wb");
    assert_non_null(f);
    fwrite(data, 1, n, f);
    fclose(f);
    free(data);
    if (getenv("FZ_UPDATE_GOLDEN")) assert_int_equal(system("cp build/test_str_bstr.XML tests/fixtures/str/NBS-golden.XML"), 0);
    assert_int_equal(system("cmp -s build/test_str_bstr.XML tests/fixtures/str/NBS-golden.XML"), 0);
    assert_int_equal(system("xmllint --noout --schema schemas/camlmac.xsd build/test_str_bstr.XML 2>/dev/null"), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_draft),
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
