/* fz_app.h — the state `fanzha serve` shares with its route handlers.
 *
 * Everything here is owned by the server's one HTTP thread (fz_http.h), so
 * handlers use it without locks. The event log's writer thread has its own
 * database connection and talks to this thread only through fz_ingest. */
#ifndef FZ_APP_H
#define FZ_APP_H

#include <stdint.h>

#include "fz_db.h"
#include "fz_http.h"

struct fz_engine;
struct fz_auth;
struct fz_ingest;
struct fz_rulebook;
struct fz_str_config;
struct fz_grading;
struct fz_exempt;

struct fz_app {
    fz_db *db;                  /* the API's connection to the store */
    struct fz_engine *engine;   /* scoring state; also the money-flow graph for case pages */
    struct fz_auth *auth;       /* API tokens (fz_auth.h) */
    struct fz_ingest *ingest;   /* scoring and the event log (fz_ingest.h) */
    struct fz_rulebook *rules;  /* the active rule set and its history (fz_rulebook.h) */
    const struct fz_str_config *str; /* suspicious reports: RICD, calendar, STCR map (fz_str.h) */
    struct fz_grading *grading; /* the risk-grading model (fz_grading.h); NULL: grading off */
    const struct fz_exempt *exempt;  /* large-value exemptions applied before scoring (fz_exempt.h), or NULL */
    int64_t started_ms;
    char web_root[256];         /* directory of the web UI's files */
    char snapshot[512];         /* the engine snapshot's file (the store's path + ".snapshot") */
    uint64_t http_status[6];    /* responses sent, by class: [2] = 2xx ... [5] = 5xx */
};

#endif
