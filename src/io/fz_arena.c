/* fz_arena.c — see fz_arena.h. */
#include "fz_arena.h"

#include <stdlib.h>
#include <string.h>

struct fz__arena_chunk {
    fz__arena_chunk *prev;
    char data[];
};

enum { ARENA_FIRST = 16 * 1024, ARENA_MAX_CHUNK = 4 * 1024 * 1024 };

void fz__arena_init(fz__arena *a) {
    a->head = NULL;
    a->cur = a->end = NULL;
    a->next_size = ARENA_FIRST;
}

void fz__arena_free(fz__arena *a) {
    fz__arena_chunk *c = a->head;
    while (c) {
        fz__arena_chunk *prev = c->prev;
        free(c);
        c = prev;
    }
    fz__arena_init(a);
}

static int arena_grow(fz__arena *a, size_t need) {
    size_t size = a->next_size;
    if (size < need) size = need;
    fz__arena_chunk *c = malloc(sizeof *c + size);
    if (!c) return -1;
    c->prev = a->head;
    a->head = c;
    a->cur = c->data;
    a->end = c->data + size;
    /* Doubling keeps the number of chunks logarithmic in the bytes held. */
    if (a->next_size < ARENA_MAX_CHUNK) a->next_size *= 2;
    return 0;
}

char *fz__arena_alloc(fz__arena *a, size_t n) {
    if (!a->cur || (size_t)(a->end - a->cur) < n) {
        if (arena_grow(a, n) != 0) return NULL;
    }
    char *p = a->cur;
    a->cur += n;
    return p;
}

char *fz__arena_dup(fz__arena *a, const char *s, size_t n) {
    char *p = fz__arena_alloc(a, n);
    if (p && n) memcpy(p, s, n);
    return p;
}
