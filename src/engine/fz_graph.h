/* fz_graph.h — the temporal transaction graph: each account's recent edges.
 *
 * Every account keeps two bounded rings of its most recent edges, out (it
 * paid) and in (it was paid): time, counterparty, amount. The rings are the
 * graph: pattern features of a new edge u -> w are computed from u's and w's
 * rings (and, for cycles, from the rings of the accounts a bounded search
 * reaches), only from what came before the edge — causal by construction.
 *
 * Work per edge is bounded by fixed caps (FZ_GRAPH_EDGES per ring, and a
 * visit budget for the cycle search); when a cap cuts the work, the result is
 * a lower bound and fz_graph_feat.capped says so, so the caller can count it.
 * Edges older than the window a feature asks for are ignored; a full ring
 * drops its oldest edge. */
#ifndef FZ_GRAPH_H
#define FZ_GRAPH_H

#include <stdint.h>

#define FZ_GRAPH_EDGES 16       /* edges kept per account and direction */
#define FZ_GRAPH_CYCLE_MAX 16   /* longest cycle that can be asked for */
#define FZ_GRAPH_SG_SOURCES 4   /* scatter-gather: u's most recent payers looked at */
#define FZ_GRAPH_VISIT_MAX 32   /* accounts a cycle search may reach (half from each end) */

/* One edge as a ring keeps it: seconds on the compact clock of fz_cpset.h
 * (since 2000-01-01), the other account's dense id, the CNY-equivalent
 * amount in fen. */
typedef struct fz_edge {
    uint32_t sec;
    uint32_t peer;
    int64_t amount;
} fz_edge;

/* A ring of the FZ_GRAPH_EDGES most recent edges: `head` is the next slot to
 * write, `n` how many are valid (newest at head - 1). */
typedef struct fz_edge_ring {
    uint32_t head, n;
    fz_edge e[FZ_GRAPH_EDGES];
} fz_edge_ring;

/* An account's two rings: [0] out, [1] in (FZ_DIR_OUT, FZ_DIR_IN). */
typedef struct fz_graph_node {
    fz_edge_ring ring[2];
} fz_graph_node;

/* Empty both rings. */
void fz_graph_node_init(fz_graph_node *g);

/* The i-th newest edge of a ring (i < r->n). */
static inline const fz_edge *fz_graph_nth_newest(const fz_edge_ring *r, uint32_t i) {
    return &r->e[(r->head + FZ_GRAPH_EDGES - 1 - i) % FZ_GRAPH_EDGES];
}

/* Append an edge to a ring, dropping the oldest when it is full. */
void fz_graph_push(fz_edge_ring *r, uint32_t sec, uint32_t peer, int64_t amount);

/* The features of a new edge u -> w at time `sec` for `amount`, from the
 * rings as they were before the edge. */
typedef struct fz_graph_feat {
    int32_t scatter_gather; /* |N+(u) ∩ N-(w)|: accounts u paid that paid w, within the window */
    int32_t gather_scatter; /* min(distinct payers of u, distinct payees of w) within the window,
                               when someone paid u and w pays on: u gathers, w scatters */
    int32_t cycle_len;      /* length of the shortest cycle the edge closes (w -> ... -> u,
                               all within the window, each step no earlier than the one
                               before it unless cycle_any_order), 0 if none up to the asked length */
    int32_t pass_through;   /* u received, within the pass-through window before this edge,
                               an amount within the tolerance of this one: 1, else 0 */
    int64_t pass_lag_sec;   /* seconds since that inflow (0 when none) */
    int32_t capped;         /* 1 when a cap cut the work: the counts are lower bounds */
} fz_graph_feat;

/* How far back and how deep to look. */
typedef struct fz_graph_params {
    uint32_t window_sec;       /* scatter-gather, gather-scatter, cycles (default 1 day) */
    int cycle_max_len;         /* 2..FZ_GRAPH_CYCLE_MAX (default 6) */
    int cycle_any_order;       /* 1: a cycle's earlier edges may come in any time order (a
                                  structural cycle inside the window, as AMLSim makes them);
                                  0: time-respecting only (default) */
    uint32_t pass_window_sec;  /* pass-through: how recent the matching inflow (default 1 day) */
    int pass_tolerance_pct;    /* pass-through: |in - out| <= this % of out (default 10) */
} fz_graph_params;

/* The documented defaults above. */
void fz_graph_params_default(fz_graph_params *p);

/* The graph the feature functions walk: node i of the caller's account i. */
typedef struct fz_graph_view {
    const fz_graph_node *(*node)(const void *ctx, uint32_t id); /* NULL for an unknown id */
    const void *ctx;
} fz_graph_view;

/* Start loading a node's two rings (a hint: no effect on any result). */
void fz_graph_prefetch(const fz_graph_node *n);

/* Start loading the out-rings of u's most recent payers, which the
 * scatter-gather of an edge from u reads (a hint: no effect on any result). */
void fz_graph_prefetch_sources(const fz_graph_view *g, uint32_t u);

/* Compute the features of the edge u -> w (dense ids) at sec for amount.
 * Reads only; allocates nothing (the cycle search uses a bounded stack
 * array). */
void fz_graph_features(const fz_graph_view *g, uint32_t u, uint32_t w, uint32_t sec, int64_t amount,
                       const fz_graph_params *p, fz_graph_feat *f);

#endif
