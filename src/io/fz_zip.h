/* fz_zip.h — writing ZIP archives in memory (PKWARE APPNOTE 6.3, the subset
 * every unzip reads: deflate or stored entries, no ZIP64, no encryption).
 *
 * Entries are deflated with zlib (raw deflate) and stored as they are when
 * that does not make them smaller. A size limit lets a caller fill archives
 * up to a bound (the regulator's 5 MB per bundle). */
#ifndef FZ_ZIP_H
#define FZ_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "fz_time.h"

typedef struct fz_zip {
    unsigned char *data;  /* local entries, then (after finish) the directory */
    size_t len, cap;
    unsigned char *dir;   /* central directory records */
    size_t dlen, dcap;
    unsigned count;
    uint16_t dos_time, dos_date;
} fz_zip;

/* An empty archive whose entries carry the Asia/Shanghai time of mtime. */
void fz_zip_init(fz_zip *z, fz_ms mtime);
void fz_zip_free(fz_zip *z);

/* Add a file `name` (ASCII, < 256 bytes) with n bytes of data. With limit >
 * 0, an entry that would make the finished archive larger than limit bytes
 * is not added and FZ_EFULL is returned. Returns 0, FZ_EFULL, FZ_EINVAL
 * (name, or more than 65535 entries or 4 GiB) or FZ_ENOMEM. */
int fz_zip_add(fz_zip *z, const char *name, const void *data, size_t n, size_t limit);

/* The size the archive will have once finished. */
size_t fz_zip_size(const fz_zip *z);

/* Append the central directory and end record; *out (n bytes) is the
 * archive, owned by z until fz_zip_free. Returns 0 or FZ_ENOMEM. */
int fz_zip_finish(fz_zip *z, const unsigned char **out, size_t *n);

#endif
