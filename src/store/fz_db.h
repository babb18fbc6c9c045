/* fz_db.h — the durable store's connection: one SQLite file in WAL mode.
 *
 * Every module that keeps durable data (the event log, alerts, holds, cases,
 * the audit chain, API tokens, rule versions, customers) talks to SQLite
 * through an fz_db: it opens the file, sets the pragmas that make an
 * acknowledged commit survive kill -9 and power loss (WAL with
 * synchronous=FULL), and migrates the schema forward to the version this
 * build knows (fz_db_schema.c holds every step). Files are opened through
 * the "fanzha" VFS (fz_walvfs.h), which writes a commit's WAL frames in one
 * system call. One fz_db per thread: SQLite connections are not shared
 * between threads here. Errors follow fz_error.h: 0 or a negative FZ_E*
 * code, with the SQLite message in err. */
#ifndef FZ_DB_H
#define FZ_DB_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "fz_error.h"

typedef struct fz_db fz_db;

/* Open (creating if absent) the database at path, set its pragmas and run
 * every migration it lacks, in one transaction each. ":memory:" gives a
 * private in-memory database (tests). Returns 0, FZ_EIO (cannot open,
 * disk error, or a file written by a newer Fanzha: its schema version is
 * named) or FZ_ENOMEM. */
int fz_db_open(fz_db **out, const char *path, fz_error *err);
void fz_db_close(fz_db *db);

/* Never checkpoint from this connection (SQLite's automatic checkpoint
 * after a commit that leaves the WAL over 1,000 pages): for the server's
 * connections beside its event log, whose writer is the one connection that
 * checkpoints. SQLite before 3.51.3 can skip WAL frames when a checkpoint
 * starts on one connection while another's commit restarts the WAL
 * (https://sqlite.org/wal.html#walresetbug); one checkpointer rules it out. */
void fz_db_autocheckpoint_off(fz_db *db);

/* The raw handle, for the module that prepares its own statements. */
sqlite3 *fz_db_sqlite(fz_db *db);

/* The file this connection was opened on. */
const char *fz_db_path(const fz_db *db);

/* The schema version this build writes, and the one the file has. */
int fz_db_schema_latest(void);
int fz_db_schema_version(fz_db *db);

/* Run one or more SQL statements without results. Returns 0 or FZ_EIO. */
int fz_db_exec(fz_db *db, const char *sql, fz_error *err);

/* Turn a SQLite result code into Fanzha's idiom: fill err with what
 * (e.g. "insert alert") and SQLite's message, return FZ_EIO (FZ_ENOMEM for
 * SQLITE_NOMEM). For callers that drive sqlite3_* directly. */
int fz_db_fail(fz_db *db, int rc, const char *what, fz_error *err);

/* Transactions: BEGIN IMMEDIATE (so a writer waits for the lock up front,
 * never half-way), COMMIT, ROLLBACK. Return 0 or FZ_EIO. */
int fz_db_begin(fz_db *db, fz_error *err);
int fz_db_commit(fz_db *db, fz_error *err);
void fz_db_rollback(fz_db *db);

/* End the transaction a change ran in: commit when rc is 0, else roll back.
 * Returns rc, or the commit's error (after rolling back). So a change and
 * its audit entry are written together or not at all:
 *     rc = fz_db_begin(db, err); if (!rc) rc = change(..); if (!rc) rc = audit(..);
 *     return fz_db_end(db, rc, err); */
int fz_db_end(fz_db *db, int rc, fz_error *err);

/* Prepare sql once per connection and cache it: later calls with the same
 * pointer return the same statement, reset and unbound. The string must be a
 * literal (its address is the key). NULL with err filled on failure. */
sqlite3_stmt *fz_db_stmt(fz_db *db, const char *sql, fz_error *err);

/* Bind a NUL-less text view (SQLITE_TRANSIENT copy) to parameter i. */
int fz_db_bind_text(sqlite3_stmt *st, int i, const char *p, size_t n);

/* Step a statement that returns no row (INSERT, UPDATE, DELETE); resets it.
 * Returns 0 or FZ_EIO. */
int fz_db_run(fz_db *db, sqlite3_stmt *st, const char *what, fz_error *err);

/* The text of column i of the current row ("" for NULL), and its length. */
const char *fz_db_col_text(sqlite3_stmt *st, int i, size_t *n);

/* Every row st returns, each turned into JSON by row (which reads the
 * current row's columns), as a new array in *out; st is reset after. what
 * names the query in a store error. Returns 0, FZ_ENOMEM or FZ_EIO. */
int fz_db_rows(fz_db *db, sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st), const char *what, json_t **out,
               fz_error *err);

/* Wall-clock now in ms UTC (the time written into rows). */
int64_t fz_db_now_ms(void);

#endif
