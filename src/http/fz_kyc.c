/* fz_kyc.c — customers and accounts (fz_kyc.h).
 *
 * Both tables are handled by one piece of code driven by a field table:
 * each field says its type and limits, and its position is its column's
 * position in the entity's SELECT and its parameter's in INSERT and UPDATE
 * (the id first, then the fields, then the time). Adding a field is adding a
 * row to the table and a column to three statements. */
#include "fz_kyc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_audit.h"
#include "fz_time.h"

typedef enum ftype {
    F_ID,   /* a key: 1..hi bytes, no spaces, '/' (a key is a path segment of the routes) or
               control characters */
    F_TEXT, /* up to hi bytes, no control characters */
    F_ENUM, /* one of words */
    F_INT,  /* lo..hi */
    F_JSON  /* a JSON object, up to hi bytes as text */
} ftype;

typedef struct field {
    const char *name;
    ftype type;
    int64_t lo, hi;
    const char *const *words; /* F_ENUM, NULL-terminated */
    const char *def;          /* a new record's value when absent (JSON); NULL: required.
                                 A field whose default is null may be set to null. */
    int ref;                  /* F_ID: must name an existing customer */
} field;

typedef struct entity {
    const char *noun; /* "customer": in errors and audit actions */
    const field *f;   /* f[0] is the id */
    int nf;
    const char *insert, *select, *update;           /* ?1 the id, ?2.. the fields, then the time */
    int (*check)(const json_t *rec, fz_error *err); /* rules across fields, or NULL */
} entity;

#define MAX_JSON 16384

static const char *const kinds[] = {"natural", "entity", NULL};
/* 居民身份证, passport, 港澳/台湾居民来往内地通行证, 外国人永久居留身份证,
 * 统一社会信用代码 (entities), other. */
static const char *const id_types[] = {"resident_id", "passport", "hk_macau_permit", "taiwan_permit",
                                       "foreign_permanent_resident", "uscc", "other", NULL};

static const field customer_fields[] = {
    {"id", F_ID, 0, 64, NULL, NULL, 0},
    {"kind", F_ENUM, 0, 0, kinds, "\"natural\"", 0},
    {"name", F_TEXT, 0, 128, NULL, "\"\"", 0},
    {"id_type", F_ENUM, 0, 0, id_types, "null", 0},
    {"id_number", F_TEXT, 0, 64, NULL, "null", 0},
    {"grade", F_INT, 0, 3, NULL, "0", 0},
    {"data", F_JSON, 0, MAX_JSON, NULL, "{}", 0},
};

static const entity customers = {
    "customer",
    customer_fields,
    7,
    "INSERT INTO customers(id, kind, name, id_type, id_number, grade, data, created_ms, updated_ms)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    "SELECT id, kind, name, id_type, id_number, grade, data, created_ms, updated_ms"
    " FROM customers WHERE id = ?1",
    "UPDATE customers SET kind = ?2, name = ?3, id_type = ?4, id_number = ?5, grade = ?6, data = ?7,"
    " updated_ms = ?8 WHERE id = ?1",
    NULL,
};

/* An account is closed after it was opened. */
static int account_check(const json_t *rec, fz_error *err) {
    json_t *o = json_object_get(rec, "opened_ms"), *c = json_object_get(rec, "closed_ms");
    if (json_is_integer(o) && json_is_integer(c) && json_integer_value(c) < json_integer_value(o))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "closed_ms", "is before opened_ms");
    return 0;
}

static const field account_fields[] = {
    {"id", F_ID, 0, 128, NULL, NULL, 0}, /* "acct@bank", the engine's account key */
    {"customer_id", F_ID, 0, 64, NULL, "null", 1},
    {"class", F_INT, 1, 3, NULL, "1", 0}, /* Class I, II, III (Ⅰ/Ⅱ/Ⅲ类户) */
    {"opened_ms", F_INT, FZ_TIME_MIN_MS, FZ_TIME_END_MS - 1, NULL, "null", 0},
    {"closed_ms", F_INT, FZ_TIME_MIN_MS, FZ_TIME_END_MS - 1, NULL, "null", 0},
    {"data", F_JSON, 0, MAX_JSON, NULL, "{}", 0},
};

static const entity accounts = {
    "account",
    account_fields,
    6,
    "INSERT INTO accounts(id, customer_id, class, opened_ms, closed_ms, data, created_ms, updated_ms)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    "SELECT id, customer_id, class, opened_ms, closed_ms, data, created_ms, updated_ms"
    " FROM accounts WHERE id = ?1",
    "UPDATE accounts SET customer_id = ?2, class = ?3, opened_ms = ?4, closed_ms = ?5, data = ?6,"
    " updated_ms = ?7 WHERE id = ?1",
    account_check,
};

static const char SQL_CUSTOMER_EXISTS[] = "SELECT 1 FROM customers WHERE id = ?";
#define CUSTOMER_FILTER " WHERE (?1 IS NULL OR substr(name, 1, length(?1)) = ?1) AND (?2 < 0 OR grade = ?2)"
static const char SQL_LIST[] = "SELECT id, kind, name, id_type, id_number, grade, data, created_ms, updated_ms"
                               " FROM customers" CUSTOMER_FILTER " ORDER BY id LIMIT ?3 OFFSET ?4";
static const char SQL_COUNT[] = "SELECT count(*) FROM customers" CUSTOMER_FILTER;
static const char SQL_GRADES[] = "SELECT id, grade FROM customers WHERE grade <> 0";

static const entity *entity_of(fz_kyc_kind k) { return k == FZ_KYC_CUSTOMER ? &customers : &accounts; }

static int oom(fz_error *err) { return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }

/* ---- checking values ----------------------------------------------------- */

static int bad(const field *f, const char *msg, fz_error *err) {
    return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, f->name, "%s", msg);
}

static int check_string(const field *f, const json_t *v, fz_error *err) {
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if ((int64_t)n > f->hi)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, f->name, "is longer than %lld bytes",
                            (long long)f->hi);
    if (f->type == F_ID && n == 0) return bad(f, "must not be empty", err);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || (f->type == F_ID && (c == ' ' || c == '/')))
            return bad(f,
                       f->type == F_ID ? "must not hold spaces, '/' or control characters"
                                       : "must not hold control characters",
                       err);
    }
    return 0;
}

static int check_enum(const field *f, const json_t *v, fz_error *err) {
    char list[256] = "";
    size_t used = 0;
    for (const char *const *w = f->words; *w; w++) {
        if (json_is_string(v) && !strcmp(json_string_value(v), *w)) return 0;
        used += (size_t)snprintf(list + used, used < sizeof list ? sizeof list - used : 0, "%s%s",
                                 w == f->words ? "" : ", ", *w);
    }
    return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, f->name, "must be one of %s", list);
}

static int check_value(const field *f, const json_t *v, fz_error *err) {
    if (json_is_null(v))
        return f->def && !strcmp(f->def, "null") ? 0
                                                 : bad(f, f->def ? "must not be null" : "is required", err);
    switch (f->type) {
    case F_ID:
    case F_TEXT: return json_is_string(v) ? check_string(f, v, err) : bad(f, "must be a string", err);
    case F_ENUM: return check_enum(f, v, err);
    case F_INT:
        if (!json_is_integer(v) || json_integer_value(v) < f->lo || json_integer_value(v) > f->hi)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, f->name, "must be an integer from %lld to %lld",
                                (long long)f->lo, (long long)f->hi);
        return 0;
    case F_JSON: {
        if (!json_is_object(v)) return bad(f, "must be a JSON object", err);
        size_t n = json_dumpb(v, NULL, 0, JSON_COMPACT);
        return (int64_t)n > f->hi ? fz_error_set(err, FZ_EINVAL, NULL, 0, 0, f->name,
                                                 "is longer than %lld bytes as JSON", (long long)f->hi)
                                  : 0;
    }
    }
    return 0;
}

static const field *field_named(const entity *e, const char *name) {
    for (int i = 0; i < e->nf; i++)
        if (!strcmp(e->f[i].name, name)) return &e->f[i];
    return NULL;
}

/* Set the members of body on rec, each checked; the id only on a new
 * record. */
static int apply(const entity *e, json_t *rec, const json_t *body, int is_new, fz_error *err) {
    if (!json_is_object(body))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "body must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        const field *f = field_named(e, key);
        if (!f) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, key, "is not a field of a %s", e->noun);
        if (f == e->f && !is_new) {
            if (json_equal(v, json_object_get(rec, key))) continue;
            return bad(f, "cannot change", err);
        }
        int rc = check_value(f, v, err);
        if (rc) return rc;
        json_object_set(rec, key, v);
    }
    for (int i = 0; i < e->nf; i++)
        if (!e->f[i].def && json_is_null(json_object_get(rec, e->f[i].name)))
            return bad(&e->f[i], "is required", err);
    return e->check ? e->check(rec, err) : 0;
}

/* ---- rows <-> records ---------------------------------------------------- */

static json_t *column_json(const field *f, sqlite3_stmt *st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return json_null();
    if (f->type == F_INT) return json_integer(sqlite3_column_int64(st, i));
    if (f->type != F_JSON) return json_string(fz_db_col_text(st, i, NULL));
    json_t *o = json_loads(fz_db_col_text(st, i, NULL), 0, NULL);
    return o ? o : json_object();
}

static json_t *record_json(const entity *e, sqlite3_stmt *st) {
    json_t *r = json_object();
    for (int i = 0; r && i < e->nf; i++)
        json_object_set_new(r, e->f[i].name, column_json(&e->f[i], st, i));
    if (r) json_object_set_new(r, "created_ms", json_integer(sqlite3_column_int64(st, e->nf)));
    if (r) json_object_set_new(r, "updated_ms", json_integer(sqlite3_column_int64(st, e->nf + 1)));
    return r;
}

static json_t *customer_json(sqlite3_stmt *st) { return record_json(&customers, st); }

/* Bind rec's fields to ?1..?nf and now to ?nf+1. */
static int bind_record(const entity *e, sqlite3_stmt *st, const json_t *rec, int64_t now) {
    for (int i = 0; i < e->nf; i++) {
        json_t *v = json_object_get(rec, e->f[i].name);
        if (json_is_integer(v)) {
            sqlite3_bind_int64(st, i + 1, json_integer_value(v));
        } else if (json_is_string(v)) {
            fz_db_bind_text(st, i + 1, json_string_value(v), json_string_length(v));
        } else if (json_is_object(v)) {
            char *s = json_dumps(v, JSON_COMPACT);
            if (!s) return FZ_ENOMEM;
            sqlite3_bind_text(st, i + 1, s, -1, free);
        }
    }
    sqlite3_bind_int64(st, e->nf + 1, now);
    return 0;
}

static int read_record(fz_db *db, const entity *e, const char *id, json_t **out, fz_error *err) {
    *out = NULL;
    sqlite3_stmt *st = fz_db_stmt(db, e->select, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && !(*out = record_json(e, st))) rc = SQLITE_NOMEM;
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    if (rc == SQLITE_DONE) return fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, NULL, "no %s %s", e->noun, id);
    return fz_db_fail(db, rc, "read record", err);
}

/* Run the entity's INSERT or UPDATE with rec; a taken id is FZ_EFULL. */
static int write_record(fz_db *db, const entity *e, const char *sql, const json_t *rec, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (!st) return FZ_EIO;
    if (bind_record(e, st, rec, fz_db_now_ms())) return oom(err);
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(fz_db_sqlite(db));
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return 0;
    if (ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return fz_error_set(err, FZ_EFULL, NULL, 0, 0, "id", "a %s %s exists already", e->noun,
                            json_string_value(json_object_get(rec, "id")));
    return fz_db_fail(db, rc, "write record", err);
}

/* The customers that reference fields of rec name must exist. */
static int check_refs(fz_db *db, const entity *e, const json_t *rec, fz_error *err) {
    for (int i = 0; i < e->nf; i++) {
        json_t *v = json_object_get(rec, e->f[i].name);
        if (!e->f[i].ref || !json_is_string(v)) continue;
        sqlite3_stmt *st = fz_db_stmt(db, SQL_CUSTOMER_EXISTS, err);
        if (!st) return FZ_EIO;
        sqlite3_bind_text(st, 1, json_string_value(v), -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, e->f[i].name, "no customer %s",
                                json_string_value(v));
        if (rc != SQLITE_ROW) return fz_db_fail(db, rc, "find customer", err);
    }
    return 0;
}

/* ---- actions ------------------------------------------------------------- */

static int audit(fz_db *db, const entity *e, const fz_principal *who, const char *verb, const char *id,
                 json_t *detail, fz_error *err) {
    char action[32], object[200];
    snprintf(action, sizeof action, "%s.%s", e->noun, verb);
    snprintf(object, sizeof object, "%s:%s", e->noun, id);
    int rc = detail ? fz_audit_append(db, who, action, object, detail, err) : oom(err);
    json_decref(detail);
    return rc;
}

/* The engine reads a customer's grade as cust.grade: tell it, once the
 * change is committed. */
static int tell_engine(fz_engine *engine, const entity *e, const json_t *rec, fz_error *err) {
    if (!engine || e != &customers) return 0;
    const char *id = json_string_value(json_object_get(rec, "id"));
    int grade = (int)json_integer_value(json_object_get(rec, "grade"));
    return fz_engine_set_grade(engine, id, strlen(id), grade) ? oom(err) : 0;
}

/* Only the fields that a new record takes (no times): what an audit shows. */
static json_t *fields_of(const entity *e, const json_t *rec) {
    json_t *o = json_object();
    for (int i = 0; o && i < e->nf; i++)
        json_object_set(o, e->f[i].name, json_object_get(rec, e->f[i].name));
    return o;
}

int fz_kyc_create(fz_db *db, fz_engine *engine, fz_kyc_kind kind, const fz_principal *who, const json_t *body,
                  json_t **out, fz_error *err) {
    const entity *e = entity_of(kind);
    *out = NULL;
    json_t *rec = json_object();
    for (int i = 0; rec && i < e->nf; i++)
        json_object_set_new(rec, e->f[i].name,
                            e->f[i].def ? json_loads(e->f[i].def, JSON_DECODE_ANY, NULL) : json_null());
    int rc = rec ? apply(e, rec, body, 1, err) : oom(err);
    const char *id = json_string_value(json_object_get(rec, "id"));
    if (!rc) rc = fz_db_begin(db, err);
    if (!rc) {
        rc = check_refs(db, e, rec, err);
        if (!rc) rc = write_record(db, e, e->insert, rec, err);
        if (!rc) rc = audit(db, e, who, "create", id, fields_of(e, rec), err);
        rc = fz_db_end(db, rc, err);
    }
    if (!rc && json_integer_value(json_object_get(rec, "grade")) != 0) rc = tell_engine(engine, e, rec, err);
    if (!rc) rc = read_record(db, e, id, out, err);
    json_decref(rec);
    return rc;
}

int fz_kyc_get(fz_db *db, fz_kyc_kind kind, const char *id, json_t **out, fz_error *err) {
    return read_record(db, entity_of(kind), id, out, err);
}

/* {field: {"before", "after"}} for each field whose value differs. */
static json_t *changes(const entity *e, const json_t *before, const json_t *after) {
    json_t *c = json_object();
    for (int i = 0; c && i < e->nf; i++) {
        json_t *b = json_object_get(before, e->f[i].name), *a = json_object_get(after, e->f[i].name);
        if (!json_equal(a, b))
            json_object_set_new(c, e->f[i].name, json_pack("{s:O, s:O}", "before", b, "after", a));
    }
    return c;
}

int fz_kyc_update(fz_db *db, fz_engine *engine, fz_kyc_kind kind, const fz_principal *who, const char *id,
                  const json_t *body, json_t **out, fz_error *err) {
    const entity *e = entity_of(kind);
    *out = NULL;
    json_t *before = NULL, *after = NULL, *diff = NULL;
    int rc = fz_db_begin(db, err);
    if (rc) return rc;
    rc = read_record(db, e, id, &before, err);
    if (!rc && !(after = json_deep_copy(before))) rc = oom(err);
    if (!rc) rc = apply(e, after, body, 0, err);
    if (!rc && !(diff = changes(e, before, after))) rc = oom(err);
    int changed = !rc && json_object_size(diff) > 0;
    if (changed) rc = check_refs(db, e, after, err);
    if (changed && !rc) rc = write_record(db, e, e->update, after, err);
    if (changed && !rc) rc = audit(db, e, who, "update", id, json_pack("{s:O}", "changes", diff), err);
    rc = fz_db_end(db, rc, err);
    if (changed && !rc && json_object_get(diff, "grade")) rc = tell_engine(engine, e, after, err);
    if (!rc) rc = read_record(db, e, id, out, err);
    json_decref(before);
    json_decref(after);
    json_decref(diff);
    return rc;
}

/* Bind the list's filters to ?1 and ?2 of st. */
static sqlite3_stmt *filtered(fz_db *db, const char *sql, const char *name_prefix, int grade, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (st && name_prefix) sqlite3_bind_text(st, 1, name_prefix, -1, SQLITE_TRANSIENT);
    if (st) sqlite3_bind_int(st, 2, grade);
    return st;
}

int fz_kyc_list_customers(fz_db *db, const char *name_prefix, int grade, int64_t limit, int64_t offset,
                          json_t **out, fz_error *err) {
    *out = NULL;
    sqlite3_stmt *st = filtered(db, SQL_COUNT, name_prefix, grade, err);
    if (!st) return FZ_EIO;
    int rc = sqlite3_step(st);
    int64_t total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) return fz_db_fail(db, rc, "count customers", err);
    if (!(st = filtered(db, SQL_LIST, name_prefix, grade, err))) return FZ_EIO;
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    json_t *items;
    if ((rc = fz_db_rows(db, st, customer_json, "list customers", &items, err))) return rc;
    *out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "limit",
                     (json_int_t)limit, "offset", (json_int_t)offset);
    return *out ? 0 : oom(err);
}

int fz_kyc_load_grades(fz_db *db, fz_engine *engine, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, SQL_GRADES, err);
    if (!st) return FZ_EIO;
    int rc, bad_mem = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t n;
        const char *id = fz_db_col_text(st, 0, &n);
        bad_mem |= fz_engine_set_grade(engine, id, n, sqlite3_column_int(st, 1)) != 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fz_db_fail(db, rc, "read grades", err);
    return bad_mem ? oom(err) : 0;
}
