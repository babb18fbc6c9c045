/* fz_lvdb.c — large-value records and report files: reading them, and the
 * deadline board (fz_lvdb.h). Making files is in fz_lvdb_make.c. */
#include "fz_lvdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_lvreport.h"
#include "fz_time.h"

static json_t *day_string(int32_t day) {
    char d[16];
    fz_day_format(day, 0, d, sizeof d);
    return json_string(d);
}

/* A record row's derived members: date, crcd as its code, direction,
 * basis, and the deadline. */
static void record_members(json_t *o, const fz_calendar *cal, int32_t today) {
    int32_t day = (int32_t)json_integer_value(json_object_get(o, "day"));
    char crcd[8];
    snprintf(crcd, sizeof crcd, "%04d", (int)json_integer_value(json_object_get(o, "crcd")));
    json_object_set_new(o, "date", day_string(day));
    json_object_set_new(o, "crcd", json_string(crcd));
    json_object_set_new(o, "direction", json_string(json_integer_value(json_object_get(o, "dir")) ? "in" : "out"));
    json_object_set_new(o, "basis", json_string(json_integer_value(json_object_get(o, "fx")) ? "fx" : "cny"));
    json_object_del(o, "dir");
    json_object_del(o, "fx");
    fz_lv_deadline d;
    if (fz_lvreport_deadline(cal, day, today, &d)) return;
    int pending = !strcmp(json_string_value(json_object_get(o, "status")), "pending");
    json_object_set_new(o, "due_date", day_string(d.due));
    json_object_set_new(o, "days_left", json_integer(d.left));
    json_object_set_new(o, "overdue", json_boolean(pending && d.due < today));
    json_object_set_new(o, "provisional", json_boolean(d.provisional));
}

#define LV_COLS                                                                                                    \
    "l.id, l.seq, l.txn_id, l.customer, l.day, l.crcd, l.dir, l.fx, l.rule, l.created_ms, l.status, l.file_id, " \
    "f.name AS file_name, l.filed_ms"

int fz_lvdb_list(fz_db *db, const fz_calendar *cal, int32_t today, const fz_lv_filter *f, json_t **out,
                 fz_error *err) {
    *out = NULL;
    if (f->status && strcmp(f->status, "pending") && strcmp(f->status, "filed"))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "status", "must be pending or filed");
    fz_casedb_query q;
    fz_casedb_query_init(&q, LV_COLS, "large_value l LEFT JOIN report_files f ON f.id = l.file_id", "l.day, l.id");
    fz_casedb_where_int(&q, "l.day >= ?", f->from_day);
    fz_casedb_where_int(&q, "l.day <= ?", f->to_day);
    fz_casedb_where_text(&q, "l.status = ?", f->status);
    fz_casedb_where_text(&q, "l.customer = ?", f->customer);
    int rc = fz_casedb_page(db, &q, f->page, out, err);
    size_t i;
    json_t *it;
    if (!rc) json_array_foreach(json_object_get(*out, "items"), i, it) record_members(it, cal, today);
    return rc;
}

/* ---- the deadline board ---- */

typedef struct board {
    const fz_calendar *cal;
    int32_t today;
    int within;
    json_t *lists[3]; /* overdue, due_today, due_soon */
    int64_t counts[3];
    json_t *by_day;   /* due date -> {"large_value": n, "suspicious": n} */
} board;

/* Put item (due on day due, n reports) in its list; later ones in none. */
static void place(board *b, json_t *item, int32_t due, int64_t n, const char *report) {
    int64_t left = fz_calendar_working_days_between(b->cal, b->today, due);
    char key[16];
    fz_day_format(due, 0, key, sizeof key);
    json_object_set_new(item, "due_date", json_string(key));
    json_object_set_new(item, "days_left", json_integer(left));
    json_t *slot = json_object_get(b->by_day, key);
    if (!slot) json_object_set_new(b->by_day, key, slot = json_pack("{s:I,s:I}", "large_value", 0, "suspicious", 0));
    json_object_set_new(slot, report, json_integer(json_integer_value(json_object_get(slot, report)) + n));
    int k = due < b->today ? 0 : due == b->today ? 1 : left <= b->within ? 2 : -1;
    if (k < 0) return (void)json_decref(item);
    b->counts[k] += n;
    json_array_append_new(b->lists[k], item);
}

static int board_lv(fz_db *db, board *b, fz_error *err) {
    static const char sql[] =
        "SELECT day, count(*) FROM large_value WHERE status = 'pending' GROUP BY day ORDER BY day";
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (!st) return FZ_EIO;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t day = sqlite3_column_int(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);
        int32_t due;
        if (fz_hvtr_due(b->cal, day, &due)) continue;
        place(b, json_pack("{s:s,s:o,s:I}", "report", "large_value", "date", day_string(day), "records", (json_int_t)n),
              due, n, "large_value");
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "read large-value records", err);
}

/* Open suspicious reports, when this store has them (src/aml/fz_strdb.h). */
static int board_str(fz_db *db, board *b, fz_error *err) {
    static const char sql[] = "SELECT id, case_id, status, due_day FROM strs"
                              " WHERE status IN ('draft', 'submitted') ORDER BY due_day, id";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(fz_db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK) return 0; /* no strs table */
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        place(b,
              json_pack("{s:s,s:I,s:I,s:s}", "report", "suspicious", "id", (json_int_t)sqlite3_column_int64(st, 0),
                        "case_id", (json_int_t)sqlite3_column_int64(st, 1), "status", fz_db_col_text(st, 2, NULL)),
              sqlite3_column_int(st, 3), 1, "suspicious");
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "read suspicious reports", err);
}

static int by_key(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* by_day as an array, oldest first (its keys are ISO dates). */
static json_t *by_day_array(json_t *by_day, int32_t today) {
    char t[16];
    fz_day_format(today, 0, t, sizeof t);
    size_t n = json_object_size(by_day), i = 0;
    const char **keys = malloc((n + 1) * sizeof *keys), *k;
    json_t *a = json_array(), *v;
    if (!keys || !a) return free(keys), json_decref(a), NULL;
    json_object_foreach(by_day, k, v) keys[i++] = k;
    qsort(keys, n, sizeof *keys, by_key);
    for (i = 0; i < n; i++) {
        v = json_object_get(by_day, keys[i]);
        json_object_set_new(v, "date", json_string(keys[i]));
        json_object_set_new(v, "overdue", json_boolean(strcmp(keys[i], t) < 0));
        json_array_append(a, v);
    }
    free(keys);
    return a;
}

int fz_lvdb_board(fz_db *db, const fz_calendar *cal, int32_t today, int within, json_t **out, fz_error *err) {
    board b = {cal, today, within, {json_array(), json_array(), json_array()}, {0, 0, 0}, json_object()};
    int rc = board_lv(db, &b, err);
    if (!rc) rc = board_str(db, &b, err);
    *out = NULL;
    if (!rc) {
        *out = json_pack("{s:o,s:i,s:{s:I,s:I,s:I},s:O,s:O,s:O,s:o?}", "today", day_string(today), "within", within,
                         "counts", "overdue", (json_int_t)b.counts[0], "due_today", (json_int_t)b.counts[1],
                         "due_soon", (json_int_t)b.counts[2], "overdue", b.lists[0], "due_today", b.lists[1],
                         "due_soon", b.lists[2], "by_day", by_day_array(b.by_day, today));
        if (!*out) rc = fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    for (int i = 0; i < 3; i++) json_decref(b.lists[i]);
    json_decref(b.by_day);
    return rc;
}

/* ---- files ---- */

int fz_lvdb_files(fz_db *db, fz_page page, json_t **out, fz_error *err) {
    fz_casedb_query q;
    fz_casedb_query_init(&q, "id, name, kind, report, report_day, records, created_by, created_ms, bytes",
                         "report_files", "id DESC");
    int rc = fz_casedb_page(db, &q, page, out, err);
    size_t i;
    json_t *it;
    if (!rc)
        json_array_foreach(json_object_get(*out, "items"), i, it) json_object_set_new(
            it, "report_date", day_string((int32_t)json_integer_value(json_object_get(it, "report_day"))));
    return rc;
}

int fz_lvdb_file(fz_db *db, int64_t id, char name[64], char kind[8], unsigned char **data, size_t *n,
                 fz_error *err) {
    static const char sql[] = "SELECT name, kind, data FROM report_files WHERE id = ?";
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return fz_db_fail(db, rc, "read report file", err);
        return fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, NULL, "report file %lld not found", (long long)id);
    }
    snprintf(name, 64, "%s", fz_db_col_text(st, 0, NULL));
    snprintf(kind, 8, "%s", fz_db_col_text(st, 1, NULL));
    *n = (size_t)sqlite3_column_bytes(st, 2);
    *data = malloc(*n + 1);
    if (*data) memcpy(*data, sqlite3_column_blob(st, 2), *n), (*data)[*n] = 0;
    sqlite3_reset(st);
    return *data ? 0 : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
}
