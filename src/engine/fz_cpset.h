/* fz_cpset.h — distinct counterparties of one account in one direction.
 *
 * FZ_CP_SLOTS slots hold the most recently seen distinct counterparties with
 * the time each was last seen (seconds since 2000-01-01, see fz_cpset_sec).
 * A new counterparty replaces the least recently seen one. Because the slots
 * always hold the FZ_CP_SLOTS most recent distinct counterparties, the
 * number of slots seen since time s is exactly min(true distinct count since
 * s, FZ_CP_SLOTS): exact for small counts, where rule thresholds sit, and
 * saturating above. */
#ifndef FZ_CPSET_H
#define FZ_CPSET_H

#include <stdint.h>

#define FZ_CP_SLOTS 8
#define FZ_CP_EMPTY UINT32_MAX

typedef struct fz_cp_slot {
    uint32_t cp;  /* dense account id, FZ_CP_EMPTY when unused */
    uint32_t sec; /* last seen, fz_cpset_sec() */
} fz_cp_slot;

/* Mark all slots of a new set empty. */
void fz_cpset_init(fz_cp_slot set[FZ_CP_SLOTS]);

#define FZ__CPSET_EPOCH_2000_MS INT64_C(946684800000)

/* Counterparty cp seen at sec. Inline, as the rest of the hot part of this
 * module: it runs for both sides of every transaction. */
static inline void fz_cpset_touch(fz_cp_slot set[FZ_CP_SLOTS], uint32_t cp, uint32_t sec) {
    int oldest = 0;
    for (int i = 0; i < FZ_CP_SLOTS; i++) {
        if (set[i].cp == cp) {
            if (sec > set[i].sec) set[i].sec = sec;
            return;
        }
        if (set[i].sec < set[oldest].sec) oldest = i; /* empty slots have sec 0 */
    }
    set[oldest] = (fz_cp_slot){cp, sec};
}

/* How many distinct counterparties were seen at or after sec (<= FZ_CP_SLOTS). */
static inline int fz_cpset_since(const fz_cp_slot set[FZ_CP_SLOTS], uint32_t sec) {
    int n = 0;
    for (int i = 0; i < FZ_CP_SLOTS; i++) n += set[i].cp != FZ_CP_EMPTY && set[i].sec >= sec;
    return n;
}

/* Seconds since 2000-01-01T00:00:00Z of a time in ms, clamped to 1 .. UINT32_MAX
 * (2000 to 2136), the compact clock of the slots. */
static inline uint32_t fz_cpset_sec(int64_t ms) {
    int64_t s = (ms - FZ__CPSET_EPOCH_2000_MS) / 1000;
    if (s < 1) return 1;
    if (s > (int64_t)UINT32_MAX) return UINT32_MAX;
    return (uint32_t)s;
}

/* The time in ms of a compact clock value (inverse of fz_cpset_sec, to the
 * second). */
static inline int64_t fz_cpset_ms(uint32_t sec) { return FZ__CPSET_EPOCH_2000_MS + (int64_t)sec * 1000; }

#endif
