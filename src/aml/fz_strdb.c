/* fz_strdb.c — suspicious reports in the store (fz_strdb.h). */
#include "fz_strdb.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_audit.h"
#include "fz_hvtr.h"
#include "fz_time.h"

static int oom(fz_error *err) { return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }

/* The audit entry of an action on report id; detail is stolen. */
static int audit(fz_db *db, const fz_principal *who, const char *action, int64_t id, json_t *detail, fz_error *err) {
    char obj[32];
    snprintf(obj, sizeof obj, "str:%lld", (long long)id);
    int rc = detail ? fz_audit_append(db, who, action, obj, detail, err) : oom(err);
    json_decref(detail);
    return rc;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s) {
    if (s) fz_db_bind_text(st, i, s, strlen(s));
}

/* The report's status must be want; FZ_ENOTFOUND or FZ_EFULL otherwise. */
static int need_status(fz_db *db, int64_t id, const char *want, fz_error *err) {
    char st[32];
    int rc = fz_casedb_text(db, "SELECT status FROM strs WHERE id = ?", id, "suspicious report", st, sizeof st, err);
    if (rc) return rc;
    return strcmp(st, want) ? fz_casedb_conflict(err, NULL, "suspicious report", id, st) : 0;
}

static int load_content(fz_db *db, int64_t id, json_t **out, fz_error *err) {
    json_t *row = NULL;
    int rc = fz_casedb_one(db, "SELECT content AS content_json FROM strs WHERE id = ?", id, "suspicious report", &row, err);
    *out = rc ? NULL : json_incref(json_object_get(row, "content"));
    json_decref(row);
    if (!rc && !json_is_object(*out)) rc = fz_error_set(err, FZ_EIO, NULL, 0, 0, NULL, "report %lld: content is not JSON", (long long)id);
    return rc;
}

static int save_content(fz_db *db, int64_t id, const json_t *content, fz_error *err) {
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, "UPDATE strs SET content = ?, updated_ms = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    char *text = json_dumps(content, JSON_COMPACT);
    if (!text) return oom(err);
    bind_text(st, 1, text);
    free(text);
    sqlite3_bind_int64(st, 2, fz_db_now_ms());
    sqlite3_bind_int64(st, 3, id);
    return fz_db_run(db, st, "update suspicious report", err);
}

/* ---------- draft ---------- */

typedef struct draft_op {
    const fz_str_config *c;
    const fz_principal *who;
    const json_t *changes;
    int64_t case_id, id, orig, from; /* correction: the original N and the version copied */
    json_t *content;
} draft_op;

static const char sql_confirmed[] =
    "SELECT n.at_ms, substr(n.body, instr(n.body, ': ') + 2) AS reason, c.title FROM cases c "
    "JOIN case_notes n ON n.case_id = c.id AND n.kind = 'status' "
    "WHERE c.id = ?1 AND c.status IN ('escalated', 'closed_fraud') "
    "AND (n.body LIKE 'escalated:%' OR n.body LIKE 'closed_fraud:%') ORDER BY n.id LIMIT 1";

/* When and why case_id was confirmed suspicious; FZ_EFULL when it is not. */
static int confirmed(fz_db *db, int64_t case_id, int64_t *at, json_t **cs, fz_error *err) {
    char st[32];
    int rc = fz_casedb_text(db, "SELECT status FROM cases WHERE id = ?", case_id, "case", st, sizeof st, err);
    json_t *row = NULL;
    if (!rc && fz_casedb_one(db, sql_confirmed, case_id, "case", &row, err))
        return fz_error_set(err, FZ_EFULL, NULL, 0, 0, NULL,
                            "case %lld is %s: escalate it (or close it as fraud) to confirm the suspicion first",
                            (long long)case_id, st);
    if (rc) return rc;
    *at = json_integer_value(json_object_get(row, "at_ms"));
    *cs = json_pack("{s:I, s:O, s:O}", "id", (json_int_t)case_id, "title", json_object_get(row, "title"), "reason",
                    json_object_get(row, "reason"));
    json_decref(row);
    return *cs ? 0 : oom(err);
}

static const char sql_items[] =
    "SELECT CASE WHEN a.account = e.payer THEN 'payer' ELSE 'payee' END AS side, "
    "json_group_array(a.rule) AS rules_json, e.txn AS txn, e.decision AS decision_json, "
    "(SELECT json_object('id', c.id, 'kind', c.kind, 'name', c.name, 'id_type', c.id_type, 'id_number', "
    "  c.id_number, 'data', json(c.data)) FROM customers c WHERE c.id = coalesce("
    "  (SELECT customer_id FROM accounts WHERE id = a.account), "
    "  json_extract(e.txn, CASE WHEN a.account = e.payer THEN '$.payer_cust' ELSE '$.payee_cust' END))) "
    "  AS customer_json, "
    "(SELECT json_object('opened_ms', opened_ms, 'closed_ms', closed_ms) FROM accounts WHERE id = a.account) "
    "  AS account_json, "
    "(SELECT count(DISTINCT a2.account) FROM case_alerts c2 JOIN alerts a2 ON a2.id = c2.alert_id "
    "  WHERE c2.case_id = ca.case_id AND a2.seq = a.seq) > 1 AS both_sides "
    "FROM case_alerts ca JOIN alerts a ON a.id = ca.alert_id JOIN events e ON e.seq = a.seq "
    "WHERE ca.case_id = ? GROUP BY a.seq, a.account ORDER BY e.txn_ms, a.seq, side";

static const char sql_first_filed[] =
    "SELECT count(*) AS n, (SELECT replace(file_name, '.XML', '') FROM strs WHERE case_id = ?1 AND kind = 'N' "
    "AND file_name IS NOT NULL ORDER BY id LIMIT 1) AS orxn FROM strs WHERE case_id = ?1 AND kind = 'N' "
    "AND status IN ('filed', 'corrected')";

/* TORP and ORXN: a later report on the same case continues the first one. */
static int follow_up(fz_db *db, draft_op *op, fz_error *err) {
    json_t *row = NULL;
    int rc = fz_casedb_one(db, sql_first_filed, op->case_id, "case", &row, err);
    if (rc) return rc;
    int64_t n = json_integer_value(json_object_get(row, "n"));
    json_object_set_new(op->content, "torp", json_integer(n + 1 > 9999 ? 0 : n + 1));
    if (n) json_object_set(op->content, "orxn", json_object_get(row, "orxn"));
    json_decref(row);
    return 0;
}

static int build(fz_db *db, draft_op *op, int64_t *at, fz_error *err) {
    json_t *cs = NULL, *items = NULL;
    int rc = confirmed(db, op->case_id, at, &cs, err);
    if (!rc) rc = fz_casedb_all(db, sql_items, op->case_id, &items, err);
    json_t *in = rc ? NULL : json_pack("{s:o, s:o, s:s}", "case", cs, "items", items, "rpnm", op->who->name);
    if (rc) json_decref(cs), json_decref(items);
    else if (!in) rc = oom(err);
    if (!rc) rc = fz_str_build(op->c, in, &op->content, err);
    json_decref(in);
    if (!rc) rc = follow_up(db, op, err);
    return rc;
}

static const char sql_insert[] =
    "INSERT INTO strs(case_id, kind, original_id, status, confirmed_ms, due_day, content, created_by, created_ms, "
    "updated_ms) VALUES(?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)";

static int insert(fz_db *db, draft_op *op, int64_t at, int32_t due, fz_error *err) {
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_insert, &st, err);
    char *text = rc ? NULL : json_dumps(op->content, JSON_COMPACT);
    if (!rc && !text) rc = oom(err);
    if (rc) return rc;
    int64_t now = fz_db_now_ms();
    sqlite3_bind_int64(st, 1, op->case_id);
    bind_text(st, 2, op->orig ? "C" : "N");
    if (op->orig) sqlite3_bind_int64(st, 3, op->orig);
    sqlite3_bind_int64(st, 4, at);
    sqlite3_bind_int64(st, 5, due);
    bind_text(st, 6, text);
    bind_text(st, 7, op->who->name);
    sqlite3_bind_int64(st, 8, now);
    sqlite3_bind_int64(st, 9, now);
    free(text);
    rc = fz_db_run(db, st, "insert suspicious report", err);
    op->id = sqlite3_last_insert_rowid(fz_db_sqlite(db));
    return rc;
}

/* One str_subjects row per subject with a customer number. */
static int subjects(fz_db *db, const draft_op *op, fz_error *err) {
    sqlite3_stmt *st;
    size_t i;
    json_t *s;
    int rc = 0;
    json_array_foreach(json_object_get(op->content, "subjects"), i, s) {
        const char *csnm = json_string_value(json_object_get(s, "csnm"));
        if (rc || !csnm || !*csnm) continue;
        rc = fz_casedb_prep(db, "INSERT OR IGNORE INTO str_subjects(str_id, customer_id) VALUES(?, ?)", &st, err);
        if (rc) break;
        sqlite3_bind_int64(st, 1, op->id);
        bind_text(st, 2, csnm);
        rc = fz_db_run(db, st, "insert report subject", err);
    }
    return rc;
}

static const char sql_open_on_case[] =
    "SELECT id FROM strs WHERE case_id = ? AND status IN ('draft', 'submitted') LIMIT 1";

static int none_open(fz_db *db, const char *sql, int64_t key, const char *what, fz_error *err) {
    char other[32];
    int rc = fz_casedb_text(db, sql, key, what, other, sizeof other, err);
    if (rc == FZ_ENOTFOUND) return 0;
    if (rc) return rc;
    return fz_error_set(err, FZ_EFULL, NULL, 0, 0, NULL, "%s %lld already has report %s in progress", what,
                        (long long)key, other);
}

static int draft_tx(fz_db *db, void *ctx, fz_error *err) {
    draft_op *op = ctx;
    int64_t at = 0;
    int32_t due = 0;
    int rc = none_open(db, sql_open_on_case, op->case_id, "case", err);
    if (!rc) rc = build(db, op, &at, err);
    if (!rc && op->changes) rc = fz_str_apply_edit(op->content, op->changes, err);
    if (!rc && fz_calendar_add_working_days(op->c->cal, fz_time_cn_day(at), FZ_STR_DEADLINE_DAYS, &due))
        rc = fz_error_set(err, FZ_ERANGE, NULL, 0, 0, NULL, "no working day within ten years: check the calendar");
    if (!rc) rc = insert(db, op, at, due, err);
    if (!rc) rc = subjects(db, op, err);
    char d[16];
    fz_day_format(due, 0, d, sizeof d);
    return rc ? rc
              : audit(db, op->who, "str.draft", op->id,
                      json_pack("{s:I, s:s, s:I, s:O, s:O}", "case_id", (json_int_t)op->case_id, "due_date", d,
                                "transactions", (json_int_t)json_array_size(json_object_get(op->content, "transactions")),
                                "stcr", json_object_get(op->content, "stcr"), "tosc", json_object_get(op->content, "tosc")),
                      err);
}

int fz_str_draft(fz_db *db, const fz_str_config *c, const fz_principal *who, int64_t case_id, const json_t *changes,
                 int64_t *id, fz_error *err) {
    draft_op op = {.c = c, .who = who, .changes = changes, .case_id = case_id};
    int rc = c->cal ? fz_casedb_tx(db, draft_tx, &op, err)
                    : fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "calendar", "no working-day calendar configured");
    json_decref(op.content);
    *id = rc ? 0 : op.id;
    return rc;
}

/* ---------- read ---------- */

#define STR_COLS                                                                                                   \
    "id, case_id, kind, original_id, status, confirmed_ms, due_day, created_by, created_ms, updated_ms, "          \
    "submitted_by, submitted_ms, approved_by, approved_ms, rejected_by, reject_reason, file_name, "               \
    "length(file) AS file_size, file_sha256"

/* due_date and overdue from due_day. */
static void deadline(json_t *o, int32_t today) {
    int32_t due = (int32_t)json_integer_value(json_object_get(o, "due_day"));
    char d[16];
    fz_day_format(due, 0, d, sizeof d);
    const char *st = json_string_value(json_object_get(o, "status"));
    json_object_set_new(o, "due_date", json_string(d));
    int open = st && (!strcmp(st, "draft") || !strcmp(st, "submitted"));
    json_object_set_new(o, "overdue", json_boolean(open && today > due));
}

int fz_str_get(fz_db *db, int64_t id, json_t **out, fz_error *err) {
    int rc = fz_casedb_one(db, "SELECT " STR_COLS ", content AS content_json FROM strs WHERE id = ?", id,
                           "suspicious report", out, err);
    if (!rc) deadline(*out, fz_time_cn_day(fz_db_now_ms()));
    return rc;
}

static const char *const statuses[] = {"draft", "submitted", "filed", "corrected", NULL};

int fz_str_list(fz_db *db, const fz_str_filter *f, json_t **out, fz_error *err) {
    *out = NULL;
    int ok = !f->status;
    for (int i = 0; !ok && statuses[i]; i++) ok = !strcmp(f->status, statuses[i]);
    if (!ok) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "status", "must be draft, submitted, filed or corrected");
    fz_casedb_query q;
    fz_casedb_query_init(&q, STR_COLS, "strs", "due_day, id");
    fz_casedb_where_text(&q, "status = ?", f->status);
    fz_casedb_where_int(&q, "case_id = ?", f->case_id);
    int rc = fz_casedb_page(db, &q, f->page, out, err);
    size_t i;
    json_t *x;
    int32_t today = fz_time_cn_day(fz_db_now_ms());
    if (!rc) json_array_foreach(json_object_get(*out, "items"), i, x) deadline(x, today);
    return rc;
}

/* ---------- edit, submit, reject ---------- */

typedef struct step_op {
    const fz_principal *who;
    const fz_str_config *c;
    const json_t *changes;
    const char *reason;
    int64_t id;
} step_op;

static int edit_tx(fz_db *db, void *ctx, fz_error *err) {
    step_op *op = ctx;
    json_t *content = NULL;
    int rc = need_status(db, op->id, "draft", err);
    if (!rc) rc = load_content(db, op->id, &content, err);
    if (!rc) rc = fz_str_apply_edit(content, op->changes, err);
    if (!rc) rc = save_content(db, op->id, content, err);
    json_decref(content);
    return rc ? rc : audit(db, op->who, "str.edit", op->id, json_pack("{s:O}", "changes", op->changes), err);
}

int fz_str_edit(fz_db *db, const fz_principal *who, int64_t id, const json_t *changes, fz_error *err) {
    step_op op = {.who = who, .id = id, .changes = changes};
    return fz_casedb_tx(db, edit_tx, &op, err);
}

static const char sql_submit[] = "UPDATE strs SET status = 'submitted', submitted_by = ?, submitted_ms = ?, "
                                 "updated_ms = ?2 WHERE id = ?";

static int submit_tx(fz_db *db, void *ctx, fz_error *err) {
    step_op *op = ctx;
    json_t *content = NULL;
    sqlite3_stmt *st;
    int rc = need_status(db, op->id, "draft", err);
    if (!rc) rc = load_content(db, op->id, &content, err);
    if (!rc) rc = fz_str_check_ready(content, err);
    json_decref(content);
    if (!rc) rc = fz_casedb_prep(db, sql_submit, &st, err);
    if (rc) return rc;
    bind_text(st, 1, op->who->name);
    sqlite3_bind_int64(st, 2, fz_db_now_ms());
    sqlite3_bind_int64(st, 3, op->id);
    rc = fz_db_run(db, st, "submit suspicious report", err);
    return rc ? rc : audit(db, op->who, "str.submit", op->id, json_object(), err);
}

int fz_str_submit(fz_db *db, const fz_principal *who, int64_t id, fz_error *err) {
    step_op op = {.who = who, .id = id};
    return fz_casedb_tx(db, submit_tx, &op, err);
}

static const char sql_reject[] = "UPDATE strs SET status = 'draft', rejected_by = ?, reject_reason = ?, "
                                 "updated_ms = ? WHERE id = ?";

static int reject_tx(fz_db *db, void *ctx, fz_error *err) {
    step_op *op = ctx;
    sqlite3_stmt *st;
    int rc = need_status(db, op->id, "submitted", err);
    if (!rc) rc = fz_casedb_prep(db, sql_reject, &st, err);
    if (rc) return rc;
    bind_text(st, 1, op->who->name);
    bind_text(st, 2, op->reason);
    sqlite3_bind_int64(st, 3, fz_db_now_ms());
    sqlite3_bind_int64(st, 4, op->id);
    rc = fz_db_run(db, st, "reject suspicious report", err);
    return rc ? rc : audit(db, op->who, "str.reject", op->id, json_pack("{s:s}", "reason", op->reason), err);
}

int fz_str_reject(fz_db *db, const fz_principal *who, int64_t id, const char *reason, fz_error *err) {
    step_op op = {.who = who, .id = id, .reason = reason};
    if (!reason || !*reason) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "reason", "is required");
    return fz_casedb_tx(db, reject_tx, &op, err);
}

/* ---------- approve: the file ---------- */

static const char sql_file_of[] =
    "SELECT r.kind, r.submitted_by, coalesce(o.report_day, 0) AS oday, coalesce(o.file_seq, 0) AS oseq, "
    "coalesce(r.original_id, 0) AS orig FROM strs r LEFT JOIN strs o ON o.id = r.original_id WHERE r.id = ?";
static const char sql_next_seq[] =
    "SELECT coalesce(max(file_seq), 0) + 1 FROM strs WHERE kind = 'N' AND report_day = ?";

/* The file's name: N with the day's next sequence, or C with the original's. */
static int file_name(fz_db *db, const step_op *op, const json_t *row, int32_t *day, uint32_t *seq, char name[64],
                     fz_error *err) {
    int corr = !strcmp(json_string_value(json_object_get(row, "kind")), "C");
    char next[24];
    int rc = 0;
    *day = corr ? (int32_t)json_integer_value(json_object_get(row, "oday")) : fz_time_cn_day(fz_db_now_ms());
    if (corr) *seq = (uint32_t)json_integer_value(json_object_get(row, "oseq"));
    else if (!(rc = fz_casedb_text(db, sql_next_seq, *day, "day", next, sizeof next, err))) *seq = (uint32_t)atol(next);
    if (!rc && fz_camlmac_file_name(corr ? 'C' : 'N', "BS", op->c->ricd, *day, *seq, "XML", name, 64))
        rc = fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "ricd", "cannot name the file (RICD '%s', sequence %u)",
                          op->c->ricd, *seq);
    return rc;
}

static const char sql_filed[] =
    "UPDATE strs SET status = 'filed', approved_by = ?, approved_ms = ?, report_day = ?, file_seq = ?, "
    "file_name = ?, file = ?, file_sha256 = ?, updated_ms = ?2 WHERE id = ?";
static const char sql_supersede[] =
    "UPDATE strs SET status = 'corrected', updated_ms = ?2 WHERE status = 'filed' AND id != ?1 "
    "AND (id = (SELECT original_id FROM strs WHERE id = ?1) "
    "OR original_id = (SELECT original_id FROM strs WHERE id = ?1))";

static int store_file(fz_db *db, const step_op *op, int32_t day, uint32_t seq, const char *name, const char *xml,
                      size_t n, const char *sha, fz_error *err) {
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_filed, &st, err);
    if (rc) return rc;
    bind_text(st, 1, op->who->name);
    sqlite3_bind_int64(st, 2, fz_db_now_ms());
    sqlite3_bind_int64(st, 3, day);
    sqlite3_bind_int64(st, 4, seq);
    bind_text(st, 5, name);
    sqlite3_bind_blob64(st, 6, xml, n, SQLITE_STATIC);
    bind_text(st, 7, sha);
    sqlite3_bind_int64(st, 8, op->id);
    rc = fz_db_run(db, st, "file suspicious report", err);
    return rc ? rc : fz_casedb_exec2(db, sql_supersede, op->id, fz_db_now_ms(), "supersede report", err);
}

/* Not by whoever submitted it: four eyes. */
static int other_person(const step_op *op, const json_t *row, fz_error *err) {
    const char *by = json_string_value(json_object_get(row, "submitted_by"));
    if (by && !strcmp(by, op->who->name))
        return fz_error_set(err, FZ_EFULL, NULL, 0, 0, NULL,
                            "%s submitted report %lld: another supervisor must approve it", by, (long long)op->id);
    return 0;
}

static int approve_tx(fz_db *db, void *ctx, fz_error *err) {
    step_op *op = ctx;
    json_t *row = NULL, *content = NULL;
    char name[64], sha[65];
    char *xml = NULL;
    size_t n = 0;
    int32_t day = 0;
    uint32_t seq = 0;
    int rc = need_status(db, op->id, "submitted", err);
    if (!rc) rc = fz_casedb_one(db, sql_file_of, op->id, "suspicious report", &row, err);
    if (!rc) rc = other_person(op, row, err);
    if (!rc) rc = load_content(db, op->id, &content, err);
    if (!rc) rc = fz_str_check_ready(content, err);
    if (!rc) rc = file_name(db, op, row, &day, &seq, name, err);
    if (!rc) rc = fz_str_xml(op->c, content, &xml, &n, err);
    if (!rc) {
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)xml, n);
        sodium_bin2hex(sha, sizeof sha, h, sizeof h);
        rc = store_file(db, op, day, seq, name, xml, n, sha, err);
    }
    free(xml);
    json_decref(row);
    json_decref(content);
    return rc ? rc
              : audit(db, op->who, "str.approve", op->id,
                      json_pack("{s:s, s:s, s:I}", "file_name", name, "sha256", sha, "bytes", (json_int_t)n), err);
}

int fz_str_approve(fz_db *db, const fz_str_config *c, const fz_principal *who, int64_t id, fz_error *err) {
    step_op op = {.who = who, .c = c, .id = id};
    return fz_casedb_tx(db, approve_tx, &op, err);
}

/* ---------- corrections ---------- */

static const char sql_copy[] =
    "SELECT case_id, kind, coalesce(original_id, id) AS orig, confirmed_ms, due_day FROM strs WHERE id = ?";
static const char sql_open_correction[] =
    "SELECT id FROM strs WHERE original_id = ? AND status IN ('draft', 'submitted') LIMIT 1";

static int correct_tx(fz_db *db, void *ctx, fz_error *err) {
    draft_op *op = ctx;
    json_t *row = NULL;
    int rc = need_status(db, op->from, "filed", err);
    if (!rc) rc = fz_casedb_one(db, sql_copy, op->from, "suspicious report", &row, err);
    if (!rc) {
        op->case_id = json_integer_value(json_object_get(row, "case_id"));
        op->orig = json_integer_value(json_object_get(row, "orig"));
        rc = none_open(db, sql_open_correction, op->orig, "suspicious report", err);
    }
    if (!rc) rc = load_content(db, op->from, &op->content, err);
    if (!rc)
        rc = insert(db, op, json_integer_value(json_object_get(row, "confirmed_ms")),
                    (int32_t)json_integer_value(json_object_get(row, "due_day")), err);
    if (!rc) rc = subjects(db, op, err);
    json_decref(row);
    return rc ? rc
              : audit(db, op->who, "str.correct", op->id,
                      json_pack("{s:I, s:I}", "original_id", (json_int_t)op->orig, "from_id", (json_int_t)op->from), err);
}

int fz_str_correct(fz_db *db, const fz_principal *who, int64_t id, int64_t *new_id, fz_error *err) {
    draft_op op = {.who = who, .from = id};
    int rc = fz_casedb_tx(db, correct_tx, &op, err);
    json_decref(op.content);
    *new_id = rc ? 0 : op.id;
    return rc;
}

/* ---------- the file, counts ---------- */

int fz_str_file(fz_db *db, int64_t id, char name[64], unsigned char **data, size_t *n, fz_error *err) {
    sqlite3_stmt *st;
    *data = NULL;
    *n = 0;
    int rc = fz_casedb_prep(db, "SELECT file_name, file FROM strs WHERE id = ? AND file IS NOT NULL", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        snprintf(name, 64, "%s", fz_db_col_text(st, 0, NULL));
        *n = (size_t)sqlite3_column_bytes(st, 1);
        *data = malloc(*n ? *n : 1);
        if (*data) memcpy(*data, sqlite3_column_blob(st, 1), *n);
    }
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, NULL, "suspicious report %lld has no file (not approved)",
                            (long long)id);
    if (step != SQLITE_ROW) return fz_db_fail(db, step, "select report file", err);
    return *data ? 0 : oom(err);
}

static const char sql_count[] =
    "SELECT count(*) FROM str_subjects s JOIN strs r ON r.id = s.str_id WHERE s.customer_id = ? AND r.kind = 'N' "
    "AND r.status IN ('filed', 'corrected') AND r.approved_ms >= ?";

int fz_str_count_filed(fz_db *db, const char *customer_id, int64_t since_ms, int64_t *n, fz_error *err) {
    sqlite3_stmt *st;
    *n = 0;
    int rc = fz_casedb_prep(db, sql_count, &st, err);
    if (rc) return rc;
    bind_text(st, 1, customer_id);
    sqlite3_bind_int64(st, 2, since_ms);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return step == SQLITE_ROW ? 0 : fz_db_fail(db, step, "count filed reports", err);
}
