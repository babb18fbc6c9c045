/* fz_gen_int.h — what fz_gen.c (population, background traffic, output) and
 * fz_gen_cases.c (injected cases) share. Not a public interface. */
#ifndef FZ_GEN_INT_H
#define FZ_GEN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "fz_gen.h"

/* xoshiro256** seeded by splitmix64: small, fast, and the same everywhere. */
typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

void gen_rng_seed(gen_rng *r, uint64_t seed, uint64_t stream);
uint64_t gen_next(gen_rng *r);
int64_t gen_range(gen_rng *r, int64_t lo, int64_t hi); /* inclusive */
int gen_chance(gen_rng *r, int permille);
uint64_t gen_mix(uint64_t x); /* splitmix64 finaliser, for stable hashes */

/* A weighted bucket of amounts in fen, drawn uniformly in [lo, hi]. */
typedef struct gen_bucket {
    int weight;
    int64_t lo, hi;
} gen_bucket;
int64_t gen_amount(gen_rng *r, const gen_bucket *b, int n);
#define GEN_NB(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Bank table: index 0 is our bank, FZB; the first GEN_BANKS_CN are domestic. */
#define GEN_BANK_FZB 0
#define GEN_BANKS_CN 8
#define GEN_BANKS 11

/* How an event's amount is settled when it is emitted, against the payer's
 * balance at that moment (which background traffic may have moved). */
enum { GEN_FIXED = 0, GEN_FRAC, GEN_DRAIN };

#define GEN_NO_CASE 0xff

typedef struct gen_acct {
    int64_t bal;   /* fen; tracked for FZB accounts only */
    int32_t cust;  /* -1: a stranger at another bank, owner unknown to us */
    uint8_t bank;
    uint8_t party;
    uint8_t quiet; /* 1: no background traffic (a case actor) */
    uint8_t herder; /* 1..3: a mule run from a herder's device, else 0 */
} gen_acct;

typedef struct gen_cust {
    int32_t acct0; /* first account; accounts are consecutive */
    int32_t fzb;   /* first FZB account or -1 (the customer banks elsewhere) */
    uint8_t nacct;
    uint8_t party;
    uint8_t activity; /* 1..4 */
    uint8_t payday;   /* day of month 1..28 */
    uint8_t used;     /* already cast in an injected case */
    int32_t employer; /* customer index of an entity, or -1 */
} gen_cust;

typedef struct gen_ev {
    fz_ms time;
    uint64_t seq;   /* planning order: breaks time ties deterministically */
    int64_t amount; /* GEN_FIXED: fen; GEN_FRAC: permille of the balance; GEN_DRAIN: fen kept */
    int32_t payer, payee; /* account index, -1 for the cash side */
    int32_t group;
    uint8_t mode, kind, channel, ccase, label;
    uint8_t usd;  /* USD cross-border remittance */
    uint8_t edge; /* the 49,999.99 large-cash edge row */
} gen_ev;

typedef struct gen_vec {
    gen_ev *v;
    size_t n, cap;
} gen_vec;

typedef struct gen {
    const fz_gen_config *cfg;
    gen_rng rng;
    gen_acct *acct;
    size_t nacct, acap;
    gen_cust *cust;
    size_t ncust, ccap;
    size_t npop;     /* customers 0..npop-1 are the ordinary population */
    int32_t *persons, *entities; /* population customers by party */
    size_t npersons, nentities;
    int32_t foreign[32]; /* stranger accounts abroad, for remittances */
    gen_vec cases;   /* all injected events, planned up front */
    gen_vec day;     /* one day's events, background and injected */
    uint64_t seq;
    int32_t next_group;
    uint32_t groups[FZ_GEN_CASE__COUNT]; /* instances planned per case */
    int oom; /* an allocation failed; indexes returned since are -1 */
} gen;

int gen_push(gen_vec *v, const gen_ev *e);
/* A new account at `bank` for nobody we know (cust -1); its index, or -1
 * with g->oom set. */
int32_t gen_stranger(gen *g, int bank, int party);
/* A new customer with one FZB account, outside the population; the account. */
int32_t gen_actor(gen *g, int party, int64_t bal, int quiet);
/* UTC ms of local (Asia/Shanghai) time day + ms_of_day. */
fz_ms gen_local(int32_t day, int64_t ms_of_day);

/* A merchant's account (skewed to busy ones), or -1 when there are none. */
int32_t gen_merchant(gen *g, gen_rng *r);

int gen_plan_cases(gen *g);

#endif
