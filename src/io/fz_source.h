/* fz_source.h — internal: a whole input file in memory.
 *
 * Fanzha's records are views into their source text, so the reader keeps the
 * entire (decompressed) file in one buffer for its lifetime. Plain regular
 * files are mapped (no copy, the page cache serves them); pipes and standard
 * input are read into a heap buffer; gzip data, recognised by its magic bytes
 * whatever the file is called, is inflated into a heap buffer. */
#ifndef FZ_SOURCE_H
#define FZ_SOURCE_H

#include <stddef.h>

#include "fz_error.h"

typedef struct fz__source {
    const char *data; /* the text; not NUL-terminated */
    size_t size;
    void *map;        /* mmap'd region, or NULL */
    size_t map_len;
    char *heap;       /* malloc'd buffer we own, or NULL */
} fz__source;

/* Load path ("-" = standard input). Errors are FZ_EIO naming the path and
 * the errno text, or naming the gzip damage; FZ_ENOMEM. */
int fz__source_load(fz__source *s, const char *path, fz_error *err);

/* Use n bytes at data, borrowed (they must outlive the source); gzip data is
 * inflated into a buffer of our own. name is for error messages. */
int fz__source_mem(fz__source *s, const char *name, const char *data, size_t n, fz_error *err);

void fz__source_free(fz__source *s);

/* 1 if the bytes start with the gzip magic number. */
int fz__source_is_gzip(const char *data, size_t n);

#endif
