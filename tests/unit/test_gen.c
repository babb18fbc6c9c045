/* test_gen.c — the synthetic bank: determinism, order, labels, balances. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fz_error.h"
#include "fz_gen.h"

typedef struct seen {
    char acct[24];
    fz_ms time;
} seen;

typedef struct probe {
    uint64_t hash;
    uint64_t rows, positives, bad_order, bad_bal, bad_text;
    fz_ms last;
    uint64_t typ_rows[FZ_GEN_CASE__COUNT];
    int32_t max_group;
    int exact_50k, edge_49999, bad_edge;
    seen old[64]; /* rows over a year before the run: the dormant seeds */
    int nold;
    int dormant_ok, dormant_bad;
    fz_ms start;
    int stop_after; /* > 0: return FZ_EIO at that row */
} probe;

static void mix(uint64_t *h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) *h = (*h ^ b[i]) * 0x100000001B3ULL;
}

static void mix_str(uint64_t *h, fz_str s) {
    mix(h, &s.n, sizeof s.n);
    mix(h, s.p, s.n);
}

/* Every field, by value: two runs hash alike only if every record matches. */
static void hash_txn(uint64_t *h, const fz_txn *t) {
    fz_str strs[] = {t->id, t->payer_acct, t->payer_bank, t->payer_cust, t->payee_acct,
                     t->payee_bank, t->payee_cust, t->typology, t->device, t->ip};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) mix_str(h, strs[i]);
    int64_t nums[] = {t->time, t->amount, t->currency, t->channel, t->kind, t->payer_party, t->payee_party,
                      t->flags, t->label, t->group, t->payer_bal_before, t->payer_bal_after,
                      t->payee_bal_before, t->payee_bal_after};
    mix(h, nums, sizeof nums);
}

static int digits_ok(fz_str s) {
    if (s.n == 0) return 1;
    if (s.n < 16 || s.n > 19) return 0;
    for (uint32_t i = 0; i < s.n; i++)
        if (s.p[i] < '0' || s.p[i] > '9') return 0;
    return 1;
}

static void check_balances(probe *p, const fz_txn *t) {
    if ((t->flags & FZ_TXN_HAS_PAYER_BAL) &&
        (t->payer_bal_before - t->amount != t->payer_bal_after || t->payer_bal_after < 0))
        p->bad_bal++;
    if ((t->flags & FZ_TXN_HAS_PAYEE_BAL) && t->payee_bal_before + t->amount != t->payee_bal_after)
        p->bad_bal++;
}

static void check_cash_edges(probe *p, const fz_txn *t) {
    if (!fz_kind_is_cash(t->kind)) return;
    if (t->amount == 5000000 && t->label == 0 && fz_str_eq(t->typology, FZ_STR_LIT("large_cash"))) p->exact_50k++;
    if (t->amount == 4999999) {
        if (t->label == 0 && t->typology.n == 0 && t->group == -1) p->edge_49999++;
        else p->bad_edge++;
    }
}

/* A dormant account's wake rows must follow its seed row by over a year. */
static void check_dormant(probe *p, const fz_txn *t) {
    if (t->time < p->start - 365 * FZ_MS_PER_DAY && p->nold < 64 && t->payer_acct.n < sizeof p->old[0].acct) {
        seen *s = &p->old[p->nold++];
        memcpy(s->acct, t->payer_acct.p, t->payer_acct.n);
        s->acct[t->payer_acct.n] = '\0';
        s->time = t->time;
    }
    if (!fz_str_eq(t->typology, FZ_STR_LIT("dormant_wake"))) return;
    for (int i = 0; i < p->nold; i++) {
        fz_str a = {p->old[i].acct, (uint32_t)strlen(p->old[i].acct)};
        if (fz_str_eq(a, t->payee_acct) || fz_str_eq(a, t->payer_acct)) {
            if (t->time - p->old[i].time > 365 * FZ_MS_PER_DAY) p->dormant_ok++;
            else p->dormant_bad++;
            return;
        }
    }
    p->dormant_bad++;
}

static int sink(const fz_txn *t, void *ctx) {
    probe *p = ctx;
    hash_txn(&p->hash, t);
    p->rows++;
    if (p->stop_after && p->rows == (uint64_t)p->stop_after) return FZ_EIO;
    if (t->time < p->last) p->bad_order++;
    p->last = t->time;
    if (t->label == 1) p->positives++;
    if (t->amount <= 0 || t->id.n == 0 || !digits_ok(t->payer_acct) || !digits_ok(t->payee_acct) ||
        (t->payer_acct.n == 0 && t->payee_acct.n == 0))
        p->bad_text++;
    int c = fz_gen_case_find(t->typology.p, t->typology.n);
    if (t->typology.n && c < 0) p->bad_text++;
    if (c >= 0) {
        p->typ_rows[c]++;
        if (t->group <= 0) p->bad_text++;
        if ((c == FZ_GEN_LARGE_CASH) != (t->label == 0)) p->bad_text++;
    }
    if (t->group > p->max_group) p->max_group = t->group;
    check_balances(p, t);
    check_cash_edges(p, t);
    check_dormant(p, t);
    return 0;
}

static void small_config(fz_gen_config *cfg, uint64_t seed) {
    fz_gen_config_default(cfg);
    cfg->seed = seed;
    cfg->customers = 400;
    cfg->days = 2;
}

static void run(const fz_gen_config *cfg, probe *p, fz_gen_stats *st) {
    memset(p, 0, sizeof *p);
    p->hash = 0xCBF29CE484222325ULL;
    p->last = INT64_MIN;
    p->start = (fz_ms)cfg->start_day * FZ_MS_PER_DAY - FZ_CN_OFFSET_MS;
    assert_int_equal(fz_gen_run(cfg, sink, p, st), 0);
}

static void test_deterministic(void **state) {
    (void)state;
    fz_gen_config cfg;
    probe a, b, c;
    small_config(&cfg, 7);
    run(&cfg, &a, NULL);
    run(&cfg, &b, NULL);
    assert_true(a.rows > 1000);
    assert_int_equal(a.rows, b.rows);
    assert_true(a.hash == b.hash);
    cfg.seed = 8;
    run(&cfg, &c, NULL);
    assert_true(a.hash != c.hash);
}

/* The same stream under every compiler: gcc and clang evaluate function
 * arguments in different orders, so two draws in one expression would split
 * them (make test builds with gcc, make MODE=san with clang). Update the
 * constant only when the generator changes on purpose. */
#define GOLDEN_HASH 0x7dcb74377e5a27caULL
static void test_golden(void **state) {
    (void)state;
    fz_gen_config cfg;
    probe p;
    small_config(&cfg, 1);
    run(&cfg, &p, NULL);
    print_message("stream hash 0x%016llx\n", (unsigned long long)p.hash);
    assert_true(p.hash == GOLDEN_HASH);
}

static void test_order_balances_text(void **state) {
    (void)state;
    fz_gen_config cfg;
    probe p;
    fz_gen_stats st;
    small_config(&cfg, 3);
    cfg.days = 3;
    run(&cfg, &p, &st);
    assert_int_equal(p.bad_order, 0);
    assert_int_equal(p.bad_bal, 0);
    assert_int_equal(p.bad_text, 0);
    assert_int_equal(st.rows, p.rows);
    assert_int_equal(st.positives, p.positives);
}

static void test_every_typology(void **state) {
    (void)state;
    fz_gen_config cfg;
    probe p;
    fz_gen_stats st;
    small_config(&cfg, 11);
    run(&cfg, &p, &st);
    for (int c = 0; c < FZ_GEN_CASE__COUNT; c++) {
        assert_true(p.typ_rows[c] > 0);
        assert_int_equal(p.typ_rows[c], st.case_rows[c]);
        assert_true(st.case_groups[c] > 0);
    }
    assert_true(p.positives > 0);
    assert_true(p.dormant_ok > 0);
    assert_int_equal(p.dormant_bad, 0);
}

static void test_large_cash_edges(void **state) {
    (void)state;
    fz_gen_config cfg;
    probe p;
    fz_gen_stats st;
    small_config(&cfg, 5);
    run(&cfg, &p, &st);
    assert_true(p.exact_50k > 0);
    assert_true(p.edge_49999 > 0);
    assert_int_equal(p.bad_edge, 0);
    assert_int_equal(p.edge_49999, st.edge_rows);
}

/* The default run is the demo: 20-40k background rows, 5-15 of each case. */
static void test_default_sizes(void **state) {
    (void)state;
    fz_gen_config cfg;
    probe p;
    fz_gen_stats st;
    fz_gen_config_default(&cfg);
    run(&cfg, &p, &st);
    assert_true(st.normal >= 20000 && st.normal <= 40000);
    for (int c = 0; c < FZ_GEN_CASE__COUNT; c++)
        assert_true(st.case_groups[c] >= 5 && st.case_groups[c] <= 15);
    assert_int_equal(p.bad_order + p.bad_bal + p.bad_text, 0);
}

static void test_rates_and_errors(void **state) {
    (void)state;
    fz_gen_config cfg;
    probe p;
    fz_gen_stats st;
    small_config(&cfg, 2);
    for (int c = 0; c < FZ_GEN_CASE__COUNT; c++) cfg.rate[c] = 0;
    run(&cfg, &p, &st);
    assert_int_equal(p.positives, 0);
    assert_int_equal(p.max_group, 0);

    small_config(&cfg, 2);
    cfg.customers = 3;
    assert_int_equal(fz_gen_run(&cfg, sink, &p, NULL), FZ_EINVAL);
    small_config(&cfg, 2);
    cfg.days = 0;
    assert_int_equal(fz_gen_run(&cfg, sink, &p, NULL), FZ_EINVAL);
    small_config(&cfg, 2);
    assert_int_equal(fz_gen_run(&cfg, NULL, &p, NULL), FZ_EINVAL);

    memset(&p, 0, sizeof p);
    p.stop_after = 100;
    assert_int_equal(fz_gen_run(&cfg, sink, &p, &st), FZ_EIO);
    assert_int_equal(p.rows, 100);
}

static void test_names(void **state) {
    (void)state;
    for (int c = 0; c < FZ_GEN_CASE__COUNT; c++) {
        const char *n = fz_gen_case_name(c);
        assert_int_equal(fz_gen_case_find(n, strlen(n)), c);
    }
    assert_string_equal(fz_gen_case_name(-1), "unknown");
    assert_int_equal(fz_gen_case_find("fan_in", 6), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),     cmocka_unit_test(test_order_balances_text),
        cmocka_unit_test(test_every_typology),    cmocka_unit_test(test_large_cash_edges),
        cmocka_unit_test(test_default_sizes),     cmocka_unit_test(test_rates_and_errors),
        cmocka_unit_test(test_names),             cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
