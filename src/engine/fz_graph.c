/* fz_graph.c — see fz_graph.h. */
#include "fz_graph.h"

#include <string.h>

void fz_graph_params_default(fz_graph_params *p) {
    p->window_sec = 86400;
    p->cycle_max_len = 6;
    p->cycle_any_order = 0;
    p->pass_window_sec = 86400;
    p->pass_tolerance_pct = 10;
}

void fz_graph_node_init(fz_graph_node *g) { memset(g, 0, sizeof *g); }

void fz_graph_push(fz_edge_ring *r, uint32_t sec, uint32_t peer, int64_t amount) {
    r->e[r->head] = (fz_edge){sec, peer, amount};
    r->head = (r->head + 1) % FZ_GRAPH_EDGES;
    if (r->n < FZ_GRAPH_EDGES) r->n++;
}

/* Start loading the n bytes at p. */
static void prefetch_bytes(const void *p, size_t n) {
    for (size_t off = 0; off < n; off += 64) __builtin_prefetch((const char *)p + off);
}

/* Start loading a ring. */
static void prefetch_ring(const fz_edge_ring *r) { prefetch_bytes(r, sizeof *r); }

void fz_graph_prefetch(const fz_graph_node *n) { prefetch_bytes(n, sizeof *n); }

void fz_graph_prefetch_sources(const fz_graph_view *g, uint32_t u) {
    const fz_graph_node *nu = g->node(g->ctx, u);
    if (!nu) return;
    const fz_edge_ring *r = &nu->ring[1];
    /* the newest in-edges: the most recent distinct payers are among them */
    for (uint32_t i = 0; i < r->n && i < FZ_GRAPH_SG_SOURCES + 2; i++) {
        const fz_graph_node *s = g->node(g->ctx, fz_graph_nth_newest(r, i)->peer);
        if (s) prefetch_ring(&s->ring[0]);
    }
}

/* Whether the ring may hold more edges inside the window than it kept: it is
 * full and its oldest edge is still inside. */
static int ring_capped(const fz_edge_ring *r, uint32_t since) {
    return r->n == FZ_GRAPH_EDGES && fz_graph_nth_newest(r, r->n - 1)->sec >= since;
}

static uint32_t since_of(uint32_t sec, uint32_t window) { return sec > window ? sec - window : 0; }

/* Distinct peers of a ring inside the window, into peer[] (at most
 * FZ_GRAPH_EDGES), with the time of each one's earliest (latest = 0) or
 * latest (latest = 1) edge there. */
static int distinct_peers(const fz_edge_ring *r, uint32_t since, int latest, uint32_t *peer, uint32_t *when) {
    int n = 0;
    uint64_t seen = 0; /* bit peer % 64 of each peer so far: most peers are new, and a
                          clear bit proves it without the search */
    for (uint32_t i = r->n; i-- > 0;) { /* oldest first */
        const fz_edge *e = fz_graph_nth_newest(r, i);
        if (e->sec < since) continue;
        uint64_t bit = 1ull << (e->peer & 63);
        int k = seen & bit ? 0 : n;
        seen |= bit;
        while (k < n && peer[k] != e->peer) k++;
        if (k == n) {
            peer[n++] = e->peer;
            when[k] = e->sec;
        } else if (latest) {
            when[k] = e->sec;
        }
    }
    return n;
}

/* Scatter-gather at the gather step u -> w: for each account s that paid u
 * (src[0..ns), u's distinct payers in the window, oldest first), how many of the accounts s paid (u among them) have paid w since s paid
 * them; the largest over s. So the fifth intermediary paying the sink sees
 * 5, however the source spread the money. */
static int scatter_gather(const fz_graph_view *g, const fz_graph_node *nu, const fz_graph_node *nw, uint32_t u,
                          uint32_t since, const uint32_t *src, int ns, int *capped) {
    uint32_t wpeer[FZ_GRAPH_EDGES], wlast[FZ_GRAPH_EDGES], spay[FZ_GRAPH_EDGES], sfirst[FZ_GRAPH_EDGES];
    uint64_t bloom = 0;
    int nwp = distinct_peers(&nw->ring[1], since, 1, wpeer, wlast);
    for (int k = 0; k < nwp; k++) bloom |= 1ull << (wpeer[k] & 63);
    *capped |= ring_capped(&nw->ring[1], since) || ring_capped(&nu->ring[1], since);
    int best = 0;
    /* the most recent sources only: each costs a visit to its ring, and the
     * source of a scatter-gather paid u recently */
    int first = ns > FZ_GRAPH_SG_SOURCES ? ns - FZ_GRAPH_SG_SOURCES : 0;
    *capped |= first > 0;
    for (int i = first; i < ns; i++) {
        const fz_graph_node *ns_node = g->node(g->ctx, src[i]);
        if (!ns_node) continue;
        *capped |= ring_capped(&ns_node->ring[0], since);
        int np = distinct_peers(&ns_node->ring[0], since, 0, spay, sfirst);
        int count = 0;
        for (int j = 0; j < np; j++) {
            if (spay[j] == u) { /* u pays w now: it counts */
                count++;
                continue;
            }
            if (!((bloom >> (spay[j] & 63)) & 1)) continue;
            for (int k = 0; k < nwp; k++)
                if (wpeer[k] == spay[j] && wlast[k] >= sfirst[j]) { /* paid w after s paid it */
                    count++;
                    break;
                }
        }
        if (count > best) best = count;
    }
    return best;
}

/* Gather-scatter at the hub u: distinct payers of u (`in`, counted once for
 * both patterns) and distinct payees of u (w included) inside the window;
 * the pattern's strength is the smaller. */
static int gather_scatter(const fz_graph_node *nu, uint32_t w, uint32_t since, int in, int *capped) {
    uint32_t p[FZ_GRAPH_EDGES + 1], t[FZ_GRAPH_EDGES + 1];
    int out = distinct_peers(&nu->ring[0], since, 0, p, t);
    int seen = 0;
    for (int k = 0; k < out; k++) seen |= p[k] == w;
    out += !seen;
    *capped |= ring_capped(&nu->ring[0], since) || ring_capped(&nu->ring[1], since);
    if (in == 0) return 0;
    return in < out ? in : out;
}

/* One side of the cycle search: the accounts it has reached, in the order
 * reached (breadth first, so the frontier of each depth is a run of it),
 * with the depth and time it reached each at. At most SIDE_MAX ids: a list
 * searched only when the id's bit (id % 64) in `seen` is set is cheaper
 * than hashing, and emptying it is setting n = 0. */
#define SIDE_MAX (FZ_GRAPH_VISIT_MAX / 2)
typedef struct reach {
    uint32_t id[SIDE_MAX];
    uint32_t sec[SIDE_MAX];
    uint8_t depth[SIDE_MAX];
    uint64_t seen;
    int n;
} reach;

/* Index of id in r, or -1. */
static int reach_find(const reach *r, uint32_t id) {
    if (!((r->seen >> (id & 63)) & 1)) return -1;
    for (int i = 0; i < r->n; i++)
        if (r->id[i] == id) return i;
    return -1;
}

/* Record id at depth and time; 1 if new, 0 if already reached (kept as
 * first reached: breadth first, so at its least depth), -1 when full. */
static int reach_add(reach *r, uint32_t id, int depth, uint32_t sec) {
    if (reach_find(r, id) >= 0) return 0;
    if (r->n == SIDE_MAX) return -1;
    r->id[r->n] = id;
    r->sec[r->n] = sec;
    r->depth[r->n] = (uint8_t)depth;
    r->seen |= 1ull << (id & 63);
    r->n++;
    return 1;
}

/* Expand one side breadth first to max_depth: forward (dir 0) from w over
 * out-edges, each step no earlier than the last (its time is the earliest
 * we can stand there); backward (dir 1) from u over in-edges, each step no
 * later than the next (its time is the latest we may leave). An edge that
 * finds the side full makes the result capped. */
static void expand(const fz_graph_view *g, reach *r, uint32_t from, uint32_t t0, int dir, int max_depth,
                   uint32_t since, int any_order, int *capped) {
    reach_add(r, from, 0, t0);
    int lo = 0, hi = 1; /* the frontier: r->id[lo..hi) */
    for (int depth = 1; depth <= max_depth && lo < hi; depth++) {
        if (r->n == SIDE_MAX) { /* nothing more can be reached: expanding is wasted work */
            *capped = 1;
            break;
        }
        for (int i = lo; i < hi; i++) { /* the frontier's rings load together, not one by one */
            const fz_graph_node *n = g->node(g->ctx, r->id[i]);
            if (n) prefetch_ring(&n->ring[dir]);
        }
        for (int i = lo; i < hi; i++) {
            const fz_graph_node *n = g->node(g->ctx, r->id[i]);
            if (!n) continue;
            uint32_t at = r->sec[i];
            const fz_edge_ring *ring = &n->ring[dir];
            *capped |= ring_capped(ring, since);
            for (uint32_t k = 0; k < ring->n; k++) {
                /* a full side already counted as capped: no edge can change it */
                if (r->n == SIDE_MAX && *capped) return;
                const fz_edge *e = fz_graph_nth_newest(ring, k);
                if (e->sec < since) continue;
                if (!any_order && (dir == 0 ? e->sec < at : e->sec > at)) continue;
                if (reach_add(r, e->peer, depth, e->sec) <= 0 && r->n == SIDE_MAX) *capped = 1;
            }
        }
        lo = hi;
        hi = r->n;
    }
}

/* The shortest cycle the new edge u -> w closes: a path w -> ... -> u of at
 * most max_len - 1 edges inside the window (time-respecting unless
 * any_order). Searched from both ends, forward from w and backward from u,
 * each about half the length, so each side stays small; they meet at an
 * account reached forward no later than backward. */
static int shortest_cycle(const fz_graph_view *g, uint32_t u, uint32_t w, uint32_t since, uint32_t now,
                          int max_len, int any_order, int *capped) {
    if (u == w) return 1; /* a self-transfer is a cycle of one edge */
    reach fw = {.n = 0, .seen = 0}, bw = {.n = 0, .seen = 0};
    int edges = max_len - 1, fdepth = (edges + 1) / 2, bdepth = edges / 2;
    expand(g, &fw, w, since, 0, fdepth, since, any_order, capped);
    expand(g, &bw, u, now, 1, bdepth, since, any_order, capped);
    int best = 0;
    for (int i = 0; i < fw.n; i++) {
        int b = reach_find(&bw, fw.id[i]);
        if (b < 0) continue;
        if (!any_order && fw.sec[i] > bw.sec[b]) continue;
        int len = fw.depth[i] + bw.depth[b] + 1;
        if (len <= max_len && (!best || len < best)) best = len;
    }
    return best;
}

/* The latest inflow of u, inside the pass-through window, within the
 * tolerance of amount. */
static void pass_through(const fz_graph_node *nu, uint32_t sec, int64_t amount, const fz_graph_params *p,
                         fz_graph_feat *f) {
    uint32_t since = since_of(sec, p->pass_window_sec);
    __int128 tol = (__int128)amount * p->pass_tolerance_pct; /* |in - amount| * 100 <= tol */
    const fz_edge_ring *r = &nu->ring[1];
    for (uint32_t i = 0; i < r->n; i++) { /* newest first */
        const fz_edge *e = fz_graph_nth_newest(r, i);
        if (e->sec < since) break;
        __int128 d = (__int128)e->amount - amount;
        if (d < 0) d = -d;
        if (d * 100 <= tol) {
            f->pass_through = 1;
            f->pass_lag_sec = sec >= e->sec ? sec - e->sec : 0;
            return;
        }
    }
}

void fz_graph_features(const fz_graph_view *g, uint32_t u, uint32_t w, uint32_t sec, int64_t amount,
                       const fz_graph_params *p, fz_graph_feat *f) {
    memset(f, 0, sizeof *f);
    const fz_graph_node *nu = g->node(g->ctx, u), *nw = g->node(g->ctx, w);
    if (!nu || !nw) return;
    uint32_t since = since_of(sec, p->window_sec);
    int capped = 0;
    uint32_t src[FZ_GRAPH_EDGES], src_first[FZ_GRAPH_EDGES];
    int ns = distinct_peers(&nu->ring[1], since, 0, src, src_first); /* u's payers */
    f->scatter_gather = scatter_gather(g, nu, nw, u, since, src, ns, &capped);
    f->gather_scatter = gather_scatter(nu, w, since, ns, &capped);
    int max_len = p->cycle_max_len < 2 ? 2 : p->cycle_max_len > FZ_GRAPH_CYCLE_MAX ? FZ_GRAPH_CYCLE_MAX : p->cycle_max_len;
    f->cycle_len = shortest_cycle(g, u, w, since, sec, max_len, p->cycle_any_order, &capped);
    pass_through(nu, sec, amount, p, f);
    f->capped = capped;
}
