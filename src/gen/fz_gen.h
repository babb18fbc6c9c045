/* fz_gen.h — a synthetic, labelled Chinese bank: the demo data and test input.
 *
 * One run builds a population of customers (natural persons and entities,
 * each with one or two accounts, mostly at our bank "FZB"), lets them trade
 * for `days` days (salaries, merchant payments, transfers, cash, business
 * transfers, a few USD remittances) and injects labelled instances of the
 * typologies of DOMAIN.md §4. Records come out in time order as canonical
 * fz_txn, with balances tracked for every FZB account.
 *
 * Deterministic: the same configuration gives the same records, byte for
 * byte, on every platform (own PRNG, integer arithmetic only, no floats). */
#ifndef FZ_GEN_H
#define FZ_GEN_H

#include <stdint.h>

#include "fz_txn.h"

/* The injected cases. Each instance has its own group id; its rows carry the
 * case's typology name. LARGE_CASH rows are label 0 (legitimate but
 * reportable); every other case is label 1. */
typedef enum fz_gen_case {
    FZ_GEN_LARGE_CASH = 0,       /* "large_cash": cash >= 50,000 yuan (+ 49,999.99 edge rows) */
    FZ_GEN_STRUCTURING,          /* "structuring": cash deposits of 45,000-49,999.99 */
    FZ_GEN_TASK_SCAM,            /* "task_scam": 刷单返利, escalating transfers to new payees */
    FZ_GEN_SAFE_ACCOUNT,         /* "safe_account": 安全账户, savings drained to a new account */
    FZ_GEN_MULE_PASSTHROUGH,     /* "mule_passthrough": 快进快出, near-zero residual */
    FZ_GEN_DISPERSE_CONCENTRATE, /* "disperse_concentrate": many in, one or two out */
    FZ_GEN_CONCENTRATE_DISPERSE, /* "concentrate_disperse": one big in, many out */
    FZ_GEN_DORMANT_WAKE,         /* "dormant_wake": idle > 1 year, then large in and out */
    FZ_GEN_CASE__COUNT
} fz_gen_case;

typedef struct fz_gen_config {
    uint64_t seed;
    int32_t customers;       /* the ordinary population; case actors are added on top */
    int32_t days;            /* >= 1 */
    int32_t start_day;       /* Asia/Shanghai calendar day, days since 1970-01-01 */
    int32_t entity_permille; /* share of entities among customers, in 1/1000 */
    /* Instances of each case per 1,000 customers per day (rounded, at least
     * one when > 0); 0 turns a case off. */
    int32_t rate[FZ_GEN_CASE__COUNT];
} fz_gen_config;

typedef struct fz_gen_stats {
    uint64_t rows;      /* records handed to the sink */
    uint64_t positives; /* of them label 1 */
    uint64_t normal;    /* unlabelled background rows (label 0, no group) */
    uint64_t declined;  /* background payments dropped for lack of funds */
    uint64_t case_rows[FZ_GEN_CASE__COUNT];
    uint32_t case_groups[FZ_GEN_CASE__COUNT]; /* instances injected */
    uint32_t edge_rows; /* 49,999.99 cash rows (label 0, no typology) */
} fz_gen_stats;

/* Receives each record. Its text fields point into the generator's scratch
 * space and are valid only during the call. Return 0 to go on, or a negative
 * FZ_E* code to stop the run, which then returns that code. */
typedef int (*fz_gen_sink)(const fz_txn *t, void *ctx);

/* Defaults: seed 1, 2,000 customers, 1 day from 2026-11-02, 10% entities,
 * 4 instances of each case per 1,000 customers per day. */
void fz_gen_config_default(fz_gen_config *cfg);

/* Generate. st may be NULL. Returns 0, FZ_EINVAL (bad configuration),
 * FZ_ENOMEM, or what the sink returned. */
int fz_gen_run(const fz_gen_config *cfg, fz_gen_sink fn, void *ctx, fz_gen_stats *st);

/* "large_cash", "task_scam"...; "unknown" for an invalid value. */
const char *fz_gen_case_name(int c);

/* The case whose typology name is s, or -1. */
int fz_gen_case_find(const char *s, size_t n);

#endif
