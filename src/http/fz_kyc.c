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
#include "fz_idcheck.h"
#include "fz_review.h"
#include "fz_time.h"
#include "fz_workdays.h"

typedef enum ftype {
    F_ID,   /* a key: 1..hi bytes, no spaces, '/' (a key is a path segment of the routes) or
               control characters */
    F_TEXT, /* up to hi bytes, no control characters */
    F_ENUM, /* one of words */
    F_INT,  /* lo..hi */
    F_JSON, /* a JSON object, up to hi bytes as text */
    F_LIST  /* a JSON array, up to hi bytes as text; the entity's check looks inside */
} ftype;

enum {
    REF = 1,      /* F_ID: must name an existing customer */
    IDENTITY = 2  /* key identity data: a change calls for re-identification */
};

typedef struct field {
    const char *name;
    ftype type;
    int64_t lo, hi;
    const char *const *words; /* F_ENUM, NULL-terminated */
    const char *def;          /* a new record's value when absent (JSON); NULL: required.
                                 A field whose default is null may be set to null. */
    int flags;                /* REF, IDENTITY */
} field;

typedef struct entity {
    const char *noun; /* "customer": in errors and audit actions */
    const field *f;   /* f[0] is the id */
    int nf;
    const char *insert, *select, *update;           /* ?1 the id, ?2.. the fields, then the time */
    int (*check)(const json_t *rec, fz_error *err); /* rules across fields, or NULL */
    const char *const *review;                      /* customers: the grading state read after the
                                                       times (NULL-terminated); its changes go to
                                                       customer_history */
} entity;

#define MAX_JSON 16384

static const char *const kinds[] = {"natural", "entity", NULL};
/* 居民身份证, passport, 港澳/台湾居民来往内地通行证, 外国人永久居留身份证,
 * 统一社会信用代码 (entities), other. */
static const char *const id_types[] = {"resident_id", "passport", "hk_macau_permit", "taiwan_permit",
                                       "foreign_permanent_resident", "uscc", "other", NULL};
static const char *const peps[] = {"none", "domestic", "foreign", "foreign_relative", "intl_org", NULL};
static const char *const channels[] = {"counter", "online", "agent", "other", NULL};
static const char *const cdds[] = {"done", "pending", "refused", NULL};
static const char *const identities[] = {"verified", "pending", NULL};

static int customer_check(const json_t *rec, fz_error *err);

#define T_MIN FZ_TIME_MIN_MS
#define T_MAX (FZ_TIME_END_MS - 1)
static const field customer_fields[] = {
    {"id", F_ID, 0, 64, NULL, NULL, 0},
    {"kind", F_ENUM, 0, 0, kinds, "\"natural\"", IDENTITY},
    {"name", F_TEXT, 0, 128, NULL, "\"\"", IDENTITY},
    {"id_type", F_ENUM, 0, 0, id_types, "null", IDENTITY},
    {"id_number", F_TEXT, 0, 64, NULL, "null", IDENTITY},
    {"grade", F_INT, 0, 3, NULL, "0", 0},
    {"data", F_JSON, 0, MAX_JSON, NULL, "{}", 0},
    {"nationality", F_TEXT, 0, 3, NULL, "null", IDENTITY},
    {"occupation", F_TEXT, 0, 64, NULL, "null", 0},
    {"industry", F_TEXT, 0, 64, NULL, "null", 0},
    {"address", F_TEXT, 0, 256, NULL, "null", 0},
    {"phone", F_TEXT, 0, 32, NULL, "null", 0},
    {"birth_date", F_TEXT, 0, 10, NULL, "null", IDENTITY},
    {"pep", F_ENUM, 0, 0, peps, "\"none\"", 0},
    {"channel", F_ENUM, 0, 0, channels, "\"counter\"", 0},
    {"cdd", F_ENUM, 0, 0, cdds, "\"done\"", 0},
    {"cash_intensive", F_INT, 0, 1, NULL, "0", 0},
    {"cross_border", F_INT, 0, 1, NULL, "0", 0},
    {"agent", F_INT, 0, 1, NULL, "0", 0},
    {"owners", F_LIST, 0, MAX_JSON, NULL, "[]", 0},
    {"identity", F_ENUM, 0, 0, identities, "\"verified\"", 0},
    {"onboarded_ms", F_INT, T_MIN, T_MAX, NULL, "null", 0},
};

/* Read with a customer, after created_ms and updated_ms: its grading state
 * (customer_reviews), which the store sets, never a request. */
static const char *const customer_reviews[] = {"grade_score", "graded_ms", "review_due_ms", NULL};

#define CUSTOMER_COLS                                                                                         \
    "id, kind, name, id_type, id_number, grade, data, nationality, occupation, industry, address, phone,"     \
    " birth_date, pep, channel, cdd, cash_intensive, cross_border, agent, owners, identity, onboarded_ms,"   \
    " created_ms, updated_ms"
#define CUSTOMER_READ                                                                                         \
    "SELECT " CUSTOMER_COLS ", grade_score, graded_ms, review_due_ms FROM customers"                         \
    " LEFT JOIN customer_reviews ON customer_id = id"

static const entity customers = {
    "customer",
    customer_fields,
    22,
    "INSERT INTO customers(" CUSTOMER_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?23)",
    CUSTOMER_READ " WHERE id = ?1",
    "UPDATE customers SET kind = ?2, name = ?3, id_type = ?4, id_number = ?5, grade = ?6, data = ?7,"
    " nationality = ?8, occupation = ?9, industry = ?10, address = ?11, phone = ?12, birth_date = ?13, pep = ?14,"
    " channel = ?15, cdd = ?16, cash_intensive = ?17, cross_border = ?18, agent = ?19, owners = ?20,"
    " identity = ?21, onboarded_ms = ?22, updated_ms = ?23 WHERE id = ?1",
    customer_check,
    customer_reviews,
};

/* ---- the customer's rules across fields ---------------------------------- */

#define MAX_OWNERS 32

static const char *str_of(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* field (prefixed, e.g. "owners[2].id_number"): reason. */
static int bad_at(const char *prefix, const char *name, const char *why, fz_error *err) {
    char f[64];
    snprintf(f, sizeof f, "%s%s", prefix, name);
    return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, f, "%s", why);
}

/* An identity document: a number needs its type, and must be valid for it
 * (fz_idcheck.h); a resident ID is a natural person's, a USCC an entity's. */
static int check_document(const char *prefix, const json_t *o, int is_entity, int32_t today, fz_error *err) {
    const char *type = str_of(o, "id_type"), *num = str_of(o, "id_number"), *why = NULL;
    if (type && !strcmp(type, "uscc") && !is_entity) return bad_at(prefix, "id_type", "uscc is for entities", err);
    if (type && !strcmp(type, "resident_id") && is_entity)
        return bad_at(prefix, "id_type", "resident_id is for natural persons", err);
    if (!num) return 0;
    if (!type) return bad_at(prefix, "id_type", "is required with id_number", err);
    if (fz_idcheck(type, num, strlen(num), today, &why)) return bad_at(prefix, "id_number", why, err);
    return 0;
}

static int check_nationality(const char *prefix, const char *s, fz_error *err) {
    size_t n = s ? strlen(s) : 0;
    int ok = !s || n == 2 || n == 3;
    for (size_t i = 0; ok && i < n; i++) ok = s[i] >= 'A' && s[i] <= 'Z';
    return ok ? 0 : bad_at(prefix, "nationality", "must be an ISO 3166-1 code of 2 or 3 capital letters", err);
}

static int check_phone(const char *s, fz_error *err) {
    int digits = 0;
    for (const char *p = s; s && *p; p++) {
        if (*p >= '0' && *p <= '9') digits++;
        else if (!strchr("+- ()", *p)) return bad_at("", "phone", "must be digits, '+', '-', ' ', '(' and ')'", err);
    }
    return !s || digits >= 5 ? 0 : bad_at("", "phone", "must have at least 5 digits", err);
}

/* A real date, not in the future, and the resident ID's birth date. */
static int check_birth(const json_t *rec, int32_t today, fz_error *err) {
    const char *b = str_of(rec, "birth_date"), *type = str_of(rec, "id_type"), *num = str_of(rec, "id_number");
    int32_t day;
    if (!b) return 0;
    if (fz_date_parse(b, strlen(b), &day) || day > today)
        return bad_at("", "birth_date", "must be a past date YYYY-MM-DD", err);
    if (type && num && !strcmp(type, "resident_id") && fz_idcheck_resident_birth(num) != day)
        return bad_at("", "birth_date", "is not the birth date of the resident ID", err);
    return 0;
}

static int check_owner(const json_t *o, int i, int32_t today, fz_error *err) {
    static const char *const keys[] = {"role", "name", "kind", "id_type", "id_number", "nationality", "share", NULL};
    char prefix[24];
    snprintf(prefix, sizeof prefix, "owners[%d].", i);
    if (!json_is_object(o)) return bad_at(prefix, "", "must be an object", err);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        int known = 0;
        for (int j = 0; keys[j]; j++) known |= !strcmp(k, keys[j]);
        if (!known) return bad_at(prefix, k, "is not a field of an owner", err);
        if (strcmp(k, "share") && !json_is_string(v)) return bad_at(prefix, k, "must be a string", err);
    }
    const char *role = str_of(o, "role"), *name = str_of(o, "name"), *kind = str_of(o, "kind");
    if (!role || (strcmp(role, "owner") && strcmp(role, "controller")))
        return bad_at(prefix, "role", "must be owner or controller", err);
    if (!name || !*name || strlen(name) > 128) return bad_at(prefix, "name", "must be 1 to 128 bytes", err);
    if (kind && strcmp(kind, "natural") && strcmp(kind, "entity"))
        return bad_at(prefix, "kind", "must be natural or entity", err);
    json_t *share = json_object_get(o, "share");
    if (share && (!json_is_integer(share) || json_integer_value(share) < 0 || json_integer_value(share) > 100))
        return bad_at(prefix, "share", "must be a percentage from 0 to 100", err);
    int rc = check_nationality(prefix, str_of(o, "nationality"), err);
    return rc ? rc : check_document(prefix, o, kind && !strcmp(kind, "entity"), today, err);
}

static int customer_check(const json_t *rec, fz_error *err) {
    int32_t today = fz_time_cn_day(fz_db_now_ms());
    const char *kind = str_of(rec, "kind");
    int rc = check_document("", rec, kind && !strcmp(kind, "entity"), today, err);
    if (!rc) rc = check_nationality("", str_of(rec, "nationality"), err);
    if (!rc) rc = check_phone(str_of(rec, "phone"), err);
    if (!rc) rc = check_birth(rec, today, err);
    json_t *owners = json_object_get(rec, "owners");
    if (!rc && json_array_size(owners) > MAX_OWNERS)
        return bad_at("", "owners", "holds more than 32 owners and controllers", err);
    for (size_t i = 0; !rc && i < json_array_size(owners); i++)
        rc = check_owner(json_array_get(owners, i), (int)i, today, err);
    return rc;
}

/* An account is closed after it was opened. */
static int account_check(const json_t *rec, fz_error *err) {
    json_t *o = json_object_get(rec, "opened_ms"), *c = json_object_get(rec, "closed_ms");
    if (json_is_integer(o) && json_is_integer(c) && json_integer_value(c) < json_integer_value(o))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "closed_ms", "is before opened_ms");
    return 0;
}

static const field account_fields[] = {
    {"id", F_ID, 0, 128, NULL, NULL, 0}, /* "acct@bank", the engine's account key */
    {"customer_id", F_ID, 0, 64, NULL, "null", REF},
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
    NULL,
};

static const char SQL_CUSTOMER_EXISTS[] = "SELECT 1 FROM customers WHERE id = ?";
#define CUSTOMER_FILTER " WHERE (?1 IS NULL OR substr(name, 1, length(?1)) = ?1) AND (?2 < 0 OR grade = ?2)"
static const char SQL_LIST[] = CUSTOMER_READ CUSTOMER_FILTER " ORDER BY id LIMIT ?3 OFFSET ?4";
static const char SQL_COUNT[] = "SELECT count(*) FROM customers" CUSTOMER_FILTER;
/* Customers' grades (class 0) and accounts' grades and classes. */
static const char SQL_GRADES[] =
    "SELECT id, grade, 0 FROM customers WHERE grade <> 0 UNION ALL"
    " SELECT a.id, coalesce(c.grade, 0), a.class FROM accounts a LEFT JOIN customers c ON c.id = a.customer_id"
    " WHERE coalesce(c.grade, 0) <> 0 OR a.class <> 1";
static const char SQL_REVIEW_DUE[] =
    "INSERT INTO customer_reviews(customer_id, review_due_ms) VALUES(?1, ?2)"
    " ON CONFLICT(customer_id) DO UPDATE SET review_due_ms = excluded.review_due_ms";
static const char SQL_HISTORY_ADD[] =
    "INSERT INTO customer_history(customer_id, at_ms, actor, event, detail) VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_HISTORY[] =
    "SELECT id, at_ms, actor, event, detail FROM customer_history WHERE customer_id = ?1 ORDER BY id DESC";

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
    case F_LIST:
    case F_JSON: {
        if (f->type == F_JSON && !json_is_object(v)) return bad(f, "must be a JSON object", err);
        if (f->type == F_LIST && !json_is_array(v)) return bad(f, "must be a JSON array", err);
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

int fz_kyc_field_json(fz_kyc_kind kind, const char *name, const char *text, size_t n, json_t **v, fz_error *err) {
    const field *f = field_named(entity_of(kind), name);
    *v = NULL;
    if (!f) return fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, name, "is not a field of a %s", entity_of(kind)->noun);
    if (f->type == F_JSON || f->type == F_LIST) *v = json_loadb(text, n, JSON_DECODE_ANY, NULL);
    else if (f->type != F_INT) *v = json_stringn(text, n);
    else {
        char buf[40], *end;
        snprintf(buf, sizeof buf, "%.*s", (int)(n < 39 ? n : 39), text);
        long long x = strtoll(buf, &end, 10);
        int64_t ms;
        if (n && n < 39 && !*end) *v = json_integer(x);
        else if (f->lo == T_MIN && !fz_time_parse(text, n, &ms)) *v = json_integer(ms);
    }
    if (*v) return 0;
    return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, name, "%s",
                        f->type == F_INT   ? "is not an integer or time"
                        : f->type >= F_JSON ? "is not JSON"
                                            : "is not UTF-8 text");
}

/* ---- rows <-> records ---------------------------------------------------- */

static json_t *column_json(const field *f, sqlite3_stmt *st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return json_null();
    if (f->type == F_INT) return json_integer(sqlite3_column_int64(st, i));
    if (f->type != F_JSON && f->type != F_LIST) return json_string(fz_db_col_text(st, i, NULL));
    json_t *o = json_loads(fz_db_col_text(st, i, NULL), 0, NULL);
    return o ? o : f->type == F_LIST ? json_array() : json_object();
}

static json_t *record_json(const entity *e, sqlite3_stmt *st) {
    json_t *r = json_object();
    for (int i = 0; r && i < e->nf; i++)
        json_object_set_new(r, e->f[i].name, column_json(&e->f[i], st, i));
    if (r) json_object_set_new(r, "created_ms", json_integer(sqlite3_column_int64(st, e->nf)));
    if (r) json_object_set_new(r, "updated_ms", json_integer(sqlite3_column_int64(st, e->nf + 1)));
    for (int i = 0; r && e->review && e->review[i]; i++)
        json_object_set_new(r, e->review[i],
                            sqlite3_column_type(st, e->nf + 2 + i) == SQLITE_NULL
                                ? json_null()
                                : json_integer(sqlite3_column_int64(st, e->nf + 2 + i)));
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
        } else if (json_is_object(v) || json_is_array(v)) {
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
        if (!(e->f[i].flags & REF) || !json_is_string(v)) continue;
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

/* The engine reads a customer's grade as cust.grade and an account's
 * class as acct.class: tell it, once the change is committed. An account
 * takes its customer's grade. */
static int tell_engine(fz_db *db, fz_engine *engine, const entity *e, const json_t *rec, fz_error *err) {
    if (!engine) return 0;
    const char *id = json_string_value(json_object_get(rec, "id"));
    if (e == &customers)
        return fz_review_tell_engine(db, engine, id, (int)json_integer_value(json_object_get(rec, "grade")), err);
    int cls = (int)json_integer_value(json_object_get(rec, "class"));
    if (fz_engine_set_account_class(engine, id, strlen(id), cls)) return oom(err);
    const char *cust = json_string_value(json_object_get(rec, "customer_id"));
    json_t *c = NULL;
    int rc = cust ? read_record(db, &customers, cust, &c, err) : 0;
    int grade = (int)json_integer_value(json_object_get(c, "grade"));
    json_decref(c);
    if (!rc && cust && fz_engine_set_grade(engine, id, strlen(id), grade)) rc = oom(err);
    return rc;
}

/* Only the fields that a new record takes (no times): what an audit shows. */
static json_t *fields_of(const entity *e, const json_t *rec) {
    json_t *o = json_object();
    for (int i = 0; o && i < e->nf; i++)
        json_object_set(o, e->f[i].name, json_object_get(rec, e->f[i].name));
    return o;
}

/* A new record: the defaults, then body's members, checked. A new
 * customer is due for grading within FZ_KYC_ONBOARD_WORKING_DAYS of
 * onboarding. */
static int new_record(const entity *e, const json_t *body, json_t **out, fz_error *err) {
    json_t *rec = json_object();
    for (int i = 0; rec && i < e->nf; i++)
        json_object_set_new(rec, e->f[i].name,
                            e->f[i].def ? json_loads(e->f[i].def, JSON_DECODE_ANY, NULL) : json_null());
    int rc = rec ? apply(e, rec, body, 1, err) : oom(err);
    if (!rc && e == &customers) {
        json_t *on = json_object_get(rec, "onboarded_ms");
        int64_t t = json_is_integer(on) ? json_integer_value(on) : fz_db_now_ms();
        json_object_set_new(rec, "review_due_ms", json_integer(fz_workdays_deadline(NULL, t, FZ_KYC_ONBOARD_WORKING_DAYS)));
    }
    if (rc) json_decref(rec);
    *out = rc ? NULL : rec;
    return rc;
}

/* When customer id is next due for grading (its review row). */
static int set_review_due(fz_db *db, const char *id, const json_t *rec, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, SQL_REVIEW_DUE, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, json_integer_value(json_object_get(rec, "review_due_ms")));
    return fz_db_run(db, st, "set review due", err);
}

/* Insert rec inside the caller's transaction, with its history entry. */
static int insert_record(fz_db *db, const entity *e, const char *actor, const char *event, const json_t *rec,
                         fz_error *err) {
    int rc = check_refs(db, e, rec, err);
    if (!rc) rc = write_record(db, e, e->insert, rec, err);
    const char *id = json_string_value(json_object_get(rec, "id"));
    if (!rc && e->review) rc = set_review_due(db, id, rec, err);
    if (!rc && e->review) rc = fz_kyc_history_add(db, id, actor, event, NULL, err);
    return rc;
}

int fz_kyc_insert(fz_db *db, fz_kyc_kind kind, const char *actor, const json_t *body, fz_error *err) {
    const entity *e = entity_of(kind);
    json_t *rec;
    int rc = new_record(e, body, &rec, err);
    if (!rc) rc = insert_record(db, e, actor, "import", rec, err);
    json_decref(rec);
    return rc;
}

int fz_kyc_create(fz_db *db, fz_engine *engine, fz_kyc_kind kind, const fz_principal *who, const json_t *body,
                  json_t **out, fz_error *err) {
    const entity *e = entity_of(kind);
    *out = NULL;
    json_t *rec;
    int rc = new_record(e, body, &rec, err);
    if (rc) return rc;
    const char *id = json_string_value(json_object_get(rec, "id"));
    rc = fz_db_begin(db, err);
    if (!rc) {
        rc = insert_record(db, e, who->name, "create", rec, err);
        if (!rc) rc = audit(db, e, who, "create", id, fields_of(e, rec), err);
        rc = fz_db_end(db, rc, err);
    }
    if (!rc) rc = tell_engine(db, engine, e, rec, err);
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

/* A change of key identity data (fields flagged IDENTITY) calls for
 * re-identification: identity becomes pending unless the same change sets
 * it, and the customer is due for grading at once. Returns whether. */
static int reidentify(const entity *e, const json_t *body, json_t *after, const json_t *diff) {
    int key = 0;
    for (int i = 0; i < e->nf; i++) key |= (e->f[i].flags & IDENTITY) && json_object_get(diff, e->f[i].name);
    if (!key) return 0;
    if (!json_object_get(body, "identity")) json_object_set_new(after, "identity", json_string("pending"));
    json_object_set_new(after, "review_due_ms", json_integer(fz_db_now_ms()));
    return 1;
}

/* The history entries of a change: "update" with the changes, and
 * "reidentify" naming the key identity fields that changed. */
static int history_of_change(fz_db *db, const entity *e, const char *actor, const char *id, const json_t *diff,
                             int reid, fz_error *err) {
    json_t *d = json_pack("{s:O}", "changes", diff);
    int rc = d ? fz_kyc_history_add(db, id, actor, "update", d, err) : oom(err);
    json_decref(d);
    if (rc || !reid) return rc;
    json_t *fields = json_array();
    for (int i = 0; fields && i < e->nf; i++)
        if ((e->f[i].flags & IDENTITY) && json_object_get(diff, e->f[i].name))
            json_array_append_new(fields, json_string(e->f[i].name));
    d = json_pack("{s:o}", "fields", fields);
    rc = d ? fz_kyc_history_add(db, id, actor, "reidentify", d, err) : oom(err);
    json_decref(d);
    return rc;
}

/* A grade set by hand: in the grade history as trigger "manual". */
static int manual_grade(fz_db *db, const char *actor, const char *id, const json_t *diff, const json_t *after,
                        fz_error *err) {
    json_t *g = json_object_get(diff, "grade"), *due = json_object_get(after, "review_due_ms");
    fz_review_entry e = {id,
                         actor,
                         "manual",
                         (int)json_integer_value(json_object_get(g, "before")),
                         (int)json_integer_value(json_object_get(g, "after")),
                         (int)json_integer_value(json_object_get(after, "grade_score")),
                         fz_db_now_ms(),
                         json_is_integer(due) ? json_integer_value(due) : fz_db_now_ms(),
                         "[]"};
    return fz_review_record(db, &e, err);
}

/* Write a changed record with its history and audit entry. */
static int write_change(fz_db *db, const entity *e, const fz_principal *who, const char *id, const json_t *after,
                        const json_t *diff, int reid, fz_error *err) {
    int rc = check_refs(db, e, after, err);
    if (!rc) rc = write_record(db, e, e->update, after, err);
    if (!rc && reid) rc = set_review_due(db, id, after, err);
    if (!rc && e->review) rc = history_of_change(db, e, who->name, id, diff, reid, err);
    if (!rc && e->review && json_object_get(diff, "grade")) rc = manual_grade(db, who->name, id, diff, after, err);
    if (!rc) rc = audit(db, e, who, "update", id, json_pack("{s:O}", "changes", diff), err);
    return rc;
}

int fz_kyc_update(fz_db *db, fz_engine *engine, fz_kyc_kind kind, const fz_principal *who, const char *id,
                  const json_t *body, json_t **out, int *reidentified, fz_error *err) {
    const entity *e = entity_of(kind);
    *out = NULL;
    json_t *before = NULL, *after = NULL, *diff = NULL;
    int reid = 0, rc = fz_db_begin(db, err);
    if (rc) return rc;
    rc = read_record(db, e, id, &before, err);
    if (!rc && !(after = json_deep_copy(before))) rc = oom(err);
    if (!rc) rc = apply(e, after, body, 0, err);
    if (!rc && !(diff = changes(e, before, after))) rc = oom(err);
    if (!rc && e->review && (reid = reidentify(e, body, after, diff))) {
        json_decref(diff);
        if (!(diff = changes(e, before, after))) rc = oom(err);
    }
    int changed = !rc && json_object_size(diff) > 0;
    if (changed) rc = write_change(db, e, who, id, after, diff, reid, err);
    rc = fz_db_end(db, rc, err);
    if (changed && !rc && (json_object_get(diff, "grade") || json_object_get(diff, "class") ||
                              json_object_get(diff, "customer_id")))
        rc = tell_engine(db, engine, e, after, err);
    if (!rc) rc = read_record(db, e, id, out, err);
    if (reidentified) *reidentified = !rc && reid;
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
        int grade = sqlite3_column_int(st, 1), cls = sqlite3_column_int(st, 2);
        if (grade) bad_mem |= fz_engine_set_grade(engine, id, n, grade) != 0;
        if (cls > 1) bad_mem |= fz_engine_set_account_class(engine, id, n, cls) != 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fz_db_fail(db, rc, "read grades", err);
    return bad_mem ? oom(err) : 0;
}

int fz_kyc_history_add(fz_db *db, const char *id, const char *actor, const char *event, const json_t *detail,
                       fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, SQL_HISTORY_ADD, err);
    if (!st) return FZ_EIO;
    char *d = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (detail && !d) return oom(err);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, fz_db_now_ms());
    sqlite3_bind_text(st, 3, actor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, event, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, d ? d : "{}", -1, d ? free : SQLITE_STATIC);
    return fz_db_run(db, st, "add customer history", err);
}

static json_t *history_json(sqlite3_stmt *st) {
    json_t *d = json_loads(fz_db_col_text(st, 4, NULL), 0, NULL);
    return json_pack("{s:I, s:I, s:s, s:s, s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0), "at_ms",
                     (json_int_t)sqlite3_column_int64(st, 1), "actor", fz_db_col_text(st, 2, NULL), "event",
                     fz_db_col_text(st, 3, NULL), "detail", d ? d : json_object());
}

int fz_kyc_history(fz_db *db, const char *id, json_t **out, fz_error *err) {
    json_t *c, *items;
    int rc = read_record(db, &customers, id, &c, err);
    json_decref(c);
    if (rc) return rc;
    sqlite3_stmt *st = fz_db_stmt(db, SQL_HISTORY, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    if ((rc = fz_db_rows(db, st, history_json, "customer history", &items, err))) return rc;
    *out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
    return *out ? 0 : oom(err);
}
