/* fz_decision.c — see fz_decision.h. */
#include "fz_decision.h"

#include "fz_rules.h"

const char *fz_outcome_name(unsigned o) {
    static const char *const names[FZ_OUT__COUNT] = {"allow", "verify", "hold", "block"};
    return o < FZ_OUT__COUNT ? names[o] : "unknown";
}

void fz_decision_drop_hit(fz_decision *d, unsigned i) {
    if (i >= d->nhits) return;
    for (unsigned k = i + 1; k < d->nhits; k++) d->hits[k - 1] = d->hits[k];
    d->nhits--;
    int32_t score = d->model_hit ? (int32_t)(d->model_p * 1000.0f) : 0;
    uint8_t out = FZ_OUT_ALLOW;
    for (unsigned k = 0; k < d->nhits; k++) {
        const fz_rule_info *ri = fz_rules_info(d->rules, d->hits[k].rule);
        score += ri->score;
        if (ri->action <= FZ_ACT_BLOCK && ri->action - FZ_ACT_ALERT > out) out = (uint8_t)(ri->action - FZ_ACT_ALERT);
    }
    d->score = score > 1000 ? 1000 : score;
    d->outcome = out;
}
