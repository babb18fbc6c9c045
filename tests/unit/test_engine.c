/* test_engine.c — the engine with the shipped large-value pack: the edge
 * cases of PBOC Order 2016 No.3 Art.5-6 (DOMAIN.md §1). Each would fail if
 * the threshold, the day boundary, the direction split, the double record or
 * the USD conversion were wrong. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fz_engine.h"
#include "fz_test_txn.h"

#define YUAN(y) ((int64_t)(y) * 100)
/* 2026-11-02 00:00 Asia/Shanghai = 2026-11-01T16:00:00Z */
#define DAY0 (fz_days_from_civil(2026, 11, 1) * FZ_MS_PER_DAY + 16 * FZ_MS_PER_HOUR)

typedef struct fixture {
    fz_engine *e;
    fz_ruleset *rs;
} fixture;

static int setup(void **state) {
    static fixture f;
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    /* exact, round rates so the USD cases are about the rule, not the rate */
    cfg.rates = (fz_rates){3, {FZ_CCY_CNY, FZ_CCY_USD, FZ_CCY('E', 'U', 'R')}, {14000000, 100000000, 110000000}};
    fz_error err;
    if (fz_engine_new(&f.e, &cfg, &err)) return -1;
    const char *pack = "rules/pboc-large-value.rules";
    if (fz_rules_load(&f.rs, &pack, 1, fz_engine_schema(f.e), &err)) {
        char m[512];
        fz_error_format(&err, m, sizeof m);
        print_error("%s\n", m);
        return -1;
    }
    if (fz_engine_set_rules(f.e, f.rs)) return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    fz_engine_free(f->e);
    fz_rules_free(f->rs);
    return 0;
}

static fz_str S(const char *s) { return fz_test_str(s); }

static fz_txn txn(const char *payer, const char *payee, fz_ms t, int64_t amount, unsigned kind) {
    return fz_test_txn(payer, payee, t, amount, kind);
}

static fz_decision score(fixture *f, fz_txn x) {
    fz_decision d;
    assert_int_equal(fz_engine_score(f->e, &x, &d), 0);
    return d;
}

static int has_lv(const fz_decision *d, unsigned crcd, int dir, int fx) {
    for (unsigned i = 0; i < d->nlv; i++)
        if (d->lv[i].crcd == crcd && d->lv[i].dir == dir && d->lv[i].fx == fx) return 1;
    return 0;
}

static void cash_threshold_counts_at_exactly_50000(void **state) {
    fixture *f = *state;
    fz_decision d = score(f, txn("", "A1", DAY0 + FZ_MS_PER_HOUR, 4999999, FZ_KIND_CASH_DEPOSIT));
    assert_int_equal(d.nlv, 0); /* 49,999.99 */
    d = score(f, txn("", "A2", DAY0 + FZ_MS_PER_HOUR, YUAN(50000), FZ_KIND_CASH_DEPOSIT));
    assert_int_equal(d.nlv, 1); /* 50,000.00 triggers, single */
    assert_true(has_lv(&d, 501, 1, 0));
    /* day total: 49,999.99 + 0.01 reaches the threshold on the second one */
    d = score(f, txn("", "A1", DAY0 + 2 * FZ_MS_PER_HOUR, 1, FZ_KIND_CASH_DEPOSIT));
    assert_true(has_lv(&d, 501, 1, 0));
    /* one record per customer, day and direction: a further deposit adds none */
    d = score(f, txn("", "A1", DAY0 + 3 * FZ_MS_PER_HOUR, YUAN(90000), FZ_KIND_CASH_DEPOSIT));
    assert_int_equal(d.nlv, 0);
}

static void day_boundary_is_midnight_in_shanghai(void **state) {
    fixture *f = *state;
    /* 23:59:59.999 and 00:00:00.000 Asia/Shanghai are two days */
    fz_decision d = score(f, txn("", "B1", DAY0 - 1, YUAN(30000), FZ_KIND_CASH_DEPOSIT));
    d = score(f, txn("", "B1", DAY0, YUAN(30000), FZ_KIND_CASH_DEPOSIT));
    assert_int_equal(d.nlv, 0);
    /* 16:00Z the day before is still the same Shanghai day as DAY0 - 1 */
    d = score(f, txn("", "B2", DAY0 - 8 * FZ_MS_PER_HOUR, YUAN(30000), FZ_KIND_CASH_DEPOSIT));
    d = score(f, txn("", "B2", DAY0 - 1, YUAN(20000), FZ_KIND_CASH_DEPOSIT));
    assert_true(has_lv(&d, 501, 1, 0));
}

static void in_and_out_are_summed_apart(void **state) {
    fixture *f = *state;
    fz_ms t = DAY0 + 5 * FZ_MS_PER_HOUR;
    fz_decision d = score(f, txn("", "C1", t, YUAN(30000), FZ_KIND_CASH_DEPOSIT));
    d = score(f, txn("C1", "", t + 1, YUAN(30000), FZ_KIND_CASH_WITHDRAWAL));
    assert_int_equal(d.nlv, 0); /* 30k in + 30k out is not 60k either way */
    d = score(f, txn("C1", "", t + 2, YUAN(20000), FZ_KIND_CASH_WITHDRAWAL));
    assert_int_equal(d.nlv, 1);
    assert_true(has_lv(&d, 501, 0, 0)); /* out reached 50k */
    d = score(f, txn("", "C1", t + 3, YUAN(20000), FZ_KIND_CASH_DEPOSIT));
    assert_true(has_lv(&d, 501, 1, 0)); /* in reached 50k, its own record */
}

static void one_transaction_two_thresholds_two_records(void **state) {
    fixture *f = *state;
    fz_ms t = DAY0 + 6 * FZ_MS_PER_HOUR;
    /* a natural person's cross-border cash remittance of 300,000: cash
     * (0501, >= 50,000) and cross-border transfer (0504, >= 200,000) */
    fz_txn x = txn("D1", "D2-abroad", t, YUAN(300000), FZ_KIND_CASH_REMITTANCE);
    x.flags = FZ_TXN_CROSS_BORDER;
    fz_decision d = score(f, x);
    assert_true(has_lv(&d, 501, 0, 0));
    assert_true(has_lv(&d, 504, 0, 0));
    /* an entity paying a natural person 2,000,000: 0502 for the entity's
     * debit, 0503 for the person's credit */
    x = txn("E1", "P1", t, YUAN(2000000), FZ_KIND_TRANSFER);
    x.payer_party = FZ_PARTY_ENTITY;
    x.payee_party = FZ_PARTY_NATURAL;
    d = score(f, x);
    assert_true(has_lv(&d, 502, 0, 0));
    assert_true(has_lv(&d, 503, 1, 0));
    /* 1,999,999.99 between entities: nothing */
    x = txn("E2", "E3", t, 199999999, FZ_KIND_TRANSFER);
    x.payer_party = x.payee_party = FZ_PARTY_ENTITY;
    d = score(f, x);
    assert_int_equal(d.nlv, 0);
}

static void foreign_currency_uses_usd_equivalents(void **state) {
    fixture *f = *state;
    fz_ms t = DAY0 + 7 * FZ_MS_PER_HOUR;
    fz_txn x = txn("", "F1", t, YUAN(9999) + 99, FZ_KIND_CASH_DEPOSIT);
    x.currency = FZ_CCY_USD;
    fz_decision d = score(f, x);
    assert_int_equal(d.nlv, 0); /* USD 9,999.99 */
    x = txn("", "F2", t, YUAN(10000), FZ_KIND_CASH_DEPOSIT);
    x.currency = FZ_CCY_USD;
    d = score(f, x);
    assert_true(has_lv(&d, 501, 1, 1)); /* USD 10,000.00, FX basis */
    /* EUR at 1.10: 9,090.91 EUR = 10,000.001 USD -> 10,000.00 triggers; 9,090.90 does not */
    x = txn("", "F3", t, 909090, FZ_KIND_CASH_DEPOSIT);
    x.currency = FZ_CCY('E', 'U', 'R');
    d = score(f, x);
    assert_int_equal(d.nlv, 0);
    x = txn("", "F4", t, 909091, FZ_KIND_CASH_DEPOSIT);
    x.currency = FZ_CCY('E', 'U', 'R');
    d = score(f, x);
    assert_true(has_lv(&d, 501, 1, 1));
    /* RMB and FX are separate bases: 40,000 RMB + USD 9,000 is neither */
    d = score(f, txn("", "F5", t, YUAN(40000), FZ_KIND_CASH_DEPOSIT));
    x = txn("", "F5", t + 1, YUAN(9000), FZ_KIND_CASH_DEPOSIT);
    x.currency = FZ_CCY_USD;
    d = score(f, x);
    assert_int_equal(d.nlv, 0);
}

static void exempt_transactions_make_no_record(void **state) {
    fixture *f = *state;
    fz_txn x = txn("", "G1", DAY0 + 8 * FZ_MS_PER_HOUR, YUAN(80000), FZ_KIND_CASH_DEPOSIT);
    x.flags = FZ_TXN_EXEMPT;
    fz_decision d = score(f, x);
    assert_int_equal(d.nlv, 0);
}

static void state_tracks_accounts_and_customers(void **state) {
    fixture *f = *state;
    fz_txn x = txn("H1", "H2", DAY0, YUAN(1), FZ_KIND_TRANSFER);
    x.payer_cust = S("CUST-H");
    fz_decision d = score(f, x);
    size_t n;
    const char *k = fz_engine_customer_key(f->e, d.payer_cust, &n);
    assert_int_equal(n, 6);
    assert_memory_equal(k, "CUST-H", 6);
    k = fz_engine_customer_key(f->e, d.payee_cust, &n); /* unnamed: the account */
    assert_true(n >= 2 && memcmp(k + n - 2, "H2", 2) == 0);
    fz_engine_stats st;
    fz_engine_stats_get(f->e, &st);
    assert_true(st.accounts > 0 && st.bytes > 0);
}

/* A rule set reading graph.* values makes the engine keep the graph: a
 * payment closing a circle of three accounts fires, the same payment made
 * before the circle exists does not (features look only at the past). */
static void graph_features_reach_the_rules(void **state) {
    (void)state;
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    fz_engine *e;
    fz_error err;
    assert_int_equal(fz_engine_new(&e, &cfg, &err), 0);
    const char *text = "pack \"g\" version \"1\"\n"
                       "rule \"CYCLE\" {\n on payer\n when graph.cycle_len >= 3\n then alert\n"
                       " reason zh \"资金回流\"\n reason en \"cycle\"\n}\n";
    fz_rules_src src = {"g.rules", text, strlen(text)};
    fz_ruleset *rs;
    assert_int_equal(fz_rules_compile(&rs, &src, 1, fz_engine_schema(e), &err), 0);
    fz_engine_stats before, after;
    fz_engine_stats_get(e, &before);
    assert_int_equal(fz_engine_set_rules(e, rs), 0);
    fz_engine_stats_get(e, &after);
    assert_true(after.bytes > before.bytes); /* the graph's rings */
    fz_decision d;
    fz_txn t = txn("C", "A", DAY0, YUAN(100), FZ_KIND_TRANSFER);
    assert_int_equal(fz_engine_score(e, &t, &d), 0);
    assert_int_equal(d.nhits, 0); /* C -> A first: no circle yet */
    t = txn("A", "B", DAY0 + 1000, YUAN(100), FZ_KIND_TRANSFER);
    fz_engine_score(e, &t, &d);
    t = txn("B", "C", DAY0 + 2000, YUAN(100), FZ_KIND_TRANSFER);
    fz_engine_score(e, &t, &d);
    t = txn("C", "A", DAY0 + 3000, YUAN(100), FZ_KIND_TRANSFER);
    fz_engine_score(e, &t, &d);
    assert_int_equal(d.nhits, 1); /* A -> B -> C, now C -> A */
    fz_engine_free(e);
    fz_rules_free(rs);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cash_threshold_counts_at_exactly_50000),
        cmocka_unit_test(day_boundary_is_midnight_in_shanghai),
        cmocka_unit_test(in_and_out_are_summed_apart),
        cmocka_unit_test(one_transaction_two_thresholds_two_records),
        cmocka_unit_test(foreign_currency_uses_usd_equivalents),
        cmocka_unit_test(exempt_transactions_make_no_record),
        cmocka_unit_test(state_tracks_accounts_and_customers),
        cmocka_unit_test(graph_features_reach_the_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
