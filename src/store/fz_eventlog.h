/* fz_eventlog.h — the append-only event log, written with group commit.
 *
 * The server's thread scores a transaction, then hands its event to the
 * log's writer thread and waits for it to be durable before answering. The
 * writer takes everything queued since its last commit and writes it in one
 * SQLite transaction — the event rows and the alerts, hold and large-value
 * records derived from them — so one fsync covers many answers (group commit) and a crash leaves
 * either all of an event or none of it. After each commit it calls the
 * owner's durable() with the highest sequence number now on disk.
 *
 * The writer is also the only connection that checkpoints: a process that
 * runs an event log turns the automatic checkpoints of its other
 * connections to the same file off (fz_db_autocheckpoint_off). */
#ifndef FZ_EVENTLOG_H
#define FZ_EVENTLOG_H

#include <stdint.h>

#include "fz_error.h"

#define FZ_EVENT_MAX_ALERTS 17 /* one per rule hit (FZ_DEC_MAX_HITS) and the model */

#define FZ_EVENT_MAX_LV 8     /* large-value records of one decision (FZ_DEC_MAX_LV) */

/* A large-value record the decision made (fz_lv_hit with its customer's
 * key): a large_value row. */
typedef struct fz_event_lv {
    const char *customer; /* the engine's customer key; in an event, its own copy */
    size_t n_customer;
    const char *rule;     /* rule id; lives as long as the process */
    int32_t day;          /* Asia/Shanghai day number */
    uint16_t crcd;        /* 501..504 */
    uint8_t dir, fx;      /* 0 out / 1 in; 0 RMB / 1 FX basis */
} fz_event_lv;

/* One transaction and its decision, as the log stores it. Strings are owned
 * by the event (one allocation; fz_event_free). */
typedef struct fz_event {
    struct fz_event *next;  /* queue link, the log's */
    int64_t seq;            /* scoring order, assigned by the caller, ascending */
    int64_t txn_ms, recv_ms;
    int64_t amount;
    int outcome, score;
    int hold;               /* outcome is hold: make a holds row */
    const char *txn_id, *payer, *payee, *currency, *rules_version;
    const char *txn;        /* the transaction as JSON */
    const char *decision;   /* the answer as sent */
    int nalerts;
    struct {
        const char *account; /* points at payer or payee */
        const char *rule;    /* rule id or "MODEL"; lives as long as the process */
        int score;
    } alert[FZ_EVENT_MAX_ALERTS];
    int nlv;
    fz_event_lv lv[FZ_EVENT_MAX_LV];
} fz_event;

/* One allocation holding the event and copies of the strings given (each
 * s[i] of n[i] bytes, NUL added) in order txn_id, payer, payee, currency,
 * txn, decision, and the large-value records lv[0..nlv) (nlv at most
 * FZ_EVENT_MAX_LV) with copies of their customer keys; rules_version, alert
 * and record rules are borrowed. NULL when out of memory. */
fz_event *fz_event_new(const char *txn_id, size_t n_id, const char *payer, const char *payee,
                       const char *currency, const char *txn, size_t n_txn, const char *decision,
                       size_t n_dec, const fz_event_lv *lv, int nlv);
void fz_event_free(fz_event *ev);

typedef struct fz_eventlog fz_eventlog;

/* Called on the writer thread after each commit with the highest durable
 * sequence number. */
typedef void (*fz_durable_fn)(void *ctx, int64_t durable_seq);

/* Open the log on the database at path with its own connection and start
 * the writer thread. max_batch caps the events of one commit (0: all that
 * are queued; 1 is a commit per event, the baseline group commit is
 * measured against). Returns 0, FZ_EIO or FZ_ENOMEM. */
int fz_eventlog_open(fz_eventlog **out, const char *path, int max_batch, fz_durable_fn durable, void *ctx,
                     fz_error *err);

/* Queue ev (taken over; the log frees it once written). Thread-safe, never
 * blocks on I/O. */
void fz_eventlog_append(fz_eventlog *l, fz_event *ev);

/* The highest sequence number known durable. */
int64_t fz_eventlog_durable(fz_eventlog *l);

/* Wake the writer every tick_ms even when idle and call tick(ctx) there:
 * the owner's timer (expiring long-polls). */
void fz_eventlog_set_tick(fz_eventlog *l, int tick_ms, void (*tick)(void *ctx));

typedef struct fz_eventlog_stats {
    uint64_t events, commits, failed_commits;
    uint64_t max_batch;
    uint64_t commit_us_total; /* time spent committing, for the mean */
    uint64_t queued;          /* waiting now */
    uint64_t checkpoints, checkpointed_frames; /* by the writer; frames as SQLite counts them after each (checkpoint_if_big) */
} fz_eventlog_stats;
void fz_eventlog_stats_get(fz_eventlog *l, fz_eventlog_stats *s);

/* Write what is queued, stop the writer and close. */
void fz_eventlog_close(fz_eventlog *l);

#endif
