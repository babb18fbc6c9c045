/* test_eventlog.c — the event log's group commit on a real file: every
 * event appended is stored once with its alert and hold rows; the writer's
 * own checkpoints keep the WAL small while megabytes go through it (it is
 * the only connection that checkpoints); a reader holding an old snapshot
 * delays the WAL's restart but loses nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fz_db.h"
#include "fz_eventlog.h"

#define PAYLOAD 900 /* bytes of transaction JSON an event carries, about a real one's */

/* Remove the database at path with its WAL and shared-memory files. */
static void remove_db(const char *path) {
    char side[160];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void path_of(char *buf, size_t n, const char *tag) {
    snprintf(buf, n, "/tmp/fanzha-test-eventlog-%d-%s.db", (int)getpid(), tag);
    remove_db(buf);
}

static long long wal_size(const char *path) {
    char wal[160];
    struct stat st;
    snprintf(wal, sizeof wal, "%s-wal", path);
    return stat(wal, &st) ? 0 : (long long)st.st_size;
}

/* Event seq: every 10th raises an alert, every 50th is held. */
static fz_event *event(int64_t seq) {
    char id[32], txn[PAYLOAD + 64];
    int n = snprintf(id, sizeof id, "T%08lld", (long long)seq);
    int m = snprintf(txn, sizeof txn, "{\"id\":\"%s\",\"memo\":\"%0*d\"}", id, PAYLOAD - 30, 0);
    static const char dec[] = "{\"outcome\":\"allow\"}";
    fz_event *ev = fz_event_new(id, (size_t)n, "A1@FZB", "A2@FZB", "CNY", txn, (size_t)m, dec, sizeof dec - 1, NULL, 0);
    assert_non_null(ev);
    ev->seq = seq;
    ev->txn_ms = ev->recv_ms = 1700000000000LL + seq;
    ev->amount = 100 * seq;
    ev->rules_version = "test@1";
    if (seq % 10 == 0) {
        ev->nalerts = 1;
        ev->alert[0].account = ev->payer;
        ev->alert[0].rule = "R1";
        ev->alert[0].score = 70;
    }
    ev->hold = seq % 50 == 0;
    return ev;
}

static void wait_durable(fz_eventlog *l, int64_t seq) {
    for (int i = 0; i < 3000 && fz_eventlog_durable(l) < seq; i++) {
        struct timespec ts = {0, 2000000L};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(fz_eventlog_durable(l), seq);
}

static int64_t count(fz_db *db, const char *sql) {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fz_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Append n events from seq first in batches of batch, each batch waited
 * for; the largest WAL file seen. */
static long long append(fz_eventlog *l, const char *path, int64_t first, int n, int batch) {
    long long biggest = 0;
    for (int64_t s = first; s < first + n;) {
        for (int i = 0; i < batch && s < first + n; i++) fz_eventlog_append(l, event(s++));
        wait_durable(l, s - 1);
        long long w = wal_size(path);
        if (w > biggest) biggest = w;
    }
    return biggest;
}

/* A fresh store at path (tag names it) as the server has it: the API
 * connection, which creates the schema and never checkpoints, and the event
 * log beside it. */
static fz_eventlog *open_store(char *path, size_t n, const char *tag, fz_db **api) {
    path_of(path, n, tag);
    fz_error err;
    assert_int_equal(fz_db_open(api, path, &err), 0);
    fz_eventlog *l;
    assert_int_equal(fz_eventlog_open(&l, path, 0, NULL, NULL, &err), 0);
    fz_db_autocheckpoint_off(*api);
    return l;
}

static void stores_every_event_once_and_keeps_the_wal_small(void **state) {
    (void)state;
    char path[128];
    fz_db *api;
    fz_eventlog *l = open_store(path, sizeof path, "wal", &api);
    /* 20,000 events of ~1 KB: about 20 MB through the WAL */
    long long biggest = append(l, path, 1, 20000, 200);
    fz_eventlog_stats s;
    fz_eventlog_stats_get(l, &s);
    assert_int_equal(s.events, 20000);
    assert_true(s.checkpoints > 0);
    assert_true(s.checkpointed_frames > 1000);
    /* the WAL restarts from its beginning after each checkpoint: its file
     * stays near 256 frames and a batch, far from the 20 MB written */
    assert_true(biggest > 0);
    assert_true(biggest < 4 * 1024 * 1024);
    assert_int_equal(count(api, "SELECT count(*) FROM events"), 20000);
    assert_int_equal(count(api, "SELECT count(DISTINCT txn_id) FROM events"), 20000);
    assert_int_equal(count(api, "SELECT count(*) FROM alerts"), 2000);
    assert_int_equal(count(api, "SELECT count(*) FROM holds"), 400);
    assert_int_equal(count(api, "SELECT max(seq) FROM events"), 20000);
    fz_eventlog_close(l);
    fz_db_close(api);
    remove_db(path);
}

static void a_reader_snapshot_delays_the_restart_and_loses_nothing(void **state) {
    (void)state;
    char path[128];
    fz_db *api;
    fz_eventlog *l = open_store(path, sizeof path, "reader", &api);
    fz_error err;
    append(l, path, 1, 1000, 100);
    /* a long read: the analyst's query that holds the snapshot of seq 1000 */
    assert_int_equal(fz_db_exec(api, "BEGIN", &err), 0);
    assert_int_equal(count(api, "SELECT count(*) FROM events"), 1000);
    long long held = append(l, path, 1001, 4000, 100);
    assert_int_equal(count(api, "SELECT count(*) FROM events"), 1000); /* its snapshot */
    assert_int_equal(fz_db_exec(api, "COMMIT", &err), 0);
    append(l, path, 5001, 4000, 100); /* checkpoints catch up and the WAL restarts */
    assert_true(held > 2 * 1024 * 1024); /* while the reader held on, the WAL grew */
    assert_int_equal(count(api, "SELECT count(*) FROM events"), 9000);
    fz_eventlog_close(l);
    fz_db_close(api);
    /* all of it in a fresh connection after the WAL is gone */
    assert_int_equal(fz_db_open(&api, path, &err), 0);
    assert_int_equal(count(api, "SELECT count(*) FROM events"), 9000);
    assert_int_equal(count(api, "SELECT sum(amount) FROM events"), 100LL * 9000 * 9001 / 2);
    fz_db_close(api);
    remove_db(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stores_every_event_once_and_keeps_the_wal_small),
        cmocka_unit_test(a_reader_snapshot_delays_the_restart_and_loses_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
