/* fz_hash.h — 64-bit FNV-1a, for digests and id tables that want a wide
 * hash (fz_intern keeps its own 32-bit one in its slots). Not for anything
 * an attacker's input could be made to collide on purpose to harm. */
#ifndef FZ_HASH_H
#define FZ_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FZ_FNV64_INIT 0xcbf29ce484222325ull

/* Continue the hash h over n bytes at p. */
static inline uint64_t fz_fnv64(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

#endif
