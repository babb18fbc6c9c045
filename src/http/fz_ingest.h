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

typedef struct fz_ingest fz_ingest;

/* A held transaction was resolved ("released" or "rejected") by an analyst:
 * answer every channel waiting on it (GET /v1/transactions/:id?wait=S). */
void fz_ingest_hold_resolved(fz_ingest *ig, const char *txn_id, const char *status);

/* From now until until_ms (ms UTC, compared with the time the server
 * received each transaction, which the event log keeps so replay agrees), hits of rule (its id) on
 * account (key "acct@bank") raise no alert and do not change the outcome:
 * an analyst marked them a false positive. Returns 0 or FZ_ENOMEM. */
int fz_ingest_suppress(fz_ingest *ig, const char *account, const char *rule, int64_t until_ms);

#endif
