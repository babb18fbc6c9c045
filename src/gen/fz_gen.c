/* fz_gen.c — population, background traffic, and time-ordered output.
 *
 * The run plans every injected case up front (fz_gen_cases.c), then goes day
 * by day: it draws that day's background events, adds the injected events
 * due by the day's end, sorts them by (time, planning order) and emits them.
 * Balances move only at emission, in time order, so the balance columns are
 * consistent by construction; amounts that depend on a balance ("send it
 * all on") are settled then too. */
#include "fz_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_error.h"
#include "fz_gen_int.h"

/* ---------- random numbers ---------- */

uint64_t gen_mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

void gen_rng_seed(gen_rng *r, uint64_t seed, uint64_t stream) {
    uint64_t x = seed ^ gen_mix(stream + 0x5A17ULL);
    for (int i = 0; i < 4; i++) {
        x += 0x9E3779B97F4A7C15ULL;
        r->s[i] = gen_mix(x);
    }
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t gen_next(gen_rng *r) {
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* The modulo bias is below 2^-40 for every span used here. */
int64_t gen_range(gen_rng *r, int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + (int64_t)(gen_next(r) % (uint64_t)(hi - lo + 1));
}

int gen_chance(gen_rng *r, int permille) { return gen_range(r, 0, 999) < permille; }

int64_t gen_amount(gen_rng *r, const gen_bucket *b, int n) {
    int total = 0;
    for (int i = 0; i < n; i++) total += b[i].weight;
    int64_t x = gen_range(r, 0, total - 1);
    for (int i = 0; i < n; i++) {
        if (x < b[i].weight) return gen_range(r, b[i].lo, b[i].hi);
        x -= b[i].weight;
    }
    return b[n - 1].lo;
}

/* ---------- small containers ---------- */

int gen_push(gen_vec *v, const gen_ev *e) {
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4096;
        gen_ev *p = realloc(v->v, cap * sizeof *p);
        if (!p) return FZ_ENOMEM;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = *e;
    return 0;
}

static int32_t add_acct(gen *g, int32_t cust, int bank, int party, int64_t bal) {
    if (g->nacct == g->acap) {
        size_t cap = g->acap ? g->acap * 2 : 4096;
        gen_acct *p = realloc(g->acct, cap * sizeof *p);
        if (!p) return g->oom = 1, FZ_ENOMEM;
        g->acct = p;
        g->acap = cap;
    }
    g->acct[g->nacct] = (gen_acct){bal, cust, (uint8_t)bank, (uint8_t)party, cust < 0, 0};
    return (int32_t)g->nacct++;
}

static int32_t add_cust(gen *g, int party) {
    if (g->ncust == g->ccap) {
        size_t cap = g->ccap ? g->ccap * 2 : 4096;
        gen_cust *p = realloc(g->cust, cap * sizeof *p);
        if (!p) return g->oom = 1, FZ_ENOMEM;
        g->cust = p;
        g->ccap = cap;
    }
    g->cust[g->ncust] = (gen_cust){(int32_t)g->nacct, -1, 0, (uint8_t)party, 1, 1, 0, -1};
    return (int32_t)g->ncust++;
}

int32_t gen_stranger(gen *g, int bank, int party) { return add_acct(g, -1, bank, party, 0); }

int32_t gen_actor(gen *g, int party, int64_t bal, int quiet) {
    int32_t c = add_cust(g, party);
    if (c < 0) return c;
    int32_t a = add_acct(g, c, GEN_BANK_FZB, party, bal);
    if (a < 0) return a;
    g->cust[c].nacct = 1;
    g->cust[c].fzb = a;
    g->cust[c].used = 1;
    g->acct[a].quiet = (uint8_t)quiet;
    return a;
}

fz_ms gen_local(int32_t day, int64_t ms_of_day) {
    return (fz_ms)day * FZ_MS_PER_DAY + ms_of_day - FZ_CN_OFFSET_MS;
}

/* ---------- population ---------- */

static const gen_bucket BAL_PERSON[] = {
    {30, 50000, 500000}, {40, 500000, 5000000}, {22, 5000000, 30000000}, {8, 30000000, 200000000}};
static const gen_bucket BAL_ENTITY[] = {
    {50, 100000000, 1000000000}, {40, 1000000000, 5000000000}, {10, 5000000000, 20000000000}};

/* A customer's accounts: mostly at FZB; one in seven elsewhere, so the
 * population also holds counterparties that bank with others. */
static int add_accounts(gen *g, int32_t c) {
    gen_cust *cu = &g->cust[c];
    int n = gen_chance(&g->rng, 300) ? 2 : 1;
    const gen_bucket *b = cu->party == FZ_PARTY_ENTITY ? BAL_ENTITY : BAL_PERSON;
    int nb = cu->party == FZ_PARTY_ENTITY ? GEN_NB(BAL_ENTITY) : GEN_NB(BAL_PERSON);
    for (int i = 0; i < n; i++) {
        int bank = gen_chance(&g->rng, 850) ? GEN_BANK_FZB : (int)gen_range(&g->rng, 1, GEN_BANKS_CN - 1);
        int64_t bal = bank == GEN_BANK_FZB ? gen_amount(&g->rng, b, nb) : 0;
        int32_t a = add_acct(g, c, bank, cu->party, bal);
        if (a < 0) return a;
        cu = &g->cust[c];
        if (bank == GEN_BANK_FZB && cu->fzb < 0) cu->fzb = a;
    }
    cu->nacct = (uint8_t)n;
    return 0;
}

static int index_population(gen *g) {
    g->persons = malloc(g->npop * sizeof *g->persons);
    g->entities = malloc(g->npop * sizeof *g->entities);
    if (!g->persons || !g->entities) return FZ_ENOMEM;
    for (size_t i = 0; i < g->npop; i++) {
        if (g->cust[i].party == FZ_PARTY_ENTITY)
            g->entities[g->nentities++] = (int32_t)i;
        else
            g->persons[g->npersons++] = (int32_t)i;
    }
    for (size_t i = 0; i < g->npersons; i++) {
        gen_cust *cu = &g->cust[g->persons[i]];
        cu->payday = (uint8_t)gen_range(&g->rng, 1, 28);
        if (g->nentities && gen_chance(&g->rng, 850))
            cu->employer = g->entities[gen_range(&g->rng, 0, (int64_t)g->nentities - 1)];
    }
    return 0;
}

static int build_population(gen *g) {
    static const int ACT_W[4] = {30, 40, 20, 10};
    for (int32_t i = 0; i < g->cfg->customers; i++) {
        int party = gen_chance(&g->rng, g->cfg->entity_permille) ? FZ_PARTY_ENTITY : FZ_PARTY_NATURAL;
        int32_t c = add_cust(g, party);
        if (c < 0) return c;
        int64_t x = gen_range(&g->rng, 0, 99), a = 0;
        while (x >= ACT_W[a]) x -= ACT_W[a++];
        g->cust[c].activity = (uint8_t)(a + 1);
        int rc = add_accounts(g, c);
        if (rc) return rc;
    }
    g->npop = g->ncust;
    for (int i = 0; i < GEN_NB(g->foreign); i++) {
        int bank = (int)gen_range(&g->rng, GEN_BANKS_CN, GEN_BANKS - 1);
        int32_t a = gen_stranger(g, bank, gen_chance(&g->rng, 400) ? FZ_PARTY_ENTITY : FZ_PARTY_NATURAL);
        if (a < 0) return a;
        g->foreign[i] = a;
    }
    return index_population(g);
}

/* ---------- background traffic ---------- */

/* Relative weight of each Asia/Shanghai hour: a daytime peak with an evening
 * shoulder for people; office hours for firms; branch hours for counters. */
static const uint8_t W_PEOPLE[24] = {3, 2, 1, 1, 1, 2, 4, 8, 14, 18, 20, 19,
                                     16, 17, 19, 18, 17, 16, 17, 19, 18, 14, 9, 5};
static const uint8_t W_OFFICE[24] = {0, 0, 0, 0, 0, 0, 0, 1, 4, 14, 18, 17,
                                     10, 12, 16, 16, 14, 8, 3, 1, 1, 0, 0, 0};
static const uint8_t W_BRANCH[24] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 18, 16,
                                     10, 12, 16, 16, 12, 0, 0, 0, 0, 0, 0, 0};

static fz_ms draw_time(gen_rng *r, int32_t day, const uint8_t w[24]) {
    int total = 0;
    for (int h = 0; h < 24; h++) total += w[h];
    int64_t x = gen_range(r, 0, total - 1);
    int h = 0;
    while (x >= w[h]) x -= w[h++];
    return gen_local(day, h * FZ_MS_PER_HOUR + gen_range(r, 0, FZ_MS_PER_HOUR - 1));
}

static const gen_bucket AMT_PAY[] = {
    {450, 100, 3000}, {370, 3000, 20000}, {140, 20000, 100000}, {35, 100000, 500000}, {5, 500000, 2000000}};
static const gen_bucket AMT_P2P[] = {
    {45, 1000, 50000}, {35, 50000, 500000}, {15, 500000, 5000000}, {5, 5000000, 20000000}};
static const gen_bucket AMT_SALARY[] = {
    {60, 400000, 1000000}, {30, 1000000, 2500000}, {10, 2500000, 6000000}};
static const gen_bucket AMT_BIZ[] = {
    {55, 100000, 5000000}, {30, 5000000, 50000000}, {12, 50000000, 200000000}, {3, 200000000, 1000000000}};

/* People round what they type: to the yuan, often to the hundred. */
static int64_t round_typed(gen_rng *r, int64_t fen) {
    if (fen >= 50000 && gen_chance(r, 500)) return fen / 10000 * 10000;
    return fen >= 100 ? fen / 100 * 100 : fen;
}

typedef struct bg {
    gen *g;
    gen_rng *r;
    int32_t day;
    int dom; /* day of month */
} bg;

static int bg_push(bg *b, fz_ms t, int32_t payer, int32_t payee, int64_t amt, int kind, int ch) {
    gen_ev e = {t, b->g->seq++, amt, payer, payee, -1, GEN_FIXED, (uint8_t)kind, (uint8_t)ch,
                GEN_NO_CASE, 0, 0, 0};
    return gen_push(&b->g->day, &e);
}

static int32_t any_acct(bg *b, int32_t c) {
    const gen_cust *cu = &b->g->cust[c];
    return cu->acct0 + (int32_t)gen_range(b->r, 0, cu->nacct - 1);
}

/* Busy merchants get most of the trade: a product of two uniforms skews low. */
static int32_t merchant(bg *b) {
    int64_t n = (int64_t)b->g->nentities;
    int64_t x = gen_range(b->r, 0, n - 1);
    int64_t i = x * gen_range(b->r, 0, n - 1) / n;
    return any_acct(b, b->g->entities[i]);
}

/* Friends sit near each other in the list, so people pay the same few. */
static int32_t friend_of(bg *b, size_t pos) {
    int64_t n = (int64_t)b->g->npersons;
    int64_t j = gen_chance(b->r, 700) ? ((int64_t)pos + gen_range(b->r, -30, 30) + n) % n
                                      : gen_range(b->r, 0, n - 1);
    if (j == (int64_t)pos) j = (j + 1) % n;
    return any_acct(b, b->g->persons[j]);
}

/* Cash below the 50k threshold: ATM 100-3,000 yuan in notes (atm_permille of
 * the time), else at the counter up to max_hundreds hundred yuan. */
static int bg_cash(bg *b, int32_t own, int kind, int atm_permille, int64_t max_hundreds) {
    int atm = gen_chance(b->r, atm_permille);
    fz_ms t = draw_time(b->r, b->day, atm ? W_PEOPLE : W_BRANCH);
    int64_t amt = (atm ? gen_range(b->r, 1, 30) : gen_range(b->r, 10, max_hundreds)) * 10000;
    int32_t payer = kind == FZ_KIND_CASH_DEPOSIT ? -1 : own, payee = kind == FZ_KIND_CASH_DEPOSIT ? own : -1;
    return bg_push(b, t, payer, payee, amt, kind, atm ? FZ_CH_ATM : FZ_CH_COUNTER);
}

static int bg_person(bg *b, size_t pos) {
    static const int M_PAY[4] = {5, 11, 17, 23}, M_P2P[4] = {1, 3, 4, 6};
    gen *g = b->g;
    int32_t c = g->persons[pos];
    const gen_cust *cu = &g->cust[c];
    int32_t own = cu->fzb;
    int rc = 0;
    if (own < 0) { /* banks elsewhere: we only see what it pays our people */
        for (int64_t k = gen_range(b->r, 0, 2); k > 0 && !rc; k--) {
            int32_t to = g->cust[g->persons[gen_range(b->r, 0, (int64_t)g->npersons - 1)]].fzb;
            if (to < 0) continue;
            fz_ms t = draw_time(b->r, b->day, W_PEOPLE);
            int32_t from = any_acct(b, c);
            rc = bg_push(b, t, from, to, round_typed(b->r, gen_amount(b->r, AMT_P2P, GEN_NB(AMT_P2P))),
                         FZ_KIND_TRANSFER, FZ_CH_MOBILE);
        }
        return rc;
    }
    if (cu->employer >= 0 && cu->payday == b->dom) {
        fz_ms t = gen_local(b->day, 9 * FZ_MS_PER_HOUR + gen_range(b->r, 0, 2 * FZ_MS_PER_HOUR));
        rc = bg_push(b, t, g->cust[cu->employer].acct0, own, gen_amount(b->r, AMT_SALARY, GEN_NB(AMT_SALARY)),
                     FZ_KIND_TRANSFER, FZ_CH_ONLINE);
    }
    int a = cu->activity - 1;
    for (int64_t k = gen_range(b->r, 0, 2 * M_PAY[a]); k > 0 && !rc && g->nentities; k--) {
        fz_ms t = draw_time(b->r, b->day, W_PEOPLE);
        int32_t to = merchant(b);
        int64_t amt = gen_amount(b->r, AMT_PAY, GEN_NB(AMT_PAY));
        rc = bg_push(b, t, own, to, amt, FZ_KIND_PAYMENT, gen_chance(b->r, 450) ? FZ_CH_POS : FZ_CH_THIRD_PARTY);
    }
    for (int64_t k = gen_range(b->r, 0, 2 * M_P2P[a]); k > 0 && !rc && g->npersons > 1; k--) {
        fz_ms t = draw_time(b->r, b->day, W_PEOPLE);
        int32_t to = friend_of(b, pos);
        int64_t amt = round_typed(b->r, gen_amount(b->r, AMT_P2P, GEN_NB(AMT_P2P)));
        rc = bg_push(b, t, own, to, amt, FZ_KIND_TRANSFER, gen_chance(b->r, 700) ? FZ_CH_MOBILE : FZ_CH_ONLINE);
    }
    if (!rc && gen_chance(b->r, 120)) rc = bg_cash(b, own, FZ_KIND_CASH_DEPOSIT, 650, 300);
    if (!rc && gen_chance(b->r, 150)) rc = bg_cash(b, own, FZ_KIND_CASH_WITHDRAWAL, 750, 200);
    return rc;
}

static int bg_entity(bg *b, size_t pos) {
    gen *g = b->g;
    int32_t c = g->entities[pos];
    int32_t own = g->cust[c].fzb;
    int rc = 0;
    int64_t k = own >= 0 ? gen_range(b->r, 0, 14) : gen_range(b->r, 0, 6);
    for (; k > 0 && !rc && g->nentities > 1; k--) {
        int64_t j = gen_range(b->r, 0, (int64_t)g->nentities - 1);
        if ((size_t)j == pos) continue;
        int32_t payer = own >= 0 ? own : any_acct(b, c);
        int32_t payee = own >= 0 ? any_acct(b, g->entities[j]) : g->cust[g->entities[j]].fzb;
        if (payee < 0) continue;
        fz_ms t = draw_time(b->r, b->day, W_OFFICE);
        rc = bg_push(b, t, payer, payee, round_typed(b->r, gen_amount(b->r, AMT_BIZ, GEN_NB(AMT_BIZ))),
                     FZ_KIND_TRANSFER, FZ_CH_ONLINE);
    }
    return rc;
}

/* About one USD remittance per 500 customers a day, in or out. */
static int bg_remittances(bg *b) {
    gen *g = b->g;
    int64_t n = ((int64_t)g->npop + 250) / 500;
    int rc = 0;
    for (int64_t k = gen_range(b->r, n / 2, n + n / 2); k > 0 && !rc; k--) {
        int32_t c = (int32_t)gen_range(b->r, 0, (int64_t)g->npop - 1);
        int32_t own = g->cust[c].fzb, far = g->foreign[gen_range(b->r, 0, GEN_NB(g->foreign) - 1)];
        if (own < 0) continue;
        int64_t usd = gen_range(b->r, 300, 60000) * 100;
        int out = gen_chance(b->r, 600);
        fz_ms t = draw_time(b->r, b->day, W_OFFICE);
        gen_ev e = {t, g->seq++, usd, out ? own : far, out ? far : own, -1,
                    GEN_FIXED, FZ_KIND_TRANSFER, out ? FZ_CH_COUNTER : FZ_CH_ONLINE, GEN_NO_CASE, 0, 1, 0};
        rc = gen_push(&g->day, &e);
    }
    return rc;
}

static int background(gen *g, int32_t day, int dom) {
    gen_rng r;
    gen_rng_seed(&r, g->cfg->seed, 1000 + (uint64_t)day); /* a stream per day */
    bg b = {g, &r, day, dom};
    int rc = 0;
    for (size_t i = 0; i < g->npersons && !rc; i++) rc = bg_person(&b, i);
    for (size_t i = 0; i < g->nentities && !rc; i++) rc = bg_entity(&b, i);
    return rc ? rc : bg_remittances(&b);
}

/* A merchant for a row planned outside a day: skewed to the busy ones. */
int32_t gen_merchant(gen *g, gen_rng *r) {
    if (!g->nentities) return -1;
    int64_t n = (int64_t)g->nentities;
    int64_t x = gen_range(r, 0, n - 1);
    const gen_cust *cu = &g->cust[g->entities[x * gen_range(r, 0, n - 1) / n]];
    return cu->acct0 + (int32_t)gen_range(r, 0, cu->nacct - 1);
}

/* One earlier row per FZB account of the population, a purchase 20-150 days
 * before the run: the account has a past, so "first seen today" singles out
 * the mules' new accounts, and no ordinary account looks dormant (> 365 days
 * idle). A payment, not cash, so both sides carry an account. */
static int history(gen *g) {
    gen_rng r;
    gen_rng_seed(&r, g->cfg->seed, 3);
    int rc = 0;
    for (size_t c = 0; c < g->npop && !rc; c++) {
        const gen_cust *cu = &g->cust[c];
        for (int32_t a = cu->acct0; a < cu->acct0 + cu->nacct && !rc; a++) {
            if (g->acct[a].bank != GEN_BANK_FZB) continue;
            int32_t day = g->cfg->start_day - (int32_t)gen_range(&r, 20, 150);
            fz_ms t = draw_time(&r, day, W_PEOPLE);
            int64_t amt = gen_range(&r, 1000, 50000);
            int32_t to = gen_merchant(g, &r);
            if (to < 0 || to == a || amt > g->acct[a].bal) continue;
            gen_ev e = {t, g->seq++, amt, a, to, -1, GEN_FIXED, FZ_KIND_PAYMENT,
                        gen_chance(&r, 500) ? FZ_CH_POS : FZ_CH_THIRD_PARTY, GEN_NO_CASE, 0, 0, 0};
            rc = gen_push(&g->cases, &e);
        }
    }
    return rc;
}

/* ---------- emission ---------- */

typedef struct bank_info {
    const char *code;
    const char *prefix; /* 4 digits */
    int len;            /* total digits */
} bank_info;

static const bank_info BANKS[GEN_BANKS] = {
    {"FZB", "6230", 16},      {"ICBC-SH", "6222", 19}, {"CCB-BJ", "6217", 19},  {"ABC-GZ", "6228", 19},
    {"BOC-SZ", "6216", 19},   {"CMB-SZ", "6225", 16},  {"BOCOM-SH", "6259", 19}, {"PSBC-HZ", "6210", 19},
    {"HSBC-HK", "4000", 16},  {"CITI-NY", "5100", 16}, {"DBS-SG", "4500", 16}};

typedef struct scratch {
    char id[40], pa[24], pb[24], pc[16], qc[16], dev[32], ip[20];
} scratch;

static uint32_t put(size_t n, int len) {
    return len < 0 ? 0 : (size_t)len >= n ? (uint32_t)(n - 1) : (uint32_t)len;
}

/* v -> (v * unit + 7) mod 10^k with a unit ending in 7 (no factor in common
 * with 10^k), so each step is a bijection. */
static uint64_t affine(uint64_t v, uint64_t salt, uint64_t mod) {
    uint64_t unit = gen_mix(salt) % mod / 10 * 10 + 7;
    return (uint64_t)(((unsigned __int128)v * unit + 7) % mod);
}

/* Account numbers: bank prefix + a scramble of the account index (affine,
 * rotate the digits by half, affine again), so they look random yet, being
 * a bijection on k digits, never collide. */
static fz_str acct_no(const gen_acct *a, int32_t idx, char *buf, size_t n) {
    const bank_info *bk = &BANKS[a->bank];
    int k = bk->len - 4;
    uint64_t mod = 1, half = 1;
    for (int i = 0; i < k; i++) mod *= 10;
    for (int i = 0; i < k / 2; i++) half *= 10;
    uint64_t v = affine((uint64_t)idx, 11, mod);
    v = v % half * (mod / half) + v / half;
    v = affine(v, 12, mod);
    return (fz_str){buf, put(n, snprintf(buf, n, "%s%0*llu", bk->prefix, k, (unsigned long long)v))};
}

static fz_str cust_id(const gen *g, const gen_acct *a, char *buf, size_t n) {
    if (a->cust < 0 || a->bank != GEN_BANK_FZB) return (fz_str){buf, 0};
    char c = g->cust[a->cust].party == FZ_PARTY_ENTITY ? 'E' : 'P';
    return (fz_str){buf, put(n, snprintf(buf, n, "%c%06d", c, a->cust + 1))};
}

/* Chinese public address blocks, for plausible IPs. */
static const uint8_t IP_A[] = {36, 39, 58, 59, 60, 61, 101, 106, 110, 112, 113, 114, 115, 116, 117,
                               118, 119, 120, 121, 122, 123, 124, 125, 171, 175, 180, 182, 183, 218, 222};

/* Who initiated the session, seen from our side: an FZB payer's phone or PC
 * (a mule's herder shares one device across mules), an ATM or POS terminal. */
static void session(const gen *g, const gen_ev *e, scratch *s, fz_txn *t) {
    t->device = (fz_str){s->dev, 0};
    t->ip = (fz_str){s->ip, 0};
    const gen_acct *pa = e->payer >= 0 ? &g->acct[e->payer] : NULL;
    if (e->channel == FZ_CH_ATM) {
        int32_t who = e->payer >= 0 ? e->payer : e->payee;
        uint64_t h = gen_mix(g->cfg->seed ^ ((uint64_t)g->acct[who].cust * 31 + 7));
        t->device.n = put(sizeof s->dev, snprintf(s->dev, sizeof s->dev, "ATM-%04u", (unsigned)(h % 600)));
        return;
    }
    if (e->channel == FZ_CH_POS && e->payee >= 0) {
        uint64_t h = gen_mix(g->cfg->seed ^ ((uint64_t)e->payee * 131 + 3));
        t->device.n = put(sizeof s->dev, snprintf(s->dev, sizeof s->dev, "POS-%08llx", (unsigned long long)(h & 0xffffffffULL)));
        return;
    }
    if (!pa || pa->bank != GEN_BANK_FZB || e->channel == FZ_CH_COUNTER || e->channel == FZ_CH_POS) return;
    uint64_t key = pa->herder ? 0xB00000ULL + pa->herder : (uint64_t)pa->cust;
    uint64_t h = gen_mix(g->cfg->seed * 0x100000001B3ULL ^ key);
    const char *kind = e->channel == FZ_CH_ONLINE ? "PC" : "MB";
    t->device.n = put(sizeof s->dev, snprintf(s->dev, sizeof s->dev, "%s-%010llx", kind, (unsigned long long)(h >> 24)));
    uint64_t d = gen_mix(h ^ (uint64_t)fz_time_cn_day(e->time)); /* the last octet moves day to day */
    t->ip.n = put(sizeof s->ip, snprintf(s->ip, sizeof s->ip, "%u.%u.%u.%u", IP_A[h % sizeof IP_A],
                                                (unsigned)(h >> 8) & 255, (unsigned)(h >> 16) & 255,
                                                1 + (unsigned)(d % 254)));
}

/* Settle the amount against the payer's balance now. 0 means "no row". */
static int64_t settle(const gen_ev *e, const gen_acct *pa, int tracked, uint64_t *declined) {
    int64_t amt = e->amount;
    if (tracked && e->mode == GEN_FRAC) amt = pa->bal * e->amount / 1000 / 10000 * 10000;
    if (tracked && e->mode == GEN_DRAIN) amt = pa->bal - e->amount;
    if (tracked && amt > pa->bal) {
        if (e->ccase == GEN_NO_CASE && !e->edge) { /* a card declined: no row */
            (*declined)++;
            return 0;
        }
        amt = pa->bal; /* a planned case never fails; the victim sends what is left */
    }
    return amt > 0 ? amt : 0;
}

static void fill_text(const gen *g, const gen_ev *e, uint64_t row, scratch *s, fz_txn *t) {
    int64_t y;
    unsigned m, d;
    fz_civil_from_days(fz_time_cn_day(e->time), &y, &m, &d);
    t->id = (fz_str){s->id, put(sizeof s->id, snprintf(s->id, sizeof s->id, "FZ%04lld%02u%02u%08llu",
                                                           (long long)y, m, d, (unsigned long long)row))};
    t->payer_acct = t->payer_bank = t->payer_cust = t->payee_acct = t->payee_bank = t->payee_cust = (fz_str){"", 0};
    if (e->payer >= 0) {
        const gen_acct *a = &g->acct[e->payer];
        t->payer_acct = acct_no(a, e->payer, s->pa, sizeof s->pa);
        t->payer_bank = (fz_str){BANKS[a->bank].code, (uint32_t)strlen(BANKS[a->bank].code)};
        t->payer_cust = cust_id(g, a, s->pc, sizeof s->pc);
        t->payer_party = a->party;
    }
    if (e->payee >= 0) {
        const gen_acct *a = &g->acct[e->payee];
        t->payee_acct = acct_no(a, e->payee, s->pb, sizeof s->pb);
        t->payee_bank = (fz_str){BANKS[a->bank].code, (uint32_t)strlen(BANKS[a->bank].code)};
        t->payee_cust = cust_id(g, a, s->qc, sizeof s->qc);
        t->payee_party = a->party;
    }
    /* Cash has one account: its owner is the party on both sides. */
    if (e->payer < 0 && e->payee >= 0) t->payer_party = t->payee_party;
    if (e->payee < 0 && e->payer >= 0) t->payee_party = t->payer_party;
    session(g, e, s, t);
}

static void count(fz_gen_stats *st, const gen_ev *e) {
    st->rows++;
    if (e->label == 1) st->positives++;
    if (e->ccase != GEN_NO_CASE) st->case_rows[e->ccase]++;
    else if (e->edge) st->edge_rows++;
    else st->normal++;
}

static int emit(gen *g, const gen_ev *e, fz_gen_sink fn, void *ctx, fz_gen_stats *st) {
    gen_acct *pa = e->payer >= 0 ? &g->acct[e->payer] : NULL;
    gen_acct *pb = e->payee >= 0 ? &g->acct[e->payee] : NULL;
    int ta = pa && pa->bank == GEN_BANK_FZB && !e->usd; /* USD legs sit in FX accounts we don't model */
    int tb = pb && pb->bank == GEN_BANK_FZB && !e->usd;
    int64_t amt = settle(e, pa, ta, &st->declined);
    if (amt == 0) return 0;

    scratch s;
    fz_txn t;
    memset(&t, 0, sizeof t);
    fill_text(g, e, st->rows + 1, &s, &t);
    t.time = e->time;
    t.amount = amt;
    t.currency = e->usd ? FZ_CCY_USD : FZ_CCY_CNY;
    t.channel = e->channel;
    t.kind = e->kind;
    t.flags = e->usd ? FZ_TXN_CROSS_BORDER : 0;
    t.label = (int8_t)e->label;
    t.group = e->group;
    const char *typ = e->ccase != GEN_NO_CASE ? fz_gen_case_name(e->ccase) : "";
    t.typology = (fz_str){typ, (uint32_t)strlen(typ)};
    if (ta) {
        t.flags |= FZ_TXN_HAS_PAYER_BAL;
        t.payer_bal_before = pa->bal;
        pa->bal -= amt;
        t.payer_bal_after = pa->bal;
    }
    if (tb) {
        t.flags |= FZ_TXN_HAS_PAYEE_BAL;
        t.payee_bal_before = pb->bal;
        pb->bal += amt;
        t.payee_bal_after = pb->bal;
    }
    t.src_line = (uint32_t)(st->rows + 1);
    count(st, e);
    return fn(&t, ctx);
}

/* ---------- the run ---------- */

static int ev_cmp(const void *a, const void *b) {
    const gen_ev *x = a, *y = b;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int run_day(gen *g, int32_t d, size_t *next_case, fz_gen_sink fn, void *ctx, fz_gen_stats *st) {
    int32_t day = g->cfg->start_day + d;
    int64_t y;
    unsigned m, dom;
    fz_civil_from_days(day, &y, &m, &dom);
    g->day.n = 0;
    int rc = background(g, day, (int)dom);
    int last = d == g->cfg->days - 1;
    fz_ms end = gen_local(day + 1, 0);
    while (!rc && *next_case < g->cases.n && (last || g->cases.v[*next_case].time < end))
        rc = gen_push(&g->day, &g->cases.v[(*next_case)++]);
    if (rc) return rc;
    if (g->day.n) qsort(g->day.v, g->day.n, sizeof *g->day.v, ev_cmp);
    for (size_t i = 0; i < g->day.n && !rc; i++) rc = emit(g, &g->day.v[i], fn, ctx, st);
    return rc;
}

void fz_gen_config_default(fz_gen_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    cfg->customers = 2000;
    cfg->days = 1;
    cfg->start_day = (int32_t)fz_days_from_civil(2026, 11, 2);
    cfg->entity_permille = 100;
    for (int i = 0; i < FZ_GEN_CASE__COUNT; i++) cfg->rate[i] = 4;
}

static int check_config(const fz_gen_config *cfg) {
    if (cfg->customers < 20 || cfg->customers > 5000000) return FZ_EINVAL;
    if (cfg->days < 1 || cfg->days > 3660) return FZ_EINVAL;
    if ((int64_t)cfg->customers * cfg->days > 200000000) return FZ_EINVAL;
    if (cfg->entity_permille < 10 || cfg->entity_permille > 900) return FZ_EINVAL;
    if (cfg->start_day < 1000 || cfg->start_day > 100000) return FZ_EINVAL;
    for (int i = 0; i < FZ_GEN_CASE__COUNT; i++)
        if (cfg->rate[i] < 0 || cfg->rate[i] > 1000) return FZ_EINVAL;
    return 0;
}

static void gen_free(gen *g) {
    free(g->acct);
    free(g->cust);
    free(g->persons);
    free(g->entities);
    free(g->cases.v);
    free(g->day.v);
}

int fz_gen_run(const fz_gen_config *cfg, fz_gen_sink fn, void *ctx, fz_gen_stats *st) {
    fz_gen_stats local;
    if (!st) st = &local;
    memset(st, 0, sizeof *st);
    if (!cfg || !fn || check_config(cfg)) return FZ_EINVAL;
    gen g;
    memset(&g, 0, sizeof g);
    g.cfg = cfg;
    g.next_group = 1;
    gen_rng_seed(&g.rng, cfg->seed, 1);
    int rc = build_population(&g);
    if (!rc) rc = gen_plan_cases(&g);
    if (!rc) rc = history(&g); /* after the cases: victims' balances are final */
    if (!rc && g.oom) rc = FZ_ENOMEM;
    if (!rc && g.cases.n) qsort(g.cases.v, g.cases.n, sizeof *g.cases.v, ev_cmp);
    memcpy(st->case_groups, g.groups, sizeof g.groups);
    size_t next_case = 0;
    for (int32_t d = 0; !rc && d < cfg->days; d++) rc = run_day(&g, d, &next_case, fn, ctx, st);
    gen_free(&g);
    return rc;
}

static const char *const CASE_NAMES[FZ_GEN_CASE__COUNT] = {
    "large_cash",       "structuring",          "task_scam",            "safe_account",
    "mule_passthrough", "disperse_concentrate", "concentrate_disperse", "dormant_wake"};

const char *fz_gen_case_name(int c) {
    return c >= 0 && c < FZ_GEN_CASE__COUNT ? CASE_NAMES[c] : "unknown";
}

int fz_gen_case_find(const char *s, size_t n) {
    for (int i = 0; i < FZ_GEN_CASE__COUNT; i++)
        if (strlen(CASE_NAMES[i]) == n && memcmp(CASE_NAMES[i], s, n) == 0) return i;
    return -1;
}
