/* fz_window.c — see fz_window.h. */
#include "fz_window.h"

static inline unsigned slot_of(int64_t epoch) {
    int64_t m = epoch % FZ_WIN_BUCKETS;
    return (unsigned)(m < 0 ? m + FZ_WIN_BUCKETS : m);
}

void fz_window_advance(fz_bucket ring[FZ_WIN_BUCKETS], int64_t from, int64_t to) {
    if (to <= from) return;
    if (to - from >= FZ_WIN_BUCKETS) {
        for (unsigned i = 0; i < FZ_WIN_BUCKETS; i++) ring[i] = 0;
        return;
    }
    for (int64_t e = from + 1; e <= to; e++) ring[slot_of(e)] = 0;
}

void fz_window_add(fz_bucket ring[FZ_WIN_BUCKETS], int64_t epoch, int64_t amount) {
    fz_bucket *b = &ring[slot_of(epoch)];
    uint64_t count = *b & FZ_BUCKET_COUNT_MAX;
    uint64_t sum = *b >> FZ_BUCKET_COUNT_BITS;
    if (count < FZ_BUCKET_COUNT_MAX) count++;
    if (amount > 0) {
        uint64_t room = (uint64_t)FZ_BUCKET_SUM_MAX - sum;
        sum += (uint64_t)amount < room ? (uint64_t)amount : room;
    }
    *b = (sum << FZ_BUCKET_COUNT_BITS) | count;
}

void fz_window_read(const fz_bucket ring[FZ_WIN_BUCKETS], int64_t *count, int64_t *sum) {
    int64_t c = 0, s = 0;
    for (unsigned i = 0; i < FZ_WIN_BUCKETS; i++) {
        c += (int64_t)(ring[i] & FZ_BUCKET_COUNT_MAX);
        s += (int64_t)(ring[i] >> FZ_BUCKET_COUNT_BITS);
    }
    *count = c;
    *sum = s;
}
