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

/* Counterparty cp seen at sec. */
void fz_cpset_touch(fz_cp_slot set[FZ_CP_SLOTS], uint32_t cp, uint32_t sec);

/* How many distinct counterparties were seen at or after sec (<= FZ_CP_SLOTS). */
int fz_cpset_since(const fz_cp_slot set[FZ_CP_SLOTS], uint32_t sec);

/* Seconds since 2000-01-01T00:00:00Z of a time in ms, clamped to 1 .. UINT32_MAX
 * (2000 to 2136), the compact clock of the slots. */
uint32_t fz_cpset_sec(int64_t ms);

/* The time in ms of a compact clock value (inverse of fz_cpset_sec, to the
 * second). */
int64_t fz_cpset_ms(uint32_t sec);

#endif
