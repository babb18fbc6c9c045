/* fz_engine.c — per-account state, per-customer day totals, and the
 * scoring of one transaction. See fz_engine.h for the contract.
 *
 * State is two flat arrays indexed by dense ids. An account is one
 * contiguous block, so scoring it touches neighbouring cache lines:
 *   fz_acct  first/last activity, customer                         (16 bytes)
 *   windows  nwindows x 2 directions x FZ_WIN_BUCKETS packed buckets (192)
 *   cpsets   2 directions x FZ_CP_SLOTS recent counterparties        (128)
 * and cust[] holds each customer's day totals, party and risk grade.
 * A customer the input does not name is the account itself: it gets a
 * customer slot but no interned key, so the common case costs one lookup. */
#include "fz_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_acctkyc.h"
#include "fz_cpset.h"
#include "fz_daytotals.h"
#include "fz_graph.h"
#include "fz_hash.h"
#include "fz_intern.h"
#include "fz_window.h"

#define CUST_UNNAMED 0x80000000u /* fz_cust.key is an account id, not a customer key */
#define NO_CUST UINT32_MAX       /* fz_acct.cust before the account's customer is known */

typedef struct fz_acct {
    int64_t last_active; /* ms */
    uint32_t first_seen; /* fz_cpset_sec(); 0 until the first transaction */
    uint32_t cust;
} fz_acct;

typedef struct fz_cust {
    fz_daytotals day;
    uint32_t key;   /* customer intern id, or account id | CUST_UNNAMED */
    uint8_t party;  /* fz_party */
    uint8_t grade;  /* 0..3 */
    uint8_t pad[2];
} fz_cust;

/* How a schema value is computed: a code and, for windows and day sums, its
 * parameters. Built once with the schema, so computing a value is a switch. */
enum {
    V_AMOUNT, V_AMOUNT_USD, V_CURRENCY, V_FX, V_CHANNEL, V_KIND, V_CASH, V_XB, V_HOUR, V_DIR,
    V_SELF_NEW, V_SELF_AGE, V_SELF_IDLE, V_SELF_PARTY, V_SELF_HAS_BAL, V_SELF_BAL, V_SELF_BAL_BEFORE,
    V_WIN_COUNT, V_WIN_SUM, V_WIN_DISTINCT,
    V_OTHER_NEW, V_OTHER_AGE, V_OTHER_IDLE, V_OTHER_PARTY,
    V_CUST_GRADE, V_ACCT_CLASS, V_ACCT_OUT_DAY, V_ACCT_OUT_YEAR, V_DAY_COUNT, V_DAY_CNY, V_DAY_USD, V_DAY_CHAN_OUT,
    V_G_SCATTER_GATHER, V_G_GATHER_SCATTER, V_G_CYCLE, V_G_PASS, V_G_PASS_LAG
};
#define V_GRAPH_FIRST V_G_SCATTER_GATHER
typedef struct var_code {
    uint8_t code;
    uint8_t win;  /* window index */
    uint8_t dir;  /* FZ_DIR_* for windows */
    uint8_t cat;  /* FZ_LV_* or LV_TRANSFER_ALL for day sums */
} var_code;
#define LV_TRANSFER_ALL 3

/* How feature i is computed, worked out once with the feature vector, so
 * computing it per transaction is the value and one conversion. */
enum { UNIT_RAW, UNIT_YUAN, UNIT_HOURS }; /* model units of fen and ms */
enum { NEED_NONE, NEED_ACCT, NEED_BAL };  /* missing (NaN) unless the side has this */
typedef struct feat_code {
    int16_t var;  /* schema variable */
    int8_t side;
    uint8_t unit;
    uint8_t need;
    uint8_t window; /* a window value: read straight from the side's rings */
    var_code code;  /* the variable's */
} feat_code;

/* What scoring one side needs to know about one account, taken before the
 * transaction updates state (age and idle time look at the past). */
typedef struct side_view {
    int64_t acct;       /* dense id, -1 when the side has no account (cash) */
    uint32_t cust;
    int was_new;
    int64_t first_seen;
    int64_t prev_active;
    int home;           /* the account is at the home bank (or no home bank is set) */
    int has_bal;
    int64_t bal_before, bal_after;
} side_view;

/* The bucket epoch of the transaction's time in each window, worked out
 * once per transaction (both sides share it), with where that bucket starts. */
typedef struct epochs {
    int64_t to[FZ_WIN_MAX];
    int64_t start[FZ_WIN_MAX];
    unsigned slot[FZ_WIN_MAX]; /* fz_window_slot(to) */
} epochs;

struct fz_engine {
    fz_engine_config cfg;
    fz_schema schema;
    var_code codes[FZ_SCHEMA_MAX];
    const fz_ruleset *rules;

    fz_intern *acct_ids;
    fz_intern *cust_ids;
    unsigned char *blocks; /* per account: fz_acct, windows, cpsets */
    fz_graph_node *graph;  /* per account: recent edges; NULL until rules read graph.* */
    size_t stride;         /* bytes per account block */
    size_t acct_cap;
    fz_cust *cust;
    size_t ncust, cust_cap;
    uint32_t *named;  /* customer index of each named customer's intern id */
    size_t named_cap;
    size_t nbuckets;  /* buckets per account */
    fz_acct_kycs kyc; /* account classes and class II/III year outflows (fz_acctkyc.h) */

    int64_t win_width[FZ_WIN_MAX];
    uint32_t home_len;
    epochs epoch_cache; /* the last transaction's, see epochs_now */
    int64_t cny_usd_e8; /* USD cents of 1,000,000 yuan, for CNY equivalents */
    fz_engine_stats st;
    fz_values vals; /* one side's values, computed as the rules read them */
    uint64_t txn_have[(FZ_SCHEMA_MAX + 63) / 64]; /* values of the transaction alone */
    uint64_t cheap_have[(FZ_SCHEMA_MAX + 63) / 64]; /* of which set up front (set_cheap) */
    int16_t cheap_var[8];                           /* amount currency fx channel kind cash cross_border */
    int64_t win_sec[FZ_WIN_MAX]; /* window lengths in seconds, for the counterparty clock */
    const fz_model *model;       /* and what it needs: */
    int16_t model_feat[FZ_FEATURES_MAX]; /* model feature i = engine feature model_feat[i] */
    int16_t model_used[FZ_FEATURES_MAX]; /* the model features some split tests */
    int nmodel_used;
    float model_x[FZ_FEATURES_MAX];
    int nfeat;                   /* the feature vector: which value, of which side, its name */
    feat_code feat[FZ_FEATURES_MAX];
    char feat_name[FZ_FEATURES_MAX][FZ_VAR_NAME_MAX + 8];
};

/* ---------- configuration and schema ---------- */

void fz_engine_config_default(fz_engine_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    fz_engine_config_windows(cfg, "1h,24h,7d,30d", NULL);
    fz_rates_default(&cfg->rates);
    fz_graph_params_default(&cfg->graph);
}

int fz_duration_parse(const char *s, size_t n, int64_t *ms) {
    int64_t v = 0;
    size_t i = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        v = v * 10 + (s[i] - '0');
        if (v > 100000) return FZ_ERANGE;
    }
    if (i == 0 || i + 1 != n || v == 0) return FZ_EINVAL;
    switch (s[i]) {
    case 'm': *ms = v * FZ_MS_PER_MIN; return 0;
    case 'h': *ms = v * FZ_MS_PER_HOUR; return 0;
    case 'd': *ms = v * FZ_MS_PER_DAY; return 0;
    default: return FZ_EINVAL;
    }
}

int fz_engine_config_windows(fz_engine_config *cfg, const char *list, fz_error *err) {
    int n = 0;
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int64_t ms;
        if (n == FZ_WIN_MAX)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "windows", "at most %d windows", FZ_WIN_MAX);
        if (len >= sizeof cfg->window_label[0] || fz_duration_parse(p, len, &ms) != 0)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "windows",
                                "'%.*s' is not a window like 15m, 1h or 7d", (int)len, p);
        if (n > 0 && ms <= cfg->window_ms[n - 1])
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "windows", "windows must be in rising order");
        cfg->window_ms[n] = ms;
        memcpy(cfg->window_label[n], p, len);
        cfg->window_label[n][len] = '\0';
        n++;
        p = e ? e + 1 : p + len;
    }
    if (n == 0) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "windows", "no window given");
    cfg->nwindows = n;
    return 0;
}

static void add_var(fz_engine *e, const char *name, fz_vtype t, int64_t ceiling, var_code c) {
    int i = fz_schema_add(&e->schema, name, t, ceiling);
    if (i < 0) return;
    e->codes[i] = c;
    if (c.code < V_DIR) e->txn_have[i >> 6] |= 1ull << (i & 63); /* the same on both sides */
    if (c.code < V_DIR && c.code != V_AMOUNT_USD && c.code != V_HOUR) {
        e->cheap_have[i >> 6] |= 1ull << (i & 63);
        e->cheap_var[c.code < V_AMOUNT_USD ? c.code : c.code - 1] = (int16_t)i;
    }

}

#define VAR(name, type, code) add_var(e, name, type, 0, (var_code){code, 0, 0, 0})

static void build_schema(fz_engine *e) {
    static const char *const dirs[2] = {"out", "in"};
    static const char *const cats[4] = {"cash", "transfer_dom", "transfer_xb", "transfer"};
    char name[FZ_VAR_NAME_MAX];
    VAR("amount", FZ_VT_MONEY, V_AMOUNT);
    VAR("amount_usd", FZ_VT_MONEY, V_AMOUNT_USD);
    VAR("currency", FZ_VT_CCY, V_CURRENCY);
    VAR("fx", FZ_VT_BOOL, V_FX);
    VAR("channel", FZ_VT_CHANNEL, V_CHANNEL);
    VAR("kind", FZ_VT_KIND, V_KIND);
    VAR("cash", FZ_VT_BOOL, V_CASH);
    VAR("cross_border", FZ_VT_BOOL, V_XB);
    VAR("hour", FZ_VT_INT, V_HOUR);
    VAR("dir", FZ_VT_DIR, V_DIR);
    VAR("self.new", FZ_VT_BOOL, V_SELF_NEW);
    VAR("self.age", FZ_VT_DURATION, V_SELF_AGE);
    VAR("self.idle", FZ_VT_DURATION, V_SELF_IDLE);
    VAR("self.party", FZ_VT_PARTY, V_SELF_PARTY);
    VAR("self.has_balance", FZ_VT_BOOL, V_SELF_HAS_BAL);
    VAR("self.balance", FZ_VT_MONEY, V_SELF_BAL);
    VAR("self.balance_before", FZ_VT_MONEY, V_SELF_BAL_BEFORE);
    for (int d = 1; d >= 0; d--)
        for (int w = 0; w < e->cfg.nwindows; w++) {
            const char *l = e->cfg.window_label[w];
            snprintf(name, sizeof name, "self.%s.count_%s", dirs[d], l);
            add_var(e, name, FZ_VT_INT, 0, (var_code){V_WIN_COUNT, (uint8_t)w, (uint8_t)d, 0});
            snprintf(name, sizeof name, "self.%s.sum_%s", dirs[d], l);
            add_var(e, name, FZ_VT_MONEY, 0, (var_code){V_WIN_SUM, (uint8_t)w, (uint8_t)d, 0});
            snprintf(name, sizeof name, "self.%s.distinct_%s", dirs[d], l);
            add_var(e, name, FZ_VT_INT, FZ_CP_SLOTS + 1, (var_code){V_WIN_DISTINCT, (uint8_t)w, (uint8_t)d, 0});
        }
    VAR("other.new", FZ_VT_BOOL, V_OTHER_NEW);
    VAR("other.age", FZ_VT_DURATION, V_OTHER_AGE);
    VAR("other.idle", FZ_VT_DURATION, V_OTHER_IDLE);
    VAR("other.party", FZ_VT_PARTY, V_OTHER_PARTY);
    VAR("cust.grade", FZ_VT_INT, V_CUST_GRADE);
    VAR("cust.party", FZ_VT_PARTY, V_SELF_PARTY);
    VAR("acct.class", FZ_VT_INT, V_ACCT_CLASS);
    VAR("acct.out_day", FZ_VT_MONEY, V_ACCT_OUT_DAY);
    VAR("acct.out_year", FZ_VT_MONEY, V_ACCT_OUT_YEAR);
    /* the edge's pattern features (fz_graph.h), the same on both sides */
    VAR("graph.scatter_gather", FZ_VT_INT, V_G_SCATTER_GATHER);
    VAR("graph.gather_scatter", FZ_VT_INT, V_G_GATHER_SCATTER);
    VAR("graph.cycle_len", FZ_VT_INT, V_G_CYCLE);
    VAR("graph.pass_through", FZ_VT_BOOL, V_G_PASS);
    VAR("graph.pass_lag", FZ_VT_DURATION, V_G_PASS_LAG);
    add_var(e, "day.count", FZ_VT_INT, UINT16_MAX, (var_code){V_DAY_COUNT, 0, 0, 0});
    for (int c = 0; c < 4; c++) {
        snprintf(name, sizeof name, "day.%s.cny", cats[c]);
        add_var(e, name, FZ_VT_MONEY, 0, (var_code){V_DAY_CNY, 0, 0, (uint8_t)c});
        snprintf(name, sizeof name, "day.%s.usd", cats[c]);
        add_var(e, name, FZ_VT_MONEY, FZ_DAY_U32_MAX, (var_code){V_DAY_USD, 0, 0, (uint8_t)c});
    }
    add_var(e, "day.channel_out", FZ_VT_MONEY, FZ_DAY_U32_MAX, (var_code){V_DAY_CHAN_OUT, 0, 0, 0});
}

/* The feature vector: the transaction's own values once, each side's
 * account values twice (payer., payee.), the graph's once. */
static void add_feature(fz_engine *e, int var, int side, const char *prefix) {
    if (var < 0 || e->nfeat == FZ_FEATURES_MAX) return;
    int code = e->codes[var].code, type = e->schema.var[var].type;
    e->feat[e->nfeat] = (feat_code){
        (int16_t)var, (int8_t)side,
        type == FZ_VT_MONEY ? UNIT_YUAN : type == FZ_VT_DURATION ? UNIT_HOURS : UNIT_RAW,
        code == V_SELF_BAL || code == V_SELF_BAL_BEFORE ? NEED_BAL
        : code >= V_DIR && code < V_GRAPH_FIRST         ? NEED_ACCT /* a value of the side's account */
                                                        : NEED_NONE,
        code == V_WIN_COUNT || code == V_WIN_SUM || code == V_WIN_DISTINCT, e->codes[var]};
    char name[sizeof e->feat_name[0]];
    snprintf(name, sizeof name, "%s%s", prefix, e->schema.var[var].name);
    memcpy(e->feat_name[e->nfeat], name, sizeof name);
    e->nfeat++;
}

static void build_features(fz_engine *e) {
    static const char *const txn[] = {"amount", "hour", "channel", "kind", "cash", "cross_border", "fx"};
    static const char *const graph[] = {"graph.scatter_gather", "graph.gather_scatter", "graph.cycle_len",
                                        "graph.pass_through", "graph.pass_lag"};
    for (size_t i = 0; i < sizeof txn / sizeof txn[0]; i++)
        add_feature(e, fz_schema_find(&e->schema, txn[i], strlen(txn[i])), 0, "");
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < e->schema.n; i++) {
            const char *n = e->schema.var[i].name;
            int account = strncmp(n, "self.", 5) == 0 || strcmp(n, "day.count") == 0;
            if (account) add_feature(e, i, s, s == FZ_SIDE_PAYER ? "payer." : "payee.");
        }
    for (size_t i = 0; i < sizeof graph / sizeof graph[0]; i++)
        add_feature(e, fz_schema_find(&e->schema, graph[i], strlen(graph[i])), 0, "");
}

int fz_engine_features_count(const fz_engine *e) { return e->nfeat; }

const char *fz_engine_feature_name(const fz_engine *e, int i) {
    return i >= 0 && i < e->nfeat ? e->feat_name[i] : NULL;
}

/* ---------- lifecycle ---------- */

static inline fz_acct *acct_of(const fz_engine *e, int64_t id) {
    return (fz_acct *)(e->blocks + (size_t)id * e->stride);
}

static inline fz_bucket *windows_of(const fz_engine *e, int64_t id) {
    return (fz_bucket *)(e->blocks + (size_t)id * e->stride + sizeof(fz_acct));
}

static inline fz_cp_slot *cpset_of(const fz_engine *e, int64_t id, int dir) {
    return (fz_cp_slot *)(e->blocks + (size_t)id * e->stride + sizeof(fz_acct) +
                          e->nbuckets * sizeof(fz_bucket)) + (size_t)dir * FZ_CP_SLOTS;
}

/* Capacity for at least `need`: exactly `need` when reserving ahead,
 * doubling when growing on the fly (amortised). */
static size_t next_cap(size_t cap, size_t need, int exact) {
    if (exact || cap == 0) return need;
    while (cap < need) cap *= 2;
    return cap;
}

static int grow_accounts(fz_engine *e, size_t need, int exact) {
    if (need <= e->acct_cap) return 0;
    size_t cap = next_cap(e->acct_cap, need, exact);
    unsigned char *b = realloc(e->blocks, cap * e->stride);
    if (!b) return FZ_ENOMEM;
    e->blocks = b;
    if (e->graph) {
        fz_graph_node *g = realloc(e->graph, cap * sizeof *g);
        if (!g) return FZ_ENOMEM;
        e->graph = g;
    }
    e->acct_cap = cap;
    return 0;
}

static int grow_customers(fz_engine *e, size_t need, int exact) {
    if (need <= e->cust_cap) return 0;
    size_t cap = next_cap(e->cust_cap, need, exact);
    fz_cust *c = realloc(e->cust, cap * sizeof *c);
    if (!c) return FZ_ENOMEM;
    e->cust = c;
    e->cust_cap = cap;
    return 0;
}

int fz_engine_new(fz_engine **out, const fz_engine_config *cfg, fz_error *err) {
    *out = NULL;
    if (cfg->nwindows < 1 || cfg->nwindows > FZ_WIN_MAX)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "windows", "between 1 and %d windows", FZ_WIN_MAX);
    fz_engine *e = calloc(1, sizeof *e);
    if (!e) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    e->cfg = *cfg;
    e->nbuckets = (size_t)cfg->nwindows * 2 * FZ_WIN_BUCKETS;
    e->stride = sizeof(fz_acct) + e->nbuckets * sizeof(fz_bucket) + 2 * FZ_CP_SLOTS * sizeof(fz_cp_slot);
    e->home_len = (uint32_t)strnlen(cfg->home_bank, sizeof cfg->home_bank);
    for (int w = 0; w < cfg->nwindows; w++) {
        e->win_sec[w] = cfg->window_ms[w] / 1000;
        /* B buckets of W/(B-1): see fz_window.h */
        e->win_width[w] = cfg->window_ms[w] / (FZ_WIN_BUCKETS - 1);
        if (e->win_width[w] < 1) e->win_width[w] = 1;
    }
    int64_t usd_cents;
    e->cny_usd_e8 = fz_rates_to_usd_cents(&cfg->rates, FZ_CCY_CNY, 100000000, &usd_cents) == 0
                        ? usd_cents : 0; /* USD cents per 1,000,000 yuan */
    build_schema(e);
    build_features(e);
    size_t reserve = cfg->reserve_accounts ? cfg->reserve_accounts : 1024;
    if (fz_intern_new(&e->acct_ids, reserve) || fz_intern_new(&e->cust_ids, 0) ||
        grow_accounts(e, reserve, 1) || grow_customers(e, reserve, 1)) {
        fz_engine_free(e);
        return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    *out = e;
    return 0;
}

void fz_engine_free(fz_engine *e) {
    if (!e) return;
    fz_intern_free(e->acct_ids);
    fz_intern_free(e->cust_ids);
    free(e->blocks);
    free(e->graph);
    free(e->cust);
    free(e->named);
    free(e->kyc.a);
    free(e);
}

const fz_schema *fz_engine_schema(const fz_engine *e) { return &e->schema; }
const fz_ruleset *fz_engine_rules(const fz_engine *e) { return e->rules; }

/* The graph costs ~530 bytes per account and a little time per transaction,
 * so it is kept only from when something needs it (a rule set reading a
 * graph.* value, a model, fz_engine_score_features). Accounts seen before
 * that start with empty rings (zeroed memory is an empty ring). */
static int keep_graph(fz_engine *e) {
    if (!e->graph) {
        e->graph = calloc(e->acct_cap ? e->acct_cap : 1, sizeof *e->graph);
        if (!e->graph) return FZ_ENOMEM;
    }
    return 0;
}

static int want_graph(fz_engine *e, const fz_ruleset *rs) {
    if (e->graph || !rs) return 0;
    for (int i = 0; i < e->schema.n; i++)
        if (e->codes[i].code >= V_GRAPH_FIRST && fz_rules_uses(rs, i)) return keep_graph(e);
    return 0;
}

int fz_engine_set_rules(fz_engine *e, const fz_ruleset *rs) {
    int rc = want_graph(e, rs);
    if (rc) return rc;
    e->rules = rs;
    return 0;
}

/* ---------- ids ---------- */

static int64_t new_customer(fz_engine *e, uint32_t key, uint8_t party) {
    if (grow_customers(e, e->ncust + 1, 0)) return FZ_ENOMEM;
    fz_cust *c = &e->cust[e->ncust];
    memset(c, 0, sizeof *c);
    c->day.day = INT32_MIN;
    c->key = key;
    c->party = party;
    return (int64_t)e->ncust++;
}

/* An account's interning key and its hash. An account is its number at its
 * bank: the key is "acct@bank" (or just the number when the bank is not
 * known), which also reads well where the key is shown. */
typedef struct acct_key {
    fz_str key;
    uint32_t hash;
    int no_bank; /* acct and bank together are too long to key: keyed by acct alone */
    char buf[256];
} acct_key;

static void make_key(acct_key *k, fz_str acct, fz_str bank) {
    k->key = acct;
    k->no_bank = bank.n && (size_t)acct.n + bank.n + 1 > sizeof k->buf;
    if (bank.n && !k->no_bank) {
        /* byte loops: keys are a few dozen bytes, where a memcpy call costs more */
        char *o = k->buf;
        for (uint32_t i = 0; i < acct.n; i++) *o++ = acct.p[i];
        *o++ = '@';
        for (uint32_t i = 0; i < bank.n; i++) *o++ = bank.p[i];
        k->key = (fz_str){k->buf, acct.n + 1 + bank.n};
    }
    k->hash = fz_intern_hash(k->key.p, k->key.n);
}

/* The dense id of an account, created on first sight. */
static int64_t account_id(fz_engine *e, const acct_key *k) {
    int added = 0;
    int64_t id = fz_intern_get_hashed(e->acct_ids, k->key.p, k->key.n, k->hash, &added);
    if (id < 0 || !added) return id;
    if (grow_accounts(e, (size_t)id + 1, 0)) return FZ_ENOMEM;
    if (k->no_bank) e->st.long_keys++;
    *acct_of(e, id) = (fz_acct){0, 0, NO_CUST};
    memset(windows_of(e, id), 0, e->nbuckets * sizeof(fz_bucket));
    fz_cpset_init(cpset_of(e, id, 0));
    fz_cpset_init(cpset_of(e, id, 1));
    if (e->graph) fz_graph_node_init(&e->graph[id]);
    e->st.accounts++;
    return id;
}

/* The dense id of a named customer, created on first sight. */
static int64_t customer_id(fz_engine *e, const char *key, size_t n) {
    int added = 0;
    int64_t k = fz_intern_get(e->cust_ids, key, n, &added);
    if (k < 0 || !added) return k < 0 ? k : (int64_t)e->named[k];
    if ((size_t)k >= e->named_cap) {
        size_t cap = e->named_cap ? e->named_cap * 2 : 1024;
        uint32_t *m = realloc(e->named, cap * sizeof *m);
        if (!m) return FZ_ENOMEM;
        e->named = m;
        e->named_cap = cap;
    }
    int64_t c = new_customer(e, (uint32_t)k, FZ_PARTY_UNKNOWN);
    if (c >= 0) e->named[k] = (uint32_t)c;
    return c;
}

const char *fz_engine_account_key(const fz_engine *e, uint32_t id, size_t *n) {
    return fz_intern_key(e->acct_ids, id, n);
}

const char *fz_engine_customer_key(const fz_engine *e, uint32_t id, size_t *n) {
    uint32_t k = e->cust[id].key;
    if (k & CUST_UNNAMED) return fz_intern_key(e->acct_ids, k & ~CUST_UNNAMED, n);
    return fz_intern_key(e->cust_ids, k, n);
}

int fz_engine_set_grade(fz_engine *e, const char *cust, size_t n, int grade) {
    if (grade < 0 || grade > 3) return FZ_EINVAL;
    int64_t c = customer_id(e, cust, n);
    if (c < 0) return (int)c;
    e->cust[c].grade = (uint8_t)grade;
    /* an account already seen without a named customer is its own customer */
    int64_t a = fz_intern_find(e->acct_ids, cust, n);
    if (a >= 0 && acct_of(e, a)->cust != NO_CUST && (e->cust[acct_of(e, a)->cust].key & CUST_UNNAMED))
        e->cust[acct_of(e, a)->cust].grade = (uint8_t)grade;
    return 0;
}

int fz_engine_set_account_class(fz_engine *e, const char *acct, size_t n, int cls) {
    if (cls < 1 || cls > 3) return FZ_EINVAL;
    acct_key k;
    make_key(&k, (fz_str){acct, (uint32_t)n}, (fz_str){NULL, 0});
    int64_t id = account_id(e, &k);
    return id < 0 ? (int)id : fz_acct_kyc_set(&e->kyc, (size_t)id, cls);
}

/* ---------- scoring ---------- */

/* The customer of an account the input gives no customer for: the account
 * itself, by its key ("acct@bank"). If a customer of that key is already
 * known (a risk grade set for it before the account was seen), that is it. */
static int64_t own_customer(fz_engine *e, int64_t id) {
    size_t n;
    const char *key = fz_intern_key(e->acct_ids, (uint32_t)id, &n);
    int64_t k = fz_intern_find(e->cust_ids, key, n);
    if (k >= 0) return e->named[k];
    return new_customer(e, (uint32_t)id | CUST_UNNAMED, FZ_PARTY_UNKNOWN);
}

uint32_t fz_engine_side_customer(const fz_engine *e, const fz_txn *t, int side) {
    fz_str acct = side ? t->payee_acct : t->payer_acct, bank = side ? t->payee_bank : t->payer_bank;
    fz_str cust = side ? t->payee_cust : t->payer_cust;
    if (!acct.n) return UINT32_MAX;
    if (cust.n) {
        int64_t k = fz_intern_find(e->cust_ids, cust.p, cust.n);
        return k < 0 ? UINT32_MAX : e->named[k];
    }
    acct_key ak;
    make_key(&ak, acct, bank);
    int64_t id = fz_intern_find_hashed(e->acct_ids, ak.key.p, ak.key.n, ak.hash);
    return id < 0 ? UINT32_MAX : acct_of(e, id)->cust;
}

int fz_engine_is_home(const fz_engine *e, fz_str bank) {
    return !e->home_len || (bank.n == e->home_len && memcmp(bank.p, e->cfg.home_bank, bank.n) == 0);
}

/* Note what account id (-1: the side has no account, e.g. the cash side of a
 * deposit; no state and no rules for it) was before this transaction, and
 * bind its customer. */
static int view_side(fz_engine *e, int64_t id, fz_str bank, fz_str cust, unsigned party, side_view *v) {
    memset(v, 0, sizeof *v);
    v->acct = id;
    if (id < 0) return 0;
    fz_acct *a = acct_of(e, id);
    if (cust.n || a->cust == NO_CUST) {
        int64_t c = cust.n ? customer_id(e, cust.p, cust.n) : own_customer(e, id);
        if (c < 0) return (int)c;
        a->cust = (uint32_t)c;
    }
    if (party != FZ_PARTY_UNKNOWN) e->cust[a->cust].party = (uint8_t)party;
    v->home = fz_engine_is_home(e, bank);
    v->cust = a->cust;
    v->was_new = a->first_seen == 0;
    v->first_seen = fz_cpset_ms(a->first_seen);
    v->prev_active = a->last_active;
    return 0;
}

/* Both accounts' keys of a transaction, hashed; has[s] = 0 for a side
 * without an account. */
typedef struct txn_keys {
    acct_key k[2];
    int has[2];
    int64_t id[2]; /* found ahead (see find_ahead), or -1: look up when scoring */
} txn_keys;

static void keys_of(const fz_engine *e, const fz_txn *t, txn_keys *tk) {
    const fz_str acct[2] = {t->payer_acct, t->payee_acct}, bank[2] = {t->payer_bank, t->payee_bank};
    for (int s = 0; s < 2; s++)
        if ((tk->id[s] = -1, tk->has[s] = acct[s].n != 0)) {
            make_key(&tk->k[s], acct[s], bank[s]);
            fz_intern_prefetch(e->acct_ids, tk->k[s].hash);
        }
}

static void prefetch_block(const fz_engine *e, int64_t id) {
    const char *b = (const char *)acct_of(e, id);
    for (size_t off = 0; off < e->stride; off += 64) __builtin_prefetch(b + off, 1);
}

/* Look up a later transaction's accounts, without adding any, and start
 * loading their blocks and graph nodes; ids[s] = -1 where not found. */
static void find_ahead(const fz_engine *e, txn_keys *tk) {
    for (int s = 0; s < 2; s++) {
        /* an id, once given, never changes: scoring can use one found here */
        tk->id[s] = tk->has[s] ? fz_intern_find_hashed(e->acct_ids, tk->k[s].key.p, tk->k[s].key.n, tk->k[s].hash) : -1;
        if (tk->id[s] >= 0) {
            prefetch_block(e, tk->id[s]);
            if (e->graph) fz_graph_prefetch(&e->graph[tk->id[s]]);
        }
    }
}

/* Start loading the customer records of accounts found ahead, whose blocks
 * (holding the customer index) find_ahead started loading a transaction
 * earlier, so reading them here no longer waits. A hint: nothing changes. */
static void prefetch_customers(const fz_engine *e, const txn_keys *tk) {
    for (int s = 0; s < 2; s++) {
        if (tk->id[s] < 0) continue;
        uint32_t c = acct_of(e, tk->id[s])->cust;
        if (c == NO_CUST) continue;
        const char *p = (const char *)&e->cust[c];
        __builtin_prefetch(p, 1);
        __builtin_prefetch(p + sizeof(fz_cust) - 1, 1);
    }
}

/* Find both accounts (keys hashed and slots prefetched by keys_of) and bind
 * their views. The two sides' cache misses are started together: ids, then
 * prefetch both blocks, then read. */
static int view_both(fz_engine *e, const fz_txn *t, const txn_keys *tk, side_view side[2]) {
    const fz_str bank[2] = {t->payer_bank, t->payee_bank};
    const fz_str cust[2] = {t->payer_cust, t->payee_cust};
    const unsigned party[2] = {t->payer_party, t->payee_party};
    int64_t id[2] = {-1, -1};
    for (int s = 0; s < 2; s++)
        if (tk->has[s] && (id[s] = tk->id[s]) < 0) {
            if ((id[s] = account_id(e, &tk->k[s])) < 0) return (int)id[s];
            prefetch_block(e, id[s]);
        }
    for (int s = 0; s < 2; s++) {
        int rc = view_side(e, id[s], bank[s], cust[s], party[s], &side[s]);
        if (rc) return rc;
        if (id[s] >= 0) __builtin_prefetch(&e->cust[side[s].cust], 1);
    }
    return 0;
}


/* Window i's bucket epoch of t, where that bucket starts, its ring slot. */
static inline void epoch_at(const fz_engine *e, fz_ms t, int i, epochs *ep) {
    ep->to[i] = fz_window_epoch(t, e->win_width[i]);
    ep->start[i] = ep->to[i] * e->win_width[i];
    ep->slot[i] = fz_window_slot(ep->to[i]);
}

static void epochs_at(const fz_engine *e, fz_ms t, epochs *ep) {
    for (int i = 0; i < e->cfg.nwindows; i++) epoch_at(e, t, i, ep);
}

/* epochs_at for the transaction's time, reusing the previous transaction's
 * epochs where t is still inside the same bucket: in time-ordered input that
 * is nearly always, and it saves a 64-bit division per window. */
static const epochs *epochs_now(fz_engine *e, fz_ms t) {
    epochs *ep = &e->epoch_cache;
    for (int i = 0; i < e->cfg.nwindows; i++) {
        if (t >= ep->start[i] && (uint64_t)t - (uint64_t)ep->start[i] < (uint64_t)e->win_width[i]) continue;
        epoch_at(e, t, i, ep);
    }
    return ep;
}

/* Advance the side's account windows to the transaction's buckets and add the
 * amount in direction dir with counterparty cp (or none, when cp < 0). */
static void update_account(fz_engine *e, const side_view *v, int dir, int64_t cp, fz_ms t,
                           const epochs *ep, int64_t amount) {
    fz_acct *a = acct_of(e, v->acct);
    if (a->first_seen == 0) {
        a->first_seen = fz_cpset_sec(t);
        a->last_active = t;
    }
    if (t < a->last_active) {
        e->st.out_of_order++; /* its buckets are the newest ones: add it there */
        t = a->last_active;
        ep = NULL;
    }
    epochs late;
    if (!ep) {
        epochs_at(e, t, &late);
        ep = &late;
    }
    fz_bucket *w = windows_of(e, v->acct);
    for (int i = 0; i < e->cfg.nwindows; i++) {
        /* last activity in the current bucket: nothing to clear, no division */
        int64_t from = a->last_active >= ep->start[i] ? ep->to[i] : fz_window_epoch(a->last_active, e->win_width[i]);
        fz_bucket *ring = &w[(size_t)i * 2 * FZ_WIN_BUCKETS];
        if (from != ep->to[i]) {
            fz_window_advance(ring, ep->slot[i], ep->to[i] - from);
            fz_window_advance(ring + FZ_WIN_BUCKETS, ep->slot[i], ep->to[i] - from);
        }
        fz_window_add(ring + (size_t)dir * FZ_WIN_BUCKETS, ep->slot[i], amount);
    }
    a->last_active = t;
    if (cp >= 0)
        fz_cpset_touch(cpset_of(e, v->acct, dir), (uint32_t)cp, fz_cpset_sec(t));
}

/* The transaction's amount as CNY fen and, for foreign currency, USD cents. */
static void convert(fz_engine *e, const fz_txn *t, int64_t *cny_equiv, int64_t *usd) {
    if (t->currency == FZ_CCY_CNY || t->currency == 0) {
        *cny_equiv = t->amount;
        *usd = -1; /* not needed for RMB day totals: worked out only if a rule reads it */
        return;
    }
    if (fz_rates_to_usd_cents(&e->cfg.rates, t->currency, t->amount, usd) || e->cny_usd_e8 <= 0) {
        e->st.no_rate++;
        *usd = 0;
        *cny_equiv = 0;
        return;
    }
    /* cny_usd_e8 is the USD cents of 1,000,000 yuan: fen = usd * 1e8 / it */
    __int128 f = (__int128)*usd * 100000000 / e->cny_usd_e8;
    *cny_equiv = f > INT64_MAX ? INT64_MAX : (int64_t)f;
}

typedef struct score_ctx {
    const fz_txn *t;
    uint32_t now_sec; /* fz_cpset_sec(t->time) */
    int64_t cny_equiv, usd;
    int fx;
    side_view side[2];
    fz_graph_feat *gf; /* the edge's graph features, worked out on first read */
    int *gf_ready;
} score_ctx;

static const fz_graph_node *graph_node(const void *ctx, uint32_t id) {
    const fz_engine *e = ctx;
    return id < e->st.accounts ? &e->graph[id] : NULL;
}

/* Graph feature `code` of the transaction's edge, from the rings as they were
 * before it (they take the edge after the rules: see record_edge). */
static int64_t graph_value(const fz_engine *e, const score_ctx *x, int code) {
    if (!*x->gf_ready) {
        if (e->graph && x->side[0].acct >= 0 && x->side[1].acct >= 0) {
            fz_graph_view g = {graph_node, e};
            fz_graph_features(&g, (uint32_t)x->side[0].acct, (uint32_t)x->side[1].acct, x->now_sec,
                              x->cny_equiv, &e->cfg.graph, x->gf); /* which zeroes gf first */
        } else {
            memset(x->gf, 0, sizeof *x->gf);
        }
        *x->gf_ready = 1;
    }
    switch (code) {
    case V_G_SCATTER_GATHER: return x->gf->scatter_gather;
    case V_G_GATHER_SCATTER: return x->gf->gather_scatter;
    case V_G_CYCLE: return x->gf->cycle_len;
    case V_G_PASS: return x->gf->pass_through;
    default: return x->gf->pass_lag_sec * 1000;
    }
}

/* Add the transaction's edge to both accounts' rings. */
static void record_edge(fz_engine *e, const score_ctx *x) {
    if (!e->graph || x->side[0].acct < 0 || x->side[1].acct < 0) return;
    uint32_t u = (uint32_t)x->side[0].acct, w = (uint32_t)x->side[1].acct;
    fz_graph_push(&e->graph[u].ring[FZ_DIR_OUT], x->now_sec, w, x->cny_equiv);
    fz_graph_push(&e->graph[w].ring[FZ_DIR_IN], x->now_sec, u, x->cny_equiv);
    if (x->gf->capped) e->st.graph_capped++;
}

static inline __attribute__((always_inline)) int64_t window_value(const fz_engine *e, const side_view *v, var_code c,
                                                                   uint32_t now_sec) {
    if (c.code == V_WIN_DISTINCT) {
        int64_t since = (int64_t)now_sec - e->win_sec[c.win];
        return fz_cpset_since(cpset_of(e, v->acct, c.dir), since < 1 ? 1 : (uint32_t)since);
    }
    const fz_bucket *ring = windows_of(e, v->acct) + ((size_t)c.win * 2 + c.dir) * FZ_WIN_BUCKETS;
    int64_t count, sum;
    fz_window_read(ring, &count, &sum);
    return c.code == V_WIN_COUNT ? count : sum;
}

static int64_t day_value(const fz_daytotals *d, var_code c, int dir, unsigned channel) {
    switch (c.code) {
    case V_DAY_COUNT: return d->count[dir];
    case V_DAY_CHAN_OUT:
        return channel > FZ_CH_UNKNOWN && channel < FZ_CH__COUNT ? d->chan_out[channel - 1] : 0;
    case V_DAY_CNY:
        if (c.cat == LV_TRANSFER_ALL) return d->cny[FZ_LV_TRANSFER_DOM][dir] + d->cny[FZ_LV_TRANSFER_XB][dir];
        return d->cny[c.cat][dir];
    default: /* V_DAY_USD */
        if (c.cat == LV_TRANSFER_ALL) { /* saturates like its parts: the schema ceiling holds */
            int64_t sum = (int64_t)d->usd[FZ_LV_TRANSFER_DOM][dir] + d->usd[FZ_LV_TRANSFER_XB][dir];
            return sum > FZ_DAY_U32_MAX ? FZ_DAY_U32_MAX : sum;
        }
        return d->usd[c.cat][dir];
    }
}

static int64_t usd_of_cny(const fz_engine *e, int64_t fen) {
    int64_t usd;
    return fz_rates_to_usd_cents(&e->cfg.rates, FZ_CCY_CNY, fen, &usd) ? 0 : usd;
}

static int64_t duration_since(int was_new, int64_t since, fz_ms now) {
    return was_new || now < since ? 0 : now - since;
}

/* The value of schema variable i for side s. */
static inline __attribute__((always_inline)) int64_t value_of(const fz_engine *e, const score_ctx *x, int s, int i) {
    const fz_txn *t = x->t;
    const side_view *self = &x->side[s], *other = &x->side[!s];
    int dir = s == FZ_SIDE_PAYER ? FZ_DIR_OUT : FZ_DIR_IN;
    var_code c = e->codes[i];
    switch (c.code) {
    case V_AMOUNT: return x->cny_equiv;
    case V_AMOUNT_USD: return x->usd >= 0 ? x->usd : usd_of_cny(e, x->cny_equiv);
    case V_CURRENCY: return t->currency ? t->currency : FZ_CCY_CNY;
    case V_FX: return x->fx;
    case V_CHANNEL: return t->channel;
    case V_KIND: return t->kind;
    case V_CASH: return fz_kind_is_cash(t->kind);
    case V_XB: return (t->flags & FZ_TXN_CROSS_BORDER) != 0;
    case V_HOUR: return fz_time_cn_hour(t->time);
    case V_DIR: return dir;
    case V_SELF_NEW: return self->was_new;
    case V_SELF_AGE: return duration_since(self->was_new, self->first_seen, t->time);
    case V_SELF_IDLE: return duration_since(self->was_new, self->prev_active, t->time);
    case V_SELF_PARTY: return e->cust[self->cust].party;
    case V_SELF_HAS_BAL: return self->has_bal;
    case V_SELF_BAL: return self->has_bal ? self->bal_after : 0;
    case V_SELF_BAL_BEFORE: return self->has_bal ? self->bal_before : 0;
    case V_WIN_COUNT:
    case V_WIN_SUM:
    case V_WIN_DISTINCT: return window_value(e, self, c, x->now_sec);
    case V_OTHER_NEW: return other->acct >= 0 && other->was_new;
    case V_OTHER_AGE:
        return other->acct >= 0 ? duration_since(other->was_new, other->first_seen, t->time) : 0;
    case V_OTHER_IDLE:
        return other->acct >= 0 ? duration_since(other->was_new, other->prev_active, t->time) : 0;
    case V_OTHER_PARTY: return other->acct >= 0 ? e->cust[other->cust].party : FZ_PARTY_UNKNOWN;
    case V_CUST_GRADE: return e->cust[self->cust].grade;
    case V_ACCT_CLASS: return fz_acct_kyc_class(&e->kyc, self->acct);
    case V_ACCT_OUT_DAY: return fz_acct_kyc_out(&e->kyc, self->acct, t->time, 0);
    case V_ACCT_OUT_YEAR: return fz_acct_kyc_out(&e->kyc, self->acct, t->time, 1);
    case V_G_SCATTER_GATHER:
    case V_G_GATHER_SCATTER:
    case V_G_CYCLE:
    case V_G_PASS:
    case V_G_PASS_LAG: return graph_value(e, x, c.code);
    default: return day_value(&e->cust[self->cust].day, c, dir, t->channel);
    }
}

/* Add the transaction to the side's customer day totals. */
static void update_day(fz_engine *e, const score_ctx *x, int s) {
    const fz_txn *t = x->t;
    fz_daytotals *d = &e->cust[x->side[s].cust].day;
    fz_daytotals_roll(d, fz_time_cn_day(t->time));
    unsigned cats = (t->flags & FZ_TXN_EXEMPT) ? 0 : fz_lv_categories(t->kind, t->flags);
    fz_daytotals_add(d, s == FZ_SIDE_PAYER ? FZ_DIR_OUT : FZ_DIR_IN, cats, x->fx ? 0 : t->amount,
                     x->fx ? x->usd : 0, t->channel, x->cny_equiv);
}

/* A large-value rule fired on side s: make a record unless one was made
 * today for the same customer, CRCD, direction and RMB/FX. Returns whether
 * it made one: only then is the rule a reason of this decision. */
static int large_value(fz_engine *e, const score_ctx *x, int s, uint16_t rule, unsigned crcd,
                        fz_decision *d) {
    if (x->t->flags & FZ_TXN_EXEMPT || crcd < 501 || crcd > 504 || !x->side[s].home) return 0;
    int dir = s == FZ_SIDE_PAYER ? FZ_DIR_OUT : FZ_DIR_IN;
    fz_daytotals *day = &e->cust[x->side[s].cust].day;
    unsigned bit = fz_daytotals_bit(crcd, dir, x->fx);
    if (day->reported & bit) return 0;
    day->reported |= (uint16_t)bit;
    if (d->nlv == FZ_DEC_MAX_LV) {
        e->st.lv_truncated++;
        return 1;
    }
    d->lv[d->nlv++] = (fz_lv_hit){x->side[s].cust, day->day, (uint16_t)crcd, rule, (uint8_t)dir,
                                  (uint8_t)x->fx, {0, 0}};
    return 1;
}

static void add_hit(fz_decision *d, uint16_t rule, int side) {
    if (d->nhits == FZ_DEC_MAX_HITS) {
        d->truncated = 1;
        return;
    }
    /* keep rule order (= priority order) across both sides: insertion sort */
    int i = d->nhits++;
    while (i > 0 && d->hits[i - 1].rule > rule) {
        d->hits[i] = d->hits[i - 1];
        i--;
    }
    d->hits[i] = (fz_hit){rule, (uint8_t)side, 0};
}

typedef struct fill_ctx {
    const fz_engine *e;
    const score_ctx *x;
    int side;
} fill_ctx;

/* A value, computed when a rule first reads it (see fz_values). */
/* The transaction's own values that cost nothing to know, set up front for
 * both sides: rules test them first, and filling each on demand would cost
 * more than knowing them all. The rest start unknown (filled on demand). */
static void set_cheap(fz_engine *e, const score_ctx *x) {
    const fz_txn *t = x->t;
    int64_t *v = e->vals.v;
    const int16_t *i = e->cheap_var; /* in V_ code order, V_AMOUNT_USD left out */
    v[i[0]] = x->cny_equiv;
    v[i[1]] = t->currency ? t->currency : FZ_CCY_CNY;
    v[i[2]] = x->fx;
    v[i[3]] = t->channel;
    v[i[4]] = t->kind;
    v[i[5]] = fz_kind_is_cash(t->kind);
    v[i[6]] = (t->flags & FZ_TXN_CROSS_BORDER) != 0;
    memcpy(e->vals.have, e->cheap_have, sizeof e->vals.have);
}

/* A value, computed when a rule first reads it (see fz_values). */
static int64_t fill(void *ctx, int var) {
    const fill_ctx *c = ctx;
    return value_of(c->e, c->x, c->side, var);
}

static void run_rules(fz_engine *e, const score_ctx *x, int s, fz_decision *d) {
    if (!e->rules || x->side[s].acct < 0) return;
    fill_ctx fc = {e, x, s};
    /* the payee side keeps the transaction's own values the payer side read
     * (fz_engine_score clears them all per transaction) */
    if (s == FZ_SIDE_PAYEE)
        for (size_t w = 0; w < sizeof e->vals.have / sizeof e->vals.have[0]; w++) e->vals.have[w] &= e->txn_have[w];
    e->vals.fill = fill;
    e->vals.ctx = &fc;
    uint16_t fired[64];
    int n = fz_rules_eval(e->rules, s, &e->vals, fired, 64);
    if (n > 64) {
        d->truncated = 1;
        n = 64;
    }
    for (int k = 0; k < n; k++) {
        const fz_rule_info *ri = fz_rules_info(e->rules, fired[k]);
        if (ri->action == FZ_ACT_LARGE_VALUE && !large_value(e, x, s, fired[k], ri->crcd, d)) continue;
        add_hit(d, fired[k], s);
        d->score += ri->score;
        /* verify/hold/block map onto the outcomes; alert and large-value allow */
        if (ri->action <= FZ_ACT_BLOCK && ri->action - FZ_ACT_ALERT > d->outcome)
            d->outcome = (uint8_t)(ri->action - FZ_ACT_ALERT);
    }
}

static void features_of(const fz_engine *e, const score_ctx *x, float *out);
static void run_model(fz_engine *e, const score_ctx *x, fz_decision *d);

static int score(fz_engine *e, const fz_txn *t, const txn_keys *tk, fz_decision *d, float *feat) {
    score_ctx x;
    fz_graph_feat gf;
    int gf_ready = 0;
    x.t = t;
    x.gf = &gf;
    x.gf_ready = &gf_ready;
    x.now_sec = fz_cpset_sec(t->time);
    convert(e, t, &x.cny_equiv, &x.usd);
    x.fx = t->currency != 0 && t->currency != FZ_CCY_CNY;
    int rc = view_both(e, t, tk, x.side);
    if (rc) return rc;
    if (t->flags & FZ_TXN_HAS_PAYER_BAL)
        x.side[0].has_bal = 1, x.side[0].bal_before = t->payer_bal_before, x.side[0].bal_after = t->payer_bal_after;
    if (t->flags & FZ_TXN_HAS_PAYEE_BAL)
        x.side[1].has_bal = 1, x.side[1].bal_before = t->payee_bal_before, x.side[1].bal_after = t->payee_bal_after;

    if (e->graph && x.side[0].acct >= 0) { /* their rings load while the rules run */
        fz_graph_view g = {graph_node, e};
        fz_graph_prefetch_sources(&g, (uint32_t)x.side[0].acct);
    }
    const epochs *ep = epochs_now(e, t->time);
    for (int s = 0; s < 2; s++) {
        if (x.side[s].acct < 0) continue;
        int dir = s == FZ_SIDE_PAYER ? FZ_DIR_OUT : FZ_DIR_IN;
        update_account(e, &x.side[s], dir, x.side[!s].acct, t->time, ep, x.cny_equiv);
        update_day(e, &x, s);
    }
    if (e->kyc.cap) fz_acct_kyc_add_out(&e->kyc, x.side[0].acct, t->time, x.cny_equiv);
    d->outcome = FZ_OUT_ALLOW;
    d->truncated = 0;
    d->nhits = 0;
    d->nlv = 0;
    d->score = 0;
    d->payer = x.side[0].acct >= 0 ? (uint32_t)x.side[0].acct : UINT32_MAX;
    d->payee = x.side[1].acct >= 0 ? (uint32_t)x.side[1].acct : UINT32_MAX;
    d->payer_cust = x.side[0].acct >= 0 ? x.side[0].cust : UINT32_MAX;
    d->payee_cust = x.side[1].acct >= 0 ? x.side[1].cust : UINT32_MAX;
    d->rules = e->rules;
    d->model = e->model;
    d->model_p = 0.0f;
    d->model_hit = 0;
    d->ncontrib = 0;
    set_cheap(e, &x);
    run_rules(e, &x, FZ_SIDE_PAYER, d);
    run_rules(e, &x, FZ_SIDE_PAYEE, d);
    if (feat) features_of(e, &x, feat); /* before record_edge: the past only */
    if (e->model) run_model(e, &x, d);
    if (e->graph) {
        if (!gf_ready) graph_value(e, &x, V_G_CYCLE); /* capped counts every edge alike */
        record_edge(e, &x);
    }
    if (d->score > 1000) d->score = 1000;
    if (d->truncated) e->st.hits_truncated++;
    e->st.txns++;
    return 0;
}

int fz_engine_score(fz_engine *e, const fz_txn *t, fz_decision *d) {
    txn_keys tk;
    keys_of(e, t, &tk);
    return score(e, t, &tk, d, NULL);
}

/* A feature in model units: yuan for money, hours for durations. */
static float feature_unit(int unit, int64_t x) {
    switch (unit) {
    case UNIT_YUAN: return (float)((double)x / 100.0);
    case UNIT_HOURS: return (float)((double)x / (double)FZ_MS_PER_HOUR);
    default: return (float)x;
    }
}

/* Feature i of the transaction being scored: NaN when it does not apply
 * (a side without an account, a balance not given). */
static inline __attribute__((always_inline)) float feature_value(const fz_engine *e, const score_ctx *x, int i) {
    const feat_code *f = &e->feat[i];
    const side_view *v = &x->side[f->side];
    if (f->need != NEED_NONE && (v->acct < 0 || (f->need == NEED_BAL && !v->has_bal))) return __builtin_nanf("");
    /* most features are window values: skip value_of's dispatch for them */
    int64_t val = f->window ? window_value(e, v, f->code, x->now_sec) : value_of(e, x, f->side, f->var);
    return feature_unit(f->unit, val);
}

static void features_of(const fz_engine *e, const score_ctx *x, float *out) {
    for (int i = 0; i < e->nfeat; i++) out[i] = feature_value(e, x, i);
}

int fz_engine_set_model(fz_engine *e, const fz_model *m, fz_error *err) {
    if (!m) {
        e->model = NULL;
        return 0;
    }
    int n = fz_model_nfeatures(m);
    if (n > FZ_FEATURES_MAX)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "model", "%d features, the engine has %d", n, e->nfeat);
    for (int i = 0; i < n; i++) {
        const char *name = fz_model_feature_name(m, i);
        int k = 0;
        while (k < e->nfeat && strcmp(e->feat_name[k], name) != 0) k++;
        if (k == e->nfeat)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "model", "feature '%s' is not one the engine computes", name);
        e->model_feat[i] = (int16_t)k;
    }
    e->nmodel_used = 0;
    for (int i = 0; i < n; i++) {
        e->model_x[i] = __builtin_nanf(""); /* features no split tests stay missing */
        if (fz_model_uses_feature(m, i)) e->model_used[e->nmodel_used++] = (int16_t)i;
    }
    if (keep_graph(e)) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory for the graph");
    e->model = m;
    return 0;
}

/* Score the transaction with the model: the features its splits test (taken
 * before the edge joins the graph), probability, and for an alert the
 * features behind it. */
static void run_model(fz_engine *e, const score_ctx *x, fz_decision *d) {
    for (int k = 0; k < e->nmodel_used; k++) { /* only what some split tests */
        int i = e->model_used[k];
        e->model_x[i] = feature_value(e, x, e->model_feat[i]);
    }
    d->model_p = fz_model_predict(e->model, e->model_x);
    if (d->model_p < fz_model_threshold(e->model)) return;
    d->model_hit = 1;
    d->score += (int32_t)(d->model_p * 1000.0f);
    int k = fz_model_contrib(e->model, e->model_x, d->contrib, FZ_DEC_MAX_CONTRIB);
    d->ncontrib = (uint8_t)(k < 0 ? 0 : k);
}

int fz_engine_score_features(fz_engine *e, const fz_txn *t, fz_decision *d, float *x) {
    if (keep_graph(e)) return FZ_ENOMEM;
    txn_keys tk;
    keys_of(e, t, &tk);
    return score(e, t, &tk, d, x);
}

/* Start loading a transaction record and, once it is in, its account keys
 * (a hint: a batch's records and strings need not be in cache). */
static void prefetch_txn(const fz_txn *t) {
    const char *p = (const char *)t;
    for (size_t off = 0; off < sizeof *t; off += 64) __builtin_prefetch(p + off);
    __builtin_prefetch(p + sizeof *t - 1);
}

static void prefetch_keys(const fz_txn *t) {
    __builtin_prefetch(t->payer_acct.p);
    __builtin_prefetch(t->payee_acct.p);
    __builtin_prefetch(t->payer_bank.p);
    __builtin_prefetch(t->payee_bank.p);
}

/* A three-stage pipeline: while transaction i is scored, i+1's accounts are
 * looked up (their hash slots were prefetched a step earlier) and their
 * blocks prefetched (their customers once i is scored), and i+2's keys are
 * hashed and their slots prefetched.
 * Scoring uses the ids found ahead; an account not found ahead (new, or
 * added by an earlier transaction of the batch) is looked up again then. */
int fz_engine_score_many(fz_engine *e, const fz_txn *const *t, size_t n, fz_decision *d) {
    txn_keys ring[3];
    for (size_t i = 0; i < n && i < 2; i++) keys_of(e, t[i], &ring[i]);
    for (size_t i = 0; i < n; i++) {
        if (i + 4 < n) prefetch_txn(t[i + 4]); /* read two steps later by prefetch_keys */
        if (i + 3 < n) prefetch_keys(t[i + 3]);
        if (i + 2 < n) keys_of(e, t[i + 2], &ring[(i + 2) % 3]);
        if (i + 1 < n) find_ahead(e, &ring[(i + 1) % 3]);
        int rc = score(e, t[i], &ring[i % 3], &d[i], NULL);
        if (rc) return rc;
        if (i + 1 < n) prefetch_customers(e, &ring[(i + 1) % 3]);
    }
    return 0;
}

void fz_engine_stats_get(const fz_engine *e, fz_engine_stats *s) {
    *s = e->st;
    s->customers = e->ncust;
    s->bytes = sizeof *e + fz_intern_bytes(e->acct_ids) + fz_intern_bytes(e->cust_ids) +
               e->acct_cap * e->stride +
               e->cust_cap * sizeof(fz_cust) + e->named_cap * sizeof(uint32_t) +
               (e->graph ? e->acct_cap * sizeof(fz_graph_node) : 0) + e->kyc.cap * sizeof(fz_acct_kyc);
    /* what the accounts and customers there are use; the id tables as held */
    s->bytes_used = sizeof *e + fz_intern_bytes(e->acct_ids) + fz_intern_bytes(e->cust_ids) +
                    s->accounts * (e->stride + (e->graph ? sizeof(fz_graph_node) : 0)) +
                    e->ncust * sizeof(fz_cust) + e->named_cap * sizeof(uint32_t);
}

/* ---------- state digest ---------- */


uint64_t fz_engine_digest(const fz_engine *e) {
    uint64_t h = FZ_FNV64_INIT;
    for (uint32_t id = 0; id < e->st.accounts; id++) {
        size_t n;
        const char *k = fz_intern_key(e->acct_ids, id, &n);
        h = fz_fnv64(h, k, n);
        h = fz_fnv64(h, e->blocks + (size_t)id * e->stride, e->stride);
        if (e->graph) h = fz_fnv64(h, &e->graph[id], sizeof e->graph[id]);
    }
    for (size_t c = 0; c < e->ncust; c++) h = fz_fnv64(h, &e->cust[c], sizeof e->cust[c]);
    for (size_t k = 0; k < e->kyc.cap; k++)
        if (e->kyc.a[k].cls) h = fz_fnv64(h, &e->kyc.a[k], sizeof e->kyc.a[k]);
    return h;
}

/* ---------- snapshots ---------- */

#define SNAP_MAGIC "FZSNAP01"

/* What a snapshot must agree on with the engine that loads it: the layout
 * of its tables and the configuration that gave their contents meaning. */
typedef struct snap_head {
    char magic[8];
    uint32_t stride, cust_size, graph_size, has_graph;
    uint64_t config;
    uint64_t naccounts, ncustomers, nnamed;
    uint64_t nkyc; /* entries of the account-class side table */
    fz_engine_stats st;
} snap_head;

static uint64_t config_digest(const fz_engine *e) {
    const fz_engine_config *c = &e->cfg;
    uint64_t h = fz_fnv64(FZ_FNV64_INIT, &c->nwindows, sizeof c->nwindows);
    h = fz_fnv64(h, c->window_ms, sizeof c->window_ms[0] * (size_t)c->nwindows);
    h = fz_fnv64(h, &c->graph, sizeof c->graph);
    h = fz_fnv64(h, c->home_bank, e->home_len);
    return fz_fnv64(h, &e->cny_usd_e8, sizeof e->cny_usd_e8);
}

static void snap_head_of(const fz_engine *e, snap_head *h) {
    memset(h, 0, sizeof *h);
    memcpy(h->magic, SNAP_MAGIC, 8);
    h->stride = (uint32_t)e->stride;
    h->cust_size = (uint32_t)sizeof(fz_cust);
    h->graph_size = (uint32_t)sizeof(fz_graph_node);
    h->has_graph = e->graph != NULL;
    h->config = config_digest(e);
    h->naccounts = e->st.accounts;
    h->ncustomers = e->ncust;
    h->nnamed = fz_intern_count(e->cust_ids);
    h->nkyc = e->kyc.cap;
    h->st = e->st;
}

static int put_keys(FILE *f, const fz_intern *t, size_t n) {
    for (size_t id = 0; id < n; id++) {
        size_t len;
        const char *k = fz_intern_key(t, (uint32_t)id, &len);
        uint16_t l = (uint16_t)len;
        if (fwrite(&l, sizeof l, 1, f) != 1 || fwrite(k, 1, len, f) != len) return -1;
    }
    return 0;
}

int fz_engine_save(const fz_engine *e, FILE *f, fz_error *err) {
    snap_head h;
    snap_head_of(e, &h);
    size_t na = (size_t)h.naccounts, nn = (size_t)h.nnamed;
    int bad = fwrite(&h, sizeof h, 1, f) != 1 || put_keys(f, e->acct_ids, na) || put_keys(f, e->cust_ids, nn) ||
              fwrite(e->blocks, e->stride, na, f) != na ||
              (e->graph && fwrite(e->graph, sizeof *e->graph, na, f) != na) ||
              fwrite(e->cust, sizeof *e->cust, e->ncust, f) != e->ncust ||
              (nn && fwrite(e->named, sizeof *e->named, nn, f) != nn) ||
              (e->kyc.cap && fwrite(e->kyc.a, sizeof *e->kyc.a, e->kyc.cap, f) != e->kyc.cap);
    return bad ? fz_error_set(err, FZ_EIO, "snapshot", 0, 0, NULL, "write failed") : 0;
}

/* Read n keys and intern them in order, so each gets its saved id. */
static int get_keys(FILE *f, fz_intern *t, size_t n) {
    char buf[65536];
    for (size_t id = 0; id < n; id++) {
        uint16_t l;
        int added;
        if (fread(&l, sizeof l, 1, f) != 1 || fread(buf, 1, l, f) != l) return FZ_EFORMAT;
        if (fz_intern_get(t, buf, l, &added) != (int64_t)id || !added) return FZ_EFORMAT;
    }
    return 0;
}

/* Whether the tables just loaded hang together: every index they hold is
 * inside the table it indexes and every ring is well formed, so a damaged
 * snapshot is refused here instead of making scoring read or write out of
 * bounds. Peer and counterparty ids need no check: only compared, or
 * looked up through graph_node, which bounds them. */
static int snap_consistent(const fz_engine *e, size_t na, size_t nn, size_t nc) {
    for (size_t k = 0; k < nn; k++)
        if (e->named[k] >= nc) return 0;
    for (size_t id = 0; id < na; id++) {
        uint32_t c = acct_of(e, (int64_t)id)->cust;
        if (c != NO_CUST && c >= nc) return 0;
        for (int d = 0; e->graph && d < 2; d++)
            if (e->graph[id].ring[d].head >= FZ_GRAPH_EDGES || e->graph[id].ring[d].n > FZ_GRAPH_EDGES) return 0;
    }
    for (size_t c = 0; c < nc; c++) {
        uint32_t k = e->cust[c].key;
        if ((k & CUST_UNNAMED) ? (k & ~CUST_UNNAMED) >= na : k >= nn) return 0;
    }
    return 1;
}

int fz_engine_load(fz_engine *e, FILE *f, fz_error *err) {
    snap_head h, want;
    snap_head_of(e, &want);
    if (e->st.txns || e->st.accounts || e->ncust)
        return fz_error_set(err, FZ_EINVAL, "snapshot", 0, 0, NULL, "the engine has state already");
    if (fread(&h, sizeof h, 1, f) != 1 || memcmp(h.magic, SNAP_MAGIC, 8))
        return fz_error_set(err, FZ_EFORMAT, "snapshot", 0, 0, NULL, "not a Fanzha engine snapshot");
    if (h.stride != want.stride || h.cust_size != want.cust_size || h.graph_size != want.graph_size ||
        h.config != want.config)
        return fz_error_set(err, FZ_EFORMAT, "snapshot", 0, 0, NULL,
                            "made with another engine configuration or build");
    /* ids are 32-bit and customer indices below CUST_UNNAMED; within those
     * bounds no size below can overflow */
    if (h.naccounts != h.st.accounts || h.naccounts > UINT32_MAX || h.ncustomers >= CUST_UNNAMED ||
        h.nnamed > h.ncustomers || h.nkyc > UINT32_MAX)
        return fz_error_set(err, FZ_EFORMAT, "snapshot", 0, 0, NULL, "damaged (table sizes)");
    size_t na = (size_t)h.naccounts, nn = (size_t)h.nnamed, nc = (size_t)h.ncustomers;
    if (grow_accounts(e, na, 1) || grow_customers(e, nc, 1) || (h.has_graph && keep_graph(e)) ||
        fz_intern_reserve(e->acct_ids, na))
        return fz_error_set(err, FZ_ENOMEM, "snapshot", 0, 0, NULL, "out of memory");
    if (nn > e->named_cap) {
        uint32_t *m = realloc(e->named, nn * sizeof *m);
        if (!m) return fz_error_set(err, FZ_ENOMEM, "snapshot", 0, 0, NULL, "out of memory");
        e->named = m;
        e->named_cap = nn;
    }
    if (h.nkyc) { /* the engine has no account yet, so no class either */
        fz_acct_kyc *k = realloc(e->kyc.a, (size_t)h.nkyc * sizeof *k);
        if (!k) return fz_error_set(err, FZ_ENOMEM, "snapshot", 0, 0, NULL, "out of memory");
        e->kyc.a = k;
        e->kyc.cap = (size_t)h.nkyc;
    }
    int bad = get_keys(f, e->acct_ids, na) || get_keys(f, e->cust_ids, nn) ||
              fread(e->blocks, e->stride, na, f) != na ||
              (h.has_graph && fread(e->graph, sizeof *e->graph, na, f) != na) ||
              fread(e->cust, sizeof *e->cust, nc, f) != nc || (nn && fread(e->named, sizeof *e->named, nn, f) != nn) ||
              (h.nkyc && fread(e->kyc.a, sizeof *e->kyc.a, (size_t)h.nkyc, f) != h.nkyc);
    if (bad) return fz_error_set(err, FZ_EFORMAT, "snapshot", 0, 0, NULL, "truncated or damaged");
    /* an engine that kept the graph before loading one saved without it:
     * its accounts' rings start empty, as keep_graph's would */
    if (e->graph && !h.has_graph) memset(e->graph, 0, na * sizeof *e->graph);
    if (!snap_consistent(e, na, nn, nc))
        return fz_error_set(err, FZ_EFORMAT, "snapshot", 0, 0, NULL, "damaged (an index out of range)");
    e->ncust = nc;
    e->st = h.st;
    return 0;
}

/* ---------- the graph, for people ---------- */

int fz_engine_keep_graph(fz_engine *e) { return keep_graph(e); }

/* Append ring r's edges (newest first) as seen from account id in
 * direction dir, while out has room. */
static int ring_edges(const fz_edge_ring *r, uint32_t id, int dir, fz_engine_edge *out, int k, int max) {
    for (uint32_t i = 0; i < r->n && k < max; i++) {
        const fz_edge *ed = fz_graph_nth_newest(r, i);
        out[k++] = (fz_engine_edge){dir == FZ_DIR_OUT ? id : ed->peer, dir == FZ_DIR_OUT ? ed->peer : id,
                                    fz_cpset_ms(ed->sec), ed->amount};
    }
    return k;
}

int fz_engine_edges(const fz_engine *e, const char *key, size_t n, fz_engine_edge *out, int max) {
    int64_t id = fz_intern_find(e->acct_ids, key, n);
    if (id < 0) return FZ_ENOTFOUND;
    if (!e->graph || (uint64_t)id >= e->st.accounts) return 0;
    const fz_graph_node *g = &e->graph[id];
    int k = ring_edges(&g->ring[FZ_DIR_OUT], (uint32_t)id, FZ_DIR_OUT, out, 0, max);
    return ring_edges(&g->ring[FZ_DIR_IN], (uint32_t)id, FZ_DIR_IN, out, k, max);
}
