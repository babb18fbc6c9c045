/* fz_casedb.h — what the analysts' modules (alerts, cases, holds, audit,
 * stats) share over fz_db: filtered and paged SELECTs answered as JSON,
 * single rows by id, and mutations run in one transaction.
 *
 * Rows become JSON objects generically: each column is a member named by
 * its alias (INTEGER -> integer, REAL -> real, TEXT -> string, NULL ->
 * null, BLOB -> lowercase hex). Three conventions keep every answer alike:
 * a column aliased NAME_json holding JSON text becomes member NAME with
 * that JSON parsed; a row with integer "amount" and string "currency" also
 * gets "amount_display" ("1234.50 CNY"); a row with integer "outcome" also
 * gets "outcome_name" ("hold"). */
#ifndef FZ_CASEDB_H
#define FZ_CASEDB_H

#include <jansson.h>
#include <stdint.h>

#include "fz_db.h"
#include "fz_error.h"

/* An integer filter that is absent. */
#define FZ_CASEDB_ANY INT64_MIN

#define FZ_PAGE_DEFAULT 50
#define FZ_PAGE_MAX 500

typedef struct fz_page {
    int64_t limit;  /* 1..FZ_PAGE_MAX */
    int64_t offset; /* >= 0 */
} fz_page;

#define FZ_CASEDB_MAX_BINDS 12

/* A SELECT under construction: fixed columns, FROM and ORDER BY, plus the
 * filters the caller adds. Strings are borrowed until the query has run. */
typedef struct fz_casedb_query {
    const char *cols, *from, *order;
    char where[768];
    size_t nwhere;
    int nbind;
    struct {
        const char *s; /* text bind, or NULL for the integer i */
        int64_t i;
    } bind[FZ_CASEDB_MAX_BINDS];
} fz_casedb_query;

void fz_casedb_query_init(fz_casedb_query *q, const char *cols, const char *from, const char *order);

/* AND a condition with one "?" (e.g. "a.rule = ?") bound to v; nothing when
 * v is NULL (text) or FZ_CASEDB_ANY (integer). Conditions are literals of
 * the caller, never request text, so they cannot inject SQL. */
void fz_casedb_where_text(fz_casedb_query *q, const char *cond, const char *v);
void fz_casedb_where_int(fz_casedb_query *q, const char *cond, int64_t v);

/* Run q twice: the count of all matching rows, and one page of them. Fills
 * *out with {"items": [...], "total": N, "limit": L, "offset": O}.
 * Returns 0, FZ_EIO or FZ_ENOMEM. */
int fz_casedb_page(fz_db *db, const fz_casedb_query *q, fz_page page, json_t **out, fz_error *err);

/* The one row sql (a literal, with one "?" for id) returns, as an object;
 * FZ_ENOTFOUND "<what> <id> not found" when there is none. */
int fz_casedb_one(fz_db *db, const char *sql, int64_t id, const char *what, json_t **out, fz_error *err);

/* Every row sql (a literal, one "?" for id) returns, as an array. */
int fz_casedb_all(fz_db *db, const char *sql, int64_t id, json_t **out, fz_error *err);

/* The current row of st as an object (NULL when out of memory). */
json_t *fz_casedb_row(sqlite3_stmt *st);

/* Text column 0 of the row sql (a literal, one "?" for id) returns, copied
 * into buf[cap]; FZ_ENOTFOUND "<what> <id> not found" when none. */
int fz_casedb_text(fz_db *db, const char *sql, int64_t id, const char *what, char *buf, size_t cap,
                   fz_error *err);

/* The cached statement for sql (a literal; fz_db_stmt) in *st. Returns 0
 * or the error fz_db_stmt gave. */
int fz_casedb_prep(fz_db *db, const char *sql, sqlite3_stmt **st, fz_error *err);

/* Run sql (a literal) binding the integers a and b to ?1 and ?2 (b unused
 * when sql has only ?1). */
int fz_casedb_exec2(fz_db *db, const char *sql, int64_t a, int64_t b, const char *what, fz_error *err);

/* Run fn(db, ctx, err) inside one transaction: committed when it returns 0,
 * rolled back otherwise. Returns fn's result or the commit's error. */
typedef int (*fz_casedb_tx_fn)(fz_db *db, void *ctx, fz_error *err);
int fz_casedb_tx(fz_db *db, fz_casedb_tx_fn fn, void *ctx, fz_error *err);


/* FZ_EFULL (answered 409 Conflict) naming field, for an action the object's
 * current state does not allow. */
int fz_casedb_conflict(fz_error *err, const char *field, const char *what, int64_t id, const char *state);

#endif
