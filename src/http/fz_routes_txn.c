/* fz_routes_txn.c — scoring routes and the operator's endpoints:
 * POST /v1/transactions[/batch], GET /v1/transactions/:id, /healthz,
 * /metrics (Prometheus text) and GET /v1/stats/live for the dashboard. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_app.h"
#include "fz_engine.h"
#include "fz_ingest.h"
#include "fz_routes.h"

static int healthz(fz_req *rq, fz_resp *rs) {
    fz_ingest_stats s;
    fz_ingest_stats_get(rq->app->ingest, &s);
    return fz_resp_json(rs, 200, json_pack("{s:s,s:I,s:I}", "status", "ok", "durable_seq", (json_int_t)s.durable_seq,
                                           "uptime_ms", (json_int_t)(fz_db_now_ms() - rq->app->started_ms)));
}

static void counter(FILE *f, const char *name, const char *help, unsigned long long v) {
    fprintf(f, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name, v);
}

static void gauge(FILE *f, const char *name, const char *help, long long v) {
    fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, v);
}

static void latency(FILE *f, const fz_ingest_stats *s) {
    const char *n = "fanzha_decision_latency_seconds";
    fprintf(f, "# HELP %s Time from a scoring request to its durable answer.\n# TYPE %s histogram\n", n, n);
    unsigned long long cum = 0;
    for (int b = 0; b < 11; b++) {
        cum += s->lat_us_bucket[b];
        fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", n, (double)fz_ingest_lat_bounds_us[b] / 1e6, cum);
    }
    cum += s->lat_us_bucket[11];
    fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n%s_count %llu\n", n, cum, n, cum);
}

static int metrics(fz_req *rq, fz_resp *rs) {
    fz_ingest_stats s;
    fz_ingest_stats_get(rq->app->ingest, &s);
    fz_engine_stats es;
    fz_engine_stats_get(rq->app->engine, &es);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return fz_resp_error(rs, 500, NULL, "out of memory");
    fputs("# HELP fanzha_decisions_total Transactions scored, by outcome.\n# TYPE fanzha_decisions_total counter\n", f);
    static const char *const out[4] = {"allow", "verify", "hold", "block"};
    for (int i = 0; i < 4; i++)
        fprintf(f, "fanzha_decisions_total{outcome=\"%s\"} %llu\n", out[i], (unsigned long long)s.outcomes[i]);
    counter(f, "fanzha_duplicates_total", "Transactions sent again, answered with their first decision.", s.duplicates);
    counter(f, "fanzha_rejects_total", "Transactions refused as malformed.", s.rejected);
    counter(f, "fanzha_replayed_total", "Events replayed from the log at start.", s.replayed);
    counter(f, "fanzha_eventlog_commits_total", "Group commits of the event log.", s.commits);
    counter(f, "fanzha_eventlog_events_total", "Events written by this process.", s.events);
    counter(f, "fanzha_eventlog_commit_microseconds_total",
            "Time the writer spent in group commits (writing and syncing), for the mean.", s.commit_us_total);
    counter(f, "fanzha_eventlog_failed_commits_total", "Commits that failed and were retried.", s.failed_commits);
    counter(f, "fanzha_eventlog_checkpoints_total", "Checkpoints of the WAL back into the database file.",
            s.checkpoints);
    counter(f, "fanzha_eventlog_checkpointed_frames_total",
            "WAL frames copied back, as SQLite counts them after each checkpoint.", s.checkpointed_frames);
    gauge(f, "fanzha_eventlog_max_batch", "Largest group commit, in events.", (long long)s.max_batch);
    gauge(f, "fanzha_eventlog_durable_seq", "Highest event sequence number on disk.", s.durable_seq);
    gauge(f, "fanzha_waiting_requests", "Requests waiting for their commit or hold.", (long long)s.waiting);
    counter(f, "fanzha_engine_score_nanoseconds_total", "Time inside the engine.", s.score_ns_total);
    gauge(f, "fanzha_engine_accounts", "Accounts in the engine's state.", (long long)es.accounts);
    gauge(f, "fanzha_engine_bytes", "Heap held by the engine's state.", (long long)es.bytes);
    latency(f, &s);
    fputs("# HELP fanzha_http_responses_total HTTP responses, by status class.\n"
          "# TYPE fanzha_http_responses_total counter\n", f);
    for (int c = 2; c < 6; c++)
        fprintf(f, "fanzha_http_responses_total{class=\"%dxx\"} %llu\n", c, (unsigned long long)rq->app->http_status[c]);
    fclose(f);
    rs->status = 200;
    rs->raw = buf;
    rs->raw_len = len;
    rs->ctype = "text/plain; version=0.0.4";
    return 0;
}

/* What the dashboard polls: totals it turns into rates and shares. */
static int live(fz_req *rq, fz_resp *rs) {
    fz_ingest_stats s;
    fz_ingest_stats_get(rq->app->ingest, &s);
    fz_engine_stats es;
    fz_engine_stats_get(rq->app->engine, &es);
    return fz_resp_json(
        rs, 200,
        json_pack("{s:I,s:{s:I,s:I,s:I,s:I},s:I,s:I,s:I,s:I,s:I,s:I}", "now_ms", (json_int_t)fz_db_now_ms(),
                  "outcomes", "allow", (json_int_t)s.outcomes[0], "verify", (json_int_t)s.outcomes[1], "hold",
                  (json_int_t)s.outcomes[2], "block", (json_int_t)s.outcomes[3], "scored", (json_int_t)s.scored,
                  "duplicates", (json_int_t)s.duplicates, "rejected", (json_int_t)s.rejected, "durable_seq",
                  (json_int_t)s.durable_seq, "accounts", (json_int_t)es.accounts, "uptime_ms",
                  (json_int_t)(fz_db_now_ms() - rq->app->started_ms)));
}

/* The engine's size and state digest (fz_engine_digest): operators compare
 * it across restarts and replicas. */
static int engine_state(fz_req *rq, fz_resp *rs) {
    fz_engine_stats es;
    fz_engine_stats_get(rq->app->engine, &es);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)fz_engine_digest(rq->app->engine));
    return fz_resp_json(rs, 200, json_pack("{s:I,s:I,s:I,s:I,s:s}", "txns", (json_int_t)es.txns, "accounts",
                                           (json_int_t)es.accounts, "customers", (json_int_t)es.customers,
                                           "bytes", (json_int_t)es.bytes, "digest", hex));
}

/* Write the engine snapshot now (it is also written at shutdown), so a
 * restart replays only what comes after. Scoring pauses while it is written. */
static int snapshot(fz_req *rq, fz_resp *rs) {
    int64_t seq;
    fz_error err;
    int64_t t0 = fz_db_now_ms();
    if (fz_ingest_snapshot(rq->app->ingest, rq->app->snapshot, &seq, &err)) return fz_resp_from_error(rs, &err);
    return fz_resp_json(rs, 200, json_pack("{s:s,s:I,s:I}", "file", rq->app->snapshot, "seq", (json_int_t)seq, "ms",
                                           (json_int_t)(fz_db_now_ms() - t0)));
}

/* ---- money flows around an account, from the engine's graph -------------
 * The engine keeps each account's most recent payments each way (fz_graph.h;
 * the server keeps the graph whether or not a rule reads it), so the case
 * page draws the neighbourhood the engine itself scored with, without an
 * index over the event log that every stored transaction would pay for. */

#define FLOW_EDGES_MAX 400
#define FLOW_FANOUT_MAX 25

typedef struct flows_ctx {
    const fz_engine *e;
    json_t *edges, *seen, *next, *nodes;
} flows_ctx;

static json_t *acct_json(const fz_engine *e, uint32_t id) {
    size_t n;
    const char *k = fz_engine_account_key(e, id, &n);
    return json_stringn(k, n);
}

/* Add one account's recent payments (each once) and, for depth 2, note
 * its counterparties. */
static int flows_of(flows_ctx *c, const char *acct, int limit, int expand) {
    fz_engine_edge ed[2 * 64];
    int n = fz_engine_edges(c->e, acct, strlen(acct), ed, limit < 128 ? limit : 128);
    for (int i = 0; i < n && json_array_size(c->edges) < FLOW_EDGES_MAX; i++) {
        char key[96];
        snprintf(key, sizeof key, "%u>%u@%lld:%lld", ed[i].from, ed[i].to, (long long)ed[i].time_ms,
                 (long long)ed[i].amount);
        if (json_object_get(c->seen, key)) continue;
        json_object_set_new(c->seen, key, json_true());
        json_t *from = acct_json(c->e, ed[i].from), *to = acct_json(c->e, ed[i].to);
        json_object_set_new(c->nodes, json_string_value(from), json_true());
        json_object_set_new(c->nodes, json_string_value(to), json_true());
        const char *other = json_string_value(strcmp(json_string_value(from), acct) ? from : to);
        if (expand && json_object_size(c->next) < FLOW_FANOUT_MAX) json_object_set_new(c->next, other, json_true());
        json_array_append_new(c->edges, json_pack("{s:o,s:o,s:I,s:I,s:s}", "from", from, "to", to, "time_ms",
                                                  (json_int_t)ed[i].time_ms, "amount", (json_int_t)ed[i].amount,
                                                  "currency", "CNY"));
    }
    return n;
}

static int flows(fz_req *rq, fz_resp *rs) {
    int64_t depth, limit;
    fz_error err;
    if (fz_req_query_int(rq, "depth", 1, 1, 2, &depth, &err) || fz_req_query_int(rq, "limit", 64, 1, 128, &limit, &err))
        return fz_resp_from_error(rs, &err);
    flows_ctx c = {rq->app->engine, json_array(), json_object(), json_object(), json_object()};
    int n = flows_of(&c, rq->param[0], (int)limit, depth > 1);
    const char *acct;
    json_t *v;
    json_object_foreach(c.next, acct, v) flows_of(&c, acct, (int)(limit / 4 + 1), 0);
    json_t *list = json_array();
    json_object_foreach(c.nodes, acct, v)
        json_array_append_new(list, json_pack("{s:s,s:b}", "id", acct, "focus", !strcmp(acct, rq->param[0])));
    json_decref(c.seen);
    json_decref(c.next);
    json_decref(c.nodes);
    if (n == FZ_ENOTFOUND) {
        json_decref(c.edges);
        json_decref(list);
        return fz_resp_error(rs, 404, "id", "account %s has not been seen", rq->param[0]);
    }
    return fz_resp_json(rs, 200, json_pack("{s:s,s:o,s:o}", "account", rq->param[0], "nodes", list, "edges", c.edges));
}

/* GET /openapi.json: the route tables as OpenAPI (fz_routes_openapi). */
static int openapi(fz_req *rq, fz_resp *rs) {
    (void)rq;
    return fz_resp_json(rs, 200, fz_routes_openapi());
}

const fz_route fz_routes_txn[] = {
    {"POST", "/v1/transactions", FZ_ROLE_INGEST, fz_ingest_post,
     "score one transaction; answer once it is durable", 1},
    {"POST", "/v1/transactions/batch", FZ_ROLE_INGEST, fz_ingest_post_batch,
     "score JSON lines, one transaction each", 1},
    {"GET", "/v1/transactions/:id", FZ_ROLES_ANY, fz_ingest_get, "a transaction's decision and hold (?wait=S)", 0},
    {"GET", "/v1/stats/live", FZ_ROLES_STAFF, live, "totals for the dashboard", 0},
    {"GET", "/v1/accounts/:id/flows", FZ_ROLES_STAFF, flows, "who paid whom around an account, from the engine's graph (depth 1 or 2)", 0},
    {"POST", "/v1/engine/snapshot", FZ_ROLE_ADMIN, snapshot, "write the engine snapshot now", 0},
    {"GET", "/v1/engine/state", FZ_ROLES_SENIOR, engine_state, "engine size and state digest", 0},
    {"GET", "/healthz", FZ_ROLES_PUBLIC, healthz, "liveness", 0},
    {"GET", "/openapi.json", FZ_ROLES_PUBLIC, openapi, "this API as OpenAPI 3.0, from the route tables", 0},
    {"GET", "/metrics", FZ_ROLES_PUBLIC, metrics, "Prometheus metrics", 0},
    {NULL, NULL, 0, NULL, NULL, 0},
};
