/* fz_engine.h — score one transaction against in-memory state.
 *
 * The engine is pure: no I/O. fz_engine_score() interns the two accounts
 * (and customers), advances their time windows, counterparty tables and
 * customer-day totals, evaluates the rule set for each side and fills a
 * decision. After the first sight of an account it allocates nothing, takes
 * no lock and makes no system call. One engine per thread. */
#ifndef FZ_ENGINE_H
#define FZ_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fz_decision.h"
#include "fz_error.h"
#include "fz_graph.h"
#include "fz_money.h"
#include "fz_rules.h"
#include "fz_schema.h"
#include "fz_txn.h"

#define FZ_WIN_MAX 6

typedef struct fz_engine_config {
    int nwindows;                     /* 1..FZ_WIN_MAX */
    int64_t window_ms[FZ_WIN_MAX];    /* ascending; default 1h, 24h, 7d, 30d */
    char window_label[FZ_WIN_MAX][8]; /* "1h", "24h", "7d", "30d": used in names */
    size_t reserve_accounts;          /* presize state for this many accounts */
    fz_rates rates;                   /* currency -> USD, for USD equivalents */
    fz_graph_params graph;            /* windows and depths of the graph features */
    char home_bank[32];               /* when set, large-value records are made only for
                                         accounts at this bank (the reporting institution's
                                         own customers); "" makes them for every account */
} fz_engine_config;

typedef struct fz_engine fz_engine;

/* The default configuration: windows 1h/24h/7d/30d, built-in rates. */
void fz_engine_config_default(fz_engine_config *cfg);

/* Parse a duration such as "15m", "1h" or "30d" (units m, h, d; up to
 * 100000 of them) into ms. Returns 0, FZ_EINVAL or FZ_ERANGE. */
int fz_duration_parse(const char *s, size_t n, int64_t *ms);

/* Parse a window list such as "1h,24h,7d,30d" (units m, h, d) into cfg.
 * Returns 0 or FZ_EINVAL with err naming the bad item. */
int fz_engine_config_windows(fz_engine_config *cfg, const char *list, fz_error *err);

int fz_engine_new(fz_engine **out, const fz_engine_config *cfg, fz_error *err);
void fz_engine_free(fz_engine *e);

/* The values rules may read under this configuration. */
const fz_schema *fz_engine_schema(const fz_engine *e);

/* Use rs from the next transaction on. The engine borrows it: the caller keeps
 * it alive while it is in use. NULL means no rules (everything is allowed).
 * The first rule set that reads a graph.* value makes the engine keep the
 * transaction graph from then on (fz_graph.h). Returns 0 or FZ_ENOMEM. */
int fz_engine_set_rules(fz_engine *e, const fz_ruleset *rs);
const fz_ruleset *fz_engine_rules(const fz_engine *e);

/* Score t and update state. t must come in time order per account (a time
 * earlier than an account's last activity is treated as that last activity,
 * and counted in fz_engine_stats). Returns 0, or FZ_ENOMEM when a new
 * account cannot be added. */
int fz_engine_score(fz_engine *e, const fz_txn *t, fz_decision *d);

/* Score n transactions in order, as fz_engine_score would one by one,
 * decision i into d[i]. For batch callers: it looks up the next
 * transactions' accounts while scoring the current one, so the cache misses
 * of state larger than the cache overlap. Stops at the first error. */
int fz_engine_score_many(fz_engine *e, const fz_txn *const *t, size_t n, fz_decision *d);

/* The feature vector: named, versioned values of one scored transaction
 * for analysis and for the tree model (docs/engine.md lists them). Money is
 * in yuan, durations in hours; NaN where a value does not apply (no account
 * on a side, no balance in the input). */
#define FZ_FEATURES_MAX 96
#define FZ_FEATURES_VERSION "fz-features-1"
int fz_engine_features_count(const fz_engine *e);
const char *fz_engine_feature_name(const fz_engine *e, int i);

/* fz_engine_score that also writes the transaction's features into
 * x[fz_engine_features_count(e)]. The graph features are computed from the
 * graph, which this keeps from the first call on. */
int fz_engine_score_features(fz_engine *e, const fz_txn *t, fz_decision *d, float *x);

/* Score with a tree model too (borrowed, kept alive by the caller; NULL
 * for none). Its features are matched by name to the engine's feature
 * vector; FZ_EINVAL names one the engine does not have. The engine keeps the
 * transaction graph from then on. A transaction the model scores at or
 * above the model's threshold is an alert: its decision's score gains
 * model_p x 1000 and carries the top contributing features. */
int fz_engine_set_model(fz_engine *e, const fz_model *m, fz_error *err);

/* Set a customer's ML-risk grade (0 low .. 3 highest), which rules read as
 * cust.grade. The customer is created if new. A customer is named as the
 * input names it (payer_cust/payee_cust) or, where the input names none, by
 * its account's key "acct@bank" ("acct" when the bank is unknown). */
int fz_engine_set_grade(fz_engine *e, const char *cust, size_t n, int grade);

/* Set an account's class, 1..3 (Ⅰ/Ⅱ/Ⅲ类户), which rules read as acct.class;
 * a class II or III account's outflow in the current Asia/Shanghai calendar
 * day and year (this transaction included) are acct.out_day and
 * acct.out_year. acct is the account's key "acct@bank" (as
 * fz_engine_account_key gives it); the account is created if new. Accounts
 * whose class is never set are class I. Returns 0, FZ_EINVAL or
 * FZ_ENOMEM. */
int fz_engine_set_account_class(fz_engine *e, const char *acct, size_t n, int cls);

typedef struct fz_engine_stats {
    uint64_t txns;
    uint64_t accounts;
    uint64_t customers;
    uint64_t out_of_order;   /* transactions older than their account's last activity */
    uint64_t hits_truncated; /* decisions whose hits[] overflowed */
    uint64_t lv_truncated;   /* large-value records beyond FZ_DEC_MAX_LV in one decision */
    uint64_t no_rate;        /* foreign-currency transactions with no USD rate */
    uint64_t graph_capped;   /* edges whose graph features a cap cut (lower bounds) */
    uint64_t long_keys;      /* accounts whose number and bank exceed 255 bytes together,
                                keyed by the number alone */
    size_t bytes;            /* heap held by the engine's state, all tables included */
    size_t bytes_used;       /* of which the accounts and customers there are use */
} fz_engine_stats;
void fz_engine_stats_get(const fz_engine *e, fz_engine_stats *s);

/* A 64-bit FNV-1a digest of the whole scoring state: every account's
 * key, windows, counterparty sets and graph rings, every customer's day
 * totals. Two engines that scored the same transactions in the same order
 * have the same digest; the crash test compares a restarted server's with
 * an uninterrupted run's. */
uint64_t fz_engine_digest(const fz_engine *e);

/* Snapshots: write everything fz_engine_score reads and writes, so that a
 * new engine made with the same configuration and loaded from the file
 * scores the next transactions exactly as e would (same digest). Rules and
 * model are not state: set them as usual. fz_engine_save returns 0 or
 * FZ_EIO; fz_engine_load, on an engine that has scored nothing, returns 0,
 * FZ_EFORMAT (not a snapshot, damaged, or another configuration or build:
 * replay instead), FZ_EINVAL or FZ_ENOMEM. */
int fz_engine_save(const fz_engine *e, FILE *f, fz_error *err);
int fz_engine_load(fz_engine *e, FILE *f, fz_error *err);

/* Keep the transaction graph from now on even if no rule or model reads it
 * (the server draws money flows from it). Returns 0 or FZ_ENOMEM. */
int fz_engine_keep_graph(fz_engine *e);

/* One payment as the graph keeps it: payer and payee dense ids
 * (fz_engine_account_key), time to the second, CNY-equivalent fen. */
typedef struct fz_engine_edge {
    uint32_t from, to;
    int64_t time_ms;
    int64_t amount;
} fz_engine_edge;

/* The recent payments of the account keyed key (n bytes): its out-ring
 * then its in-ring, each newest first, at most max (the graph keeps the
 * FZ_GRAPH_EDGES most recent each way). Returns the count, 0 when the
 * graph is not kept, or FZ_ENOTFOUND for an account never seen. */
int fz_engine_edges(const fz_engine *e, const char *key, size_t n, fz_engine_edge *out, int max);

/* The external id of a dense account or customer id (not NUL-terminated). */
const char *fz_engine_account_key(const fz_engine *e, uint32_t id, size_t *n);
const char *fz_engine_customer_key(const fz_engine *e, uint32_t id, size_t *n);

/* The dense customer id the engine now binds to one side (FZ_SIDE_PAYER or
 * FZ_SIDE_PAYEE) of t: the customer the side names, else its account's
 * customer. UINT32_MAX when the side has no account or the engine has not
 * seen it. Reads only: for gathering stored transactions under the
 * large-value records they made (fz_lvreport.h). */
uint32_t fz_engine_side_customer(const fz_engine *e, const fz_txn *t, int side);

/* 1 if an account at `bank` is the reporting bank's (home_bank; every
 * account when home_bank is not set), else 0. */
int fz_engine_is_home(const fz_engine *e, fz_str bank);

#endif
