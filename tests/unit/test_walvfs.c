/* test_walvfs.c — the store's VFS (fz_walvfs.h): a commit's WAL frames
 * reach the system as one write instead of two a frame; another connection
 * sees a commit as soon as it returns; a transaction larger than the buffer
 * and than the page cache (frames spilled and read back before the commit)
 * comes back whole; and a write that fails inside the buffer fails the
 * commit instead of vanishing.
 *
 * Under the VFS sits a counting one registered as the default before it, so
 * the test sees every write and sync the WAL file gets and can make one
 * fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fz_db.h"
#include "fz_walvfs.h"

/* ---- the counting VFS under fz_walvfs ---------------------------------- */

typedef struct {
    sqlite3_file base;
    sqlite3_file *real;
    int wal;
} cfile;

static struct {
    int wal_writes, wal_syncs;
    int fail_wal_writes; /* fail every WAL write while set */
} c;

static sqlite3_vfs *sys;

static int c_close(sqlite3_file *f) { return ((cfile *)f)->real->pMethods->xClose(((cfile *)f)->real); }
static int c_read(sqlite3_file *f, void *p, int n, sqlite3_int64 o) {
    return ((cfile *)f)->real->pMethods->xRead(((cfile *)f)->real, p, n, o);
}
static int c_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 o) {
    cfile *cf = (cfile *)f;
    if (cf->wal) {
        c.wal_writes++;
        if (c.fail_wal_writes) return SQLITE_IOERR_WRITE;
    }
    return cf->real->pMethods->xWrite(cf->real, p, n, o);
}
static int c_truncate(sqlite3_file *f, sqlite3_int64 s) {
    return ((cfile *)f)->real->pMethods->xTruncate(((cfile *)f)->real, s);
}
static int c_sync(sqlite3_file *f, int fl) {
    cfile *cf = (cfile *)f;
    if (cf->wal) c.wal_syncs++;
    return cf->real->pMethods->xSync(cf->real, fl);
}
static int c_size(sqlite3_file *f, sqlite3_int64 *s) {
    return ((cfile *)f)->real->pMethods->xFileSize(((cfile *)f)->real, s);
}
static int c_lock(sqlite3_file *f, int l) { return ((cfile *)f)->real->pMethods->xLock(((cfile *)f)->real, l); }
static int c_unlock(sqlite3_file *f, int l) { return ((cfile *)f)->real->pMethods->xUnlock(((cfile *)f)->real, l); }
static int c_reserved(sqlite3_file *f, int *o) {
    return ((cfile *)f)->real->pMethods->xCheckReservedLock(((cfile *)f)->real, o);
}
static int c_fcntl(sqlite3_file *f, int op, void *a) {
    return ((cfile *)f)->real->pMethods->xFileControl(((cfile *)f)->real, op, a);
}
static int c_sector(sqlite3_file *f) { return ((cfile *)f)->real->pMethods->xSectorSize(((cfile *)f)->real); }
static int c_device(sqlite3_file *f) {
    return ((cfile *)f)->real->pMethods->xDeviceCharacteristics(((cfile *)f)->real);
}
static int c_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **p) {
    return ((cfile *)f)->real->pMethods->xShmMap(((cfile *)f)->real, i, sz, ext, p);
}
static int c_shmlock(sqlite3_file *f, int o, int n, int fl) {
    return ((cfile *)f)->real->pMethods->xShmLock(((cfile *)f)->real, o, n, fl);
}
static void c_shmbarrier(sqlite3_file *f) { ((cfile *)f)->real->pMethods->xShmBarrier(((cfile *)f)->real); }
static int c_shmunmap(sqlite3_file *f, int del) {
    return ((cfile *)f)->real->pMethods->xShmUnmap(((cfile *)f)->real, del);
}

/* Version 2: shared memory passes through, memory-mapped pages are off. */
static const sqlite3_io_methods c_methods = {
    .iVersion = 2,
    .xClose = c_close,
    .xRead = c_read,
    .xWrite = c_write,
    .xTruncate = c_truncate,
    .xSync = c_sync,
    .xFileSize = c_size,
    .xLock = c_lock,
    .xUnlock = c_unlock,
    .xCheckReservedLock = c_reserved,
    .xFileControl = c_fcntl,
    .xSectorSize = c_sector,
    .xDeviceCharacteristics = c_device,
    .xShmMap = c_shmmap,
    .xShmLock = c_shmlock,
    .xShmBarrier = c_shmbarrier,
    .xShmUnmap = c_shmunmap,
};

static int c_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out) {
    (void)v;
    cfile *cf = (cfile *)f;
    memset(cf, 0, sizeof *cf);
    cf->real = (sqlite3_file *)(cf + 1);
    cf->wal = (flags & SQLITE_OPEN_WAL) != 0;
    int rc = sys->xOpen(sys, name, cf->real, flags, out);
    if (rc == SQLITE_OK) cf->base.pMethods = &c_methods;
    return rc;
}

static sqlite3_vfs counting;

static int setup_vfs(void **state) {
    (void)state;
    sys = sqlite3_vfs_find(NULL);
    counting = *sys;
    counting.zName = "fanzha-test-counting";
    counting.szOsFile = (int)sizeof(cfile) + sys->szOsFile;
    counting.xOpen = c_open;
    assert_int_equal(sqlite3_vfs_register(&counting, 1), SQLITE_OK); /* the default, which fz_walvfs wraps */
    assert_int_equal(fz_walvfs_register(), SQLITE_OK);
    return 0;
}

/* ---- the tests ---------------------------------------------------------- */

static fz_db *open_store(const char *tag, char *path, size_t n) {
    snprintf(path, n, "/tmp/fanzha-test-walvfs-%d-%s.db", (int)getpid(), tag);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(path);
    unlink(wal);
    fz_db *db;
    fz_error err;
    assert_int_equal(fz_db_open(&db, path, &err), 0);
    fz_db_autocheckpoint_off(db);
    assert_int_equal(fz_db_exec(db, "PRAGMA mmap_size=0; CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)", &err), 0);
    return db;
}

static void drop_store(fz_db *db, const char *path) {
    fz_db_close(db);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(path);
    unlink(wal);
}

/* Insert rows ids [from, to) of n bytes each in one transaction. */
static int insert_rows(fz_db *db, int from, int to, int n) {
    sqlite3 *h = fz_db_sqlite(db);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "INSERT INTO t VALUES(?, randomblob(?))", -1, &st, NULL), SQLITE_OK);
    int rc = sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
    for (int i = from; rc == SQLITE_OK && i < to; i++) {
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_int(st, 2, n);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK) rc = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static long long count_rows(const char *path) {
    sqlite3 *h; /* a connection of its own, through the system's VFS */
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, "unix"), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM t", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* Eight ~1 KB rows fill a few pages: one WAL write, one sync. */
static void one_write_a_commit(void **state) {
    (void)state;
    char path[128];
    fz_db *db = open_store("one", path, sizeof path);
    assert_int_equal(insert_rows(db, 0, 8, 100), SQLITE_OK); /* the WAL header is written and synced once */
    c.wal_writes = c.wal_syncs = 0;
    assert_int_equal(insert_rows(db, 100, 120, 1000), SQLITE_OK); /* ~5 leaf pages and the root: 6+ frames */
    assert_int_equal(c.wal_syncs, 1);
    assert_int_equal(c.wal_writes, 1); /* 12+ without the buffer */
    assert_int_equal(count_rows(path), 28); /* another connection sees it at once */
    drop_store(db, path);
}

/* 8 MB in one transaction through a 100-page cache: frames spill before the
 * commit, the buffer fills many times, pages are read back from the WAL. */
static void big_transaction_whole(void **state) {
    (void)state;
    char path[128];
    fz_db *db = open_store("big", path, sizeof path);
    fz_error err;
    assert_int_equal(fz_db_exec(db, "PRAGMA cache_size=100", &err), 0);
    c.wal_writes = 0;
    assert_int_equal(insert_rows(db, 0, 4000, 2000), SQLITE_OK);
    assert_true(c.wal_writes > 8e6 / (64 * 1024)); /* in pieces the unix VFS takes (< 128 KiB) */
    assert_int_equal(count_rows(path), 4000);
    assert_int_equal(fz_db_exec(db, "UPDATE t SET b = randomblob(1500) WHERE id % 3 = 0", &err), 0);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db), "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    /* and after a checkpoint into the database file */
    assert_int_equal(sqlite3_wal_checkpoint_v2(fz_db_sqlite(db), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(count_rows(path), 4000);
    drop_store(db, path);
}

/* A write the buffer took fails when it is flushed at the commit's sync:
 * the commit reports it and nothing of it is visible. */
static void failed_write_fails_commit(void **state) {
    (void)state;
    char path[128];
    fz_db *db = open_store("fail", path, sizeof path);
    assert_int_equal(insert_rows(db, 0, 10, 500), SQLITE_OK);
    c.fail_wal_writes = 1;
    int rc = insert_rows(db, 10, 30, 1000);
    c.fail_wal_writes = 0;
    assert_int_not_equal(rc, SQLITE_OK);
    assert_int_equal(count_rows(path), 10);
    assert_int_equal(insert_rows(db, 10, 30, 1000), SQLITE_OK); /* and the store goes on */
    assert_int_equal(count_rows(path), 30);
    drop_store(db, path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_write_a_commit),
        cmocka_unit_test(big_transaction_whole),
        cmocka_unit_test(failed_write_fails_commit),
    };
    return cmocka_run_group_tests(tests, setup_vfs, NULL);
}
