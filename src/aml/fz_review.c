/* fz_review.c — see fz_review.h.
 *
 * One pass serves one customer and all of them: load the facts that are
 * counted per customer (alerts, cases, triggers) into arrays indexed by an
 * interned customer id, and the watch list into a set; read the customers,
 * grade each in memory; then write every result. Reading finishes before
 * writing starts, so no statement reads a table another one is changing. */
#include "fz_review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_audit.h"
#include "fz_idcheck.h"
#include "fz_intern.h"
#include "fz_kyc.h"
#include "fz_time.h"
#include "fz_watchlist.h"

#define DAY_MS 86400000LL

/* ---- SQL: each with a variant for all customers and one for ?1 ---------- */

#define ALERTS(w)                                                                                             \
    "SELECT a.customer_id, count(*) FROM accounts a JOIN alerts al ON al.account = a.id"                     \
    " WHERE " w " AND al.created_ms >= ?2 GROUP BY a.customer_id"
#define CASES(w)                                                                                              \
    "SELECT a.customer_id, count(DISTINCT c.id) FROM accounts a JOIN alerts al ON al.account = a.id"         \
    " JOIN case_alerts ca ON ca.alert_id = al.id JOIN cases c ON c.id = ca.case_id"                          \
    " WHERE " w " AND c.status = 'closed_fraud' GROUP BY a.customer_id"
#define TRIGGERS(w)                                                                                           \
    "SELECT customer_id, sum(event = 'trigger.str'), sum(event = 'trigger.media'),"                          \
    " sum(event = 'trigger.judicial') FROM customer_history"                                                 \
    " WHERE " w " AND event IN ('trigger.str', 'trigger.media', 'trigger.judicial') GROUP BY customer_id"
/* the filed reports fz_str_count_filed counts (fz_strdb.h), for every
 * customer at once */
#define FILED(w)                                                                                              \
    "SELECT s.customer_id, count(*) FROM str_subjects s JOIN strs r ON r.id = s.str_id"                      \
    " WHERE " w " AND r.kind = 'N' AND r.status IN ('filed', 'corrected') GROUP BY s.customer_id"
#define CUSTOMERS(w)                                                                                          \
    "SELECT id, name, kind, id_type, id_number, nationality, occupation, industry, channel, pep, cdd,"       \
    " birth_date, cash_intensive, cross_border, agent, owners, grade, graded_ms, rowid, last_history FROM customers"        \
    " LEFT JOIN customer_reviews ON customer_id = id WHERE " w

static const char SQL_ALERTS_ALL[] = ALERTS("1"), SQL_ALERTS_ONE[] = ALERTS("a.customer_id = ?1");
static const char SQL_CASES_ALL[] = CASES("1"), SQL_CASES_ONE[] = CASES("a.customer_id = ?1");
static const char SQL_TRIG_ALL[] = TRIGGERS("1"), SQL_TRIG_ONE[] = TRIGGERS("customer_id = ?1");
static const char SQL_FILED_ALL[] = FILED("1"), SQL_FILED_ONE[] = FILED("s.customer_id = ?1");
static const char SQL_CUST_ALL[] = CUSTOMERS("1 ORDER BY id"), SQL_CUST_ONE[] = CUSTOMERS("id = ?1"),
                  SQL_CUST_DUE[] = CUSTOMERS("(graded_ms IS NULL OR review_due_ms <= ?3) ORDER BY rowid");

static const char SQL_SET_REVIEW[] =
    "INSERT INTO customer_reviews(customer_id, grade_score, graded_ms, review_due_ms, last_history)"
    " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(customer_id) DO UPDATE SET grade_score = excluded.grade_score,"
    " graded_ms = excluded.graded_ms, review_due_ms = excluded.review_due_ms, last_history = excluded.last_history";
static const char SQL_LAST_HISTORY[] = "SELECT last_history FROM customer_reviews WHERE customer_id = ?1";
static const char SQL_SET_LAST_HISTORY[] = "UPDATE customer_reviews SET last_history = ?2 WHERE customer_id = ?1";
static const char SQL_SET_GRADE[] = "UPDATE customers SET grade = ?2, updated_ms = ?3 WHERE rowid = ?1";
static const char SQL_HISTORY_ADD[] = "INSERT INTO grade_history(customer_id, at_ms, actor, trigger, prev_grade,"
                                      " grade, score, next_review_ms, reasons, prev_id)"
                                      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
/* a customer's entries: walk the chain from its newest */
static const char SQL_HISTORY[] =
    "WITH RECURSIVE chain(hid) AS (SELECT last_history FROM customer_reviews WHERE customer_id = ?1"
    " UNION ALL SELECT prev_id FROM grade_history JOIN chain ON id = hid WHERE prev_id IS NOT NULL)"
    " SELECT id, customer_id, at_ms, actor, trigger, prev_grade, grade, score, next_review_ms, reasons"
    " FROM chain CROSS JOIN grade_history ON id = hid ORDER BY id DESC";
static const char SQL_EXISTS[] = "SELECT 1 FROM customers WHERE id = ?1";
static const char SQL_ACCOUNTS_OF[] = "SELECT id FROM accounts WHERE customer_id = ?1";
#define DUE_WHERE " FROM customer_reviews JOIN customers ON id = customer_id WHERE review_due_ms <= ?1"
static const char SQL_DUE[] = "SELECT id, name, kind, grade, graded_ms, review_due_ms, identity" DUE_WHERE
                              " ORDER BY review_due_ms, id LIMIT ?2 OFFSET ?3";
static const char SQL_DUE_COUNT[] = "SELECT count(*)" DUE_WHERE;

static const char *const triggers[] = {"onboarding", "review", "identity_change", "judicial", "media", "str", "alerts", "case", NULL};

static int oom(fz_error *err) { return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }

int fz_review_trigger_ok(const char *t) {
    for (int i = 0; t && triggers[i]; i++)
        if (!strcmp(t, triggers[i])) return 1;
    return 0;
}

/* ---- the counted facts --------------------------------------------------- */

enum { C_ALERTS, C_CASES, C_STR, C_MEDIA, C_JUDICIAL, C_FILED, NCOUNTS };

typedef struct facts {
    fz_intern *ids;       /* customer id -> row of counts */
    int32_t (*n)[NCOUNTS];
    size_t cap;
    fz_watchset *watch;
} facts;

static int32_t *counts_of(facts *f, const char *id, size_t len) {
    int added;
    int64_t k = fz_intern_get(f->ids, id, len, &added);
    if (k < 0) return NULL;
    if ((size_t)k >= f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        int32_t(*n)[NCOUNTS] = realloc(f->n, cap * sizeof *n);
        if (!n) return NULL;
        memset(n + f->cap, 0, (cap - f->cap) * sizeof *n);
        f->n = n;
        f->cap = cap;
    }
    return f->n[k];
}

/* Rows (customer_id, count...) of sql into counts first.. of each customer. */
static int load_counts(fz_db *db, facts *f, const char *sql, const char *one, int64_t since, int first, int ncols,
                       fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (!st) return FZ_EIO;
    if (one) sqlite3_bind_text(st, 1, one, -1, SQLITE_TRANSIENT);
    if (sqlite3_bind_parameter_count(st) >= 2) sqlite3_bind_int64(st, 2, since);
    int rc, mem = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t len;
        const char *id = fz_db_col_text(st, 0, &len);
        int32_t *c = counts_of(f, id, len);
        for (int i = 0; c && i < ncols; i++) c[first + i] = sqlite3_column_int(st, 1 + i);
        mem |= !c;
    }
    sqlite3_reset(st);
    if (mem) return oom(err);
    return rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "count customer facts", err);
}

static void facts_free(facts *f) {
    fz_intern_free(f->ids);
    free(f->n);
    fz_watchset_free(f->watch);
}

/* The facts of one customer (one != NULL) or of all. */
static int facts_load(fz_db *db, const fz_grading *g, const char *one, int64_t now_ms, facts *f, fz_error *err) {
    memset(f, 0, sizeof *f);
    if (fz_intern_new(&f->ids, one ? 4 : 4096)) return oom(err);
    int64_t since = now_ms - (int64_t)fz_grading_lookback_days(g) * DAY_MS;
    int rc = load_counts(db, f, one ? SQL_ALERTS_ONE : SQL_ALERTS_ALL, one, since, C_ALERTS, 1, err);
    if (!rc) rc = load_counts(db, f, one ? SQL_CASES_ONE : SQL_CASES_ALL, one, since, C_CASES, 1, err);
    if (!rc) rc = load_counts(db, f, one ? SQL_TRIG_ONE : SQL_TRIG_ALL, one, since, C_STR, 3, err);
    if (!rc) rc = load_counts(db, f, one ? SQL_FILED_ONE : SQL_FILED_ALL, one, since, C_FILED, 1, err);
    if (!rc) rc = fz_watchset_load(&f->watch, db, err);
    if (rc) facts_free(f);
    return rc;
}

/* ---- one customer's row -> subject -> result ----------------------------- */

static const char *col(sqlite3_stmt *st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(st, i);
}

/* Owners and controllers: how many, and whether any is on the watch list. */
static int owners_of(const char *text, const fz_watchset *w, int *hits) {
    if (!text || !strcmp(text, "[]")) return 0;
    json_t *a = json_loads(text, 0, NULL);
    size_t i, n = json_array_size(a);
    json_t *o;
    json_array_foreach(a, i, o) {
        *hits += fz_watchset_hit(w, json_string_value(json_object_get(o, "name")),
                                 json_string_value(json_object_get(o, "id_number")));
    }
    json_decref(a);
    return (int)n;
}

static void subject_of(sqlite3_stmt *st, const facts *f, fz_grading_subject *s) {
    fz_grading_subject_init(s);
    size_t len;
    const char *id = fz_db_col_text(st, 0, &len), *birth = col(st, 11);
    s->kind = col(st, 2);
    s->id_type = col(st, 3);
    s->id_number = col(st, 4);
    s->nationality = col(st, 5);
    s->occupation = col(st, 6);
    s->industry = col(st, 7);
    s->channel = col(st, 8);
    s->pep = col(st, 9);
    s->cdd = col(st, 10);
    if (birth && fz_date_parse(birth, strlen(birth), &s->birth_day)) s->birth_day = INT32_MIN;
    s->cash_intensive = sqlite3_column_int(st, 12);
    s->cross_border = sqlite3_column_int(st, 13);
    s->agent = sqlite3_column_int(st, 14);
    s->watch_hits = fz_watchset_hit(f->watch, col(st, 1), s->id_number);
    s->owners = owners_of(col(st, 15), f->watch, &s->watch_hits);
    int64_t k = fz_intern_find(f->ids, id, len);
    if (k < 0) return;
    const int32_t *c = f->n[k];
    s->alerts = c[C_ALERTS];
    s->cases = c[C_CASES];
    s->strs = c[C_STR] + c[C_FILED];
    s->media = c[C_MEDIA];
    s->judicial = c[C_JUDICIAL];
}

/* Append s, as it is, to the buffer. */
static void put(char **o, const char *s) {
    while (*s) *(*o)++ = *s++;
}

/* Append 0..999 (or -1). */
static void put_int(char **o, int v) {
    char d[12];
    int n = 0;
    if (v < 0) *(*o)++ = '-', v = -v;
    do d[n++] = (char)('0' + v % 10); while ((v /= 10) && n < 11);
    while (n) *(*o)++ = d[--n];
}

/* Append s to the buffer as a JSON string. */
static void json_str(char **o, char *end, const char *s) {
    static const char hex[] = "0123456789abcdef";
    if (*o < end) *(*o)++ = '"';
    for (; *s && *o + 6 < end; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') *(*o)++ = '\\', *(*o)++ = (char)c;
        else if (c < 0x20) put(o, "\\u00"), *(*o)++ = hex[c >> 4], *(*o)++ = hex[c & 15];
        else *(*o)++ = (char)c;
    }
    if (*o < end) *(*o)++ = '"';
}

#define REASONS_MAX (FZ_GRADING_MAX_REASONS * 400) /* worst case: every value escaped */

/* The reasons as a JSON array: [{"factor", "value", "points"} or
 * {"direct"}, ...] and the group scores last. */
static void reasons_json(const fz_grading_result *r, char *buf) {
    static const char *const groups[FZ_NGROUPS] = {"customer", "geography", "business", "industry"};
    char *o = buf, *end = buf + REASONS_MAX - 160;
    *o++ = '[';
    for (int i = 0; i < r->nreasons; i++) {
        const fz_grading_reason *x = &r->reason[i];
        put(&o, i ? ",{\"factor\":" : "{\"factor\":");
        json_str(&o, end, x->factor);
        if (x->points < 0) {
            put(&o, ",\"direct\":true}");
            continue;
        }
        put(&o, ",\"value\":");
        json_str(&o, end, x->value);
        put(&o, ",\"points\":");
        put_int(&o, x->points);
        *o++ = '}';
    }
    put(&o, r->nreasons ? ",{\"groups\":{" : "{\"groups\":{");
    for (int i = 0; i < FZ_NGROUPS; i++) {
        put(&o, i ? ",\"" : "\"");
        put(&o, groups[i]);
        put(&o, "\":");
        put_int(&o, r->group[i]);
    }
    put(&o, "}}]");
    *o = 0;
}

/* ---- grading a set of customers ------------------------------------------ */

typedef struct graded {
    char *id;
    int64_t rowid, last_history; /* the customer's row; its newest history entry or 0 */
    int stored;                  /* the grade stored in customers */
    int prev, grade, score;
    unsigned direct;
    char *reasons;
} graded;

typedef struct pass {
    graded *v;
    size_t n, cap;
} pass;

static void pass_free(pass *p) {
    for (size_t i = 0; i < p->n; i++) free(p->v[i].id), free(p->v[i].reasons);
    free(p->v);
}

static int pass_add(pass *p, sqlite3_stmt *st, int prev, const fz_grading_result *r) {
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        graded *v = realloc(p->v, cap * sizeof *v);
        if (!v) return FZ_ENOMEM;
        p->v = v;
        p->cap = cap;
    }
    char buf[REASONS_MAX];
    reasons_json(r, buf);
    graded *x = &p->v[p->n];
    *x = (graded){strdup(fz_db_col_text(st, 0, NULL)), sqlite3_column_int64(st, 18), sqlite3_column_int64(st, 19),
                  sqlite3_column_int(st, 16), prev, r->grade, r->score, r->direct, strdup(buf)};
    if (!x->id || !x->reasons) {
        free(x->id);
        free(x->reasons);
        return FZ_ENOMEM;
    }
    p->n++;
    return 0;
}

/* Read and grade the customers of sql (one, or all, or due by now_ms). */
static int grade_rows(fz_db *db, const fz_grading *g, const facts *f, const char *sql, const char *one,
                      int64_t now_ms, pass *p, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (!st) return FZ_EIO;
    if (one) sqlite3_bind_text(st, 1, one, -1, SQLITE_TRANSIENT);
    if (sql == SQL_CUST_DUE) sqlite3_bind_int64(st, 3, now_ms);
    int32_t today = fz_time_cn_day(now_ms);
    int rc, mem = 0;
    while (!mem && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        fz_grading_subject s;
        fz_grading_result r;
        subject_of(st, f, &s);
        fz_grading_grade(g, &s, today, &r);
        int prev = sqlite3_column_type(st, 17) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 16);
        mem = pass_add(p, st, prev, &r) != 0;
    }
    sqlite3_reset(st);
    if (mem) return oom(err);
    return rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "read customers", err);
}

/* Insert e into grade_history after the customer's entry prev (0: none);
 * *id gets the new entry's. */
static int insert_history(fz_db *db, const fz_review_entry *e, int64_t prev, int64_t *id, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, SQL_HISTORY_ADD, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_text(st, 1, e->customer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, e->at_ms);
    sqlite3_bind_text(st, 3, e->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->trigger, -1, SQLITE_STATIC);
    if (e->prev_grade >= 0) sqlite3_bind_int(st, 5, e->prev_grade);
    sqlite3_bind_int(st, 6, e->grade);
    sqlite3_bind_int(st, 7, e->score);
    sqlite3_bind_int64(st, 8, e->next_review_ms);
    sqlite3_bind_text(st, 9, e->reasons ? e->reasons : "[]", -1, SQLITE_STATIC);
    if (prev > 0) sqlite3_bind_int64(st, 10, prev);
    int rc = fz_db_run(db, st, "add grade history", err);
    *id = sqlite3_last_insert_rowid(fz_db_sqlite(db));
    return rc;
}

int fz_review_record(fz_db *db, const fz_review_entry *e, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, SQL_LAST_HISTORY, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_text(st, 1, e->customer, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int64_t prev = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0, id;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fz_db_fail(db, rc, "read grade history", err);
    if ((rc = insert_history(db, e, prev, &id, err))) return rc;
    if (!(st = fz_db_stmt(db, SQL_SET_LAST_HISTORY, err))) return FZ_EIO;
    sqlite3_bind_text(st, 1, e->customer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, id);
    return fz_db_run(db, st, "link grade history", err);
}

/* Write one result: the history entry, the review state pointing at it,
 * and the grade when it changed. */
static int write_one(fz_db *db, const fz_grading *g, const graded *x, const char *actor, const char *trigger,
                     int64_t now_ms, fz_error *err) {
    int64_t next = fz_grading_next_review(g, x->grade, now_ms), hid;
    fz_review_entry e = {x->id, actor, trigger ? trigger : x->prev < 0 ? "onboarding" : "review",
                         x->prev, x->grade, x->score, now_ms, next, x->reasons};
    int rc = insert_history(db, &e, x->last_history, &hid, err);
    sqlite3_stmt *st = rc ? NULL : fz_db_stmt(db, SQL_SET_REVIEW, err);
    if (!st) return rc ? rc : FZ_EIO;
    sqlite3_bind_text(st, 1, x->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, x->score);
    sqlite3_bind_int64(st, 3, now_ms);
    sqlite3_bind_int64(st, 4, next);
    sqlite3_bind_int64(st, 5, hid);
    rc = fz_db_run(db, st, "set review", err);
    if (rc || x->grade == x->stored) return rc;
    if (!(st = fz_db_stmt(db, SQL_SET_GRADE, err))) return FZ_EIO;
    sqlite3_bind_int64(st, 1, x->rowid);
    sqlite3_bind_int(st, 2, x->grade);
    sqlite3_bind_int64(st, 3, now_ms);
    return fz_db_run(db, st, "set grade", err);
}

static int write_all(fz_db *db, const fz_grading *g, const pass *p, const char *actor, const char *trigger,
                     int64_t now_ms, fz_error *err) {
    int rc = 0;
    for (size_t i = 0; !rc && i < p->n; i++) rc = write_one(db, g, &p->v[i], actor, trigger, now_ms, err);
    return rc;
}

int fz_review_tell_engine(fz_db *db, fz_engine *engine, const char *customer, int grade, fz_error *err) {
    if (!engine) return 0;
    if (fz_engine_set_grade(engine, customer, strlen(customer), grade)) return oom(err);
    sqlite3_stmt *st = fz_db_stmt(db, SQL_ACCOUNTS_OF, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_text(st, 1, customer, -1, SQLITE_TRANSIENT);
    int rc, mem = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t n;
        const char *acct = fz_db_col_text(st, 0, &n);
        mem |= fz_engine_set_grade(engine, acct, n, grade) != 0;
    }
    sqlite3_reset(st);
    if (mem) return oom(err);
    return rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "read accounts", err);
}

static int tell_changed(fz_db *db, fz_engine *engine, const pass *p, fz_error *err) {
    int rc = 0;
    for (size_t i = 0; !rc && engine && i < p->n; i++)
        if (p->v[i].grade != p->v[i].stored) rc = fz_review_tell_engine(db, engine, p->v[i].id, p->v[i].grade, err);
    return rc;
}

/* ---- one customer -------------------------------------------------------- */

static int record_trigger(fz_db *db, const char *id, const char *actor, const char *trigger, const char *note,
                          fz_error *err) {
    if (strcmp(trigger, "judicial") && strcmp(trigger, "media") && strcmp(trigger, "str")) return 0;
    char event[32];
    snprintf(event, sizeof event, "trigger.%s", trigger);
    json_t *d = json_pack("{s:s}", "note", note ? note : "");
    int rc = d ? fz_kyc_history_add(db, id, actor, event, d, err) : oom(err);
    json_decref(d);
    return rc;
}

static int exists(fz_db *db, const char *id, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, SQL_EXISTS, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, NULL, "no customer %s", id)
                             : fz_db_fail(db, rc, "find customer", err);
}

static int audit_one(fz_db *db, const fz_principal *who, const char *trigger, const char *note, const graded *x,
                     fz_error *err) {
    char object[96];
    snprintf(object, sizeof object, "customer:%s", x->id);
    json_t *d = json_pack("{s:s, s:s, s:i, s:i, s:i}", "trigger", trigger, "note", note ? note : "", "prev_grade",
                          x->prev, "grade", x->grade, "score", x->score);
    int rc = d ? fz_audit_append(db, who, "customer.regrade", object, d, err) : oom(err);
    json_decref(d);
    return rc;
}

int fz_review_customer(fz_db *db, fz_engine *engine, const fz_grading *g, const fz_principal *who, const char *id,
                       const char *trigger, const char *note, json_t **out, fz_error *err) {
    *out = NULL;
    if (!fz_review_trigger_ok(trigger))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "trigger",
                            "must be onboarding, review, identity_change, judicial, media, str, alerts or case");
    int64_t now = fz_db_now_ms();
    pass p = {0};
    facts f;
    int rc = fz_db_begin(db, err);
    if (rc) return rc;
    rc = exists(db, id, err);
    if (!rc) rc = record_trigger(db, id, who->name, trigger, note, err);
    if (!rc) rc = facts_load(db, g, id, now, &f, err);
    if (!rc) {
        rc = grade_rows(db, g, &f, SQL_CUST_ONE, id, now, &p, err);
        facts_free(&f);
    }
    if (!rc) rc = write_all(db, g, &p, who->name, trigger, now, err);
    if (!rc && p.n) rc = audit_one(db, who, trigger, note, &p.v[0], err);
    rc = fz_db_end(db, rc, err);
    if (!rc) rc = tell_changed(db, engine, &p, err);
    pass_free(&p);
    if (!rc) {
        json_t *h;
        rc = fz_review_history(db, id, &h, err);
        if (!rc) *out = json_incref(json_array_get(json_object_get(h, "items"), 0));
        json_decref(h);
    }
    return rc;
}

/* ---- all of them --------------------------------------------------------- */

static void count(const pass *p, fz_review_stats *st) {
    memset(st, 0, sizeof *st);
    for (size_t i = 0; i < p->n; i++) {
        st->graded++;
        st->changed += p->v[i].grade != p->v[i].prev;
        st->by_grade[p->v[i].grade]++;
        st->direct += p->v[i].direct != 0;
    }
}

static int audit_all(fz_db *db, const fz_principal *who, int due_only, const fz_review_stats *st, fz_error *err) {
    json_t *d = json_pack("{s:b, s:I, s:I, s:[I, I, I, I]}", "due_only", due_only, "graded", (json_int_t)st->graded,
                          "changed", (json_int_t)st->changed, "by_grade", (json_int_t)st->by_grade[0],
                          (json_int_t)st->by_grade[1], (json_int_t)st->by_grade[2], (json_int_t)st->by_grade[3]);
    int rc = d ? fz_audit_append(db, who, "customers.grade", "customers", d, err) : oom(err);
    json_decref(d);
    return rc;
}

int fz_review_all(fz_db *db, fz_engine *engine, const fz_grading *g, const fz_principal *who, int due_only,
                  int64_t now_ms, fz_review_stats *st, fz_error *err) {
    pass p = {0};
    facts f;
    int rc = fz_db_begin(db, err);
    if (rc) return rc;
    rc = facts_load(db, g, NULL, now_ms, &f, err);
    if (!rc) {
        rc = grade_rows(db, g, &f, due_only ? SQL_CUST_DUE : SQL_CUST_ALL, NULL, now_ms, &p, err);
        facts_free(&f);
    }
    count(&p, st);
    if (!rc) rc = write_all(db, g, &p, who->name, NULL, now_ms, err);
    if (!rc) rc = audit_all(db, who, due_only, st, err);
    rc = fz_db_end(db, rc, err);
    if (!rc) rc = tell_changed(db, engine, &p, err);
    pass_free(&p);
    return rc;
}

/* ---- lists --------------------------------------------------------------- */

static json_t *int_or_null(sqlite3_stmt *st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(st, i));
}

static json_t *due_json(sqlite3_stmt *st) {
    const char *identity = fz_db_col_text(st, 6, NULL);
    const char *why = !strcmp(identity, "pending")              ? "reidentify"
                      : sqlite3_column_type(st, 4) == SQLITE_NULL ? "onboarding"
                                                                  : "review";
    return json_pack("{s:s, s:s, s:s, s:i, s:o, s:o, s:s, s:s}", "id", fz_db_col_text(st, 0, NULL), "name",
                     fz_db_col_text(st, 1, NULL), "kind", fz_db_col_text(st, 2, NULL), "grade",
                     sqlite3_column_int(st, 3), "graded_ms", int_or_null(st, 4), "review_due_ms", int_or_null(st, 5),
                     "identity", identity, "why", why);
}

int fz_review_due(fz_db *db, int64_t until_ms, int64_t limit, int64_t offset, json_t **out, fz_error *err) {
    *out = NULL;
    sqlite3_stmt *st = fz_db_stmt(db, SQL_DUE_COUNT, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_int64(st, 1, until_ms);
    int rc = sqlite3_step(st);
    int64_t total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) return fz_db_fail(db, rc, "count due customers", err);
    if (!(st = fz_db_stmt(db, SQL_DUE, err))) return FZ_EIO;
    sqlite3_bind_int64(st, 1, until_ms);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    json_t *items;
    if ((rc = fz_db_rows(db, st, due_json, "list due customers", &items, err))) return rc;
    *out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "limit", (json_int_t)limit,
                     "offset", (json_int_t)offset);
    return *out ? 0 : oom(err);
}

static json_t *history_json(sqlite3_stmt *st) {
    json_t *reasons = json_loads(fz_db_col_text(st, 9, NULL), 0, NULL);
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:i, s:i, s:I, s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                     "customer_id", fz_db_col_text(st, 1, NULL), "at_ms", (json_int_t)sqlite3_column_int64(st, 2),
                     "actor", fz_db_col_text(st, 3, NULL), "trigger", fz_db_col_text(st, 4, NULL), "prev_grade",
                     int_or_null(st, 5), "grade", sqlite3_column_int(st, 6), "score", sqlite3_column_int(st, 7),
                     "next_review_ms", (json_int_t)sqlite3_column_int64(st, 8), "reasons",
                     reasons ? reasons : json_array());
}

int fz_review_history(fz_db *db, const char *id, json_t **out, fz_error *err) {
    *out = NULL;
    int rc = exists(db, id, err);
    if (rc) return rc;
    sqlite3_stmt *st = fz_db_stmt(db, SQL_HISTORY, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    json_t *items;
    if ((rc = fz_db_rows(db, st, history_json, "grade history", &items, err))) return rc;
    *out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
    return *out ? 0 : oom(err);
}
