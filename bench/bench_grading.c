/* bench_grading.c — grading a whole customer base, against a naive
 * baseline in the same run.
 *
 *   bench_grading [ACCOUNTS] [GRADING]
 *
 * ACCOUNTS defaults to ../shared/data/amlsim-96k/accounts.csv.gz, GRADING
 * to rules/risk-grading.conf. The accounts are imported as customers into
 * a fresh store in $TMPDIR (as `fanzha customers import` does; timed
 * apart), with a watch list of 2,000 names and ID numbers, 48 of them
 * customers'. Then:
 *   1. fz_review_all grades every customer in one pass: the facts counted
 *      per customer loaded once, the watch list in memory, every result
 *      written in one transaction (best of 3);
 *   2. the naive baseline grades customers one at a time through the
 *      per-customer path (fz_review_customer: its own queries and its own
 *      committed transaction each, as a loop over the regrade route
 *      would), timed on the first 2,000 and scaled to all of them.
 * Done when grading all amlsim-96k customers takes under 1 second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fz_db.h"
#include "fz_grading.h"
#include "fz_kyc_import.h"
#include "fz_review.h"

#define NAIVE_SAMPLE 2000

static const fz_principal actor = {.role = FZ_ROLE_ADMIN, .name = "bench"};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, const fz_error *err) {
    char m[1024];
    fz_error_format(err, m, sizeof m);
    fprintf(stderr, "bench_grading: %s: %s\n", what, m);
    exit(2);
}

/* 2,000 watch-list entries: the ID numbers of every 2,000th customer, the
 * rest names and numbers nobody has. */
static void watch_list(fz_db *db) {
    fz_error err;
    sqlite3 *h = fz_db_sqlite(db);
    sqlite3_stmt *ins = NULL;
    if (fz_db_exec(db,
                   "BEGIN; INSERT INTO watchlist(name, id_number, list, added_by, added_ms)"
                   " SELECT '', id_number, 'bench', 'bench', 0 FROM customers WHERE rowid % 2000 = 0",
                   &err))
        die("watch list", &err);
    sqlite3_prepare_v2(h, "INSERT INTO watchlist(name, id_number, list, added_by, added_ms) VALUES(?1, ?2, 'bench', 'bench', 0)",
                       -1, &ins, NULL);
    for (int i = (int)sqlite3_changes(h); ins && i < 2000; i++) {
        char name[64], num[64];
        snprintf(name, sizeof name, "Listed Person %d", i);
        snprintf(num, sizeof num, "X%08d", i);
        sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, num, -1, SQLITE_TRANSIENT);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (fz_db_exec(db, "COMMIT", &err)) die("watch list", &err);
}

/* The first n customer ids. */
static char **first_ids(fz_db *db, int n) {
    char **ids = calloc((size_t)n, sizeof *ids);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(fz_db_sqlite(db), "SELECT id FROM customers ORDER BY id LIMIT ?1", -1, &st, NULL);
    sqlite3_bind_int(st, 1, n);
    for (int i = 0; ids && st && sqlite3_step(st) == SQLITE_ROW; i++) ids[i] = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return ids;
}

int main(int argc, char **argv) {
    const char *accounts = argc > 1 ? argv[1] : "../shared/data/amlsim-96k/accounts.csv.gz";
    const char *conf = argc > 2 ? argv[2] : "rules/risk-grading.conf";
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/fanzha-bench-grading-%d.db", tmp, (int)getpid());
    fz_error err;
    fz_db *db;
    fz_grading *g;
    fz_kyc_import_stats is;
    if (fz_grading_load(&g, conf, &err)) die(conf, &err);
    if (fz_db_open(&db, path, &err)) die(path, &err);
    double t0 = now();
    if (fz_kyc_import(db, &actor, accounts, NULL, &is, &err)) die("import", &err);
    double t_import = now() - t0;
    printf("import       %lld customers (%s) in %.3f s, %lld rejected\n", (long long)is.imported, is.format, t_import,
           (long long)is.rejected);
    watch_list(db);

    fz_review_stats st;
    double best = 1e9;
    for (int run = 0; run < 3; run++) {
        t0 = now();
        if (fz_review_all(db, NULL, g, &actor, 0, fz_db_now_ms(), &st, &err)) die("grade", &err);
        double t = now() - t0;
        if (t < best) best = t;
        printf("grade all    run %d: %lld customers in %.3f s\n", run + 1, (long long)st.graded, t);
    }
    printf("grades       low %lld, medium %lld, high %lld, highest %lld (%lld by a direct trigger)\n",
           (long long)st.by_grade[0], (long long)st.by_grade[1], (long long)st.by_grade[2], (long long)st.by_grade[3],
           (long long)st.direct);

    int n = st.graded < NAIVE_SAMPLE ? (int)st.graded : NAIVE_SAMPLE;
    char **ids = first_ids(db, n);
    t0 = now();
    for (int i = 0; i < n; i++) {
        json_t *e;
        if (fz_review_customer(db, NULL, g, &actor, ids[i], "review", NULL, &e, &err)) die("naive", &err);
        json_decref(e);
        free(ids[i]);
    }
    free(ids);
    double t_naive = (now() - t0) / n * (double)st.graded;
    printf("naive        one customer at a time: %.3f ms each, %.1f s for all %lld (scaled from %d)\n",
           t_naive / (double)st.graded * 1e3, t_naive, (long long)st.graded, n);
    printf("grading      %.3f s for %lld customers (%.0f per second): %.0fx the naive baseline; %s 1 s\n", best,
           (long long)st.graded, (double)st.graded / best, t_naive / best, best < 1.0 ? "under" : "NOT under");
    fz_grading_free(g);
    fz_db_close(db);
    unlink(path);
    snprintf(path + strlen(path), sizeof path - strlen(path), "-wal");
    unlink(path);
    path[strlen(path) - 4] = 0;
    strcat(path, "-shm");
    unlink(path);
    return best < 1.0 ? 0 : 1;
}
