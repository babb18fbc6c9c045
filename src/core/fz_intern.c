/* fz_intern.c — see fz_intern.h.
 *
 * Layout, chosen for the 512-bytes-per-account budget:
 *   slots[cap]   uint64: the key's 32-bit hash << 32 | id+1 (0 = empty), cap
 *                a power of two, load <= 3/4 (the full hash in the slot keeps
 *                long probe runs cheap, and memory is per account). It sits there so a
 *                probe touches one cache line until hashes match, and a
 *                rehash never touches keys;
 *   off[id]      offset of the key in arena, stored as u16 length + bytes.
 * That is about 16..32 slot bytes + 4 per-id bytes + key + 2 per key. */
#include "fz_intern.h"

#include <stdlib.h>
#include <string.h>

#include "fz_error.h"

#define MIN_CAP 16u
#define MAX_KEY 65535u
#define MAX_COUNT 0x7fffffffu /* ids are 32-bit; cap stays <= 2^32 at load 3/4 */

struct fz_intern {
    uint64_t *slots;
    uint32_t *off;
    char *arena;
    size_t cap;       /* slots */
    size_t idcap;     /* off[] */
    size_t count;
    size_t arena_len, arena_cap;
};

static uint64_t mix(uint64_t a, uint64_t b) {
    unsigned __int128 p = (unsigned __int128)a * b;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
}

static uint64_t load64(const char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* A small wyhash-style hash: 8 bytes per multiply instead of FNV's one byte
 * per multiply; ids and account numbers are 10-30 bytes. */
static uint32_t hash_key(const char *s, size_t n) {
    const uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
    uint64_t h = k0 ^ (n * k1);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) h = mix(h ^ load64(s + i), k1);
    if (i < n) {
        /* the last n - i bytes: from one overlapping 8-byte load when the key
         * is that long (a short memcpy to the stack would stall the load
         * that follows it), byte by byte otherwise */
        uint64_t tail = 0;
        if (n >= 8) {
            tail = load64(s + n - 8) >> (64 - 8 * (n - i));
        } else {
            for (size_t j = n; j-- > i;) tail = tail << 8 | (unsigned char)s[j];
        }
        h = mix(h ^ tail, k0);
    }
    h = mix(h ^ (h >> 29), k1 ^ n);
    return (uint32_t)(h ^ (h >> 32));
}

static int grow_array(void *pp, size_t elem, size_t n) {
    void *p = realloc(*(void **)pp, elem * n);
    if (!p) return FZ_ENOMEM;
    *(void **)pp = p;
    return 0;
}

/* Rebuilds the slot array at capacity cap from the hashes in the slots. */
static int rehash(fz_intern *t, size_t cap) {
    uint64_t *s = calloc(cap, sizeof *s);
    if (!s) return FZ_ENOMEM;
    size_t mask = cap - 1;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i]) continue;
        size_t j = (size_t)(t->slots[i] >> 32) & mask;
        while (s[j]) j = (j + 1) & mask;
        s[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = s;
    t->cap = cap;
    return 0;
}

static size_t slots_for(size_t n) {
    size_t cap = MIN_CAP;
    while (cap / 4 * 3 < n) cap <<= 1;
    return cap;
}

/* Ensures room for n keys and `bytes` more arena bytes: exactly that much
 * when reserving (the caller knows the size), doubling when growing on the
 * fly (amortised). */
static int ensure(fz_intern *t, size_t n, size_t bytes, int exact) {
    if (n > MAX_COUNT) return FZ_ERANGE;
    if (n > t->idcap) {
        size_t c = exact || !t->idcap ? n : t->idcap;
        while (c < n) c *= 2;
        if (c > MAX_COUNT) c = MAX_COUNT;
        if (grow_array(&t->off, sizeof *t->off, c))
            return FZ_ENOMEM;
        t->idcap = c;
    }
    if (n > t->cap / 4 * 3 && rehash(t, slots_for(n)) != 0) return FZ_ENOMEM;
    size_t need = t->arena_len + bytes;
    if (need > UINT32_MAX) return FZ_ERANGE; /* offsets are 32-bit */
    if (need > t->arena_cap) {
        size_t c = exact ? need : t->arena_cap ? t->arena_cap : 256;
        while (c < need) c *= 2;
        if (grow_array(&t->arena, 1, c)) return FZ_ENOMEM;
        t->arena_cap = c;
    }
    return 0;
}

int fz_intern_new(fz_intern **out, size_t expect) {
    fz_intern *t = calloc(1, sizeof *t);
    if (!t) return FZ_ENOMEM;
    if (rehash(t, MIN_CAP) != 0 || (expect && fz_intern_reserve(t, expect) != 0)) {
        fz_intern_free(t);
        return FZ_ENOMEM;
    }
    *out = t;
    return 0;
}

void fz_intern_free(fz_intern *t) {
    if (!t) return;
    free(t->slots);
    free(t->off);
    free(t->arena);
    free(t);
}

int fz_intern_reserve(fz_intern *t, size_t n) {
    /* Arena room is guessed at 16 key bytes + the length prefix per key
     * (an account number at a bank); longer keys grow it as they come. */
    size_t extra = n > t->count ? (n - t->count) * 18 : 0;
    return ensure(t, n, extra, 1);
}

static int key_eq(const fz_intern *t, uint32_t id, const char *key, size_t n) {
    const char *p = t->arena + t->off[id];
    uint16_t len;
    memcpy(&len, p, 2);
    return len == n && (n == 0 || memcmp(p + 2, key, n) == 0);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t probe(const fz_intern *t, const char *key, size_t n, uint32_t h) {
    size_t mask = t->cap - 1, j = h & mask;
    for (;; j = (j + 1) & mask) {
        uint64_t e = t->slots[j];
        if (e == 0 || ((uint32_t)(e >> 32) == h && key_eq(t, (uint32_t)e - 1, key, n))) return j;
    }
}

int64_t fz_intern_find_hashed(const fz_intern *t, const char *key, size_t n, uint32_t hash) {
    if (n > MAX_KEY) return -1;
    uint64_t e = t->slots[probe(t, key, n, hash)];
    return e ? (int64_t)(uint32_t)e - 1 : -1;
}

int64_t fz_intern_find(const fz_intern *t, const char *key, size_t n) {
    return fz_intern_find_hashed(t, key, n, hash_key(key, n));
}

uint32_t fz_intern_hash(const char *key, size_t n) { return hash_key(key, n); }

void fz_intern_prefetch(const fz_intern *t, uint32_t hash) {
    __builtin_prefetch(&t->slots[hash & (t->cap - 1)]);
}

int64_t fz_intern_get(fz_intern *t, const char *key, size_t n, int *added) {
    return fz_intern_get_hashed(t, key, n, hash_key(key, n), added);
}

int64_t fz_intern_get_hashed(fz_intern *t, const char *key, size_t n, uint32_t h, int *added) {
    if (added) *added = 0;
    if (n > MAX_KEY) return FZ_ERANGE;
    size_t j = probe(t, key, n, h);
    if (t->slots[j]) return (int64_t)(uint32_t)t->slots[j] - 1;
    size_t cap = t->cap;
    int rc = ensure(t, t->count + 1, n + 2, 0);
    if (rc != 0) return rc;
    if (t->cap != cap) j = probe(t, key, n, h);
    size_t id = t->count++;
    uint16_t len = (uint16_t)n;
    t->off[id] = (uint32_t)t->arena_len;
    memcpy(t->arena + t->arena_len, &len, 2);
    if (n) memcpy(t->arena + t->arena_len + 2, key, n);
    t->arena_len += n + 2;
    t->slots[j] = (uint64_t)h << 32 | ((uint32_t)id + 1);
    if (added) *added = 1;
    return (int64_t)id;
}

const char *fz_intern_key(const fz_intern *t, uint32_t id, size_t *n) {
    if (id >= t->count) {
        *n = 0;
        return NULL;
    }
    uint16_t len;
    memcpy(&len, t->arena + t->off[id], 2);
    *n = len;
    return t->arena + t->off[id] + 2;
}

size_t fz_intern_count(const fz_intern *t) { return t->count; }

size_t fz_intern_bytes(const fz_intern *t) {
    return sizeof *t + t->cap * sizeof *t->slots + t->idcap * sizeof *t->off +
           t->arena_cap;
}
