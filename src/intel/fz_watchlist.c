/* fz_watchlist.c — see fz_watchlist.h. The set interns "N:" + normalised
 * name and "I:" + ID number in one table. */
#include "fz_watchlist.h"

#include <stdlib.h>
#include <string.h>

#include "fz_audit.h"
#include "fz_intern.h"

#define KEY_MAX 300

struct fz_watchset {
    fz_intern *keys;
};

static const char SQL_ADD[] = "INSERT INTO watchlist(name, id_number, list, note, added_by, added_ms)"
                              " VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_LIST[] = "SELECT id, name, id_number, list, note, added_by, added_ms FROM watchlist ORDER BY id";
static const char SQL_KEYS[] = "SELECT name, id_number FROM watchlist";

/* "N:" or "I:" + the normalised text into out; its length, 0 when empty. */
static size_t make_key(char kind, const char *s, char out[KEY_MAX]) {
    size_t n = 2;
    out[0] = kind;
    out[1] = ':';
    for (const unsigned char *p = (const unsigned char *)s; s && *p && n < KEY_MAX - 1; p++) {
        if (kind == 'N' && (*p == ' ' || *p == '.' || *p == ',' || *p == '-' || *p == '\t')) continue;
        if (kind == 'N' && p[0] == 0xC2 && p[1] == 0xB7) { /* U+00B7 middle dot */
            p++;
            continue;
        }
        out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    }
    return n > 2 ? n : 0;
}

int fz_watchset_new(fz_watchset **out) {
    *out = calloc(1, sizeof **out);
    if (!*out || fz_intern_new(&(*out)->keys, 1024)) {
        fz_watchset_free(*out);
        *out = NULL;
        return FZ_ENOMEM;
    }
    return 0;
}

void fz_watchset_free(fz_watchset *w) {
    if (!w) return;
    fz_intern_free(w->keys);
    free(w);
}

int fz_watchset_add(fz_watchset *w, const char *name, const char *id_number) {
    char k[KEY_MAX];
    int added;
    size_t n = make_key('N', name, k);
    if (n && fz_intern_get(w->keys, k, n, &added) < 0) return FZ_ENOMEM;
    n = make_key('I', id_number, k);
    if (n && fz_intern_get(w->keys, k, n, &added) < 0) return FZ_ENOMEM;
    return 0;
}

int fz_watchset_hit(const fz_watchset *w, const char *name, const char *id_number) {
    char k[KEY_MAX];
    size_t n = make_key('N', name, k);
    if (n && fz_intern_find(w->keys, k, n) >= 0) return 1;
    n = make_key('I', id_number, k);
    return n && fz_intern_find(w->keys, k, n) >= 0;
}

int fz_watchset_load(fz_watchset **out, fz_db *db, fz_error *err) {
    *out = NULL;
    fz_watchset *w;
    if (fz_watchset_new(&w)) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    sqlite3_stmt *st = fz_db_stmt(db, SQL_KEYS, err);
    int rc = st ? SQLITE_ROW : SQLITE_ERROR, mem = 0;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW)
        mem |= fz_watchset_add(w, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
    if (st) sqlite3_reset(st);
    if (rc != SQLITE_DONE || mem) {
        fz_watchset_free(w);
        return mem ? fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory")
                   : st ? fz_db_fail(db, rc, "read watch list", err) : FZ_EIO;
    }
    *out = w;
    return 0;
}

static int check_text(const char *field, const char *s, size_t max, fz_error *err) {
    if (s && strlen(s) > max) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "is longer than %zu bytes", max);
    for (const unsigned char *p = (const unsigned char *)s; s && *p; p++)
        if (*p < 0x20 || *p == 0x7f) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "must not hold control characters");
    return 0;
}

int fz_watchlist_add(fz_db *db, const fz_principal *who, const char *name, const char *id_number, const char *list,
                     const char *note, int64_t *id, fz_error *err) {
    char k[KEY_MAX];
    if (!make_key('N', name, k) && !make_key('I', id_number, k))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "name", "a name or an id_number is required");
    int rc = check_text("name", name, 128, err);
    if (!rc) rc = check_text("id_number", id_number, 64, err);
    if (!rc) rc = check_text("list", list, 64, err);
    if (!rc) rc = check_text("note", note, 500, err);
    if (!rc) rc = fz_db_begin(db, err);
    if (rc) return rc;
    sqlite3_stmt *st = fz_db_stmt(db, SQL_ADD, err);
    if (!st) return fz_db_end(db, FZ_EIO, err);
    sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_TRANSIENT);
    if (id_number) sqlite3_bind_text(st, 2, id_number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, list ? list : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, note ? note : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, who->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, fz_db_now_ms());
    rc = fz_db_run(db, st, "add watch-list entry", err);
    *id = sqlite3_last_insert_rowid(fz_db_sqlite(db));
    char object[40];
    snprintf(object, sizeof object, "watchlist:%lld", (long long)*id);
    json_t *d = json_pack("{s:s, s:s?, s:s}", "name", name ? name : "", "id_number", id_number, "list", list ? list : "");
    if (!rc) rc = fz_audit_append(db, who, "watchlist.add", object, d, err);
    json_decref(d);
    return fz_db_end(db, rc, err);
}

static json_t *entry_json(sqlite3_stmt *st) {
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
                          fz_db_col_text(st, 1, NULL), "list", fz_db_col_text(st, 3, NULL), "note",
                          fz_db_col_text(st, 4, NULL), "added_by", fz_db_col_text(st, 5, NULL), "added_ms",
                          (json_int_t)sqlite3_column_int64(st, 6));
    if (o) json_object_set_new(o, "id_number", sqlite3_column_type(st, 2) == SQLITE_NULL
                                                   ? json_null()
                                                   : json_string(fz_db_col_text(st, 2, NULL)));
    return o;
}

int fz_watchlist_list(fz_db *db, json_t **out, fz_error *err) {
    *out = NULL;
    sqlite3_stmt *st = fz_db_stmt(db, SQL_LIST, err);
    if (!st) return FZ_EIO;
    json_t *a;
    int rc = fz_db_rows(db, st, entry_json, "list watch list", &a, err);
    if (rc) return rc;
    *out = json_pack("{s:o, s:I}", "items", a, "total", (json_int_t)json_array_size(a));
    return *out ? 0 : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
}
