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
    counter(f, "fanzha_eventlog_failed_commits_total", "Commits that failed and were retried.", s.failed_commits);
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

/* ---- money flows around an account, from the event log ----------------
 * The event log holds every payment in full, where the engine's graph keeps
 * only each account's most recent edges (and only when rules or the model
 * read graph patterns), so the case page's picture is drawn from here. */

#define FLOW_EDGES_MAX 400
#define FLOW_FANOUT_MAX 25

static const char SQL_FLOWS[] =
    "SELECT seq, txn_id, txn_ms, payer, payee, amount, currency, outcome FROM events"
    " WHERE payer = ?1 OR payee = ?1 ORDER BY seq DESC LIMIT ?2";

/* Add account a's latest limit payments to edges (deduplicated by seq),
 * and each new counterparty to next (when not NULL). */
static int flows_of(fz_db *db, const char *a, int limit, json_t *edges, json_t *seen, json_t *next, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, SQL_FLOWS, err);
    if (!st) return FZ_EIO;
    fz_db_bind_text(st, 1, a, strlen(a));
    sqlite3_bind_int(st, 2, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && json_array_size(edges) < FLOW_EDGES_MAX) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(st, 0));
        if (json_object_get(seen, key)) continue;
        json_object_set_new(seen, key, json_true());
        const char *from = fz_db_col_text(st, 3, NULL), *to = fz_db_col_text(st, 4, NULL);
        json_array_append_new(edges, json_pack("{s:s,s:s,s:s,s:I,s:I,s:s,s:i}", "from", from, "to", to, "txn_id",
                                               fz_db_col_text(st, 1, NULL), "time_ms",
                                               (json_int_t)sqlite3_column_int64(st, 2), "amount",
                                               (json_int_t)sqlite3_column_int64(st, 5), "currency",
                                               fz_db_col_text(st, 6, NULL), "outcome", sqlite3_column_int(st, 7)));
        const char *other = strcmp(from, a) ? from : to;
        if (next && *other && !json_object_get(next, other) && json_object_size(next) < FLOW_FANOUT_MAX)
            json_object_set_new(next, other, json_true());
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "read flows", err);
}

static int flows(fz_req *rq, fz_resp *rs) {
    int64_t depth, limit;
    fz_error err;
    if (fz_req_query_int(rq, "depth", 1, 1, 2, &depth, &err) || fz_req_query_int(rq, "limit", 100, 1, 400, &limit, &err))
        return fz_resp_from_error(rs, &err);
    json_t *edges = json_array(), *seen = json_object(), *next = json_object(), *nodes = json_object();
    int rc = flows_of(rq->app->db, rq->param[0], (int)limit, edges, seen, depth > 1 ? next : NULL, &err);
    const char *acct;
    json_t *v;
    json_object_foreach(next, acct, v) {
        if (rc) break;
        rc = flows_of(rq->app->db, acct, (int)(limit / 4 + 1), edges, seen, NULL, &err);
    }
    size_t i;
    json_array_foreach(edges, i, v) {
        json_object_set_new(nodes, json_string_value(json_object_get(v, "from")), json_true());
        json_object_set_new(nodes, json_string_value(json_object_get(v, "to")), json_true());
    }
    json_t *list = json_array();
    json_object_foreach(nodes, acct, v) json_array_append_new(list, json_pack("{s:s,s:b}", "id", acct, "focus", !strcmp(acct, rq->param[0])));
    json_decref(seen);
    json_decref(next);
    json_decref(nodes);
    if (rc) {
        json_decref(edges);
        json_decref(list);
        return fz_resp_from_error(rs, &err);
    }
    return fz_resp_json(rs, 200, json_pack("{s:s,s:o,s:o}", "account", rq->param[0], "nodes", list, "edges", edges));
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
    {"GET", "/v1/accounts/:id/flows", FZ_ROLES_STAFF, flows, "who paid whom around an account (depth 1 or 2)", 0},
    {"POST", "/v1/engine/snapshot", FZ_ROLE_ADMIN, snapshot, "write the engine snapshot now", 0},
    {"GET", "/v1/engine/state", FZ_ROLES_SENIOR, engine_state, "engine size and state digest", 0},
    {"GET", "/healthz", FZ_ROLES_PUBLIC, healthz, "liveness", 0},
    {"GET", "/openapi.json", FZ_ROLES_PUBLIC, openapi, "this API as OpenAPI 3.0, from the route tables", 0},
    {"GET", "/metrics", FZ_ROLES_PUBLIC, metrics, "Prometheus metrics", 0},
    {NULL, NULL, 0, NULL, NULL, 0},
};
