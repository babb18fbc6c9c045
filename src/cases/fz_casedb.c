/* fz_casedb.c — see fz_casedb.h. */
#include "fz_casedb.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_decision.h"
#include "fz_money.h"

void fz_casedb_query_init(fz_casedb_query *q, const char *cols, const char *from, const char *order) {
    memset(q, 0, sizeof *q);
    q->cols = cols;
    q->from = from;
    q->order = order;
}

/* Conditions are the caller's literals and the table is sized for the most
 * any module adds, so running out of room is a bug: abort loudly. */
static void add_cond(fz_casedb_query *q, const char *cond) {
    int n = snprintf(q->where + q->nwhere, sizeof q->where - q->nwhere, "%s%s", q->nwhere ? " AND " : " WHERE ",
                     cond);
    if (n < 0 || (size_t)n >= sizeof q->where - q->nwhere || q->nbind >= FZ_CASEDB_MAX_BINDS) {
        fprintf(stderr, "fz_casedb: too many filters\n");
        abort();
    }
    q->nwhere += (size_t)n;
}

void fz_casedb_where_text(fz_casedb_query *q, const char *cond, const char *v) {
    if (!v) return;
    add_cond(q, cond);
    q->bind[q->nbind++].s = v;
}

void fz_casedb_where_int(fz_casedb_query *q, const char *cond, int64_t v) {
    if (v == FZ_CASEDB_ANY) return;
    add_cond(q, cond);
    q->bind[q->nbind].s = NULL;
    q->bind[q->nbind++].i = v;
}

static void bind_all(sqlite3_stmt *st, const fz_casedb_query *q) {
    for (int i = 0; i < q->nbind; i++) {
        if (q->bind[i].s) fz_db_bind_text(st, i + 1, q->bind[i].s, strlen(q->bind[i].s));
        else sqlite3_bind_int64(st, i + 1, q->bind[i].i);
    }
}

/* Filtered SQL differs per request, so it is prepared each time rather than
 * cached: analysts' lists are not a hot path. */
static int prepare(fz_db *db, const char *sql, sqlite3_stmt **st, fz_error *err) {
    int rc = sqlite3_prepare_v2(fz_db_sqlite(db), sql, -1, st, NULL);
    return rc == SQLITE_OK ? 0 : fz_db_fail(db, rc, "prepare", err);
}

static void add_hex(json_t *o, const char *name, sqlite3_stmt *st, int i) {
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    char *hex = malloc(2 * n + 1);
    if (!hex) return;
    sodium_bin2hex(hex, 2 * n + 1, sqlite3_column_blob(st, i), n);
    json_object_set_new(o, name, json_string(hex));
    free(hex);
}

/* A NAME_json column: member NAME, its JSON parsed (its text if it does not
 * parse, so a bad row still shows). */
static void add_json(json_t *o, const char *name, size_t nlen, sqlite3_stmt *st, int i) {
    char key[64];
    snprintf(key, sizeof key, "%.*s", (int)nlen, name);
    size_t n;
    const char *t = fz_db_col_text(st, i, &n);
    json_t *v = json_loadb(t, n, 0, NULL);
    json_object_set_new(o, key, v ? v : json_stringn(t, n));
}

static void decorate(json_t *o) {
    json_t *amount = json_object_get(o, "amount"), *ccy = json_object_get(o, "currency");
    if (json_is_integer(amount) && json_is_string(ccy)) {
        fz_ccy c;
        const char *code = json_string_value(ccy);
        int digits = fz_ccy_parse(code, strlen(code), &c) ? 2 : fz_ccy_digits(c);
        char num[40], text[48];
        fz_money_format(json_integer_value(amount), digits, num, sizeof num);
        snprintf(text, sizeof text, "%s %s", num, code);
        json_object_set_new(o, "amount_display", json_string(text));
    }
    json_t *outcome = json_object_get(o, "outcome");
    if (json_is_integer(outcome))
        json_object_set_new(o, "outcome_name", json_string(fz_outcome_name((unsigned)json_integer_value(outcome))));
}

json_t *fz_casedb_row(sqlite3_stmt *st) {
    json_t *o = json_object();
    if (!o) return NULL;
    for (int i = 0; i < sqlite3_column_count(st); i++) {
        const char *name = sqlite3_column_name(st, i);
        size_t len = strlen(name);
        if (len > 5 && !strcmp(name + len - 5, "_json")) {
            add_json(o, name, len - 5, st, i);
            continue;
        }
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER: json_object_set_new(o, name, json_integer(sqlite3_column_int64(st, i))); break;
        case SQLITE_FLOAT: json_object_set_new(o, name, json_real(sqlite3_column_double(st, i))); break;
        case SQLITE_TEXT: {
            size_t n;
            const char *t = fz_db_col_text(st, i, &n);
            json_object_set_new(o, name, json_stringn(t, n));
            break;
        }
        case SQLITE_BLOB: add_hex(o, name, st, i); break;
        default: json_object_set_new(o, name, json_null()); break;
        }
    }
    decorate(o);
    return o;
}

static int count_rows(fz_db *db, const fz_casedb_query *q, int64_t *total, fz_error *err) {
    char sql[1280];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s%s", q->from, q->where);
    sqlite3_stmt *st;
    int rc = prepare(db, sql, &st, err);
    if (rc) return rc;
    bind_all(st, q);
    rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    rc = rc == SQLITE_ROW ? 0 : fz_db_fail(db, rc, "count", err);
    sqlite3_finalize(st);
    return rc;
}

static int page_rows(fz_db *db, const fz_casedb_query *q, fz_page page, json_t **items, fz_error *err) {
    char sql[2048];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s%s ORDER BY %s LIMIT ?%d OFFSET ?%d", q->cols, q->from, q->where,
             q->order, q->nbind + 1, q->nbind + 2);
    sqlite3_stmt *st;
    int rc = prepare(db, sql, &st, err);
    if (rc) return rc;
    bind_all(st, q);
    sqlite3_bind_int64(st, q->nbind + 1, page.limit);
    sqlite3_bind_int64(st, q->nbind + 2, page.offset);
    rc = fz_db_rows(db, st, fz_casedb_row, "select", items, err);
    sqlite3_finalize(st);
    return rc;
}

int fz_casedb_page(fz_db *db, const fz_casedb_query *q, fz_page page, json_t **out, fz_error *err) {
    int64_t total = 0;
    json_t *items = NULL;
    *out = NULL;
    int rc = count_rows(db, q, &total, err);
    if (!rc) rc = page_rows(db, q, page, &items, err);
    if (rc) return rc;
    *out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "limit",
                     (json_int_t)page.limit, "offset", (json_int_t)page.offset);
    return *out ? 0 : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
}

int fz_casedb_prep(fz_db *db, const char *sql, sqlite3_stmt **st, fz_error *err) {
    fz_error local;
    *st = fz_db_stmt(db, sql, err ? err : &local);
    return *st ? 0 : err ? err->code : local.code;
}

/* The cached statement for sql with id bound to ?1. */
static sqlite3_stmt *stmt_id(fz_db *db, const char *sql, int64_t id, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (st) sqlite3_bind_int64(st, 1, id);
    return st;
}

static int not_found(fz_error *err, const char *what, int64_t id) {
    return fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, NULL, "%s %lld not found", what, (long long)id);
}

int fz_casedb_one(fz_db *db, const char *sql, int64_t id, const char *what, json_t **out, fz_error *err) {
    *out = NULL;
    sqlite3_stmt *st = stmt_id(db, sql, id, err);
    if (!st) return err ? err->code : FZ_EIO;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = fz_casedb_row(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return not_found(err, what, id);
    if (rc != SQLITE_ROW) return fz_db_fail(db, rc, "select", err);
    return *out ? 0 : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
}

int fz_casedb_all(fz_db *db, const char *sql, int64_t id, json_t **out, fz_error *err) {
    *out = NULL;
    sqlite3_stmt *st = stmt_id(db, sql, id, err);
    if (!st) return err ? err->code : FZ_EIO;
    return fz_db_rows(db, st, fz_casedb_row, "select", out, err);
}

int fz_casedb_text(fz_db *db, const char *sql, int64_t id, const char *what, char *buf, size_t cap,
                   fz_error *err) {
    sqlite3_stmt *st = stmt_id(db, sql, id, err);
    if (!st) return err ? err->code : FZ_EIO;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) snprintf(buf, cap, "%s", fz_db_col_text(st, 0, NULL));
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return not_found(err, what, id);
    return rc == SQLITE_ROW ? 0 : fz_db_fail(db, rc, "select", err);
}

int fz_casedb_exec2(fz_db *db, const char *sql, int64_t a, int64_t b, const char *what, fz_error *err) {
    sqlite3_stmt *st = stmt_id(db, sql, a, err);
    if (!st) return err ? err->code : FZ_EIO;
    sqlite3_bind_int64(st, 2, b); /* SQLITE_RANGE, ignored, when sql has one parameter */
    return fz_db_run(db, st, what, err);
}

int fz_casedb_tx(fz_db *db, fz_casedb_tx_fn fn, void *ctx, fz_error *err) {
    int rc = fz_db_begin(db, err);
    if (rc) return rc;
    return fz_db_end(db, fn(db, ctx, err), err);
}


int fz_casedb_conflict(fz_error *err, const char *field, const char *what, int64_t id, const char *state) {
    return fz_error_set(err, FZ_EFULL, NULL, 0, 0, field, "%s %lld is %s", what, (long long)id, state);
}
