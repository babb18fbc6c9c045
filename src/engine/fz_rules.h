/* fz_rules.h — the rule language: compile text once, evaluate fast.
 *
 * A rule set is compiled from one or more rule packs (text, docs/rules.md)
 * against a schema; names, enum constants and units are all resolved at
 * compile time, so evaluation is a walk over a flat int64 program that
 * allocates nothing, locks nothing and calls nothing. A compiled set is
 * immutable: swapping rules is swapping a pointer. */
#ifndef FZ_RULES_H
#define FZ_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "fz_error.h"
#include "fz_schema.h"

/* What a rule asks for when it fires, in rising severity. LARGE_VALUE does
 * not touch the outcome: it asks for a large-value record. */
typedef enum fz_action {
    FZ_ACT_ALERT = 0,   /* let it pass, raise an alert for an analyst */
    FZ_ACT_VERIFY,      /* step-up verification (SMS code, call-back) */
    FZ_ACT_HOLD,        /* hold for counter review (落地处理) */
    FZ_ACT_BLOCK,       /* refuse */
    FZ_ACT_LARGE_VALUE, /* large-value report record (CRCD in the rule) */
    FZ_ACT__COUNT
} fz_action;

/* Which side of a transaction a rule looks at: the payer (self pays, dir =
 * out), the payee (self receives, dir = in), or each of them in turn. */
enum { FZ_SIDE_PAYER = 0, FZ_SIDE_PAYEE = 1 };
enum { FZ_ON_PAYER = 1, FZ_ON_PAYEE = 2, FZ_ON_BOTH = 3 };

/* "alert", "verify", "hold", "block", "large_value" (the words a rule's
 * `then` takes); "payer", "payee", "both" for FZ_ON_*. "unknown" otherwise. */
const char *fz_rules_action_name(unsigned action);
const char *fz_rules_on_name(unsigned on);

typedef struct fz_rule_info {
    char id[48];          /* "LV-0501-CNY" */
    char pack[48];        /* the pack's declared name */
    char typology[32];    /* optional tag, "structuring"; "" if none */
    const char *reason_zh; /* NUL-terminated, owned by the rule set */
    const char *reason_en;
    uint8_t action;       /* fz_action */
    uint8_t on;           /* FZ_ON_* */
    uint16_t crcd;        /* large-value feature code as a number (501 = "0501"), else 0 */
    int32_t score;        /* 0..1000, added to the decision's score when it fires */
    int32_t priority;     /* higher first in a decision's reasons */
    int32_t line;         /* where it is defined */
} fz_rule_info;

typedef struct fz_ruleset fz_ruleset;

/* Compile packs (each a whole file's text, with its name for errors) into one
 * rule set. Any mistake fails the whole load with err = "file:line:col: msg".
 * Returns 0, FZ_EPARSE, FZ_EINVAL or FZ_ENOMEM. */
typedef struct fz_rules_src {
    const char *name; /* file name, for errors */
    const char *text;
    size_t len;
} fz_rules_src;
int fz_rules_compile(fz_ruleset **out, const fz_rules_src *srcs, int nsrcs,
                     const fz_schema *schema, fz_error *err);

/* Read and compile files. Errors name the file. */
int fz_rules_load(fz_ruleset **out, const char *const *paths, int npaths,
                  const fz_schema *schema, fz_error *err);

/* Read a whole pack file into a new buffer (*text, free() it; *len bytes,
 * not NUL-terminated), for callers that keep the text as well as compile it.
 * Returns 0, FZ_EIO (err names the file) or FZ_ENOMEM. */
int fz_rules_read_file(const char *path, char **text, size_t *len, fz_error *err);

void fz_rules_free(fz_ruleset *rs);

/* Number of rules, and rule i's description (0 <= i < count). Rules are
 * numbered in priority order (highest first, then file order). */
int fz_rules_count(const fz_ruleset *rs);
const fz_rule_info *fz_rules_info(const fz_ruleset *rs, int i);

/* "pboc-large-value@2026.11 typologies@2026.11#9f3a12c4": the packs' declared
 * names and versions and a hash of all source text. */
const char *fz_rules_version(const fz_ruleset *rs);

/* Whether any rule reads schema value i, so the engine computes only what is
 * read. */
int fz_rules_uses(const fz_ruleset *rs, int var);

/* The values one evaluation reads, indexed like the schema. A value is
 * taken from v when its bit in `have` is set; otherwise `fill` computes it
 * on first read and it is kept for the rest of the evaluation. So the engine
 * computes only the values that the rules which get that far actually read
 * (most rules stop at their first test). With fill NULL, v is taken as it is.
 * The caller clears `have` before each evaluation. */
typedef struct fz_values {
    int64_t v[FZ_SCHEMA_MAX];
    uint64_t have[(FZ_SCHEMA_MAX + 63) / 64];
    int64_t (*fill)(void *ctx, int var);
    void *ctx;
} fz_values;

/* Evaluate, for one side (FZ_SIDE_PAYER or FZ_SIDE_PAYEE), every rule that
 * looks at that side. Writes the numbers of the rules that fire, in rule
 * order, into hits (at most max) and returns how many fired (which may
 * exceed max). No allocation, no lock, no I/O; fill is the only call out. */
int fz_rules_eval(const fz_ruleset *rs, int side, fz_values *vals, uint16_t *hits, int max);

#endif
