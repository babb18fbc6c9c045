/* fz_idmap.c — keys to values, growing a little at each insert (fz_idmap.h). */
#include "fz_idmap.h"

#include <stdlib.h>

#include "fz_error.h"

#define MIN_CAP ((size_t)1 << 16)
/* Old slots moved at each insert. A table grows at 3/4 full into one twice
 * its size, which grows in turn at 3/4 full: 3/8 of the new size in inserts
 * come between, and the old table to move is half the new size, so a step
 * must move more than 4/3 slots. */
#define MOVE_STEP 4
_Static_assert(MOVE_STEP * 3 > 4, "a move must end before the table grows again");

static int64_t lookup(const fz_idmap_slot *t, size_t cap, uint64_t key) {
    for (size_t j = key & (cap - 1); t[j].key; j = (j + 1) & (cap - 1))
        if (t[j].key == key) return t[j].val;
    return 0;
}

static void place(fz_idmap_slot *t, size_t cap, fz_idmap_slot s) {
    size_t j = s.key & (cap - 1);
    while (t[j].key) j = (j + 1) & (cap - 1);
    t[j] = s;
}

int64_t fz_idmap_get(const fz_idmap *m, uint64_t key) {
    int64_t v = m->cap ? lookup(m->t, m->cap, key) : 0;
    /* a key not yet moved is still in the old table; one already moved is
     * in both, with the same value */
    return v || !m->old ? v : lookup(m->old, m->old_cap, key);
}

/* Copy the next MOVE_STEP old slots across; free the old table once done. */
static void move_some(fz_idmap *m) {
    size_t end = m->moved + MOVE_STEP < m->old_cap ? m->moved + MOVE_STEP : m->old_cap;
    for (; m->moved < end; m->moved++)
        if (m->old[m->moved].key) place(m->t, m->cap, m->old[m->moved]);
    if (m->moved == m->old_cap) {
        free(m->old);
        m->old = NULL;
        m->old_cap = m->moved = 0;
    }
}

/* Start moving into a table twice the size. calloc's zeroed pages come
 * from the kernel as they are first touched, so this costs no pass over
 * memory either. */
static int grow(fz_idmap *m) {
    size_t cap = m->cap ? m->cap * 2 : MIN_CAP;
    fz_idmap_slot *t = calloc(cap, sizeof *t);
    if (!t) return FZ_ENOMEM;
    m->old = m->t;
    m->old_cap = m->cap;
    m->moved = 0;
    m->t = t;
    m->cap = cap;
    if (!m->old_cap) m->old = NULL; /* the first table: nothing to move */
    return 0;
}

int fz_idmap_put(fz_idmap *m, uint64_t key, int64_t val) {
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m)) return FZ_ENOMEM; /* the old move is done (MOVE_STEP) */
    if (m->old) move_some(m);
    place(m->t, m->cap, (fz_idmap_slot){key, val});
    m->n++;
    return 0;
}

void fz_idmap_free(fz_idmap *m) {
    free(m->t);
    free(m->old);
    *m = (fz_idmap){0};
}
