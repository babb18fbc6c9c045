/* fz_holds.c — the hold queue and resolving holds (fz_holds.h). */
#include "fz_holds.h"

#include <stdio.h>
#include <string.h>

#include "fz_audit.h"

#define HOLD_COLS                                                                                          \
    "h.id, h.seq, h.txn_id, h.created_ms, h.status, h.resolved_by, h.resolved_ms, h.verification, h.note, " \
    "e.txn_ms, e.payer, e.payee, e.amount, e.currency, e.score, e.outcome"
#define HOLD_FROM "holds h JOIN events e ON e.seq = h.seq"

void fz_hold_filter_init(fz_hold_filter *f) { *f = (fz_hold_filter){.page = {FZ_PAGE_DEFAULT, 0}}; }

int fz_holds_list(fz_db *db, const fz_hold_filter *f, json_t **out, fz_error *err) {
    *out = NULL;
    if (f->status && strcmp(f->status, "pending") && strcmp(f->status, "released") && strcmp(f->status, "rejected"))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "status", "must be pending, released or rejected");
    fz_casedb_query q;
    fz_casedb_query_init(&q, HOLD_COLS, HOLD_FROM, "h.status = 'pending' DESC, h.created_ms, h.id");
    fz_casedb_where_text(&q, "h.status = ?", f->status);
    return fz_casedb_page(db, &q, f->page, out, err);
}

static const char sql_get[] =
    "SELECT " HOLD_COLS ", e.txn AS txn_json, e.decision AS decision_json FROM " HOLD_FROM " WHERE h.id = ?";

int fz_holds_get(fz_db *db, int64_t id, json_t **out, fz_error *err) {
    return fz_casedb_one(db, sql_get, id, "hold", out, err);
}

typedef struct resolve_op {
    const fz_principal *who;
    int64_t id;
    const fz_hold_resolution *r;
    char txn_id[256];
} resolve_op;

static const char sql_state[] = "SELECT status, txn_id FROM holds WHERE id = ?";
/* need_pending reads and this writes under one BEGIN IMMEDIATE, so no
 * other resolution can come between them. */
static const char sql_resolve[] = "UPDATE holds SET status = ?, resolved_by = ?, resolved_ms = ?, verification = ?, "
                                  "note = ? WHERE id = ?";

/* Hold id must exist and be pending; its txn_id into op. */
static int need_pending(fz_db *db, resolve_op *op, fz_error *err) {
    json_t *h;
    int rc = fz_casedb_one(db, sql_state, op->id, "hold", &h, err);
    if (rc) return rc;
    const char *st = json_string_value(json_object_get(h, "status"));
    snprintf(op->txn_id, sizeof op->txn_id, "%s", json_string_value(json_object_get(h, "txn_id")));
    if (!st || strcmp(st, "pending")) rc = fz_casedb_conflict(err, NULL, "hold", op->id, st ? st : "?");
    json_decref(h);
    return rc;
}

static int resolve_tx(fz_db *db, void *ctx, fz_error *err) {
    resolve_op *op = ctx;
    const fz_hold_resolution *r = op->r;
    const char *status = r->release ? "released" : "rejected";
    sqlite3_stmt *st;
    int rc = need_pending(db, op, err);
    if (!rc) rc = fz_casedb_prep(db, sql_resolve, &st, err);
    if (rc) return rc;
    fz_db_bind_text(st, 1, status, strlen(status));
    fz_db_bind_text(st, 2, op->who->name, strlen(op->who->name));
    sqlite3_bind_int64(st, 3, fz_db_now_ms());
    fz_db_bind_text(st, 4, r->verification, strlen(r->verification));
    if (r->note) fz_db_bind_text(st, 5, r->note, strlen(r->note));
    sqlite3_bind_int64(st, 6, op->id);
    rc = fz_db_run(db, st, "resolve hold", err);
    if (rc) return rc;
    char obj[32];
    snprintf(obj, sizeof obj, "hold:%lld", (long long)op->id);
    json_t *d = json_pack("{s:s, s:s, s:s, s:s?}", "status", status, "txn_id", op->txn_id, "verification",
                          r->verification, "note", r->note);
    rc = d ? fz_audit_append(db, op->who, r->release ? "hold.release" : "hold.reject", obj, d, err)
           : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    json_decref(d);
    return rc;
}

static int check_text(const char *s, const char *field, int required, fz_error *err) {
    if (required && (!s || !*s)) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "is required");
    if (s && strlen(s) > FZ_HOLD_TEXT_MAX)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "is longer than %d bytes", FZ_HOLD_TEXT_MAX);
    return 0;
}

int fz_holds_resolve(fz_db *db, const fz_principal *who, int64_t id, const fz_hold_resolution *r, fz_error *err) {
    resolve_op op = {.who = who, .id = id, .r = r};
    int rc = check_text(r->verification, "verification", 1, err);
    if (!rc) rc = check_text(r->note, "note", 0, err);
    if (!rc) rc = fz_casedb_tx(db, resolve_tx, &op, err);
    if (!rc && r->done) r->done(r->ctx, op.txn_id, r->release ? "released" : "rejected");
    return rc;
}
