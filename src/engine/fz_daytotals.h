/* fz_daytotals.h — one customer's totals for one Asia/Shanghai calendar day.
 *
 * These are the numbers large-value reporting (PBOC Order 2016 No.3 Art.5)
 * decides on: per customer, per day, per direction (credit and debit summed
 * apart, never netted) and per large-value category, RMB and foreign
 * currency apart (foreign amounts as USD cents, since the FX thresholds are
 * in USD). They also carry today's count per direction and today's outflow
 * per channel, for frequency rules and daily channel limits.
 *
 * RMB sums are exact int64 fen. The USD and channel sums are uint32 and
 * saturate at 42,949,672.95: every threshold they are tested against is far
 * below that (the rule compiler enforces it through the schema ceiling), so
 * the decision stays exact while the state stays small. */
#ifndef FZ_DAYTOTALS_H
#define FZ_DAYTOTALS_H

#include <stdint.h>

#include <string.h>

#include "fz_txn.h"

/* Large-value categories. Entities use CASH and TRANSFER_* (0502 sums both
 * transfer categories); natural persons CASH (0501), TRANSFER_DOM (0503) and
 * TRANSFER_XB (0504). */
enum { FZ_LV_CASH = 0, FZ_LV_TRANSFER_DOM, FZ_LV_TRANSFER_XB, FZ_LV__COUNT };
enum { FZ_DIR_OUT = 0, FZ_DIR_IN = 1 };

#define FZ_DAY_U32_MAX UINT32_MAX

typedef struct fz_daytotals {
    int32_t day;                          /* the day these totals are for */
    uint16_t reported;                    /* large-value records made today, bit fz_daytotals_bit() */
    uint16_t count[2];                    /* transactions today, by direction, saturating */
    uint16_t pad;
    int64_t cny[FZ_LV__COUNT][2];         /* RMB fen */
    uint32_t usd[FZ_LV__COUNT][2];        /* foreign currency, USD cents */
    uint32_t chan_out[FZ_CH__COUNT - 1];  /* today's outflow per known channel, CNY-equivalent fen */
} fz_daytotals;

/* Start a new day if `day` is not the one held (totals reset to zero).
 * Inline, as fz_daytotals_add: both run for each side of every transaction. */
static inline void fz_daytotals_roll(fz_daytotals *d, int32_t day) {
    if (d->day == day) return;
    memset(d, 0, sizeof *d);
    d->day = day;
}

/* The large-value categories of a transaction, as a mask of 1 << FZ_LV_*.
 * Cash deposits and withdrawals are cash; transfers and payments are
 * domestic or cross-border transfers; a cash remittance is both cash paid
 * in or out and a transfer, so it counts in both (and can make two records,
 * PBOC Order 2016 No.3 Art.6). */
static inline unsigned fz_lv_categories(unsigned kind, unsigned flags) {
    unsigned transfer = 1u << ((flags & FZ_TXN_CROSS_BORDER) ? FZ_LV_TRANSFER_XB : FZ_LV_TRANSFER_DOM);
    if (kind == FZ_KIND_CASH_REMITTANCE) return (1u << FZ_LV_CASH) | transfer;
    return fz_kind_is_cash(kind) ? 1u << FZ_LV_CASH : transfer;
}

static inline uint32_t fz__day_add_sat_u32(uint32_t a, int64_t b) {
    if (b <= 0) return a;
    uint64_t s = (uint64_t)a + (uint64_t)b;
    return s > FZ_DAY_U32_MAX ? FZ_DAY_U32_MAX : (uint32_t)s;
}

/* Add one transaction in direction dir to the categories in `cats` (a
 * fz_lv_categories mask; 0 for an exempt transaction, which only counts in
 * the day's count and channel outflow). cny_fen: the amount when the
 * currency is CNY, else 0; usd_cents: the USD equivalent when it is not,
 * else 0; equiv_fen: the CNY-equivalent amount for the channel outflow. */
static inline void fz_daytotals_add(fz_daytotals *d, int dir, unsigned cats, int64_t cny_fen,
                                    int64_t usd_cents, unsigned channel, int64_t equiv_fen) {
    if (d->count[dir] < UINT16_MAX) d->count[dir]++;
    for (int cat = 0; cat < FZ_LV__COUNT; cat++) {
        if (!(cats & (1u << cat))) continue;
        if (cny_fen > 0 && __builtin_add_overflow(d->cny[cat][dir], cny_fen, &d->cny[cat][dir]))
            d->cny[cat][dir] = INT64_MAX; /* saturate: only >= tests read it */
        d->usd[cat][dir] = fz__day_add_sat_u32(d->usd[cat][dir], usd_cents);
    }
    if (dir == FZ_DIR_OUT && channel > FZ_CH_UNKNOWN && channel < FZ_CH__COUNT)
        d->chan_out[channel - 1] = fz__day_add_sat_u32(d->chan_out[channel - 1], equiv_fen);
}

/* The bit of `reported` for (CRCD 501..504, direction, fx). */
static inline unsigned fz_daytotals_bit(unsigned crcd, int dir, int fx) {
    return 1u << (((crcd - 501u) & 3u) * 4u + (unsigned)dir * 2u + (unsigned)(fx != 0));
}

#endif
