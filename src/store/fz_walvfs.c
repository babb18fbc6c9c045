/* fz_walvfs.c — the "fanzha" SQLite VFS: the system's own, but a WAL file
 * gathers the frames of a commit into one write (fz_walvfs.h).
 *
 * SQLite writes each WAL frame as two pwrite calls (its 24-byte header, then
 * the page), so a group commit of seven pages made fourteen system calls,
 * each walking the page cache for one or two pages; with the fdatasync after
 * them they were half of the event-log writer's time (perf). Here the writes
 * of a WAL file that continue one another are kept in a buffer and handed to
 * the system's VFS as one write when anything else touches the file: a sync
 * (every commit: the store runs synchronous=FULL), a read, a size or
 * truncate, a file control, a lock, a close, or a write elsewhere. SQLite
 * makes a commit visible to other connections (the WAL index) only after
 * its sync returns, so no reader can look for a frame still in the buffer;
 * frames a transaction spills before its commit are read back through this
 * same handle, which writes the buffer first. A failed buffered write is
 * reported by the call that flushed it (the commit's sync), so the commit
 * fails as it would have. */
#include "fz_walvfs.h"

#include <pthread.h>
#include <string.h>

/* 64 KiB: a commit of 15 frames in one write, larger ones in pieces. The
 * unix VFS writes at most 128 KiB - 1 in one call (it masks the length with
 * 0x1ffff: SQLite itself never writes more than a page at once). */
#define BUF_CAP (64 * 1024)

typedef struct wal_file {
    sqlite3_file base;  /* pMethods = &wal_methods */
    sqlite3_file *real; /* the system VFS's handle, placed right after this struct */
    sqlite3_int64 off;  /* file offset of buf[0] */
    int len;            /* bytes waiting in buf */
    unsigned char *buf; /* BUF_CAP bytes, allocated at the first write */
} wal_file;

static sqlite3_vfs *real_vfs(sqlite3_vfs *v) { return v->pAppData; }

/* Write what is waiting. Returns an SQLite code. */
static int flush(wal_file *w) {
    if (!w->len) return SQLITE_OK;
    int n = w->len;
    w->len = 0;
    return w->real->pMethods->xWrite(w->real, w->buf, n, w->off);
}

static int wal_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off) {
    wal_file *w = (wal_file *)f;
    if (w->len && (off != w->off + w->len || w->len + n > BUF_CAP)) {
        int rc = flush(w);
        if (rc != SQLITE_OK) return rc;
    }
    if (!w->buf && !(w->buf = sqlite3_malloc(BUF_CAP))) return w->real->pMethods->xWrite(w->real, p, n, off);
    if (n > BUF_CAP) return w->real->pMethods->xWrite(w->real, p, n, off);
    if (!w->len) w->off = off;
    memcpy(w->buf + w->len, p, (size_t)n);
    w->len += n;
    return SQLITE_OK;
}

static int wal_close(sqlite3_file *f) {
    wal_file *w = (wal_file *)f;
    int rc = flush(w);
    int rc2 = w->real->pMethods->xClose(w->real);
    sqlite3_free(w->buf);
    w->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

/* Every other method writes the buffer first, then does what the system's
 * handle does: this gives that handle, or NULL with the failed write's code
 * in *rc. */
static sqlite3_file *flushed(sqlite3_file *f, int *rc) {
    wal_file *w = (wal_file *)f;
    *rc = flush(w);
    return *rc == SQLITE_OK ? w->real : NULL;
}

static int wal_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off) {
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xRead(r, p, n, off) : rc;
}
static int wal_truncate(sqlite3_file *f, sqlite3_int64 size) {
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xTruncate(r, size) : rc;
}
static int wal_sync(sqlite3_file *f, int flags) {
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xSync(r, flags) : rc;
}
static int wal_size(sqlite3_file *f, sqlite3_int64 *size) {
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xFileSize(r, size) : rc;
}
static int wal_lock(sqlite3_file *f, int lock) {
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xLock(r, lock) : rc;
}
static int wal_unlock(sqlite3_file *f, int lock) {
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xUnlock(r, lock) : rc;
}
static int wal_reserved(sqlite3_file *f, int *out) {
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xCheckReservedLock(r, out) : rc;
}
static int wal_fcntl(sqlite3_file *f, int op, void *arg) {
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xFileControl(r, op, arg) : rc;
}
static int wal_sector(sqlite3_file *f) {
    wal_file *w = (wal_file *)f;
    return w->real->pMethods->xSectorSize(w->real);
}
static int wal_device(sqlite3_file *f) {
    wal_file *w = (wal_file *)f;
    return w->real->pMethods->xDeviceCharacteristics(w->real);
}

/* Version 1: SQLite maps shared memory and pages through the database
 * file's handle, never the WAL's. */
static const sqlite3_io_methods wal_methods = {
    .iVersion = 1,
    .xClose = wal_close,
    .xRead = wal_read,
    .xWrite = wal_write,
    .xTruncate = wal_truncate,
    .xSync = wal_sync,
    .xFileSize = wal_size,
    .xLock = wal_lock,
    .xUnlock = wal_unlock,
    .xCheckReservedLock = wal_reserved,
    .xFileControl = wal_fcntl,
    .xSectorSize = wal_sector,
    .xDeviceCharacteristics = wal_device,
};

/* A WAL file gets the wrapper; every other file is the system VFS's own
 * handle, opened straight into the space SQLite gave (szOsFile covers both). */
static int vfs_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out) {
    sqlite3_vfs *r = real_vfs(v);
    if (!(flags & SQLITE_OPEN_WAL)) return r->xOpen(r, name, f, flags, out);
    wal_file *w = (wal_file *)f;
    memset(w, 0, sizeof *w);
    w->real = (sqlite3_file *)(w + 1);
    int rc = r->xOpen(r, name, w->real, flags, out);
    if (rc == SQLITE_OK) w->base.pMethods = &wal_methods;
    return rc;
}

/* The rest is the system VFS's, called with its own object. */
static int vfs_delete(sqlite3_vfs *v, const char *name, int sync_dir) {
    return real_vfs(v)->xDelete(real_vfs(v), name, sync_dir);
}
static int vfs_access(sqlite3_vfs *v, const char *name, int flags, int *out) {
    return real_vfs(v)->xAccess(real_vfs(v), name, flags, out);
}
static int vfs_fullpath(sqlite3_vfs *v, const char *name, int n, char *out) {
    return real_vfs(v)->xFullPathname(real_vfs(v), name, n, out);
}
static void *vfs_dlopen(sqlite3_vfs *v, const char *name) { return real_vfs(v)->xDlOpen(real_vfs(v), name); }
static void vfs_dlerror(sqlite3_vfs *v, int n, char *msg) { real_vfs(v)->xDlError(real_vfs(v), n, msg); }
static void (*vfs_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void) {
    return real_vfs(v)->xDlSym(real_vfs(v), h, sym);
}
static void vfs_dlclose(sqlite3_vfs *v, void *h) { real_vfs(v)->xDlClose(real_vfs(v), h); }
static int vfs_random(sqlite3_vfs *v, int n, char *out) { return real_vfs(v)->xRandomness(real_vfs(v), n, out); }
static int vfs_sleep(sqlite3_vfs *v, int us) { return real_vfs(v)->xSleep(real_vfs(v), us); }
static int vfs_time(sqlite3_vfs *v, double *out) { return real_vfs(v)->xCurrentTime(real_vfs(v), out); }
static int vfs_lasterror(sqlite3_vfs *v, int n, char *out) {
    return real_vfs(v)->xGetLastError(real_vfs(v), n, out);
}
static int vfs_time64(sqlite3_vfs *v, sqlite3_int64 *out) {
    return real_vfs(v)->xCurrentTimeInt64(real_vfs(v), out);
}

static sqlite3_vfs vfs;
static int registered_rc = SQLITE_ERROR;

static void register_once(void) {
    sqlite3_vfs *r = sqlite3_vfs_find(NULL);
    if (!r || r->iVersion < 2) return; /* never on Linux: the unix VFS is version 3 */
    vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(wal_file) + r->szOsFile,
        .mxPathname = r->mxPathname,
        .zName = FZ_WALVFS_NAME,
        .pAppData = r,
        .xOpen = vfs_open,
        .xDelete = vfs_delete,
        .xAccess = vfs_access,
        .xFullPathname = vfs_fullpath,
        .xDlOpen = vfs_dlopen,
        .xDlError = vfs_dlerror,
        .xDlSym = vfs_dlsym,
        .xDlClose = vfs_dlclose,
        .xRandomness = vfs_random,
        .xSleep = vfs_sleep,
        .xCurrentTime = vfs_time,
        .xGetLastError = vfs_lasterror,
        .xCurrentTimeInt64 = vfs_time64,
    };
    registered_rc = sqlite3_vfs_register(&vfs, 0);
}

int fz_walvfs_register(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_once);
    return registered_rc;
}
