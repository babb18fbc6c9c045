/* fz_window.h — one sliding time window kept as a ring of time buckets.
 *
 * A window of length W is kept as FZ_WIN_BUCKETS buckets, each W/(B-1) wide
 * and named by its epoch (time / width). The value of the window at time t is
 * the sum of all B buckets: the partly filled current one plus the B-1 full
 * ones before it, so it always contains everything of the last W and at most
 * one bucket width (W/2 with B = 3) more. Erring that way means a rule never
 * misses activity that lies inside its window. B = 3 is what fits four
 * windows, two directions, in the 512-byte per-account budget next to the
 * counterparty sets and the customer's day totals.
 *
 * A bucket is one uint64: the count in the low 20 bits and the sum of amounts
 * (non-negative minor units) in the high 44 bits, both saturating (1,048,575
 * transactions or 175,921,860,444.15 yuan per bucket). Packing halves the
 * state per account, which is what keeps it inside 512 bytes. */
#ifndef FZ_WINDOW_H
#define FZ_WINDOW_H

#include <stdint.h>

#define FZ_WIN_BUCKETS 3
#define FZ_BUCKET_COUNT_BITS 20
#define FZ_BUCKET_COUNT_MAX ((1u << FZ_BUCKET_COUNT_BITS) - 1u)
#define FZ_BUCKET_SUM_MAX ((int64_t)((UINT64_C(1) << (64 - FZ_BUCKET_COUNT_BITS)) - 1u))

typedef uint64_t fz_bucket;

/* The epoch (bucket number) of time t for a window of `width` ms; floors
 * negative times correctly. */
static inline int64_t fz_window_epoch(int64_t t, int64_t width) {
    return t >= 0 ? t / width : -((-t + width - 1) / width);
}

/* The ring slot of an epoch: epoch mod FZ_WIN_BUCKETS, also for negative
 * epochs. Callers work it out once per transaction, not per update. */
static inline unsigned fz_window_slot(int64_t epoch) {
    int64_t m = epoch % FZ_WIN_BUCKETS;
    return (unsigned)(m < 0 ? m + FZ_WIN_BUCKETS : m);
}

/* Move the ring on by `steps` epochs (steps >= 0) to the epoch whose slot is
 * `to`: the buckets of the new epochs (to and the steps-1 before it) are
 * emptied. Inline, as the rest of this module: it runs several times per
 * transaction. */
static inline void fz_window_advance(fz_bucket ring[FZ_WIN_BUCKETS], unsigned to, int64_t steps) {
    if (steps <= 0) return;
    if (steps >= FZ_WIN_BUCKETS) {
        for (unsigned i = 0; i < FZ_WIN_BUCKETS; i++) ring[i] = 0;
        return;
    }
    for (unsigned s = to; steps-- > 0; s = s ? s - 1 : FZ_WIN_BUCKETS - 1) ring[s] = 0;
}

/* Add one transaction of `amount` (>= 0) to the bucket in `slot`, which must
 * be that of the ring's current epoch. */
static inline void fz_window_add(fz_bucket ring[FZ_WIN_BUCKETS], unsigned slot, int64_t amount) {
    fz_bucket *b = &ring[slot];
    uint64_t count = *b & FZ_BUCKET_COUNT_MAX;
    uint64_t sum = *b >> FZ_BUCKET_COUNT_BITS;
    if (count < FZ_BUCKET_COUNT_MAX) count++;
    if (amount > 0) {
        uint64_t room = (uint64_t)FZ_BUCKET_SUM_MAX - sum;
        sum += (uint64_t)amount < room ? (uint64_t)amount : room;
    }
    *b = (sum << FZ_BUCKET_COUNT_BITS) | count;
}

/* The count and sum over the whole ring. */
static inline void fz_window_read(const fz_bucket ring[FZ_WIN_BUCKETS], int64_t *count, int64_t *sum) {
    int64_t c = 0, s = 0;
    for (unsigned i = 0; i < FZ_WIN_BUCKETS; i++) {
        c += (int64_t)(ring[i] & FZ_BUCKET_COUNT_MAX);
        s += (int64_t)(ring[i] >> FZ_BUCKET_COUNT_BITS);
    }
    *count = c;
    *sum = s;
}

#endif
