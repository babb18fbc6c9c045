/* fz_idmap.h — a set of 64-bit keys, each with a value (the server's
 * "transaction ids seen": id hash -> the event's sequence number).
 *
 * Open addressing with linear probing, so a lookup is one or two cache
 * lines. It grows without a pause: when it fills to three quarters it
 * allocates a table twice the size and moves the old one across a few
 * slots at each later insert, looking in both until the move is done.
 * Growing all at once stopped the server's one HTTP thread, and every
 * request with it, for 15 ms at 393,216 ids and 31 ms at 786,432 (timed
 * under bench_http's replay), and twice as long at each doubling after.
 * Keys are never removed and a key's value never changes. Not thread-safe:
 * one owner. */
#ifndef FZ_IDMAP_H
#define FZ_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct fz_idmap_slot {
    uint64_t key; /* 0: empty */
    int64_t val;
} fz_idmap_slot;

/* Caller-owned; zero it to start empty (= {0}). */
typedef struct fz_idmap {
    fz_idmap_slot *t, *old; /* the table, and the one being moved out of (or NULL) */
    size_t cap, old_cap;    /* powers of two */
    size_t moved;           /* old slots [0, moved) are copied into t */
    size_t n;               /* keys held */
} fz_idmap;

/* The value of key (never 0), or 0 when the map does not hold it. */
int64_t fz_idmap_get(const fz_idmap *m, uint64_t key);

/* Add key (never 0, not already held) with val. Returns 0 or FZ_ENOMEM
 * (the map is unchanged). */
int fz_idmap_put(fz_idmap *m, uint64_t key, int64_t val);

/* Free the tables; the map is empty again. */
void fz_idmap_free(fz_idmap *m);

#endif
