/* fz_cpset.c — see fz_cpset.h (the per-transaction functions are inline there). */
#include "fz_cpset.h"

void fz_cpset_init(fz_cp_slot set[FZ_CP_SLOTS]) {
    for (int i = 0; i < FZ_CP_SLOTS; i++) set[i] = (fz_cp_slot){FZ_CP_EMPTY, 0};
}
