/* fz_gen_cases.c — the injected, labelled cases (DOMAIN.md §1 and §4).
 *
 * Every instance is planned before any row is emitted: it picks its actors
 * (population customers for victims, depositors and structurers; new FZB
 * accounts for mules and the dormant account; never-seen accounts at other
 * banks for scammers and collectors), tops up a victim's balance so the
 * script can run, and lays out its events. Amounts that depend on the
 * balance at the time ("send on all but a few yuan") are settled at emission
 * (GEN_FRAC, GEN_DRAIN in fz_gen.c). */
#include <stddef.h>

#include "fz_error.h"
#include "fz_gen_int.h"

#define MIN FZ_MS_PER_MIN
#define HOUR FZ_MS_PER_HOUR
#define YUAN 100LL

typedef struct plan {
    gen *g;
    gen_rng *r;
    int32_t group;
    uint8_t ccase, label, edge;
} plan;

static int add(plan *p, fz_ms t, int32_t payer, int32_t payee, int64_t amount, int mode, int kind, int ch) {
    if (p->g->oom) return FZ_ENOMEM; /* an actor could not be made */
    gen_ev e = {t, p->g->seq++, amount, payer, payee, p->group, (uint8_t)mode, (uint8_t)kind, (uint8_t)ch,
                p->ccase, p->label, 0, p->edge};
    return gen_push(&p->g->cases, &e);
}

static void begin(plan *p, int c) {
    p->ccase = (uint8_t)c;
    p->label = c == FZ_GEN_LARGE_CASH ? 0 : 1;
    p->edge = 0;
    p->group = p->g->next_group++;
    p->g->groups[c]++;
}

/* A local time on a random day of the run, between two times of day. */
static fz_ms when(plan *p, int64_t lo, int64_t hi) {
    int32_t day = p->g->cfg->start_day + (int32_t)gen_range(p->r, 0, p->g->cfg->days - 1);
    return gen_local(day, gen_range(p->r, lo, hi));
}

static int32_t stranger(plan *p, int party) {
    return gen_stranger(p->g, (int)gen_range(p->r, 1, GEN_BANKS_CN - 1), party);
}

static int some_party(plan *p, int entity_permille) {
    return gen_chance(p->r, entity_permille) ? FZ_PARTY_ENTITY : FZ_PARTY_NATURAL;
}

/* An FZB account of a population customer not yet cast in a case (party -1:
 * either), its balance raised to at least min_bal: the victim had savings. */
static int32_t pick_customer(plan *p, int party, int64_t min_bal) {
    gen *g = p->g;
    for (int tries = 0; tries < 2000; tries++) {
        gen_cust *cu = &g->cust[gen_range(p->r, 0, (int64_t)g->npop - 1)];
        if (cu->used || cu->fzb < 0 || (party >= 0 && cu->party != party)) continue;
        cu->used = 1;
        gen_acct *a = &g->acct[cu->fzb];
        if (a->bal < min_bal) a->bal = min_bal + gen_range(p->r, 0, min_bal / 4);
        return cu->fzb;
    }
    return gen_actor(g, party >= 0 ? party : FZ_PARTY_NATURAL, min_bal, 0); /* population exhausted */
}

/* A new FZB account run by a mule herder: no history, (almost) empty. */
static int32_t mule(plan *p) {
    int32_t a = gen_actor(p->g, FZ_PARTY_NATURAL, gen_range(p->r, 0, 5000), 1);
    if (a >= 0) p->g->acct[a].herder = (uint8_t)gen_range(p->r, 1, 3);
    return a;
}

/* lo..hi minutes, to the millisecond. */
static int64_t minutes(plan *p, int64_t lo, int64_t hi) {
    int64_t m = gen_range(p->r, lo, hi) * MIN;
    return m + gen_range(p->r, 0, MIN - 1);
}

static int ch_app(plan *p) { return gen_chance(p->r, 700) ? FZ_CH_MOBILE : FZ_CH_ONLINE; }

/* One counter cash deposit (dep_per_mille of the time) or withdrawal of amt
 * in banking hours, by a customer who can afford a withdrawal. */
static int counter_cash(plan *p, int64_t amt, int dep_per_mille) {
    int dep = gen_chance(p->r, dep_per_mille);
    int32_t a = pick_customer(p, -1, dep ? 0 : amt + gen_range(p->r, 20000, 200000) * YUAN);
    fz_ms t = when(p, 9 * HOUR, 16 * HOUR + 30 * MIN);
    return dep ? add(p, t, -1, a, amt, GEN_FIXED, FZ_KIND_CASH_DEPOSIT, FZ_CH_COUNTER)
               : add(p, t, a, -1, amt, GEN_FIXED, FZ_KIND_CASH_WITHDRAWAL, FZ_CH_COUNTER);
}

/* Cash at the counter of 50,000 yuan or more; one in three exactly 50,000.00. */
static int case_large_cash(plan *p, int i) {
    begin(p, FZ_GEN_LARGE_CASH);
    int64_t amt = i % 3 == 0 ? 50000 * YUAN : gen_range(p->r, 501, 3000) * 100 * YUAN;
    return counter_cash(p, amt, 600);
}

/* 49,999.99: one fen below the 0501 threshold, unlabelled, for edge tests. */
static int edge_cash(plan *p) {
    p->ccase = GEN_NO_CASE;
    p->label = 0;
    p->edge = 1;
    p->group = -1;
    return counter_cash(p, 50000 * YUAN - 1, 500);
}

/* 3-6 cash deposits of 45,000-49,999.99 on one day, or over up to three days,
 * sometimes swept out by one transfer after the last. */
static int case_structuring(plan *p) {
    begin(p, FZ_GEN_STRUCTURING);
    const fz_gen_config *cfg = p->g->cfg;
    int k = (int)gen_range(p->r, 3, 6);
    int32_t a = pick_customer(p, some_party(p, 200), 0);
    int spread = cfg->days >= 2 && gen_chance(p->r, 500) ? (cfg->days < 3 ? cfg->days : 3) : 1;
    int32_t d0 = cfg->start_day + (int32_t)gen_range(p->r, 0, cfg->days - spread), prev = -1;
    fz_ms t = 0;
    int64_t sum = 0;
    int rc = 0;
    for (int j = 0; j < k && !rc; j++) {
        int32_t day = d0 + j * spread / k;
        t = day != prev ? gen_local(day, gen_range(p->r, 9 * HOUR, 10 * HOUR)) : t + gen_range(p->r, 30, 70) * MIN;
        prev = day;
        int64_t amt = gen_range(p->r, 45000 * YUAN, 50000 * YUAN - 1);
        int ch = gen_chance(p->r, 800) ? FZ_CH_COUNTER : FZ_CH_ATM;
        if (ch == FZ_CH_ATM) amt = amt / (100 * YUAN) * (100 * YUAN); /* ATMs take 100-yuan notes */
        else if (gen_chance(p->r, 600)) amt = amt / YUAN * YUAN;
        sum += amt;
        rc = add(p, t, -1, a, amt, GEN_FIXED, FZ_KIND_CASH_DEPOSIT, ch);
    }
    if (rc || !gen_chance(p->r, 500)) return rc;
    t += gen_range(p->r, 20, 90) * MIN;
    int32_t to = stranger(p, some_party(p, 500));
    int64_t out = sum * gen_range(p->r, 85, 98) / 100 / (100 * YUAN) * (100 * YUAN);
    return add(p, t, a, to, out, GEN_FIXED, FZ_KIND_TRANSFER, FZ_CH_ONLINE);
}

/* 刷单返利: a small paid task and a small rebate, then top-ups growing three-
 * to fourfold (200, 600, 2,000, 8,000, 30,000 ...) to several new payees. */
static int case_task_scam(plan *p) {
    begin(p, FZ_GEN_TASK_SCAM);
    int k = (int)gen_range(p->r, 4, 7), np = (int)gen_range(p->r, 3, k < 5 ? k : 5);
    int64_t amt[7], sum = 0;
    amt[0] = gen_range(p->r, 1, 3) * 100 * YUAN;
    for (int j = 1; j < k; j++) {
        int64_t a = amt[j - 1] * gen_range(p->r, 25, 40) / 10;
        a = a >= 1000 * YUAN ? a / (100 * YUAN) * (100 * YUAN) : a / (10 * YUAN) * (10 * YUAN);
        amt[j] = a < 100000 * YUAN ? a : 100000 * YUAN;
    }
    for (int j = 0; j < k; j++) sum += amt[j];
    int32_t payee[5];
    for (int j = 0; j < np; j++) payee[j] = stranger(p, some_party(p, 350));
    int32_t v = pick_customer(p, FZ_PARTY_NATURAL, sum + gen_range(p->r, 5000, 50000) * YUAN);
    int ch = ch_app(p), rc = 0;
    fz_ms t = when(p, 10 * HOUR, 21 * HOUR + 30 * MIN); /* after work, often */
    for (int j = 0; j < k && !rc; j++) {
        rc = add(p, t, v, payee[j * np / k], amt[j], GEN_FIXED, FZ_KIND_TRANSFER, ch);
        if (j == 0 && !rc) { /* the hook: the first task "pays" a commission */
            t += gen_range(p->r, 5, 15) * MIN;
            int32_t from = stranger(p, FZ_PARTY_NATURAL);
            rc = add(p, t, from, v, amt[0] * gen_range(p->r, 110, 130) / 100, GEN_FIXED, FZ_KIND_TRANSFER,
                     FZ_CH_MOBILE);
        }
        t += minutes(p, 5, 25);
    }
    return rc;
}

/* 冒充公检法 → 安全账户: all savings to a never-seen account, in one transfer
 * or two (most, then the rest), leaving a few yuan. */
static int case_safe_account(plan *p) {
    begin(p, FZ_GEN_SAFE_ACCOUNT);
    int64_t savings = gen_range(p->r, 80000, 1200000) * YUAN;
    int32_t v = pick_customer(p, FZ_PARTY_NATURAL, savings);
    int32_t to = stranger(p, FZ_PARTY_NATURAL);
    int ch = gen_chance(p->r, 500) ? FZ_CH_MOBILE : gen_chance(p->r, 600) ? FZ_CH_ONLINE : FZ_CH_COUNTER;
    fz_ms t = when(p, 9 * HOUR + 30 * MIN, 16 * HOUR);
    int64_t keep = gen_range(p->r, 0, 300 * YUAN);
    if (gen_chance(p->r, 500)) return add(p, t, v, to, keep, GEN_DRAIN, FZ_KIND_TRANSFER, ch);
    int rc = add(p, t, v, to, gen_range(p->r, 500, 800), GEN_FRAC, FZ_KIND_TRANSFER, ch);
    int32_t to2 = gen_chance(p->r, 500) ? to : stranger(p, FZ_PARTY_NATURAL);
    return rc ? rc : add(p, t + gen_range(p->r, 10, 40) * MIN, v, to2, keep, GEN_DRAIN, FZ_KIND_TRANSFER, ch);
}

/* 快进快出: a new account receives 20k-200k and within minutes sends on all
 * but a few yuan, three to six times in the day, mostly to one collector. */
static int case_mule_passthrough(plan *p) {
    begin(p, FZ_GEN_MULE_PASSTHROUGH);
    int32_t m = mule(p), collector = stranger(p, FZ_PARTY_NATURAL);
    int cycles = (int)gen_range(p->r, 3, 6), rc = 0;
    fz_ms t = when(p, 0, 14 * HOUR); /* mules work nights too */
    for (int c = 0; c < cycles && !rc; c++) {
        int64_t in = gen_range(p->r, 200, 2000) * 100 * YUAN;
        if (gen_chance(p->r, 300)) in += gen_range(p->r, 1, 9999);
        int32_t from = stranger(p, FZ_PARTY_NATURAL);
        rc = add(p, t, from, m, in, GEN_FIXED, FZ_KIND_TRANSFER, ch_app(p));
        t += minutes(p, 1, 10);
        int32_t to = gen_chance(p->r, 600) ? collector : stranger(p, FZ_PARTY_NATURAL);
        if (!rc) rc = add(p, t, m, to, gen_range(p->r, 0, 50 * YUAN), GEN_DRAIN, FZ_KIND_TRANSFER, FZ_CH_MOBILE);
        t += gen_range(p->r, 30, 120) * MIN;
    }
    return rc;
}

/* 分散转入、集中转出: 8-15 distinct payers within hours, then one or two outs. */
static int case_disperse_concentrate(plan *p) {
    begin(p, FZ_GEN_DISPERSE_CONCENTRATE);
    int32_t m = mule(p);
    int n = (int)gen_range(p->r, 8, 15), rc = 0;
    int64_t span = gen_range(p->r, 60, 240) * MIN;
    fz_ms t0 = when(p, 6 * HOUR, 18 * HOUR);
    for (int j = 0; j < n && !rc; j++) {
        int64_t amt = gen_range(p->r, 30, 500) * 100 * YUAN;
        fz_ms t = t0 + span * j / n + gen_range(p->r, 0, 5 * MIN);
        int32_t from = stranger(p, FZ_PARTY_NATURAL);
        rc = add(p, t, from, m, amt, GEN_FIXED, FZ_KIND_TRANSFER, ch_app(p));
    }
    fz_ms t = t0 + span + gen_range(p->r, 10, 60) * MIN;
    int64_t keep = gen_range(p->r, 0, 100 * YUAN);
    int32_t to = stranger(p, some_party(p, 500));
    if (rc || gen_chance(p->r, 500))
        return rc ? rc : add(p, t, m, to, keep, GEN_DRAIN, FZ_KIND_TRANSFER, FZ_CH_MOBILE);
    rc = add(p, t, m, to, gen_range(p->r, 500, 700), GEN_FRAC, FZ_KIND_TRANSFER, FZ_CH_MOBILE);
    int32_t to2 = stranger(p, some_party(p, 500));
    t += gen_range(p->r, 5, 30) * MIN;
    return rc ? rc : add(p, t, m, to2, keep, GEN_DRAIN, FZ_KIND_TRANSFER, FZ_CH_MOBILE);
}

/* 集中转入、分散转出: one large credit from a firm, then 8-15 distinct outs. */
static int case_concentrate_disperse(plan *p) {
    begin(p, FZ_GEN_CONCENTRATE_DISPERSE);
    int32_t m = mule(p);
    int64_t in = gen_range(p->r, 2000, 10000) * 100 * YUAN;
    fz_ms t = when(p, 9 * HOUR, 20 * HOUR);
    int32_t from = stranger(p, FZ_PARTY_ENTITY);
    int rc = add(p, t, from, m, in, GEN_FIXED, FZ_KIND_TRANSFER, FZ_CH_ONLINE);
    int n = (int)gen_range(p->r, 8, 15);
    int64_t left = in;
    t += gen_range(p->r, 5, 30) * MIN;
    for (int j = 0; j < n - 1 && !rc; j++) {
        int64_t amt = in / n * gen_range(p->r, 80, 110) / 100 / (100 * YUAN) * (100 * YUAN);
        if (amt > left - 1000 * YUAN) amt = left - 1000 * YUAN; /* leave something for the last */
        left -= amt;
        rc = add(p, t, m, stranger(p, FZ_PARTY_NATURAL), amt, GEN_FIXED, FZ_KIND_TRANSFER, FZ_CH_MOBILE);
        t += minutes(p, 2, 15);
    }
    int32_t to = stranger(p, FZ_PARTY_NATURAL);
    return rc ? rc : add(p, t, m, to, gen_range(p->r, 0, 100 * YUAN), GEN_DRAIN, FZ_KIND_TRANSFER, FZ_CH_MOBILE);
}

/* An account last used 400-1,500 days ago (its one earlier row, a small
 * purchase, is unlabelled background) wakes with 100k-800k in and out. */
static int case_dormant_wake(plan *p) {
    const fz_gen_config *cfg = p->g->cfg;
    int32_t a = gen_actor(p->g, FZ_PARTY_NATURAL, gen_range(p->r, 500, 5000) * YUAN, 1);
    plan seed = {p->g, p->r, -1, GEN_NO_CASE, 0, 0};
    int32_t sday = cfg->start_day - (int32_t)gen_range(p->r, 400, 1500);
    fz_ms st = gen_local(sday, gen_range(p->r, 9 * HOUR, 20 * HOUR));
    int32_t shop = gen_merchant(p->g, p->r);
    int rc = shop < 0 ? 0
                      : add(&seed, st, a, shop, gen_range(p->r, 50, 400) * YUAN, GEN_FIXED, FZ_KIND_PAYMENT,
                            FZ_CH_POS);
    begin(p, FZ_GEN_DORMANT_WAKE);
    int64_t in = gen_range(p->r, 1000, 8000) * 100 * YUAN;
    fz_ms t = when(p, 9 * HOUR, 21 * HOUR);
    int32_t from = stranger(p, some_party(p, 500));
    if (!rc) rc = add(p, t, from, a, in, GEN_FIXED, FZ_KIND_TRANSFER, FZ_CH_ONLINE);
    int n = (int)gen_range(p->r, 1, 3);
    t += gen_range(p->r, 10, 90) * MIN;
    for (int j = 0; j < n - 1 && !rc; j++) {
        int64_t amt = in * gen_range(p->r, 25, 40) / 100 / (100 * YUAN) * (100 * YUAN);
        int32_t to = stranger(p, some_party(p, 300));
        rc = add(p, t, a, to, amt, GEN_FIXED, FZ_KIND_TRANSFER, ch_app(p));
        t += gen_range(p->r, 5, 30) * MIN;
    }
    int32_t to = stranger(p, some_party(p, 300));
    int64_t keep = gen_range(p->r, 0, 200 * YUAN);
    return rc ? rc : add(p, t, a, to, keep, GEN_DRAIN, FZ_KIND_TRANSFER, ch_app(p));
}

/* Instances of case c for this run: rate per 1,000 customers per day. */
static int instances(const fz_gen_config *cfg, int c) {
    int64_t n = ((int64_t)cfg->rate[c] * cfg->customers * cfg->days + 500) / 1000;
    return cfg->rate[c] > 0 && n == 0 ? 1 : (int)n;
}

int gen_plan_cases(gen *g) {
    gen_rng r;
    gen_rng_seed(&r, g->cfg->seed, 2); /* cases draw apart from the population */
    plan p = {g, &r, -1, GEN_NO_CASE, 0, 0};
    int rc = 0;
    for (int c = 0; c < FZ_GEN_CASE__COUNT && !rc; c++) {
        int n = instances(g->cfg, c);
        for (int i = 0; i < n && !rc; i++) {
            switch (c) {
            case FZ_GEN_LARGE_CASH: rc = case_large_cash(&p, i); break;
            case FZ_GEN_STRUCTURING: rc = case_structuring(&p); break;
            case FZ_GEN_TASK_SCAM: rc = case_task_scam(&p); break;
            case FZ_GEN_SAFE_ACCOUNT: rc = case_safe_account(&p); break;
            case FZ_GEN_MULE_PASSTHROUGH: rc = case_mule_passthrough(&p); break;
            case FZ_GEN_DISPERSE_CONCENTRATE: rc = case_disperse_concentrate(&p); break;
            case FZ_GEN_CONCENTRATE_DISPERSE: rc = case_concentrate_disperse(&p); break;
            default: rc = case_dormant_wake(&p); break;
            }
        }
        if (c == FZ_GEN_LARGE_CASH && n > 0) /* the edge rows ride with large_cash */
            for (int i = 0; i < (n / 3 > 0 ? n / 3 : 1) && !rc; i++) rc = edge_cash(&p);
    }
    return rc;
}
