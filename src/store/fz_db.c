/* fz_db.c — open, migrate and drive one SQLite connection (fz_db.h). */
#include "fz_db_int.h"
#include "fz_walvfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STMT_CACHE 128

struct fz_db {
    sqlite3 *h;
    char path[512];
    int nstmt;
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } stmt[STMT_CACHE];
};

int fz_db_fail(fz_db *db, int rc, const char *what, fz_error *err) {
    const char *m = db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
    return fz_error_set(err, rc == SQLITE_NOMEM ? FZ_ENOMEM : FZ_EIO, db ? db->path : NULL, 0, 0, NULL,
                        "%s: %s", what, m);
}

int fz_db_exec(fz_db *db, const char *sql, fz_error *err) {
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : fz_db_fail(db, rc, "sql", err);
}

int fz_db_begin(fz_db *db, fz_error *err) { return fz_db_exec(db, "BEGIN IMMEDIATE", err); }
int fz_db_commit(fz_db *db, fz_error *err) { return fz_db_exec(db, "COMMIT", err); }
void fz_db_rollback(fz_db *db) {
    if (!sqlite3_get_autocommit(db->h)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int fz_db_end(fz_db *db, int rc, fz_error *err) {
    if (!rc) rc = fz_db_commit(db, err);
    if (rc) fz_db_rollback(db);
    return rc;
}

int fz_db_schema_latest(void) { return fz__db_nsteps; }

int fz_db_schema_version(fz_db *db) {
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Apply the steps the file lacks, each with its version bump in one
 * transaction, so a crash mid-migration leaves the last whole version. */
static int migrate(fz_db *db, fz_error *err) {
    int v = fz_db_schema_version(db);
    if (v < 0) return fz_db_fail(db, SQLITE_ERROR, "read schema version", err);
    if (v > fz__db_nsteps)
        return fz_error_set(err, FZ_EIO, db->path, 0, 0, NULL,
                            "schema version %d is newer than this build's %d: use a newer fanzha", v,
                            fz__db_nsteps);
    for (; v < fz__db_nsteps; v++) {
        char bump[48];
        snprintf(bump, sizeof bump, "PRAGMA user_version=%d", v + 1);
        int rc = fz_db_begin(db, err);
        if (!rc) rc = fz_db_exec(db, fz__db_steps[v], err);
        if (!rc) rc = fz_db_exec(db, bump, err);
        if (!rc) rc = fz_db_commit(db, err);
        if (rc) {
            fz_db_rollback(db);
            return rc;
        }
    }
    return 0;
}

int fz_db_open(fz_db **out, const char *path, fz_error *err) {
    *out = NULL;
    fz_db *db = calloc(1, sizeof *db);
    if (!db) return fz_error_set(err, FZ_ENOMEM, path, 0, 0, NULL, "out of memory");
    snprintf(db->path, sizeof db->path, "%s", path);
    int rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             fz_walvfs_register() == SQLITE_OK ? FZ_WALVFS_NAME : NULL);
    if (rc != SQLITE_OK) {
        fz_db_fail(db, rc, "open", err);
        fz_db_close(db);
        return FZ_EIO;
    }
    /* WAL + synchronous=FULL: a commit is on disk (the WAL fsynced) before
     * sqlite3_step returns, so what was acknowledged survives a power cut.
     * busy_timeout lets the event writer and the API connection take turns. */
    rc = fz_db_exec(db,
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=10000; PRAGMA temp_store=MEMORY;"
                    "PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824",
                    err);
    if (!rc) rc = migrate(db, err);
    if (rc) {
        fz_db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

void fz_db_close(fz_db *db) {
    if (!db) return;
    for (int i = 0; i < db->nstmt; i++) sqlite3_finalize(db->stmt[i].st);
    sqlite3_close(db->h);
    free(db);
}

void fz_db_autocheckpoint_off(fz_db *db) { sqlite3_wal_autocheckpoint(db->h, 0); }

sqlite3 *fz_db_sqlite(fz_db *db) { return db->h; }
const char *fz_db_path(const fz_db *db) { return db->path; }

sqlite3_stmt *fz_db_stmt(fz_db *db, const char *sql, fz_error *err) {
    for (int i = 0; i < db->nstmt; i++)
        if (db->stmt[i].sql == sql) {
            sqlite3_reset(db->stmt[i].st);
            sqlite3_clear_bindings(db->stmt[i].st);
            return db->stmt[i].st;
        }
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        fz_db_fail(db, rc, "prepare", err);
        return NULL;
    }
    if (db->nstmt < STMT_CACHE) {
        db->stmt[db->nstmt].sql = sql;
        db->stmt[db->nstmt++].st = st;
    } else {
        /* Cache full: a bug in the caller (statements are literals, so a
         * fixed number). Fail loudly rather than leak one per call. */
        sqlite3_finalize(st);
        fz_error_set(err, FZ_EFULL, db->path, 0, 0, NULL, "statement cache full (%d)", STMT_CACHE);
        return NULL;
    }
    return st;
}

int fz_db_bind_text(sqlite3_stmt *st, int i, const char *p, size_t n) {
    return sqlite3_bind_text(st, i, p ? p : "", (int)n, SQLITE_TRANSIENT);
}

int fz_db_run(fz_db *db, sqlite3_stmt *st, const char *what, fz_error *err) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fz_db_fail(db, rc, what, err);
}

const char *fz_db_col_text(sqlite3_stmt *st, int i, size_t *n) {
    const unsigned char *t = sqlite3_column_text(st, i);
    if (n) *n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    return t ? (const char *)t : "";
}

int fz_db_rows(fz_db *db, sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st), const char *what, json_t **out,
               fz_error *err) {
    json_t *a = json_array();
    int rc = SQLITE_NOMEM;
    while (a && (rc = sqlite3_step(st)) == SQLITE_ROW)
        if (json_array_append_new(a, row(st))) {
            rc = SQLITE_NOMEM;
            break;
        }
    sqlite3_reset(st);
    *out = rc == SQLITE_DONE ? a : NULL;
    if (rc == SQLITE_DONE) return 0;
    json_decref(a);
    return fz_db_fail(db, rc, what, err);
}

int64_t fz_db_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
