/* fz_rulebook.c — rule-set versions in the store, and the active one on the
 * engine (fz_rulebook.h). */
#include "fz_rulebook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_audit.h"

typedef struct version {
    int64_t id;
    fz_ruleset *rs;
} version;

struct fz_rulebook {
    fz_db *db;
    fz_engine *engine;
    version *v; /* every version this process compiled, never freed before close */
    int n, cap;
    int64_t active;
};

static const char SQL_ANY[] = "SELECT count(*) FROM rulesets";
static const char SQL_ACTIVE[] = "SELECT id FROM rulesets WHERE active = 1";
static const char SQL_SOURCE[] = "SELECT source FROM rulesets WHERE id = ?";
static const char SQL_INSERT[] =
    "INSERT INTO rulesets(version, source, created_by, created_ms, note) VALUES(?, ?, ?, ?, ?)";
static const char SQL_SET_ACTIVE[] = "UPDATE rulesets SET active = (id = ?1) WHERE active = 1 OR id = ?1";
static const char SQL_LIST[] =
    "SELECT id, version, created_by, created_ms, note, active FROM rulesets ORDER BY id DESC";
static const char SQL_GET[] =
    "SELECT id, version, created_by, created_ms, note, active, source FROM rulesets WHERE id = ?";

static const fz_principal system_actor = {.name = "system"};

static int oom(fz_error *err) { return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }

/* ---- compiled versions --------------------------------------------------- */

static fz_ruleset *find(const fz_rulebook *rb, int64_t id) {
    for (int i = 0; i < rb->n; i++)
        if (rb->v[i].id == id) return rb->v[i].rs;
    return NULL;
}

/* Make room for one more version up front, so keeping a version that was
 * just committed cannot fail. */
static int reserve(fz_rulebook *rb, fz_error *err) {
    if (rb->n < rb->cap) return 0;
    int cap = rb->cap ? rb->cap * 2 : 8;
    version *v = realloc(rb->v, (size_t)cap * sizeof *v);
    if (!v) return oom(err);
    rb->v = v;
    rb->cap = cap;
    return 0;
}

static void keep(fz_rulebook *rb, int64_t id, fz_ruleset *rs) { rb->v[rb->n++] = (version){id, rs}; }

/* ---- sources: packs <-> the JSON the store keeps ------------------------- */

static int bad_pack(int i, const char *what, const char *msg, fz_error *err) {
    char field[48];
    snprintf(field, sizeof field, "packs[%d].%s", i, what);
    return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "%s", msg);
}

/* A pack name is a plain file name: it is shown as the file in compile
 * errors and may be written back out as one. */
static int check_packs(const fz_rules_src *packs, int n, fz_error *err) {
    if (n < 1 || n > FZ_RULEBOOK_MAX_PACKS)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "packs", "must hold 1 to %d packs",
                            FZ_RULEBOOK_MAX_PACKS);
    for (int i = 0; i < n; i++) {
        const char *s = packs[i].name;
        size_t len = s ? strlen(s) : 0;
        if (len <= 6 || len >= FZ_RULEBOOK_MAX_NAME || strcmp(s + len - 6, ".rules") != 0)
            return bad_pack(i, "name", "must be a file name ending in .rules, under 64 bytes", err);
        for (size_t j = 0; j < len; j++)
            if (s[j] == '/' || s[j] == '\\' || (unsigned char)s[j] < 0x20)
                return bad_pack(i, "name", "must not hold a path separator or control character", err);
        for (int k = 0; k < i; k++)
            if (!strcmp(packs[k].name, s)) return bad_pack(i, "name", "names a pack twice", err);
        if (packs[i].len > FZ_RULEBOOK_MAX_TEXT) return bad_pack(i, "text", "is longer than 1 MiB", err);
    }
    return 0;
}

static char *source_json(const fz_rules_src *packs, int n) {
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:s%}", "name", packs[i].name, "text", packs[i].text, packs[i].len));
    char *s = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return s;
}

/* The packs of a stored source; their strings live in *doc (json_decref it). */
static int packs_of(const char *source, fz_rules_src *packs, int *n, json_t **doc, fz_error *err) {
    json_t *a = json_loads(source, 0, NULL);
    *doc = a;
    *n = 0;
    if (!json_is_array(a) || json_array_size(a) > FZ_RULEBOOK_MAX_PACKS)
        return fz_error_set(err, FZ_EPARSE, NULL, 0, 0, "source", "a stored rule set is not a list of packs");
    size_t i;
    json_t *p;
    json_array_foreach(a, i, p) {
        json_t *name = json_object_get(p, "name"), *text = json_object_get(p, "text");
        if (!json_is_string(name) || !json_is_string(text))
            return fz_error_set(err, FZ_EPARSE, NULL, 0, 0, "source", "a stored pack lacks its name or text");
        packs[*n].name = json_string_value(name);
        packs[*n].text = json_string_value(text);
        packs[(*n)++].len = json_string_length(text);
    }
    return 0;
}

static int compile(fz_rulebook *rb, const fz_rules_src *packs, int n, fz_ruleset **rs, fz_error *err) {
    return fz_rules_compile(rs, packs, n, fz_engine_schema(rb->engine), err);
}

/* Run sql (one parameter, the version id) and step to its row: 0 with *st on
 * the row (the caller resets it), FZ_ENOTFOUND or FZ_EIO. */
static int version_row(fz_rulebook *rb, const char *sql, int64_t id, sqlite3_stmt **st, fz_error *err) {
    if (!(*st = fz_db_stmt(rb->db, sql, err))) return FZ_EIO;
    sqlite3_bind_int64(*st, 1, id);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return 0;
    sqlite3_reset(*st);
    return rc == SQLITE_DONE
               ? fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, "id", "no rule set version %lld", (long long)id)
               : fz_db_fail(rb->db, rc, "read rule set", err);
}

/* Version id compiled: kept from before, or read from the store, compiled
 * and kept. */
static int load(fz_rulebook *rb, int64_t id, fz_ruleset **out, fz_error *err) {
    if ((*out = find(rb, id))) return 0;
    int rc = reserve(rb, err);
    if (rc) return rc;
    sqlite3_stmt *st;
    if ((rc = version_row(rb, SQL_SOURCE, id, &st, err))) return rc;
    fz_rules_src packs[FZ_RULEBOOK_MAX_PACKS];
    int n;
    json_t *doc;
    rc = packs_of(fz_db_col_text(st, 0, NULL), packs, &n, &doc, err);
    sqlite3_reset(st);
    if (!rc) rc = compile(rb, packs, n, out, err);
    json_decref(doc);
    if (!rc) keep(rb, id, *out);
    return rc;
}

/* ---- activation ---------------------------------------------------------- */

/* Inside the caller's transaction: mark id the active row, audit action
 * (detail stolen; it gains the version and the id it replaces) and put rs on
 * the engine. */
static int switch_in_tx(fz_rulebook *rb, const fz_principal *who, int64_t id, const fz_ruleset *rs,
                        const char *action, json_t *detail, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(rb->db, SQL_SET_ACTIVE, err);
    int rc = st ? 0 : FZ_EIO;
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        rc = fz_db_run(rb->db, st, "activate rule set", err);
    }
    char object[40];
    snprintf(object, sizeof object, "ruleset:%lld", (long long)id);
    json_object_set_new(detail, "version", json_string(fz_rules_version(rs)));
    json_object_set_new(detail, "replaces", rb->active ? json_integer(rb->active) : json_null());
    if (!rc) rc = fz_audit_append(rb->db, who, action, object, detail, err);
    json_decref(detail);
    if (!rc && fz_engine_set_rules(rb->engine, rs)) rc = oom(err);
    return rc;
}

/* End the transaction of a switch to id: on failure, the engine goes back to
 * the rules it had (the HTTP thread scored nothing in between). */
static int switch_end(fz_rulebook *rb, int rc, int64_t id, fz_error *err) {
    const fz_ruleset *before = find(rb, rb->active);
    rc = fz_db_end(rb->db, rc, err);
    if (rc)
        fz_engine_set_rules(rb->engine, before); /* a set it ran before: needs no memory */
    else
        rb->active = id;
    return rc;
}

/* Compile packs, store them as a new version and make it active, audited as
 * action. */
static int add_version(fz_rulebook *rb, const fz_principal *who, const fz_rules_src *packs, int n,
                       const char *note, const char *action, int64_t *id, fz_error *err) {
    fz_ruleset *rs = NULL;
    char *source = NULL;
    int rc = reserve(rb, err);
    if (!rc) rc = compile(rb, packs, n, &rs, err);
    if (!rc && !(source = source_json(packs, n))) rc = oom(err);
    if (rc) {
        fz_rules_free(rs);
        free(source);
        return rc;
    }
    sqlite3_stmt *st = NULL;
    rc = fz_db_begin(rb->db, err);
    if (!rc && !(st = fz_db_stmt(rb->db, SQL_INSERT, err))) rc = FZ_EIO;
    if (!rc) {
        sqlite3_bind_text(st, 1, fz_rules_version(rs), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, who->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 4, fz_db_now_ms());
        sqlite3_bind_text(st, 5, note ? note : "", -1, SQLITE_TRANSIENT);
        rc = fz_db_run(rb->db, st, "insert rule set", err);
    }
    *id = sqlite3_last_insert_rowid(fz_db_sqlite(rb->db));
    json_t *names = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(names, json_string(packs[i].name));
    if (!rc)
        rc = switch_in_tx(rb, who, *id, rs, action,
                          json_pack("{s:o, s:s}", "packs", names, "note", note ? note : ""), err);
    else
        json_decref(names);
    rc = switch_end(rb, rc, *id, err);
    free(source);
    if (rc)
        fz_rules_free(rs); /* never scored with: the engine went back */
    else
        keep(rb, *id, rs);
    return rc;
}

int fz_rulebook_upload(fz_rulebook *rb, const fz_principal *who, const fz_rules_src *packs, int n,
                       const char *note, int64_t *id, fz_error *err) {
    int rc = check_packs(packs, n, err);
    return rc ? rc : add_version(rb, who, packs, n, note, "rules.upload", id, err);
}

int fz_rulebook_activate(fz_rulebook *rb, const fz_principal *who, int64_t id, fz_error *err) {
    fz_ruleset *rs;
    int rc = load(rb, id, &rs, err);
    if (rc || id == rb->active) return rc;
    rc = fz_db_begin(rb->db, err);
    if (!rc) rc = switch_in_tx(rb, who, id, rs, "rules.activate", json_object(), err);
    return switch_end(rb, rc, id, err);
}

/* ---- open ---------------------------------------------------------------- */

/* One integer from a one-row query; 0 when it returns no row. */
static int query_int(fz_db *db, const char *sql, int64_t *out, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (!st) return FZ_EIO;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "read rule sets", err);
}

/* Version 1: the shipped packs, each named by its file name. */
static int seed(fz_rulebook *rb, const char *const *paths, int n, fz_error *err) {
    if (n < 1 || n > FZ_RULEBOOK_MAX_PACKS)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "no rule packs to start the rule book with");
    fz_rules_src packs[FZ_RULEBOOK_MAX_PACKS] = {{0}};
    int rc = 0, i;
    for (i = 0; i < n && !rc; i++) {
        char *text = NULL;
        const char *slash = strrchr(paths[i], '/');
        packs[i].name = slash ? slash + 1 : paths[i];
        rc = fz_rules_read_file(paths[i], &text, &packs[i].len, err);
        packs[i].text = text;
    }
    int64_t id;
    if (!rc) rc = add_version(rb, &system_actor, packs, n, "shipped rule packs", "rules.seed", &id, err);
    for (i = 0; i < n; i++)
        free((char *)packs[i].text);
    return rc;
}

/* After a restart: the active version back on the engine. */
static int restore(fz_rulebook *rb, fz_error *err) {
    int64_t active;
    fz_ruleset *rs;
    int rc = query_int(rb->db, SQL_ACTIVE, &active, err);
    if (!rc && !active) rc = fz_error_set(err, FZ_EIO, NULL, 0, 0, NULL, "no rule set version is active");
    if (!rc) rc = load(rb, active, &rs, err);
    if (!rc && fz_engine_set_rules(rb->engine, rs)) rc = oom(err);
    if (!rc) rb->active = active;
    return rc;
}

int fz_rulebook_open(fz_rulebook **out, fz_db *db, fz_engine *engine, const char *const *seed_paths,
                     int nseed, fz_error *err) {
    *out = NULL;
    fz_rulebook *rb = calloc(1, sizeof *rb);
    if (!rb) return oom(err);
    rb->db = db;
    rb->engine = engine;
    int64_t count;
    int rc = query_int(db, SQL_ANY, &count, err);
    if (!rc) rc = count ? restore(rb, err) : seed(rb, seed_paths, nseed, err);
    if (rc) {
        fz_rulebook_close(rb);
        return rc;
    }
    *out = rb;
    return 0;
}

void fz_rulebook_close(fz_rulebook *rb) {
    if (!rb) return;
    for (int i = 0; i < rb->n; i++)
        fz_rules_free(rb->v[i].rs);
    free(rb->v);
    free(rb);
}

const fz_ruleset *fz_rulebook_active(const fz_rulebook *rb, int64_t *id) {
    if (id) *id = rb->active;
    return find(rb, rb->active);
}

/* ---- reading versions ---------------------------------------------------- */

/* The list's members of the current row of SQL_LIST or SQL_GET. */
static json_t *row_json(sqlite3_stmt *st) {
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:b}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                     "version", fz_db_col_text(st, 1, NULL), "created_by", fz_db_col_text(st, 2, NULL),
                     "created_ms", (json_int_t)sqlite3_column_int64(st, 3), "note",
                     fz_db_col_text(st, 4, NULL), "active", sqlite3_column_int(st, 5) != 0);
}

int fz_rulebook_list(fz_rulebook *rb, json_t **out, fz_error *err) {
    *out = NULL;
    sqlite3_stmt *st = fz_db_stmt(rb->db, SQL_LIST, err);
    return st ? fz_db_rows(rb->db, st, row_json, "list rule sets", out, err) : FZ_EIO;
}

int fz_rulebook_get(fz_rulebook *rb, int64_t id, json_t **out, fz_error *err) {
    *out = NULL;
    sqlite3_stmt *st;
    int rc = version_row(rb, SQL_GET, id, &st, err);
    if (rc) return rc;
    json_t *o = row_json(st);
    json_t *packs = json_loads(fz_db_col_text(st, 6, NULL), 0, NULL);
    sqlite3_reset(st);
    if (!o || !packs) {
        json_decref(o);
        json_decref(packs);
        return oom(err);
    }
    json_object_set_new(o, "packs", packs);
    *out = o;
    return 0;
}
