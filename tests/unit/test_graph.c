/* test_graph.c — the temporal graph's pattern features on small hand-made
 * graphs: each would fail if the pattern, its time order or its window were
 * wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fz_graph.h"

#define N 64
static fz_graph_node nodes[N];

static const fz_graph_node *node(const void *ctx, uint32_t id) {
    (void)ctx;
    return id < N ? &nodes[id] : NULL;
}

static const fz_graph_view view = {node, NULL};

static int reset(void **state) {
    (void)state;
    for (int i = 0; i < N; i++) fz_graph_node_init(&nodes[i]);
    return 0;
}

/* An edge a -> b at sec for amount, as the engine records it after scoring. */
static void edge(uint32_t a, uint32_t b, uint32_t sec, int64_t amount) {
    fz_graph_push(&nodes[a].ring[0], sec, b, amount);
    fz_graph_push(&nodes[b].ring[1], sec, a, amount);
}

static fz_graph_feat feat(uint32_t u, uint32_t w, uint32_t sec, int64_t amount) {
    fz_graph_params p;
    fz_graph_params_default(&p);
    fz_graph_feat f;
    fz_graph_features(&view, u, w, sec, amount, &p, &f);
    return f;
}

enum { S = 1, V1, V2, V3, W, X };

static void scatter_gather_counts_intermediaries(void **state) {
    (void)state;
    edge(S, V1, 1000, 100);
    edge(S, V2, 1001, 100);
    edge(S, V3, 1002, 100);
    edge(V1, W, 2000, 95);
    edge(V2, W, 2001, 95);
    assert_int_equal(feat(V3, W, 3000, 95).scatter_gather, 3); /* v1, v2 and v3 itself */
    assert_int_equal(feat(V3, X, 3000, 95).scatter_gather, 1); /* only itself for another sink */
    /* a day after the source's last payment its edges are out of the window */
    assert_int_equal(feat(V3, W, 1002 + 86400 + 1, 95).scatter_gather, 0);
    /* a source's earliest payment to an intermediary is what the sink's
     * payment must follow, however often the source paid it */
    reset(NULL);
    edge(S, V1, 1000, 100);
    edge(S, V1, 2500, 100);
    edge(V1, W, 2000, 95);
    edge(S, V3, 2600, 100);
    assert_int_equal(feat(V3, W, 3000, 95).scatter_gather, 2);
    /* an intermediary that paid the sink before the source paid it does not count */
    reset(NULL);
    edge(V1, W, 500, 95);
    edge(S, V1, 1000, 100);
    edge(S, V3, 1002, 100);
    assert_int_equal(feat(V3, W, 3000, 95).scatter_gather, 1);
}

static void cycles_respect_time_order(void **state) {
    (void)state;
    edge(1, 2, 100, 50);
    edge(2, 3, 200, 50);
    assert_int_equal(feat(3, 1, 300, 50).cycle_len, 3); /* 1 -> 2 -> 3, now 3 -> 1 */
    reset(NULL);
    edge(2, 3, 100, 50); /* 2 -> 3 before 1 -> 2: money cannot go round */
    edge(1, 2, 200, 50);
    assert_int_equal(feat(3, 1, 300, 50).cycle_len, 0);
    fz_graph_params p;
    fz_graph_params_default(&p);
    p.cycle_any_order = 1; /* ... but it is a cycle of accounts */
    fz_graph_feat f;
    fz_graph_features(&view, 3, 1, 300, 50, &p, &f);
    assert_int_equal(f.cycle_len, 3);
    reset(NULL);
    for (uint32_t i = 1; i < 7; i++) edge(i, i + 1, 100 * i, 50); /* 1 -> ... -> 7 */
    assert_int_equal(feat(7, 1, 1000, 50).cycle_len, 0);     /* 7 edges: longer than 6 */
    assert_int_equal(feat(6, 1, 1000, 50).cycle_len, 6);     /* 1 -> ... -> 6, 6 -> 1 */
    assert_int_equal(feat(4, 4, 1000, 50).cycle_len, 1);     /* self-transfer */
}

static void pass_through_matches_recent_similar_inflow(void **state) {
    (void)state;
    edge(X, V1, 1000, 100000);
    fz_graph_feat f = feat(V1, W, 1600, 95000); /* 5% less, 10 minutes later */
    assert_int_equal(f.pass_through, 1);
    assert_int_equal(f.pass_lag_sec, 600);
    assert_int_equal(feat(V1, W, 1600, 80000).pass_through, 0);        /* 20% less */
    assert_int_equal(feat(V1, W, 1000 + 86401, 100000).pass_through, 0); /* too late */
}

static void gather_scatter_at_the_hub(void **state) {
    (void)state;
    edge(1, 9, 100, 10);
    edge(2, 9, 101, 10);
    edge(3, 9, 102, 10);
    edge(9, 4, 200, 10);
    edge(9, 5, 201, 10);
    assert_int_equal(feat(9, 6, 300, 10).gather_scatter, 3); /* 3 in, 3 out with this one */
    assert_int_equal(feat(9, 4, 300, 10).gather_scatter, 2); /* 3 in, 2 distinct out */
    assert_int_equal(feat(6, 9, 300, 10).gather_scatter, 0); /* nobody paid 6 */
}

static void full_rings_mark_results_as_lower_bounds(void **state) {
    (void)state;
    for (uint32_t i = 0; i < FZ_GRAPH_EDGES + 2; i++) edge(10 + i, W, 100 + i, 1);
    fz_graph_feat f = feat(V1, W, 200, 1);
    assert_int_equal(f.capped, 1);
    assert_int_equal(nodes[W].ring[1].n, FZ_GRAPH_EDGES); /* the oldest were dropped */
    reset(NULL);
    edge(1, 2, 100, 1);
    assert_int_equal(feat(1, 2, 200, 1).capped, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(scatter_gather_counts_intermediaries, reset),
        cmocka_unit_test_setup(cycles_respect_time_order, reset),
        cmocka_unit_test_setup(pass_through_matches_recent_similar_inflow, reset),
        cmocka_unit_test_setup(gather_scatter_at_the_hub, reset),
        cmocka_unit_test_setup(full_rings_mark_results_as_lower_bounds, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
