/* fz_daytotals.c — see fz_daytotals.h. */
#include "fz_daytotals.h"

#include <string.h>

void fz_daytotals_roll(fz_daytotals *d, int32_t day) {
    if (d->day == day) return;
    memset(d, 0, sizeof *d);
    d->day = day;
}

static uint32_t add_sat_u32(uint32_t a, int64_t b) {
    if (b <= 0) return a;
    uint64_t s = (uint64_t)a + (uint64_t)b;
    return s > FZ_DAY_U32_MAX ? FZ_DAY_U32_MAX : (uint32_t)s;
}

void fz_daytotals_add(fz_daytotals *d, int dir, unsigned cats, int64_t cny_fen,
                      int64_t usd_cents, unsigned channel, int64_t equiv_fen) {
    if (d->count[dir] < UINT16_MAX) d->count[dir]++;
    for (int cat = 0; cat < FZ_LV__COUNT; cat++) {
        if (!(cats & (1u << cat))) continue;
        if (cny_fen > 0 && __builtin_add_overflow(d->cny[cat][dir], cny_fen, &d->cny[cat][dir]))
            d->cny[cat][dir] = INT64_MAX; /* saturate: only >= tests read it */
        d->usd[cat][dir] = add_sat_u32(d->usd[cat][dir], usd_cents);
    }
    if (dir == FZ_DIR_OUT && channel > FZ_CH_UNKNOWN && channel < FZ_CH__COUNT)
        d->chan_out[channel - 1] = add_sat_u32(d->chan_out[channel - 1], equiv_fen);
}
