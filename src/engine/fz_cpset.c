/* fz_cpset.c — see fz_cpset.h. */
#include "fz_cpset.h"

#define EPOCH_2000_MS INT64_C(946684800000)

void fz_cpset_init(fz_cp_slot set[FZ_CP_SLOTS]) {
    for (int i = 0; i < FZ_CP_SLOTS; i++) set[i] = (fz_cp_slot){FZ_CP_EMPTY, 0};
}

void fz_cpset_touch(fz_cp_slot set[FZ_CP_SLOTS], uint32_t cp, uint32_t sec) {
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

int fz_cpset_since(const fz_cp_slot set[FZ_CP_SLOTS], uint32_t sec) {
    int n = 0;
    for (int i = 0; i < FZ_CP_SLOTS; i++) n += set[i].cp != FZ_CP_EMPTY && set[i].sec >= sec;
    return n;
}

uint32_t fz_cpset_sec(int64_t ms) {
    int64_t s = (ms - EPOCH_2000_MS) / 1000;
    if (s < 1) return 1;
    if (s > (int64_t)UINT32_MAX) return UINT32_MAX;
    return (uint32_t)s;
}

int64_t fz_cpset_ms(uint32_t sec) { return EPOCH_2000_MS + (int64_t)sec * 1000; }
