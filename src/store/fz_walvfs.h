/* fz_walvfs.h — the SQLite VFS Fanzha opens its store with.
 *
 * The operating system's VFS in every respect but one: the writes SQLite
 * makes to a WAL file one after another (a frame's header, its page, the
 * next frame...) reach the system as one write, made when SQLite next syncs,
 * reads, sizes or closes that file (fz_walvfs.c says why that is safe). A
 * group commit of the event log is then one pwrite and one fdatasync. */
#ifndef FZ_WALVFS_H
#define FZ_WALVFS_H

#include <sqlite3.h>

#define FZ_WALVFS_NAME "fanzha"

/* Register the VFS under FZ_WALVFS_NAME (not as the default), once per
 * process; thread-safe. Returns SQLITE_OK, or an SQLite error code when it
 * could not be registered (open with the default VFS then). */
int fz_walvfs_register(void);

#endif
