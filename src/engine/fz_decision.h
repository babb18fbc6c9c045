/* fz_decision.h — what the engine answers for one transaction. */
#ifndef FZ_DECISION_H
#define FZ_DECISION_H

#include <stdint.h>

#include "fz_model.h"

typedef enum fz_outcome {
    FZ_OUT_ALLOW = 0,
    FZ_OUT_VERIFY,  /* step-up verification before it goes */
    FZ_OUT_HOLD,    /* held for counter review (落地处理) */
    FZ_OUT_BLOCK,
    FZ_OUT__COUNT
} fz_outcome;

#define FZ_DEC_MAX_HITS 16
#define FZ_DEC_MAX_LV 8
#define FZ_DEC_MAX_CONTRIB 3

/* One rule that fired, on one side. */
typedef struct fz_hit {
    uint16_t rule; /* index into the rule set (fz_rules_info) */
    uint8_t side;  /* FZ_SIDE_PAYER or FZ_SIDE_PAYEE */
    uint8_t pad;
} fz_hit;

/* A large-value threshold crossed for the first time today: one record for
 * (customer, day, CRCD, direction, RMB-or-foreign). */
typedef struct fz_lv_hit {
    uint32_t cust;  /* dense customer id (fz_engine_customer_key) */
    int32_t day;    /* Asia/Shanghai day number */
    uint16_t crcd;  /* 501..504 */
    uint16_t rule;
    uint8_t dir;    /* 0 out (debit), 1 in (credit) */
    uint8_t fx;     /* 0 RMB threshold, 1 USD-equivalent threshold */
    uint8_t pad[2];
} fz_lv_hit;

typedef struct fz_decision {
    uint8_t outcome;    /* fz_outcome */
    uint8_t truncated;  /* more rules fired than hits[] holds */
    uint16_t nhits;
    int32_t score;      /* 0..1000: the sum of fired rules' scores, capped */
    uint32_t payer, payee;           /* dense account ids */
    uint32_t payer_cust, payee_cust; /* dense customer ids */
    uint32_t nlv;
    const struct fz_ruleset *rules;  /* the rule set that decided: reasons, version */
    const fz_model *model;           /* the tree model that scored, or NULL */
    float model_p;                   /* its probability (0 when no model) */
    uint8_t model_hit;               /* model_p >= the model's threshold: an alert */
    uint8_t ncontrib;
    fz_contrib contrib[FZ_DEC_MAX_CONTRIB]; /* when model_hit: the features that raised
                                               model_p most (feature = the model's index) */
    fz_hit hits[FZ_DEC_MAX_HITS];    /* in rule priority order */
    fz_lv_hit lv[FZ_DEC_MAX_LV];
} fz_decision;

/* Remove hits[i] (an analyst suppressed that rule on that account) and
 * recompute the outcome and score from the hits left and the model, the way
 * the engine made them. Large-value hits are regulatory and are never
 * passed here. */
void fz_decision_drop_hit(fz_decision *d, unsigned i);

/* "allow", "verify", "hold", "block". */
const char *fz_outcome_name(unsigned o);

#endif
