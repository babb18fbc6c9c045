/* fz_ingest.h — the scoring path of `fanzha serve`: parse, deduplicate,
 * score, append to the event log, answer once durable.
 *
 * Runs on the HTTP thread, which owns the engine. A transaction is scored
 * at once and its event (transaction, decision, derived alerts and hold)
 * queued to the event log's writer thread, which commits queued events
 * together (group commit) and only then lets the answer go out. A
 * transaction id seen before is answered with its first decision and never
 * scored or stored again. */
#ifndef FZ_INGEST_H
#define FZ_INGEST_H

#include <stdint.h>

#include "fz_error.h"
#include "fz_http.h"

typedef struct fz_ingest fz_ingest;

/* Open the event log on the database at path (the writer's own connection),
 * then rebuild app->engine's state by replaying, in order, every stored
 * event after snap_seq (what a loaded snapshot covers; 0 for none), and
 * remember every stored transaction id. The state depends only on the
 * transactions, so replay needs no rules history. commit_batch caps a group
 * commit (fz_eventlog_open). Progress goes to stderr when progress is set.
 * Returns 0 or a negative FZ_E* with err filled. */
int fz_ingest_open(fz_ingest **out, fz_app *app, const char *path, int64_t snap_seq, int commit_batch,
                   int progress, fz_error *err);

/* Snapshots of the engine (fz_engine_save) with the event sequence number
 * they cover, so a restart replays only what came after. fz_ingest_snapshot
 * waits until everything scored is durable, then writes path atomically
 * (tmp, fsync, rename); *seq is what it covers. fz_ingest_snapshot_load
 * loads one into an engine that has scored nothing: 0 with *seq,
 * FZ_ENOTFOUND when there is none, FZ_EFORMAT when it does not fit this
 * engine (the engine may then hold part of it: make a new one). */
int fz_ingest_snapshot(fz_ingest *ig, const char *path, int64_t *seq, fz_error *err);
struct fz_engine;
int fz_ingest_snapshot_load(struct fz_engine *e, const char *path, int64_t *seq, fz_error *err);

/* Shutting down: write what is queued, stop the log, and resume every
 * waiting request so it is answered (before the HTTP server stops). New
 * scoring requests get 503 from now on. */
void fz_ingest_quiesce(fz_ingest *ig);

/* Quiesce if not yet, then free. */
void fz_ingest_close(fz_ingest *ig);

/* The routes: POST /v1/transactions (one JSON object), POST
 * /v1/transactions/batch (JSON lines), GET /v1/transactions/:id (?wait=S to
 * long-poll a pending hold). docs/api.md. */
int fz_ingest_post(fz_req *rq, fz_resp *rs);
int fz_ingest_post_batch(fz_req *rq, fz_resp *rs);
int fz_ingest_get(fz_req *rq, fz_resp *rs);

typedef struct fz_ingest_stats {
    uint64_t scored, duplicates, rejected, replayed;
    uint64_t outcomes[4];      /* by fz_outcome */
    int64_t next_seq, durable_seq;
    uint64_t waiting;          /* requests waiting for their commit or hold */
    uint64_t score_ns_total;   /* engine time, for the mean */
    uint64_t lat_us_bucket[12];/* request latency (received -> durable answer), le 50us..>100ms */
    uint64_t events, commits, failed_commits, max_batch, commit_us_total; /* the log's */
    uint64_t checkpoints, checkpointed_frames;                            /* the log's */
} fz_ingest_stats;
void fz_ingest_stats_get(fz_ingest *ig, fz_ingest_stats *s);
extern const int64_t fz_ingest_lat_bounds_us[11];

/* A held transaction was resolved ("released" or "rejected") by an analyst:
 * answer every channel waiting on it (GET /v1/transactions/:id?wait=S). */
void fz_ingest_hold_resolved(fz_ingest *ig, const char *txn_id, const char *status);

/* From now until until_ms (ms UTC, compared with the time the server
 * received each transaction, which the event log keeps so replay agrees), hits of rule (its id) on
 * account (key "acct@bank") raise no alert and do not change the outcome:
 * an analyst marked them a false positive. Returns 0 or FZ_ENOMEM. */
int fz_ingest_suppress(fz_ingest *ig, const char *account, const char *rule, int64_t until_ms);

#endif
