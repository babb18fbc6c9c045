/* fz_intern.h — interning of byte strings to dense integer ids 0, 1, 2 ...
 *
 * Account and customer ids become array indexes, so per-account state lives
 * in flat arrays. Lookup of a known key allocates nothing; a new key is
 * copied into an internal arena, which grows by doubling (amortised, and
 * avoidable with fz_intern_reserve). Open addressing, FNV-1a style hash. */
#ifndef FZ_INTERN_H
#define FZ_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct fz_intern fz_intern;

/* Create a table sized for `expect` keys (0 for a small default).
 * Returns 0 or FZ_ENOMEM. */
int fz_intern_new(fz_intern **out, size_t expect);
void fz_intern_free(fz_intern *t);

/* Make room for `n` keys in total without further allocation. */
int fz_intern_reserve(fz_intern *t, size_t n);

/* The id of key, adding it if new (*added set to 1 then, else 0; added may be
 * NULL). Keys are arbitrary bytes, up to 65535 of them.
 * Returns the id (>= 0) or FZ_ENOMEM / FZ_ERANGE. */
int64_t fz_intern_get(fz_intern *t, const char *key, size_t n, int *added);

/* The hash of key as the table uses it, and a hint to bring its slot into
 * cache: a caller with several keys to look up hashes and prefetches them
 * all first, so the cache misses overlap instead of queueing. */
uint32_t fz_intern_hash(const char *key, size_t n);
void fz_intern_prefetch(const fz_intern *t, uint32_t hash);

/* fz_intern_get with the hash already computed by fz_intern_hash. */
int64_t fz_intern_get_hashed(fz_intern *t, const char *key, size_t n, uint32_t hash, int *added);

/* fz_intern_find with the hash already computed by fz_intern_hash. */
int64_t fz_intern_find_hashed(const fz_intern *t, const char *key, size_t n, uint32_t hash);

/* The id of key if present, else -1. Never allocates. */
int64_t fz_intern_find(const fz_intern *t, const char *key, size_t n);

/* The key of an id (not NUL-terminated), its length in *n. */
const char *fz_intern_key(const fz_intern *t, uint32_t id, size_t *n);

/* How many keys; how many bytes the table holds in total. */
size_t fz_intern_count(const fz_intern *t);
size_t fz_intern_bytes(const fz_intern *t);

#endif
