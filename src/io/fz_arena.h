/* fz_arena.h — internal: a bump allocator owned by one reader.
 *
 * Records hand out views (fz_str) that must stay valid until the reader is
 * closed, so text that cannot point into the input buffer (unescaped CSV
 * fields, decoded JSON strings, IBM's bank-qualified account keys) is copied
 * here. Memory is never moved (chunks are chained, not realloc'd) and is freed
 * all at once. */
#ifndef FZ_ARENA_H
#define FZ_ARENA_H

#include <stddef.h>

typedef struct fz__arena_chunk fz__arena_chunk;

typedef struct fz__arena {
    fz__arena_chunk *head; /* newest chunk; older ones are chained behind it */
    char *cur, *end;       /* free space in head */
    size_t next_size;      /* size of the next chunk (grows to bound the chunk count) */
} fz__arena;

void fz__arena_init(fz__arena *a);
void fz__arena_free(fz__arena *a);

/* n bytes (n may be 0), or NULL when out of memory. Not aligned: text only. */
char *fz__arena_alloc(fz__arena *a, size_t n);

/* A copy of n bytes of s, or NULL when out of memory. */
char *fz__arena_dup(fz__arena *a, const char *s, size_t n);

#endif
