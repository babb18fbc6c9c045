/* fz_cases.c — cases, their notes and evidence, and how they end (fz_cases.h). */
#include "fz_cases.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_audit.h"

#define CASE_COLS                                                                                            \
    "c.id, c.title, c.status, c.assignee, c.created_by, c.created_ms, c.updated_ms, c.closed_ms, c.resolution, " \
    "(SELECT count(*) FROM case_alerts ca WHERE ca.case_id = c.id) AS alert_count"

static const char *const live[] = {"open", "escalated", NULL};
static const char *const only_open[] = {"open", NULL};
static const char *const any_status[] = {NULL};

static int oom(fz_error *err) { return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }

void fz_case_filter_init(fz_case_filter *f) {
    *f = (fz_case_filter){.from_ms = FZ_CASEDB_ANY, .to_ms = FZ_CASEDB_ANY, .page = {FZ_PAGE_DEFAULT, 0}};
}

static int in_list(const char *s, const char *const *list) {
    for (; *list; list++)
        if (!strcmp(s, *list)) return 1;
    return 0;
}

static const char sql_status[] = "SELECT status FROM cases WHERE id = ?";

/* Case id exists and its status is in allowed (any when allowed is empty);
 * FZ_ENOTFOUND or FZ_EFULL otherwise. */
static int need_status(fz_db *db, int64_t id, const char *const *allowed, fz_error *err) {
    char st[32];
    int rc = fz_casedb_text(db, sql_status, id, "case", st, sizeof st, err);
    if (rc) return rc;
    return !*allowed || in_list(st, allowed) ? 0 : fz_casedb_conflict(err, NULL, "case", id, st);
}

/* The audit entry of an action on case id; detail is stolen. */
static int audit(fz_db *db, const fz_principal *who, const char *action, int64_t id, json_t *detail,
                 fz_error *err) {
    char obj[32];
    snprintf(obj, sizeof obj, "case:%lld", (long long)id);
    int rc = detail ? fz_audit_append(db, who, action, obj, detail, err) : oom(err);
    json_decref(detail);
    return rc;
}

static const char sql_touch[] = "UPDATE cases SET updated_ms = ?2 WHERE id = ?1";

static const char sql_note[] =
    "INSERT INTO case_notes(case_id, kind, author, at_ms, body, name, mime, data, sha256) "
    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* A note row; name, mime, data and sha256 only for evidence. Touches the case. */
typedef struct note {
    const char *kind, *body, *name, *mime, *sha256;
    const unsigned char *data;
    size_t n;
} note;

static void bind_opt(sqlite3_stmt *st, int i, const char *s) {
    if (s) fz_db_bind_text(st, i, s, strlen(s));
}

static int add_note(fz_db *db, const fz_principal *who, int64_t id, const note *nt, int64_t *note_id,
                    fz_error *err) {
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_note, &st, err);
    if (rc) return rc;
    int64_t now = fz_db_now_ms();
    sqlite3_bind_int64(st, 1, id);
    bind_opt(st, 2, nt->kind);
    bind_opt(st, 3, who->name);
    sqlite3_bind_int64(st, 4, now);
    bind_opt(st, 5, nt->body);
    bind_opt(st, 6, nt->name);
    bind_opt(st, 7, nt->mime);
    if (nt->data) sqlite3_bind_blob64(st, 8, nt->data, nt->n, SQLITE_STATIC);
    bind_opt(st, 9, nt->sha256);
    rc = fz_db_run(db, st, "insert case note", err);
    if (!rc && note_id) *note_id = sqlite3_last_insert_rowid(fz_db_sqlite(db));
    return rc ? rc : fz_casedb_exec2(db, sql_touch, id, now, "update case", err);
}

/* ---- create ---- */

typedef struct create_op {
    const fz_principal *who;
    const char *title, *assignee;
    const int64_t *ids;
    size_t n;
    int64_t id;
} create_op;

static const char sql_insert_case[] =
    "INSERT INTO cases(title, status, assignee, created_by, created_ms, updated_ms) VALUES(?, 'open', ?, ?, ?, ?)";
static const char sql_alert_status[] = "SELECT status FROM alerts WHERE id = ?";
static const char sql_alert_join[] = "UPDATE alerts SET status = 'in_case', case_id = ?1 WHERE id = ?2";
static const char sql_case_alert[] = "INSERT INTO case_alerts(case_id, alert_id) VALUES(?1, ?2)";

/* Put alert aid into case cid; it must be open. */
static int join_alert(fz_db *db, int64_t cid, int64_t aid, fz_error *err) {
    char st[32];
    int rc = fz_casedb_text(db, sql_alert_status, aid, "alert", st, sizeof st, err);
    if (rc == FZ_ENOTFOUND)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "alert_ids", "alert %lld does not exist", (long long)aid);
    if (rc) return rc;
    if (strcmp(st, "open")) return fz_casedb_conflict(err, "alert_ids", "alert", aid, st);
    rc = fz_casedb_exec2(db, sql_alert_join, cid, aid, "update alert", err);
    return rc ? rc : fz_casedb_exec2(db, sql_case_alert, cid, aid, "insert case alert", err);
}

static int insert_case(fz_db *db, create_op *op, fz_error *err) {
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_insert_case, &st, err);
    if (rc) return rc;
    int64_t now = fz_db_now_ms();
    bind_opt(st, 1, op->title);
    bind_opt(st, 2, op->assignee);
    bind_opt(st, 3, op->who->name);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now);
    rc = fz_db_run(db, st, "insert case", err);
    op->id = sqlite3_last_insert_rowid(fz_db_sqlite(db));
    return rc;
}

static int create_tx(fz_db *db, void *ctx, fz_error *err) {
    create_op *op = ctx;
    int rc = insert_case(db, op, err);
    json_t *ids = json_array();
    for (size_t i = 0; !rc && i < op->n; i++) {
        rc = join_alert(db, op->id, op->ids[i], err);
        json_array_append_new(ids, json_integer(op->ids[i]));
    }
    json_t *d = json_pack("{s:s, s:o, s:s?}", "title", op->title, "alert_ids", ids, "assignee", op->assignee);
    return rc ? (json_decref(d), rc) : audit(db, op->who, "case.create", op->id, d, err);
}

static int check_ids(const int64_t *ids, size_t n, fz_error *err) {
    if (n < 1 || n > FZ_CASE_MAX_ALERTS)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "alert_ids", "must list 1 to %d alerts", FZ_CASE_MAX_ALERTS);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (ids[i] == ids[j])
                return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "alert_ids", "alert %lld is listed twice",
                                    (long long)ids[i]);
    return 0;
}

int fz_cases_create(fz_db *db, const fz_principal *who, const char *title, const int64_t *alert_ids, size_t n,
                    const char *assignee, int64_t *id, fz_error *err) {
    if (!title || !*title || strlen(title) > FZ_CASE_TITLE_MAX)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "title", "must be 1 to %d bytes", FZ_CASE_TITLE_MAX);
    int rc = check_ids(alert_ids, n, err);
    create_op op = {.who = who, .title = title, .assignee = assignee, .ids = alert_ids, .n = n};
    if (!rc) rc = fz_casedb_tx(db, create_tx, &op, err);
    *id = rc ? 0 : op.id;
    return rc;
}

/* ---- read ---- */

static const char sql_get[] = "SELECT " CASE_COLS " FROM cases c WHERE c.id = ?";
static const char sql_alerts[] =
    "SELECT a.id, a.seq, a.txn_id, a.txn_ms, a.created_ms, a.account, a.rule, a.score, a.outcome, a.status, "
    "e.payer, e.payee, e.amount, e.currency FROM case_alerts ca JOIN alerts a ON a.id = ca.alert_id "
    "JOIN events e ON e.seq = a.seq WHERE ca.case_id = ? ORDER BY a.id";
static const char sql_notes[] = "SELECT id, kind, author, at_ms, body, name, mime, length(data) AS size, sha256 "
                                "FROM case_notes WHERE case_id = ? ORDER BY id";

int fz_cases_get(fz_db *db, int64_t id, json_t **out, fz_error *err) {
    json_t *alerts = NULL, *notes = NULL;
    int rc = fz_casedb_one(db, sql_get, id, "case", out, err);
    if (!rc) rc = fz_casedb_all(db, sql_alerts, id, &alerts, err);
    if (!rc) rc = fz_casedb_all(db, sql_notes, id, &notes, err);
    if (!rc) {
        json_object_set_new(*out, "alerts", alerts);
        json_object_set_new(*out, "notes", notes);
        return 0;
    }
    json_decref(alerts);
    json_decref(*out);
    *out = NULL;
    return rc;
}

static const char *const case_statuses[] = {"open", "escalated", "closed_fp", "closed_fraud", NULL};

int fz_cases_list(fz_db *db, const fz_case_filter *f, json_t **out, fz_error *err) {
    *out = NULL;
    if (f->status && !in_list(f->status, case_statuses))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "status", "must be open, escalated, closed_fp or closed_fraud");
    fz_casedb_query q;
    fz_casedb_query_init(&q, CASE_COLS, "cases c", "c.id DESC");
    fz_casedb_where_text(&q, "c.status = ?", f->status);
    fz_casedb_where_text(&q, "c.assignee = ?", f->assignee);
    fz_casedb_where_int(&q, "c.created_ms >= ?", f->from_ms);
    fz_casedb_where_int(&q, "c.created_ms < ?", f->to_ms);
    return fz_casedb_page(db, &q, f->page, out, err);
}

/* ---- assign, comment, evidence ---- */

typedef struct simple_op {
    const fz_principal *who;
    int64_t id;
    const char *text;      /* assignee, comment body or reason */
    const fz_evidence *ev; /* evidence */
    unsigned char *data;
    size_t n;
    char sha256[65];
    int64_t note_id;
    const fz_case_close *close;
} simple_op;

static const char sql_assign[] = "UPDATE cases SET assignee = ?, updated_ms = ? WHERE id = ?";

static int assign_tx(fz_db *db, void *ctx, fz_error *err) {
    simple_op *op = ctx;
    sqlite3_stmt *st;
    int rc = need_status(db, op->id, live, err);
    if (!rc) rc = fz_casedb_prep(db, sql_assign, &st, err);
    if (rc) return rc;
    bind_opt(st, 1, op->text);
    sqlite3_bind_int64(st, 2, fz_db_now_ms());
    sqlite3_bind_int64(st, 3, op->id);
    rc = fz_db_run(db, st, "assign case", err);
    return rc ? rc : audit(db, op->who, "case.assign", op->id, json_pack("{s:s}", "assignee", op->text), err);
}

/* A required free-text field of at most FZ_CASE_TEXT_MAX bytes. */
static int need_text(const char *s, const char *field, size_t max, fz_error *err) {
    if (!s || !*s) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "is required");
    if (strlen(s) > max) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "is longer than %zu bytes", max);
    return 0;
}

int fz_cases_assign(fz_db *db, const fz_principal *who, int64_t id, const char *assignee, fz_error *err) {
    simple_op op = {.who = who, .id = id, .text = assignee};
    int rc = need_text(assignee, "assignee", 63, err);
    return rc ? rc : fz_casedb_tx(db, assign_tx, &op, err);
}

static int comment_tx(fz_db *db, void *ctx, fz_error *err) {
    simple_op *op = ctx;
    note nt = {.kind = "comment", .body = op->text};
    int rc = need_status(db, op->id, any_status, err);
    if (!rc) rc = add_note(db, op->who, op->id, &nt, &op->note_id, err);
    return rc ? rc
              : audit(db, op->who, "case.comment", op->id,
                      json_pack("{s:I, s:s}", "note_id", (json_int_t)op->note_id, "body", op->text), err);
}

int fz_cases_comment(fz_db *db, const fz_principal *who, int64_t id, const char *body, int64_t *note_id,
                     fz_error *err) {
    simple_op op = {.who = who, .id = id, .text = body};
    int rc = need_text(body, "body", FZ_CASE_TEXT_MAX, err);
    if (!rc) rc = fz_casedb_tx(db, comment_tx, &op, err);
    *note_id = op.note_id;
    return rc;
}

/* Base64 (line breaks allowed) into a malloc'd buffer of at most
 * FZ_CASE_EVIDENCE_MAX bytes. The encoded length is checked first so an
 * oversized upload is refused before anything is allocated for it. */
static int decode(const char *b64, unsigned char **out, size_t *n, fz_error *err) {
    size_t len = strlen(b64), cap = len / 4 * 3 + 3;
    if (cap > FZ_CASE_EVIDENCE_MAX + FZ_CASE_EVIDENCE_MAX / 8)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "data", "is larger than %d bytes", FZ_CASE_EVIDENCE_MAX);
    *out = malloc(cap);
    if (!*out) return oom(err);
    if (sodium_base642bin(*out, cap, b64, len, " \r\n", n, NULL, sodium_base64_VARIANT_ORIGINAL))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "data", "is not standard base64");
    if (*n > FZ_CASE_EVIDENCE_MAX)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "data", "is larger than %d bytes", FZ_CASE_EVIDENCE_MAX);
    return *n ? 0 : fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "data", "is empty");
}

static int check_evidence(const fz_evidence *ev, fz_error *err) {
    int rc = need_text(ev->name, "name", FZ_CASE_TITLE_MAX, err);
    if (!rc) rc = need_text(ev->mime, "mime", 127, err);
    if (!rc && (!strchr(ev->mime, '/') || strpbrk(ev->mime, " \r\n")))
        rc = fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "mime", "must be a media type like application/pdf");
    if (!rc) rc = need_text(ev->base64, "data", (size_t)-1, err);
    return rc;
}

static int evidence_tx(fz_db *db, void *ctx, fz_error *err) {
    simple_op *op = ctx;
    note nt = {.kind = "evidence",
               .name = op->ev->name,
               .mime = op->ev->mime,
               .data = op->data,
               .n = op->n,
               .sha256 = op->sha256};
    int rc = need_status(db, op->id, any_status, err);
    if (!rc) rc = add_note(db, op->who, op->id, &nt, &op->note_id, err);
    return rc ? rc
              : audit(db, op->who, "case.evidence", op->id,
                      json_pack("{s:I, s:s, s:s, s:I, s:s}", "note_id", (json_int_t)op->note_id, "name", nt.name,
                                "mime", nt.mime, "size", (json_int_t)op->n, "sha256", op->sha256),
                      err);
}

int fz_cases_evidence(fz_db *db, const fz_principal *who, int64_t id, const fz_evidence *ev, int64_t *note_id,
                      char sha256[65], fz_error *err) {
    simple_op op = {.who = who, .id = id, .ev = ev};
    int rc = check_evidence(ev, err);
    if (!rc) rc = decode(ev->base64, &op.data, &op.n, err);
    if (!rc) {
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, op.data, op.n);
        sodium_bin2hex(op.sha256, sizeof op.sha256, h, sizeof h);
        rc = fz_casedb_tx(db, evidence_tx, &op, err);
    }
    free(op.data);
    *note_id = op.note_id;
    memcpy(sha256, op.sha256, sizeof op.sha256);
    return rc;
}

static const char sql_evidence[] = "SELECT mime, data FROM case_notes WHERE id = ? AND case_id = ? "
                                   "AND kind = 'evidence'";

int fz_cases_evidence_data(fz_db *db, int64_t id, int64_t note_id, char mime[128], unsigned char **data,
                           size_t *n, fz_error *err) {
    *data = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_evidence, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, note_id);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(mime, 128, "%s", fz_db_col_text(st, 0, NULL));
        *n = (size_t)sqlite3_column_bytes(st, 1);
        *data = malloc(*n ? *n : 1);
        if (*data) memcpy(*data, sqlite3_column_blob(st, 1), *n);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, NULL, "case %lld has no evidence %lld", (long long)id,
                            (long long)note_id);
    if (rc != SQLITE_ROW) return fz_db_fail(db, rc, "select evidence", err);
    return *data ? 0 : oom(err);
}

/* ---- status changes ---- */

static const char sql_set_status[] =
    "UPDATE cases SET status = ?, resolution = ?, closed_ms = ?, updated_ms = ? WHERE id = ?";

/* Move the case to status (closed_ms set when closing) with a timeline note. */
static int set_status(fz_db *db, const simple_op *op, const char *status, int closing, fz_error *err) {
    int64_t now = fz_db_now_ms();
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_set_status, &st, err);
    if (rc) return rc;
    bind_opt(st, 1, status);
    if (closing) {
        bind_opt(st, 2, op->text);
        sqlite3_bind_int64(st, 3, now);
    }
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, op->id);
    rc = fz_db_run(db, st, "update case status", err);
    char body[FZ_CASE_TEXT_MAX + 64];
    snprintf(body, sizeof body, "%s: %s", status, op->text);
    note nt = {.kind = "status", .body = body};
    return rc ? rc : add_note(db, op->who, op->id, &nt, NULL, err);
}

static int escalate_tx(fz_db *db, void *ctx, fz_error *err) {
    simple_op *op = ctx;
    int rc = need_status(db, op->id, only_open, err);
    if (!rc) rc = set_status(db, op, "escalated", 0, err);
    return rc ? rc
              : audit(db, op->who, "case.escalate", op->id,
                      json_pack("{s:s, s:s}", "reason", op->text, "next",
                                "a supervisor files or declines the suspicious-transaction report"),
                      err);
}

int fz_cases_escalate(fz_db *db, const fz_principal *who, int64_t id, const char *reason, fz_error *err) {
    simple_op op = {.who = who, .id = id, .text = reason};
    int rc = need_text(reason, "reason", FZ_CASE_TEXT_MAX, err);
    return rc ? rc : fz_casedb_tx(db, escalate_tx, &op, err);
}

static const char sql_close_alerts[] =
    "UPDATE alerts SET status = 'closed' WHERE id IN (SELECT alert_id FROM case_alerts WHERE case_id = ?1)";
static const char sql_suppress[] =
    "INSERT INTO suppressions(account, rule, until_ms, by, at_ms, why, case_id) "
    "SELECT DISTINCT a.account, a.rule, ?1, ?2, ?3, ?4, ?5 FROM case_alerts ca JOIN alerts a ON a.id = ca.alert_id "
    "WHERE ca.case_id = ?5";
static const char sql_suppressed[] = "SELECT account, rule, until_ms FROM suppressions WHERE case_id = ?";

static int suppress_rows(fz_db *db, const simple_op *op, int64_t until, fz_error *err) {
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_suppress, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, until);
    bind_opt(st, 2, op->who->name);
    sqlite3_bind_int64(st, 3, fz_db_now_ms());
    bind_opt(st, 4, op->text);
    sqlite3_bind_int64(st, 5, op->id);
    return fz_db_run(db, st, "insert suppressions", err);
}

static int close_tx(fz_db *db, void *ctx, fz_error *err) {
    simple_op *op = ctx;
    const fz_case_close *c = op->close;
    const char *status = c->fraud ? "closed_fraud" : "closed_fp";
    int64_t until = fz_db_now_ms() + c->suppress_days * 86400000LL;
    int rc = need_status(db, op->id, live, err);
    if (!rc) rc = set_status(db, op, status, 1, err);
    if (!rc) rc = fz_casedb_exec2(db, sql_close_alerts, op->id, 0, "close alerts", err);
    if (!rc && !c->fraud) rc = suppress_rows(db, op, until, err);
    json_t *d = c->fraud ? json_pack("{s:s, s:s}", "status", status, "reason", op->text)
                         : json_pack("{s:s, s:s, s:I, s:I, s:I}", "status", status, "reason", op->text,
                                     "suppress_days", (json_int_t)c->suppress_days, "until_ms", (json_int_t)until,
                                     "suppressions", (json_int_t)sqlite3_changes(fz_db_sqlite(db)));
    return rc ? (json_decref(d), rc) : audit(db, op->who, "case.close", op->id, d, err);
}

/* Tell c->suppress of each suppression the close wrote. */
static int announce(fz_db *db, int64_t id, const fz_case_close *c, fz_error *err) {
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql_suppressed, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = c->suppress(c->ctx, fz_db_col_text(st, 0, NULL), fz_db_col_text(st, 1, NULL),
                         sqlite3_column_int64(st, 2));
        if (rc) fz_error_set(err, rc, NULL, 0, 0, NULL, "case closed; its suppressions apply after a restart");
    }
    sqlite3_reset(st);
    return rc;
}

int fz_cases_close(fz_db *db, const fz_principal *who, int64_t id, const fz_case_close *c, fz_error *err) {
    simple_op op = {.who = who, .id = id, .text = c->reason, .close = c};
    int rc = need_text(c->reason, "reason", FZ_CASE_TEXT_MAX, err);
    if (!rc && !c->fraud && (c->suppress_days < 1 || c->suppress_days > FZ_CASE_SUPPRESS_DAYS_MAX))
        rc = fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "suppress_days", "must be an integer from 1 to %d",
                          FZ_CASE_SUPPRESS_DAYS_MAX);
    if (!rc) rc = fz_casedb_tx(db, close_tx, &op, err);
    if (!rc && !c->fraud && c->suppress) rc = announce(db, id, c, err);
    return rc;
}
