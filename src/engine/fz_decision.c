/* fz_decision.c — see fz_decision.h. */
#include "fz_decision.h"

const char *fz_outcome_name(unsigned o) {
    static const char *const names[FZ_OUT__COUNT] = {"allow", "verify", "hold", "block"};
    return o < FZ_OUT__COUNT ? names[o] : "unknown";
}
