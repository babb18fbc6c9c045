/* fz_eventlog.c — the writer thread and its group commit (fz_eventlog.h). */
#include "fz_eventlog.h"

#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fz_db.h"

struct fz_eventlog {
    fz_db *db;
    char *path;           /* for the writer's fresh connections */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    fz_event *head, *tail; /* queued, oldest first */
    int stop;
    int max_batch;
    fz_durable_fn durable;
    void *ctx;
    int tick_ms;
    void (*tick)(void *ctx);
    _Atomic int64_t durable_seq;
    int wal_frames;       /* the WAL's size after the last commit (on_wal) */
    fz_eventlog_stats st; /* under mu */
};

static int writer_conn(fz_eventlog *l, fz_error *err);

/* Copy n bytes of s to *p with a NUL, advance *p; the copy. */
static const char *put(char **p, const char *s, size_t n) {
    char *d = *p;
    memcpy(d, s, n);
    d[n] = 0;
    *p += n + 1;
    return d;
}

fz_event *fz_event_new(const char *txn_id, size_t n_id, const char *payer, const char *payee,
                       const char *currency, const char *txn, size_t n_txn, const char *decision,
                       size_t n_dec, const fz_event_lv *lv, int nlv) {
    size_t np = strlen(payer), ne = strlen(payee), nc = strlen(currency), nk = 0;
    if (nlv > FZ_EVENT_MAX_LV) nlv = FZ_EVENT_MAX_LV;
    for (int i = 0; i < nlv; i++) nk += lv[i].n_customer + 1;
    fz_event *ev = malloc(sizeof *ev + n_id + np + ne + nc + n_txn + n_dec + 6 + nk);
    if (!ev) return NULL;
    memset(ev, 0, offsetof(fz_event, lv));
    char *p = (char *)(ev + 1);
    ev->txn_id = put(&p, txn_id, n_id);
    ev->payer = put(&p, payer, np);
    ev->payee = put(&p, payee, ne);
    ev->currency = put(&p, currency, nc);
    ev->txn = put(&p, txn, n_txn);
    ev->decision = put(&p, decision, n_dec);
    for (int i = 0; i < nlv; i++) {
        ev->lv[i] = lv[i];
        ev->lv[i].customer = put(&p, lv[i].customer, lv[i].n_customer);
    }
    ev->nlv = nlv;
    return ev;
}

void fz_event_free(fz_event *ev) { free(ev); }

static const char SQL_EVENT[] =
    "INSERT INTO events(seq, txn_id, txn_ms, recv_ms, payer, payee, amount, currency, outcome, score,"
    " rules_version, txn, decision) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char SQL_ALERT[] =
    "INSERT INTO alerts(seq, txn_id, txn_ms, created_ms, account, rule, score, outcome)"
    " VALUES(?,?,?,?,?,?,?,?)";
static const char SQL_LV[] =
    "INSERT INTO large_value(seq, txn_id, customer, day, crcd, dir, fx, rule, created_ms)"
    " VALUES(?,?,?,?,?,?,?,?,?)";
static const char SQL_HOLD[] = "INSERT INTO holds(seq, txn_id, created_ms) VALUES(?,?,?)";

static int text(sqlite3_stmt *st, int i, const char *s) { return fz_db_bind_text(st, i, s, strlen(s)); }

/* Every row an event writes starts with its seq and transaction id: the
 * statement for sql with those two bound, or NULL (err filled). */
static sqlite3_stmt *event_stmt(fz_db *db, const char *sql, const fz_event *ev, fz_error *err) {
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (st) {
        sqlite3_bind_int64(st, 1, ev->seq);
        text(st, 2, ev->txn_id);
    }
    return st;
}

static int write_alerts(fz_db *db, const fz_event *ev, fz_error *err) {
    for (int i = 0; i < ev->nalerts; i++) {
        sqlite3_stmt *st = event_stmt(db, SQL_ALERT, ev, err);
        if (!st) return FZ_EIO;
        sqlite3_bind_int64(st, 3, ev->txn_ms);
        sqlite3_bind_int64(st, 4, ev->recv_ms);
        text(st, 5, ev->alert[i].account);
        text(st, 6, ev->alert[i].rule);
        sqlite3_bind_int(st, 7, ev->alert[i].score);
        sqlite3_bind_int(st, 8, ev->outcome);
        int rc = fz_db_run(db, st, "insert alert", err);
        if (rc) return rc;
    }
    return 0;
}

static int write_lv(fz_db *db, const fz_event *ev, fz_error *err) {
    for (int i = 0; i < ev->nlv; i++) {
        const fz_event_lv *r = &ev->lv[i];
        sqlite3_stmt *st = event_stmt(db, SQL_LV, ev, err);
        if (!st) return FZ_EIO;
        fz_db_bind_text(st, 3, r->customer, r->n_customer);
        sqlite3_bind_int(st, 4, r->day);
        sqlite3_bind_int(st, 5, r->crcd);
        sqlite3_bind_int(st, 6, r->dir);
        sqlite3_bind_int(st, 7, r->fx);
        text(st, 8, r->rule);
        sqlite3_bind_int64(st, 9, ev->recv_ms);
        int rc = fz_db_run(db, st, "insert large-value record", err);
        if (rc) return rc;
    }
    return 0;
}

static int write_event(fz_db *db, const fz_event *ev, fz_error *err) {
    sqlite3_stmt *st = event_stmt(db, SQL_EVENT, ev, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_int64(st, 3, ev->txn_ms);
    sqlite3_bind_int64(st, 4, ev->recv_ms);
    text(st, 5, ev->payer);
    text(st, 6, ev->payee);
    sqlite3_bind_int64(st, 7, ev->amount);
    text(st, 8, ev->currency);
    sqlite3_bind_int(st, 9, ev->outcome);
    sqlite3_bind_int(st, 10, ev->score);
    text(st, 11, ev->rules_version);
    text(st, 12, ev->txn);
    text(st, 13, ev->decision);
    int rc = fz_db_run(db, st, "insert event", err);
    if (!rc) rc = write_alerts(db, ev, err);
    if (!rc && ev->nlv) rc = write_lv(db, ev, err);
    if (!rc && ev->hold) {
        if (!(st = event_stmt(db, SQL_HOLD, ev, err))) return FZ_EIO;
        sqlite3_bind_int64(st, 3, ev->recv_ms);
        rc = fz_db_run(db, st, "insert hold", err);
    }
    return rc;
}

/* One transaction for the whole batch: the group commit. */
static int write_batch(fz_db *db, const fz_event *batch, fz_error *err) {
    int rc = fz_db_begin(db, err);
    if (rc) return rc;
    for (const fz_event *ev = batch; !rc && ev; ev = ev->next) rc = write_event(db, ev, err);
    return fz_db_end(db, rc, err);
}

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Write a batch until it is on disk. A failed commit (disk full, I/O error)
 * is retried, never skipped: nothing is answered until it is durable, and
 * the scored state must match the log. */
static void commit_batch(fz_eventlog *l, fz_event *batch, uint64_t n) {
    fz_error err;
    for (unsigned tries = 0, backoff = 10;; tries++, backoff = backoff < 1000 ? backoff * 2 : 1000) {
        uint64_t t0 = now_us();
        if (l->db && !write_batch(l->db, batch, &err)) {
            pthread_mutex_lock(&l->mu);
            l->st.commits++;
            l->st.events += n;
            l->st.commit_us_total += now_us() - t0;
            if (n > l->st.max_batch) l->st.max_batch = n;
            pthread_mutex_unlock(&l->mu);
            if (tries) fprintf(stderr, "fanzha: event log commit succeeded after %u retries\n", tries);
            return;
        }
        if (tries < 8 || tries % 60 == 0) { /* then once a minute */
            char msg[700];
            fz_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "fanzha: event log commit failed, retrying: %s\n", msg);
        }
        pthread_mutex_lock(&l->mu);
        l->st.failed_commits++;
        pthread_mutex_unlock(&l->mu);
        struct timespec ts = {backoff / 1000, (long)(backoff % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        /* Retry on a fresh connection: a failure can leave this one's page
         * cache out of step with the file (a malformed-database error that
         * the file itself does not have), and it would fail forever. */
        fz_db_close(l->db);
        writer_conn(l, &err); /* on failure l->db is NULL: the next round tries again */
    }
}

static void wait_for_work(fz_eventlog *l) {
    while (!l->head && !l->stop) {
        if (!l->tick) {
            pthread_cond_wait(&l->cv, &l->mu);
            continue;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += (long)l->tick_ms * 1000000L;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        if (pthread_cond_timedwait(&l->cv, &l->mu, &ts) == ETIMEDOUT) {
            void (*tick)(void *) = l->tick;
            pthread_mutex_unlock(&l->mu);
            tick(l->ctx);
            pthread_mutex_lock(&l->mu);
        }
    }
}

/* Checkpoints (copying the WAL back into the database file) are the
 * writer's, on its own connection, once the WAL holds WAL_FRAMES frames, and
 * after the batch that filled it is answered. SQLite's automatic checkpoint,
 * which the WAL hook turns off, ran inside the commit, copied a thousand
 * frames there and held the whole batch's answers back. A checkpoint that
 * copies everything lets the next commit start the WAL again from its
 * beginning, so the WAL stays under a megabyte or two.
 *
 * No other connection checkpoints (fz_db_autocheckpoint_off): SQLite before
 * 3.51.3 (Debian 12 ships 3.40.1) has the WAL-reset race
 * (https://sqlite.org/wal.html#walresetbug), in which a checkpoint starting
 * on one connection while another's commit restarts the WAL can skip frames.
 * With one connection doing both, they never overlap. (A checkpointer
 * thread of its own, every 10 ms, once left the writer's connection
 * reporting a malformed database in a bench run.)
 *
 * 256 frames, chosen by hand runs of bench/bench_http.sh's 40 s replay
 * against half, twice and the old design: fewer meant a database fsync
 * every few commits and less throughput, more a longer tail (the figures
 * are in docs/store.md, "Checkpoints"). */
#define WAL_FRAMES 256

/* SQLite's WAL hook (which also turns its automatic checkpoint off): note
 * the WAL's size after each commit. */
static int on_wal(void *arg, sqlite3 *db, const char *name, int frames) {
    (void)db, (void)name;
    ((fz_eventlog *)arg)->wal_frames = frames;
    return SQLITE_OK;
}

/* After a batch is answered: checkpoint when the WAL has grown past
 * WAL_FRAMES (on_wal sets wal_frames at every commit, so there is nothing to
 * reset here). PASSIVE: a reader's open snapshot is waited for by nobody;
 * what it still needs is copied by a later checkpoint, and until then each
 * commit tries again, which copies nothing and costs no fsync. done is
 * SQLite's count of the WAL's frames now copied, so frames a reader held
 * back are counted again by the checkpoint after. */
static void checkpoint_if_big(fz_eventlog *l) {
    if (l->wal_frames < WAL_FRAMES) return;
    int done = 0;
    int rc = sqlite3_wal_checkpoint_v2(fz_db_sqlite(l->db), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, &done);
    pthread_mutex_lock(&l->mu);
    if (rc == SQLITE_OK) l->st.checkpoints++, l->st.checkpointed_frames += (uint64_t)(done > 0 ? done : 0);
    pthread_mutex_unlock(&l->mu);
}

static void *writer(void *arg) {
    fz_eventlog *l = arg;
    pthread_setname_np(pthread_self(), "fz-eventlog");
    pthread_mutex_lock(&l->mu);
    for (;;) {
        wait_for_work(l);
        if (!l->head && l->stop) break;
        fz_event *batch = l->head, *last = batch;
        uint64_t n = 1;
        while (last->next && (!l->max_batch || n < (uint64_t)l->max_batch)) last = last->next, n++;
        l->head = last->next;
        if (!l->head) l->tail = NULL;
        last->next = NULL;
        l->st.queued -= n;
        pthread_mutex_unlock(&l->mu);

        commit_batch(l, batch, n);
        int64_t top = 0;
        for (fz_event *ev = batch, *nx; ev; ev = nx) {
            nx = ev->next;
            if (ev->seq > top) top = ev->seq;
            fz_event_free(ev);
        }
        atomic_store(&l->durable_seq, top);
        if (l->durable) l->durable(l->ctx, top);
        if (l->tick) l->tick(l->ctx);
        checkpoint_if_big(l);
        pthread_mutex_lock(&l->mu);
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

/* Open the writer's connection into l->db (NULL when it fails): it
 * checkpoints only after answering (on_wal, checkpoint_if_big). */
static int writer_conn(fz_eventlog *l, fz_error *err) {
    int rc = fz_db_open(&l->db, l->path, err);
    if (rc) return rc;
    sqlite3_wal_hook(fz_db_sqlite(l->db), on_wal, l);
    /* The writer touches the right edges of a few B-trees, so SQLite's
     * default cache (2 MB) holds what it needs; with the 64 MB the other
     * connections use, walking pcache1's hash at each transaction's end
     * took a tenth of the server's CPU (perf). */
    rc = fz_db_exec(l->db, "PRAGMA cache_size=-2000", err);
    if (rc) {
        fz_db_close(l->db);
        l->db = NULL;
    }
    return rc;
}

/* Release what fz_eventlog_open set up (the writer thread not running). */
static void free_log(fz_eventlog *l) {
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    fz_db_close(l->db);
    free(l->path);
    free(l);
}

int fz_eventlog_open(fz_eventlog **out, const char *path, int max_batch, fz_durable_fn durable, void *ctx,
                     fz_error *err) {
    *out = NULL;
    fz_eventlog *l = calloc(1, sizeof *l);
    if (!l) return fz_error_set(err, FZ_ENOMEM, path, 0, 0, NULL, "out of memory");
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    int rc = (l->path = strdup(path)) ? writer_conn(l, err)
                                      : fz_error_set(err, FZ_ENOMEM, path, 0, 0, NULL, "out of memory");
    if (rc) {
        free_log(l);
        return rc;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(fz_db_sqlite(l->db), "SELECT coalesce(max(seq), 0) FROM events", -1, &st, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) l->durable_seq = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    l->max_batch = max_batch;
    l->durable = durable;
    l->ctx = ctx;
    if (pthread_create(&l->thread, NULL, writer, l)) {
        rc = fz_error_set(err, FZ_ENOMEM, path, 0, 0, NULL, "cannot start the event log writer");
        free_log(l);
        return rc;
    }
    *out = l;
    return 0;
}

void fz_eventlog_append(fz_eventlog *l, fz_event *ev) {
    ev->next = NULL;
    pthread_mutex_lock(&l->mu);
    if (l->tail) l->tail->next = ev;
    else l->head = ev;
    l->tail = ev;
    l->st.queued++;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

int64_t fz_eventlog_durable(fz_eventlog *l) { return atomic_load(&l->durable_seq); }

void fz_eventlog_set_tick(fz_eventlog *l, int tick_ms, void (*tick)(void *ctx)) {
    pthread_mutex_lock(&l->mu);
    l->tick_ms = tick_ms > 0 ? tick_ms : 100;
    l->tick = tick;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

void fz_eventlog_stats_get(fz_eventlog *l, fz_eventlog_stats *s) {
    pthread_mutex_lock(&l->mu);
    *s = l->st;
    pthread_mutex_unlock(&l->mu);
}

void fz_eventlog_close(fz_eventlog *l) {
    if (!l) return;
    pthread_mutex_lock(&l->mu);
    l->stop = 1;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    free_log(l);
}
