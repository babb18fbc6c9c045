/* test_rules.c — the rule language: errors with exact positions, evaluation
 * truth tables, exact arithmetic, ordering, sides, and the shipped packs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_money.h"
#include "fz_rules.h"
#include "fz_engine.h"
#include "fz_rules_int.h"
#include "fz_schema.h"
#include "fz_txn.h"

/* ------------------------------------------------------------------ schema */

/* The schema the engine publishes with its default windows: the real one,
 * so the packs and these tests see exactly what scoring sees. */
static void build_schema(fz_schema *s) {
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    fz_engine *e;
    fz_error err;
    if (fz_engine_new(&e, &cfg, &err) != 0) abort();
    *s = *fz_engine_schema(e);
    fz_engine_free(e);
}

static fz_schema S;
static int64_t vals[FZ_SCHEMA_MAX];

static int setup(void **state) {
    (void)state;
    build_schema(&S);
    memset(vals, 0, sizeof vals);
    return 0;
}

static int V(const char *name) {
    int i = fz_schema_find(&S, name, strlen(name));
    if (i < 0) fail_msg("no schema value %s", name);
    return i;
}

static void set(const char *name, int64_t v) { vals[V(name)] = v; }

/* Evaluate over the values in vals[] (every one present, no fill). */
static int eval_vals(const fz_ruleset *rs, int side, uint16_t *hits, int max) {
    static fz_values x;
    memset(&x, 0, sizeof x);
    memcpy(x.v, vals, sizeof x.v);
    memset(x.have, 0xff, sizeof x.have);
    return fz_rules_eval(rs, side, &x, hits, max);
}

/* ----------------------------------------------------------------- helpers */

static int compile_text(fz_ruleset **rs, const char *text, fz_error *err) {
    fz_rules_src src = {"t.rules", text, strlen(text)};
    return fz_rules_compile(rs, &src, 1, &S, err);
}

static fz_ruleset *compile_ok(const char *text) {
    fz_ruleset *rs = NULL;
    fz_error err = {0};
    int r = compile_text(&rs, text, &err);
    if (r != 0) {
        char buf[512];
        fz_error_format(&err, buf, sizeof buf);
        fail_msg("compile failed: %s", buf);
    }
    return rs;
}

/* A one-rule pack with `when` on line 3, column 8. */
static char *one_rule(const char *when) {
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "pack \"t\" version \"1\"\n"
             "rule \"R\" {\n"
             "  when %s\n"
             "  then alert\n"
             "  reason zh \"中\"\n"
             "  reason en \"e\"\n"
             "}\n",
             when);
    return buf;
}

static void expect_error(const char *text, const char *want) {
    fz_ruleset *rs = NULL;
    fz_error err = {0};
    int r = compile_text(&rs, text, &err);
    char buf[512];
    fz_error_format(&err, buf, sizeof buf);
    if (r != FZ_EPARSE || strcmp(buf, want) != 0)
        fail_msg("for:\n%s\nwant: %s\ngot (%d): %s", text, want, r, buf);
    assert_null(rs);
}

/* Evaluate a one-rule set on the payer side. */
static int fires(const fz_ruleset *rs) {
    uint16_t hits[8];
    return eval_vals(rs, FZ_SIDE_PAYER, hits, 8);
}

/* ------------------------------------------------------------------ errors */

static void test_errors_lexical(void **state) {
    (void)state;
    expect_error(one_rule("amount >= 5x"), "t.rules:3:18: bad number '5x' (durations take s, m, h or d)");
    expect_error("pack \"t\" version \"1\"\nrule \"R\" {\n  reason zh \"a\\qb\"\n}\n",
                 "t.rules:3:15: bad escape '\\q' (use \\\" \\\\ \\n or \\t)");
    expect_error("pack \"t\" version \"1\"\nrule \"R\" {\n  reason zh \"abc\n}\n",
                 "t.rules:3:13: unterminated string");
    expect_error("pack \"t\" version \"1\"\nrule \"R\" {\n  reason zh \"a\xff\"\n}\n",
                 "t.rules:3:15: invalid UTF-8 in string");
    expect_error(one_rule("amount >= 5 ! 3"), "t.rules:3:20: unexpected character '!'");
    /* Columns count code points: the error after Chinese text is where an
     * editor shows it. */
    expect_error("pack \"t\" version \"1\"\nrule \"R\" { reason zh \"中文\" @ }\n",
                 "t.rules:2:27: unexpected character '@'");
}

static void test_errors_structure(void **state) {
    (void)state;
    expect_error("rule \"R\" {}\n", "t.rules:1:1: expected 'pack \"name\" version \"...\"' first, found 'rule'");
    expect_error("pack \"t\" version \"1\"\nrule \"R\" {\n  then alert\n  reason zh \"z\"\n  reason en \"e\"\n}\n",
                 "t.rules:2:1: rule 'R' has no 'when'");
    expect_error("pack \"t\" version \"1\"\nrule \"R\" {\n  when cash\n  reason zh \"z\"\n  reason en \"e\"\n}\n",
                 "t.rules:2:1: rule 'R' has no 'then'");
    expect_error("pack \"t\" version \"1\"\nrule \"R\" {\n  when cash\n  then alert\n  reason zh \"z\"\n}\n",
                 "t.rules:2:1: rule 'R' has no 'reason en'");
    expect_error("pack \"t\" version \"1\"\n"
                 "rule \"R\" { when cash then alert reason zh \"z\" reason en \"e\" }\n"
                 "rule \"R\" { when cash then alert reason zh \"z\" reason en \"e\" }\n",
                 "t.rules:3:6: duplicate rule id 'R' (pack 't', line 2)");
    expect_error("pack \"t\" version \"1\"\nrule \"R\" {\n  when cash\n  then large_value \"0505\"\n}\n",
                 "t.rules:4:20: large_value code must be \"0501\", \"0502\", \"0503\" or \"0504\"");
    expect_error("pack \"t\" version \"1\"\nrule \"R\" {\n  when cash\n  when fx\n}\n",
                 "t.rules:4:3: duplicate 'when' in rule 'R'");
    expect_error("pack \"t\" version \"1\"\nrule \"R\" {\n  when cash\n  score 1001\n}\n",
                 "t.rules:4:9: score must be a whole number from 0 to 1000");
    expect_error("pack \"t\" version \"1\"\nparam X = 1\nparam X = 2\n",
                 "t.rules:3:7: param 'X' already defined at line 2");
    expect_error("pack \"t\" version \"1\"\nparam X = amount\n",
                 "t.rules:2:11: a param must be a constant, not a value that changes");
    expect_error(one_rule("cash fx"),
                 "t.rules:3:13: expected on, when, then, score, priority, typology, reason or '}', found 'fx'");
    expect_error(one_rule("(cash and fx"), "t.rules:4:3: expected ')', found 'then'");
}

static void test_errors_types(void **state) {
    (void)state;
    expect_error(one_rule("amont >= 5"), "t.rules:3:8: unknown name 'amont'");
    expect_error(one_rule("amount >= 1.005"), "t.rules:3:18: money has at most 2 decimal places");
    expect_error(one_rule("amount >= self.age"), "t.rules:3:15: cannot compare money with duration");
    expect_error(one_rule("self.age >= 30"), "t.rules:3:20: a duration needs a unit: s, m, h or d");
    expect_error(one_rule("channel == fax"), "t.rules:3:19: unknown channel 'fax'");
    expect_error(one_rule("channel < online"),
                 "t.rules:3:16: '<' needs numbers, money or durations; channel only takes == or !=");
    expect_error(one_rule("amount * amount > 5"), "t.rules:3:15: can only multiply by a constant number");
    expect_error(one_rule("amount / 0 > 5"), "t.rules:3:15: division by zero");
    expect_error(one_rule("day.count >= 65535"),
                 "t.rules:3:18: threshold 65535 is at or above the saturation of day.count (65535)");
    expect_error(one_rule("self.in.distinct_24h >= 9"),
                 "t.rules:3:29: threshold 9 is at or above the saturation of self.in.distinct_24h (9)");
    expect_error(one_rule("day.cash.usd >= 50000000.00"),
                 "t.rules:3:21: threshold 50000000.00 is at or above the saturation of day.cash.usd (42949672.95)");
    expect_error(one_rule("amount"), "t.rules:3:8: expected a condition, found a value of type money");
    expect_error(one_rule("kind in (cash_deposit, amount)"), "t.rules:3:31: cannot compare kind with money");
    expect_error(one_rule("hour in (1, hour)"), "t.rules:3:20: 'in' list items must be constants");
    expect_error(one_rule("cash + 1 > 0"), "t.rules:3:15: expected bool, found a number");
    expect_error(one_rule("cash + fx"), "t.rules:3:13: cannot add bool values");
    expect_error(one_rule("amount > 92233720368547758.07 * 2"), "t.rules:3:17: number too large to compute exactly");
    expect_error(one_rule("amount > 92233720368547758.08"), "t.rules:3:17: number '92233720368547758.08' is too long");
}

static void test_error_across_sources(void **state) {
    (void)state;
    const char *a = "pack \"a\" version \"1\"\nrule \"X\" { when cash then alert reason zh \"z\" reason en \"e\" }\n";
    const char *b = "pack \"b\" version \"1\"\n\nrule \"X\" { when fx then alert reason zh \"z\" reason en \"e\" }\n";
    fz_rules_src srcs[2] = {{"a.rules", a, strlen(a)}, {"b.rules", b, strlen(b)}};
    fz_ruleset *rs = NULL;
    fz_error err = {0};
    assert_int_equal(fz_rules_compile(&rs, srcs, 2, &S, &err), FZ_EPARSE);
    char buf[256];
    fz_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "b.rules:3:6: duplicate rule id 'X' (pack 'a', line 2)");
    assert_null(rs);
}

/* -------------------------------------------------------------- evaluation */

static void test_truth_tables(void **state) {
    (void)state;
    static const struct { const char *when; int t[4]; } cases[] = {
        /* t[i]: value with cash = i & 1, fx = i >> 1 */
        {"cash and fx", {0, 0, 0, 1}},
        {"cash or fx", {0, 1, 1, 1}},
        {"not cash", {1, 0, 1, 0}},
        {"not (cash and fx)", {1, 1, 1, 0}},
        {"not (cash or fx)", {1, 0, 0, 0}},
        {"cash and not fx", {0, 1, 0, 0}},
        {"(cash or fx) and not (cash and fx)", {0, 1, 1, 0}},
        {"cash == fx", {1, 0, 0, 1}},
        {"cash != true", {1, 0, 1, 0}},
        {"not not cash", {0, 1, 0, 1}},
        {"true and cash", {0, 1, 0, 1}},
        {"false or fx", {0, 0, 1, 1}},
        {"cash or (fx and 1 < 2)", {0, 1, 1, 1}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        fz_ruleset *rs = compile_ok(one_rule(cases[c].when));
        for (int i = 0; i < 4; i++) {
            set("cash", i & 1);
            set("fx", i >> 1);
            if (fires(rs) != cases[c].t[i]) fail_msg("%s with cash=%d fx=%d", cases[c].when, i & 1, i >> 1);
        }
        fz_rules_free(rs);
    }
}

/* and/or compile to jumps over the accumulator: the right side is skipped
 * when the left decides, and not is folded into the comparisons. */
static void test_short_circuit_code(void **state) {
    (void)state;
    fz_ruleset *rs = compile_ok(one_rule("cash and amount > 5 or fx"));
    const fz__rules_ins *c = rs->code + rs->start[0];
    assert_int_equal(c[0].op, FZ__OP_NE); /* cash != 0 */
    assert_int_equal(c[1].op, FZ__OP_JZ); /* false: threaded past the and to the or's right */
    assert_int_equal(1 + c[1].arg, 4);
    assert_int_equal(c[2].op, FZ__OP_GT);
    assert_int_equal(c[3].op, FZ__OP_JNZ); /* true: straight to END */
    assert_int_equal(c[4].op, FZ__OP_NE);
    assert_int_equal(c[5].op, FZ__OP_END);
    assert_int_equal(3 + c[3].arg, 5);
    fz_rules_free(rs);

    rs = compile_ok(one_rule("not (amount >= 5 and hour < 3)"));
    c = rs->code + rs->start[0];
    assert_int_equal(c[0].op, FZ__OP_LT); /* amount < 500 */
    assert_int_equal(c[0].k, 500);
    assert_int_equal(c[1].op, FZ__OP_JNZ);
    assert_int_equal(c[2].op, FZ__OP_GE); /* hour >= 3 */
    assert_int_equal(c[3].op, FZ__OP_END);
    fz_rules_free(rs);

    /* Folded to a constant: no reads at all. */
    rs = compile_ok(one_rule("amount - amount > 0 and hour > 1"));
    c = rs->code + rs->start[0];
    assert_int_equal(c[0].op, FZ__OP_SET);
    assert_int_equal(c[0].k, 0);
    assert_int_equal(fz_rules_uses(rs, V("amount")), 0);
    assert_int_equal(fz_rules_uses(rs, V("hour")), 0);
    fz_rules_free(rs);
}

static void test_in_lists(void **state) {
    (void)state;
    fz_ruleset *rs = compile_ok(one_rule("channel in (online, mobile)"));
    fz_ruleset *nr = compile_ok(one_rule("channel not in (online, MOBILE)"));
    fz_ruleset *ng = compile_ok(one_rule("not (channel in (online, mobile))"));
    for (int ch = 0; ch < FZ_CH__COUNT; ch++) {
        set("channel", ch);
        int want = ch == FZ_CH_ONLINE || ch == FZ_CH_MOBILE;
        assert_int_equal(fires(rs), want);
        assert_int_equal(fires(nr), !want);
        assert_int_equal(fires(ng), !want);
    }
    fz_rules_free(rs);
    fz_rules_free(nr);
    fz_rules_free(ng);

    /* An IN test first in an and-chain is the rule's guard (its values sit
     * after it in the code): it must be a guard, and the rest must still
     * decide when it passes. */
    rs = compile_ok(one_rule("channel in (online, mobile) and amount > 5"));
    assert_int_equal(rs->ent[FZ_SIDE_PAYER][0].mask, 1);
    set("channel", FZ_CH_ONLINE);
    set("amount", 501);
    assert_int_equal(fires(rs), 1);
    set("amount", 500);
    assert_int_equal(fires(rs), 0);
    set("channel", FZ_CH_ATM);
    set("amount", 501);
    assert_int_equal(fires(rs), 0);
    fz_rules_free(rs);

    rs = compile_ok(one_rule("currency in (USD, eur) and dir == in and hour in (0, 1, 2, 23)"));
    set("currency", FZ_CCY('E', 'U', 'R'));
    set("dir", 1);
    set("hour", 23);
    assert_int_equal(fires(rs), 1);
    set("hour", 3);
    assert_int_equal(fires(rs), 0);
    set("hour", 0);
    set("currency", FZ_CCY_CNY);
    assert_int_equal(fires(rs), 0);
    set("currency", FZ_CCY_USD);
    set("dir", 0);
    assert_int_equal(fires(rs), 0);
    fz_rules_free(rs);
}

/* out >= 0.9 * in is 10*out - 9*in >= 0 in __int128: exact at the int64
 * extremes, where a double (53-bit) would get the boundary wrong. */
static void test_exact_ratio(void **state) {
    (void)state;
    fz_ruleset *rs = compile_ok(one_rule("self.out.sum_24h >= 0.9 * self.in.sum_24h"));
    set("self.in.sum_24h", INT64_MAX); /* 0.9 * MAX = 8301034833169298226.3 */
    set("self.out.sum_24h", 8301034833169298227LL);
    assert_int_equal(fires(rs), 1);
    set("self.out.sum_24h", 8301034833169298226LL);
    assert_int_equal(fires(rs), 0);
    set("self.in.sum_24h", INT64_MIN); /* 0.9 * MIN = -8301034833169298227.2 */
    set("self.out.sum_24h", -8301034833169298227LL);
    assert_int_equal(fires(rs), 1);
    set("self.out.sum_24h", -8301034833169298228LL);
    assert_int_equal(fires(rs), 0);
    set("self.out.sum_24h", INT64_MAX);
    assert_int_equal(fires(rs), 1);
    set("self.in.sum_24h", INT64_MAX);
    set("self.out.sum_24h", INT64_MIN);
    assert_int_equal(fires(rs), 0);
    set("self.in.sum_24h", 10); /* 9 vs 9: the boundary itself */
    set("self.out.sum_24h", 9);
    assert_int_equal(fires(rs), 1);
    fz_rules_free(rs);

    /* Mixed forms: sums, division, a param as the ratio. */
    rs = compile_ok("pack \"t\" version \"1\"\nparam R = 3 / 4\n"
                    "rule \"A\" { when self.out.sum_24h - 100.00 > R * (self.in.sum_24h + self.in.sum_7d) / 2"
                    " then alert reason zh \"z\" reason en \"e\" }\n");
    set("self.in.sum_24h", 4000);
    set("self.in.sum_7d", 4000); /* 3/8 * 8000 = 3000, + 10000 fen */
    set("self.out.sum_24h", 13001);
    assert_int_equal(fires(rs), 1);
    set("self.out.sum_24h", 13000);
    assert_int_equal(fires(rs), 0);
    fz_rules_free(rs);

    /* One value times a constant: the threshold is rounded the right way. */
    rs = compile_ok(one_rule("2 * day.count > 5"));
    set("day.count", 3);
    assert_int_equal(fires(rs), 1);
    set("day.count", 2);
    assert_int_equal(fires(rs), 0);
    fz_rules_free(rs);
    rs = compile_ok(one_rule("amount * 3 == 10.00"));
    set("amount", 333);
    assert_int_equal(fires(rs), 0);
    assert_int_equal(rs->code[rs->start[0]].op, FZ__OP_SET); /* never an integer: folded */
    fz_rules_free(rs);
    /* A threshold beyond int64 folds too. */
    rs = compile_ok(one_rule("amount / 2 > 92233720368547758.07"));
    set("amount", INT64_MAX);
    assert_int_equal(fires(rs), 0);
    fz_rules_free(rs);
}

/* The evaluator skips a rule on a branch-free form of its first test; that
 * must agree with the test itself everywhere, the int64 extremes included. */
static void test_guards_extremes(void **state) {
    (void)state;
    static const int64_t xs[] = {INT64_MIN, INT64_MIN + 1, -64, -1, 0, 1, 5, 6, 63, 64, INT64_MAX - 1, INT64_MAX};
    static const char *const whens[] = {
        "hour == 5", "hour != 5", "hour < 5", "hour <= 5", "hour > 5", "hour >= 5",
        "hour in (0, 5, 63)", "hour not in (0, 5, 63)", "hour in (64, 5)",
        "hour > 5 and cash", "hour < 5 and cash", "hour >= 5 or cash",
    };
    for (size_t w = 0; w < sizeof whens / sizeof whens[0]; w++) {
        fz_ruleset *rs = compile_ok(one_rule(whens[w]));
        for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
            for (int cash = 0; cash < 2; cash++) {
                int64_t x = xs[i];
                int want;
                switch (w) {
                case 0: want = x == 5; break;
                case 1: want = x != 5; break;
                case 2: want = x < 5; break;
                case 3: want = x <= 5; break;
                case 4: want = x > 5; break;
                case 5: want = x >= 5; break;
                case 6: want = x == 0 || x == 5 || x == 63; break;
                case 7: want = !(x == 0 || x == 5 || x == 63); break;
                case 8: want = x == 64 || x == 5; break;
                case 9: want = x > 5 && cash; break;
                case 10: want = x < 5 && cash; break;
                default: want = x >= 5 || cash; break;
                }
                set("hour", x);
                set("cash", cash);
                if (fires(rs) != want) fail_msg("%s with hour=%lld cash=%d", whens[w], (long long)x, cash);
            }
        fz_rules_free(rs);
    }
    fz_ruleset *rs = compile_ok(one_rule("amount > 92233720368547758.07 or amount < -92233720368547758.07 - 0.01"));
    set("amount", INT64_MAX);
    assert_int_equal(fires(rs), 0);
    fz_rules_free(rs);
}

static void test_units(void **state) {
    (void)state;
    fz_ruleset *rs = compile_ok(one_rule("amount >= 50000.00 and self.idle >= 365d and self.age < 1.5h"));
    set("amount", 5000000);
    set("self.idle", 365LL * 86400000);
    set("self.age", 5399999);
    assert_int_equal(fires(rs), 1);
    set("self.age", 5400000);
    assert_int_equal(fires(rs), 0);
    set("self.age", 0);
    set("amount", 4999999);
    assert_int_equal(fires(rs), 0);
    set("amount", 5000000);
    set("self.idle", 365LL * 86400000 - 1);
    assert_int_equal(fires(rs), 0);
    fz_rules_free(rs);
    rs = compile_ok(one_rule("amount_usd >= 10000 and cust.party != entity and kind == cash_deposit"));
    set("amount_usd", 1000000);
    set("cust.party", FZ_PARTY_NATURAL);
    set("kind", FZ_KIND_CASH_DEPOSIT);
    assert_int_equal(fires(rs), 1);
    set("cust.party", FZ_PARTY_ENTITY);
    assert_int_equal(fires(rs), 0);
    fz_rules_free(rs);
}

static const char *const ORDER_PACK =
    "pack \"o\" version \"2\"\n"
    "rule \"A\" { on both  priority 5  when cash then alert reason zh \"z\" reason en \"e\" }\n"
    "rule \"B\" { on payer priority 10 when cash then hold  score 7 reason zh \"z\" reason en \"e\" }\n"
    "rule \"C\" { on payee priority 5  when cash then block reason zh \"z\" reason en \"e\" }\n"
    "rule \"D\" { on both  priority -1 when fx   then alert reason zh \"z\" reason en \"e\" }\n";

static void test_priority_and_sides(void **state) {
    (void)state;
    fz_ruleset *rs = compile_ok(ORDER_PACK);
    assert_int_equal(fz_rules_count(rs), 4);
    const char *order[] = {"B", "A", "C", "D"};
    for (int i = 0; i < 4; i++) assert_string_equal(fz_rules_info(rs, i)->id, order[i]);
    assert_int_equal(fz_rules_info(rs, 0)->score, 7);
    assert_int_equal(fz_rules_info(rs, 0)->action, FZ_ACT_HOLD);
    assert_int_equal(fz_rules_info(rs, 0)->line, 3);
    assert_int_equal(fz_rules_info(rs, 3)->priority, -1);
    assert_null(fz_rules_info(rs, 4));
    set("cash", 1);
    set("fx", 1);
    uint16_t hits[8];
    assert_int_equal(eval_vals(rs, FZ_SIDE_PAYER, hits, 8), 3);
    assert_int_equal(hits[0], 0); /* B */
    assert_int_equal(hits[1], 1); /* A */
    assert_int_equal(hits[2], 3); /* D */
    assert_int_equal(eval_vals(rs, FZ_SIDE_PAYEE, hits, 8), 3);
    assert_int_equal(hits[0], 1); /* A */
    assert_int_equal(hits[1], 2); /* C */
    assert_int_equal(hits[2], 3);
    /* More hits than room: the count still says how many fired. */
    hits[1] = 999;
    assert_int_equal(eval_vals(rs, FZ_SIDE_PAYER, hits, 1), 3);
    assert_int_equal(hits[0], 0);
    assert_int_equal(hits[1], 999);
    assert_int_equal(eval_vals(rs, 2, hits, 8), 0);
    /* A payer-only rule is not even in the payee's list. */
    assert_int_equal(rs->nside[FZ_SIDE_PAYER], 3);
    assert_int_equal(rs->nside[FZ_SIDE_PAYEE], 3);
    fz_rules_free(rs);
}

static void test_version_and_uses(void **state) {
    (void)state;
    fz_ruleset *rs = compile_ok(ORDER_PACK);
    uint32_t h = 2166136261u;
    for (const char *p = ORDER_PACK; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    char want[64];
    snprintf(want, sizeof want, "o@2 #%08x", (unsigned)h);
    assert_string_equal(fz_rules_version(rs), want);
    assert_int_equal(fz_rules_uses(rs, V("cash")), 1);
    assert_int_equal(fz_rules_uses(rs, V("fx")), 1);
    assert_int_equal(fz_rules_uses(rs, V("amount")), 0);
    assert_int_equal(fz_rules_uses(rs, -1), 0);
    assert_int_equal(fz_rules_uses(rs, 10000), 0);
    assert_string_equal(fz_rules_info(rs, 0)->pack, "o");
    assert_string_equal(fz_rules_info(rs, 0)->reason_zh, "z");
    fz_rules_free(rs);
}

static void test_strings(void **state) {
    (void)state;
    fz_ruleset *rs = compile_ok("\xEF\xBB\xBFpack \"t\" version \"1\" # BOM, comment\n"
                                "rule \"R\" { when cash then alert typology \"x_y\"\n"
                                "  reason zh \"现金\\t\\\"引号\\\"\" reason en \"a\\\\b\\nc\" }");
    assert_string_equal(fz_rules_info(rs, 0)->reason_zh, "现金\t\"引号\"");
    assert_string_equal(fz_rules_info(rs, 0)->reason_en, "a\\b\nc");
    assert_string_equal(fz_rules_info(rs, 0)->typology, "x_y");
    fz_rules_free(rs);
}

/* ------------------------------------------------------------ shipped packs */

static const char *find_rules(const char *name, char *buf, size_t n) {
    static const char *const up[] = {"", "../", "../../", "../../../"};
    for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
        snprintf(buf, n, "%srules/%s", up[i], name);
        FILE *f = fopen(buf, "r");
        if (f) {
            fclose(f);
            return buf;
        }
    }
    fail_msg("cannot find rules/%s", name);
    return NULL;
}

static fz_ruleset *load_packs(const char *const *names, int n) {
    char bufs[3][256];
    const char *paths[3];
    for (int i = 0; i < n; i++) paths[i] = find_rules(names[i], bufs[i], sizeof bufs[i]);
    fz_ruleset *rs = NULL;
    fz_error err = {0};
    if (fz_rules_load(&rs, paths, n, &S, &err) != 0) {
        char buf[512];
        fz_error_format(&err, buf, sizeof buf);
        fail_msg("load: %s", buf);
    }
    return rs;
}

static void test_load_errors(void **state) {
    (void)state;
    const char *paths[] = {"/nonexistent/x.rules"};
    fz_ruleset *rs = (fz_ruleset *)&rs;
    fz_error err = {0};
    assert_int_equal(fz_rules_load(&rs, paths, 1, &S, &err), FZ_EIO);
    assert_null(rs);
    assert_string_equal(err.file, "/nonexistent/x.rules");
    /* No packs at all is an empty set, not an error. */
    assert_int_equal(fz_rules_compile(&rs, NULL, 0, &S, &err), 0);
    assert_int_equal(fz_rules_count(rs), 0);
    assert_string_equal(fz_rules_version(rs), "#811c9dc5");
    uint16_t hits[1];
    assert_int_equal(eval_vals(rs, FZ_SIDE_PAYEE, hits, 1), 0);
    fz_rules_free(rs);
    assert_int_equal(fz_rules_compile(NULL, NULL, 0, &S, &err), FZ_EINVAL);
}

static void test_shipped_packs_compile(void **state) {
    (void)state;
    const char *names[] = {"pboc-large-value.rules", "typologies.rules", "limits.rules"};
    fz_ruleset *rs = load_packs(names, 3);
    assert_true(fz_rules_count(rs) >= 8 + 8 + 8);
    assert_memory_equal(fz_rules_version(rs), "pboc-large-value@2026.11 typologies@2026.11 limits@2026.11 #", 60);
    assert_int_equal(strlen(fz_rules_version(rs)), 60 + 8);
    for (int i = 0; i < fz_rules_count(rs); i++) {
        const fz_rule_info *ri = fz_rules_info(rs, i);
        assert_true(ri->reason_zh[0] && ri->reason_en[0]);
        if (i > 0) assert_true(fz_rules_info(rs, i - 1)->priority >= ri->priority);
    }
    /* Nothing fires on an all-zero side. */
    memset(vals, 0, sizeof vals);
    uint16_t hits[64];
    assert_int_equal(eval_vals(rs, FZ_SIDE_PAYER, hits, 64), 0);
    fz_rules_free(rs);
}

typedef struct {
    const char *id;
    unsigned kind;
    int fx, xb, entity;
    const char *var; /* the day total that decides */
    int64_t at;      /* threshold in minor units (fen or USD cents) */
} lv_case;

static const lv_case LV[] = {
    {"LV-0501-CNY", FZ_KIND_CASH_DEPOSIT, 0, 0, 0, "day.cash.cny", 5000000},
    {"LV-0501-USD", FZ_KIND_CASH_WITHDRAWAL, 1, 0, 1, "day.cash.usd", 1000000},
    {"LV-0502-CNY", FZ_KIND_TRANSFER, 0, 1, 1, "day.transfer.cny", 200000000},
    {"LV-0502-USD", FZ_KIND_PAYMENT, 1, 0, 1, "day.transfer.usd", 20000000},
    {"LV-0503-CNY", FZ_KIND_TRANSFER, 0, 0, 0, "day.transfer_dom.cny", 50000000},
    {"LV-0503-USD", FZ_KIND_TRANSFER, 1, 0, 0, "day.transfer_dom.usd", 10000000},
    {"LV-0504-CNY", FZ_KIND_TRANSFER, 0, 1, 0, "day.transfer_xb.cny", 20000000},
    {"LV-0504-USD", FZ_KIND_CASH_REMITTANCE, 1, 1, 0, "day.transfer_xb.usd", 1000000},
};

static int fired_id(const fz_ruleset *rs, int side, const char *id) {
    uint16_t hits[32];
    int n = eval_vals(rs, side, hits, 32);
    for (int i = 0; i < n && i < 32; i++)
        if (strcmp(fz_rules_info(rs, hits[i])->id, id) == 0) return 1;
    return 0;
}

static void lv_setup(const lv_case *c, int side) {
    memset(vals, 0, sizeof vals);
    set("kind", c->kind);
    set("cash", fz_kind_is_cash(c->kind));
    set("fx", c->fx);
    set("currency", c->fx ? FZ_CCY_USD : FZ_CCY_CNY);
    set("cross_border", c->xb);
    set("cust.party", c->entity ? FZ_PARTY_ENTITY : FZ_PARTY_NATURAL);
    set("dir", side == FZ_SIDE_PAYEE);
}

/* Set a day total as the engine keeps them: the transfer total is the sum
 * of its domestic and cross-border parts, so setting a part sets it too. */
static void set_day(const char *var, int64_t v) {
    set(var, v);
    if (!strncmp(var, "day.transfer_dom.", 17) || !strncmp(var, "day.transfer_xb.", 16)) {
        char total[40];
        snprintf(total, sizeof total, "day.transfer.%s", strrchr(var, '.') + 1);
        set(total, v);
    }
}

/* Every large-value rule at exactly its threshold (fires: "以上" includes
 * it) and one fen or cent below (does not), on both sides. */
static void test_lv_thresholds(void **state) {
    (void)state;
    const char *names[] = {"pboc-large-value.rules"};
    fz_ruleset *rs = load_packs(names, 1);
    assert_int_equal(fz_rules_count(rs), 8);
    for (size_t i = 0; i < sizeof LV / sizeof LV[0]; i++) {
        const lv_case *c = &LV[i];
        for (int side = 0; side < 2; side++) {
            lv_setup(c, side);
            set_day(c->var, c->at);
            if (!fired_id(rs, side, c->id)) fail_msg("%s should fire at %s = %lld", c->id, c->var, (long long)c->at);
            uint16_t hits[8];
            assert_int_equal(eval_vals(rs, side, hits, 8), 1); /* and nothing else */
            set_day(c->var, c->at - 1);
            if (fired_id(rs, side, c->id)) fail_msg("%s fired one below", c->id);
        }
        int idx = -1;
        for (int r = 0; r < fz_rules_count(rs); r++)
            if (strcmp(fz_rules_info(rs, r)->id, c->id) == 0) idx = r;
        assert_true(idx >= 0);
        const fz_rule_info *ri = fz_rules_info(rs, idx);
        assert_int_equal(ri->action, FZ_ACT_LARGE_VALUE);
        assert_int_equal(ri->on, FZ_ON_BOTH);
        assert_int_equal(ri->crcd, 501 + i / 2);
    }
    /* The wrong customer type, currency or border does not trigger. */
    lv_setup(&LV[2], 0); /* 0502 needs an entity */
    set("cust.party", FZ_PARTY_NATURAL);
    set("day.transfer.cny", 900000000);
    assert_int_equal(fired_id(rs, 0, "LV-0502-CNY"), 0);
    lv_setup(&LV[4], 0); /* 0503 is domestic only */
    set("cross_border", 1);
    set("day.transfer_dom.cny", 90000000);
    assert_int_equal(fired_id(rs, 0, "LV-0503-CNY"), 0);
    lv_setup(&LV[0], 0); /* RMB cash rule ignores FX transactions */
    set("fx", 1);
    set("day.cash.cny", 90000000);
    assert_int_equal(fired_id(rs, 0, "LV-0501-CNY"), 0);
    lv_setup(&LV[4], 0); /* a cash withdrawal is not a transfer */
    set("kind", FZ_KIND_CASH_WITHDRAWAL);
    set("cash", 1);
    set("day.transfer_dom.cny", 90000000);
    assert_int_equal(fired_id(rs, 0, "LV-0503-CNY"), 0);
    fz_rules_free(rs);
}

static void test_shipped_typologies_and_limits(void **state) {
    (void)state;
    const char *names[] = {"typologies.rules", "limits.rules"};
    fz_ruleset *rs = load_packs(names, 2);
    /* Rapid in-out without balances: out 90% of in. */
    memset(vals, 0, sizeof vals);
    set("self.in.sum_24h", 10000000);
    set("self.out.sum_24h", 9000000);
    assert_int_equal(fired_id(rs, FZ_SIDE_PAYER, "TY-RAPID-INOUT-NB"), 1);
    set("self.out.sum_24h", 8999999);
    assert_int_equal(fired_id(rs, FZ_SIDE_PAYER, "TY-RAPID-INOUT-NB"), 0);
    /* Online limit: the limit itself passes, one fen more is held. */
    memset(vals, 0, sizeof vals);
    set("channel", FZ_CH_MOBILE);
    set("amount", 20000000);
    assert_int_equal(fired_id(rs, FZ_SIDE_PAYER, "LIM-ONLINE-SINGLE"), 0);
    set("amount", 20000001);
    assert_int_equal(fired_id(rs, FZ_SIDE_PAYER, "LIM-ONLINE-SINGLE"), 1);
    assert_int_equal(fired_id(rs, FZ_SIDE_PAYEE, "LIM-ONLINE-SINGLE"), 0);
    set("cust.grade", 2);
    assert_int_equal(fired_id(rs, FZ_SIDE_PAYER, "LIM-ONLINE-SINGLE"), 0);
    assert_int_equal(fired_id(rs, FZ_SIDE_PAYER, "LIM-ONLINE-SINGLE-HIGH"), 1);
    fz_rules_free(rs);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_errors_lexical, setup),
        cmocka_unit_test_setup(test_errors_structure, setup),
        cmocka_unit_test_setup(test_errors_types, setup),
        cmocka_unit_test_setup(test_error_across_sources, setup),
        cmocka_unit_test_setup(test_truth_tables, setup),
        cmocka_unit_test_setup(test_short_circuit_code, setup),
        cmocka_unit_test_setup(test_in_lists, setup),
        cmocka_unit_test_setup(test_exact_ratio, setup),
        cmocka_unit_test_setup(test_guards_extremes, setup),
        cmocka_unit_test_setup(test_units, setup),
        cmocka_unit_test_setup(test_priority_and_sides, setup),
        cmocka_unit_test_setup(test_version_and_uses, setup),
        cmocka_unit_test_setup(test_strings, setup),
        cmocka_unit_test_setup(test_load_errors, setup),
        cmocka_unit_test_setup(test_shipped_packs_compile, setup),
        cmocka_unit_test_setup(test_lv_thresholds, setup),
        cmocka_unit_test_setup(test_shipped_typologies_and_limits, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
