/* cmd_serve.c — `fanzha serve`: the real-time decision service.
 *
 * Opens the store, rebuilds the engine from the event log, loads the rules
 * and model, and serves HTTP until SIGINT or SIGTERM, then shuts down so
 * that every acknowledged transaction is on disk (it already is: answers
 * wait for their commit) and every waiting request gets its answer. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fz_app.h"
#include "fz_auth.h"
#include "fz_cli.h"
#include "fz_cli_util.h"
#include "fz_engine.h"
#include "fz_exempt.h"
#include "fz_grading.h"
#include "fz_ingest.h"
#include "fz_kyc.h"
#include "fz_routes.h"
#include "fz_rulebook.h"
#include "fz_server.h"
#include "fz_str.h"

typedef struct serve_opts {
    const char *listen, *db, *web, *model, *windows, *grading;
    const char *ricd, *finc, *trcd, *bank, *tosc, *calendar, *stcr_map; /* suspicious reports */
    const char *exempt; /* large-value exemptions */
    int progress;
    int commit_batch;
} serve_opts;

static void usage(FILE *f) {
    fputs("usage: fanzha serve [--listen ADDR:PORT] [--db FILE] [--web DIR] [--model FILE]\n"
          "                    [--windows LIST] [--grading FILE] [--commit-batch N] [--no-progress]\n"
          "  --listen   address to serve on (default 127.0.0.1:8080)\n"
          "  --db       the SQLite store, created if absent (default fanzha.db)\n"
          "  --web      the web UI's folder (default: $FANZHA_WEB_DIR, ./web, or the source tree's)\n"
          "  --model    a tree model made by `fanzha train`\n"
          "  --windows  the engine's time windows (default 1h,24h,7d,30d)\n"
          "  --grading  the customer risk-grading model (default: the shipped risk-grading.conf)\n"
          "  --commit-batch  at most N transactions per commit of the event log (default: all\n"
          "             waiting; 1 = one commit each, the benchmark's baseline)\n"
          "Rules: the store's active rule version; the shipped packs on first start.\n"
          "Suspicious reports (docs/reports.md):\n"
          "  --ricd CODE      the reporting institution's 14-character code (needed to approve)\n"
          "  --finc CODE      branch code (FINC, RPNC); --trcd CODE where transactions happen\n"
          "  --bank CODE      the bank's code in account keys (acct@CODE)\n"
          "  --tosc LIST      suspected-crime codes when no rule names one (default 1201)\n"
          "  --calendar FILE  working-day calendar (default: the shipped rules/calendar-cn.txt)\n"
          "  --stcr-map FILE  rule -> STCR code map (default: the shipped rules/stcr-map.txt)\n"
          "Large-value reports: --ricd, --finc, --trcd, --calendar as above (RICD default\n"
          "  C0000000000001, a demo code), and\n"
          "  --exempt FILE    exemptions (docs/reports.md): exempt transactions make no record\n"
          "  --openapi  print the API as OpenAPI 3.0 JSON and exit\n"
          "API tokens: `fanzha token create --role ROLE --db FILE`. See docs/api.md.\n",
          f);
}

/* The API as OpenAPI JSON on stdout (docs/openapi.json is this). */
static void print_openapi(void) {
    json_t *j = fz_routes_openapi();
    char *text = json_dumps(j, JSON_COMPACT);
    if (text) fputs(text, stdout);
    free(text);
    json_decref(j);
}

static int parse_args(int argc, char **argv, serve_opts *o) {
    *o = (serve_opts){.listen = "127.0.0.1:8080", .db = "fanzha.db", .tosc = "1201", .progress = 1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--listen") ? &o->listen
                            : !strcmp(a, "--db")    ? &o->db
                            : !strcmp(a, "--web")   ? &o->web
                            : !strcmp(a, "--model") ? &o->model
                            : !strcmp(a, "--windows") ? &o->windows
                            : !strcmp(a, "--grading") ? &o->grading
                            : !strcmp(a, "--ricd")    ? &o->ricd
                            : !strcmp(a, "--finc")    ? &o->finc
                            : !strcmp(a, "--trcd")    ? &o->trcd
                            : !strcmp(a, "--bank")    ? &o->bank
                            : !strcmp(a, "--tosc")    ? &o->tosc
                            : !strcmp(a, "--calendar") ? &o->calendar
                            : !strcmp(a, "--stcr-map") ? &o->stcr_map
                            : !strcmp(a, "--exempt")   ? &o->exempt
                                                      : NULL;
        if (slot && i + 1 < argc) *slot = argv[++i];
        else if (!strcmp(a, "--no-progress")) o->progress = 0;
        else if (!strcmp(a, "--commit-batch") && i + 1 < argc) o->commit_batch = atoi(argv[++i]);
        else if (!strcmp(a, "--help")) return usage(stdout), 1;
        else if (!strcmp(a, "--openapi")) return print_openapi(), 1;
        else return fprintf(stderr, "fanzha serve: unknown or incomplete option '%s'\n", a), usage(stderr), 2;
    }
    return 0;
}

static void find_web(const serve_opts *o, char out[256]) {
    const char *env = getenv("FANZHA_WEB_DIR");
    char tree[4096];
    if (o->web) snprintf(out, 256, "%s", o->web);
    else if (env) snprintf(out, 256, "%s", env);
    else if (access("web/index.html", R_OK) == 0) snprintf(out, 256, "web");
    else if (!fz_cli_tree_dir("web", tree) && strlen(tree) < 256) memcpy(out, tree, strlen(tree) + 1);
    else snprintf(out, 256, "web");
}

/* Engine, model, store, tokens, rules: everything before the first request. */
/* A new engine, from the snapshot when there is one that fits (*seq is what
 * it covers); one that does not fit is set aside for a full replay. */
static int new_engine(fz_app *app, const fz_engine_config *cfg, int64_t *seq, fz_error *err) {
    int rc = fz_engine_new(&app->engine, cfg, err);
    if (rc) return rc;
    fz_error serr;
    rc = fz_ingest_snapshot_load(app->engine, app->snapshot, seq, &serr);
    if (!rc) fprintf(stderr, "fanzha serve: engine state from %s (events up to %lld)\n", app->snapshot, (long long)*seq);
    if (!rc || rc == FZ_ENOTFOUND) return fz_engine_keep_graph(app->engine); /* the case page's money flows */
    fz_cli_error("serve", &serr);
    fprintf(stderr, "fanzha serve: replaying the whole event log instead\n");
    fz_engine_free(app->engine);
    *seq = 0;
    rc = fz_engine_new(&app->engine, cfg, err);
    return rc ? rc : fz_engine_keep_graph(app->engine);
}

/* What suspicious reports need: codes, the calendar, the STCR map. */
typedef struct str_setup {
    fz_str_config c;
    fz_calendar *cal;
    fz_stcr_map *map;
} str_setup;

/* A given file, or the shipped one of that name. */
static int shipped(const char *given, const char *name, char out[4096], fz_error *err) {
    if (given) return snprintf(out, 4096, "%s", given), 0;
    if (!fz_cli_shipped_file(name, out)) return 0;
    return fz_error_set(err, FZ_EIO, name, 0, 0, NULL, "the shipped file was not found (give it on the command line)");
}

static int open_str(str_setup *s, const serve_opts *o, fz_error *err) {
    char path[4096];
    const char *const in[] = {o->ricd, o->finc, o->trcd, o->bank, o->tosc};
    char *const outs[] = {s->c.ricd, s->c.finc, s->c.trcd, s->c.bank, s->c.tosc};
    const size_t caps[] = {sizeof s->c.ricd, sizeof s->c.finc, sizeof s->c.trcd, sizeof s->c.bank, sizeof s->c.tosc};
    for (int i = 0; i < 5; i++)
        if (in[i] && (size_t)snprintf(outs[i], caps[i], "%s", in[i]) >= caps[i])
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "serve", "'%s' is too long", in[i]);
    int rc = fz_str_config_check(&s->c, err);
    if (!rc) rc = fz_calendar_new(&s->cal);
    if (!rc) rc = shipped(o->calendar, "calendar-cn.txt", path, err);
    if (!rc) rc = fz_calendar_load(s->cal, path, err);
    if (!rc) rc = shipped(o->stcr_map, "stcr-map.txt", path, err);
    if (!rc) rc = fz_stcr_map_load(&s->map, path, err);
    s->c.cal = s->cal;
    s->c.map = s->map;
    return rc;
}

static void close_str(str_setup *s) {
    fz_calendar_free(s->cal);
    fz_stcr_map_free(s->map);
}

static int open_app(fz_app *app, const serve_opts *o, fz_model **model, fz_error *err) {
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    int64_t snap_seq = 0;
    snprintf(app->snapshot, sizeof app->snapshot, "%s.snapshot", o->db);
    int rc = o->windows ? fz_engine_config_windows(&cfg, o->windows, err) : 0;
    if (!rc) rc = new_engine(app, &cfg, &snap_seq, err);
    if (!rc && o->model) rc = fz_model_load(model, o->model, err);
    if (!rc && *model) rc = fz_engine_set_model(app->engine, *model, err);
    if (!rc) rc = fz_db_open(&app->db, o->db, err);
    if (!rc) rc = fz_auth_open(&app->auth, app->db, err);
    char buf[FZ_CLI_MAX_RULES][4096];
    const char *paths[FZ_CLI_MAX_RULES];
    int n = fz_cli_default_rules(NULL, buf, paths, FZ_CLI_MAX_RULES);
    if (!rc) rc = fz_rulebook_open(&app->rules, app->db, app->engine, paths, n, err);
    char grading[4096];
    if (!rc && (o->grading || !fz_cli_rules_file("risk-grading.conf", grading)))
        rc = fz_grading_load(&app->grading, o->grading ? o->grading : grading, err);
    if (!rc) rc = fz_kyc_load_grades(app->db, app->engine, err); /* before replay: grades drive limits */
    if (!rc) rc = fz_ingest_open(&app->ingest, app, o->db, snap_seq, o->commit_batch, o->progress, err);
    return rc;
}

static void close_app(fz_app *app, fz_model *model) {
    fz_ingest_close(app->ingest);
    fz_auth_close(app->auth);
    fz_db_close(app->db);
    fz_engine_free(app->engine); /* before the rule book: the engine uses its rules */
    fz_rulebook_close(app->rules);
    fz_grading_free(app->grading);
    fz_model_free(model);
}

int fz_cmd_serve(int argc, char **argv) {
    serve_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    /* Every thread started from here on inherits the mask, so the signals
     * reach only sigwait below. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    fz_app app = {0};
    fz_model *model = NULL;
    fz_error err;
    fz_error_clear(&err);
    app.started_ms = fz_db_now_ms();
    find_web(&o, app.web_root);
    fz_server *srv = NULL;
    str_setup str = {0};
    fz_exempt *exempt = NULL;
    rc = open_str(&str, &o, &err);
    app.str = &str.c;
    if (!rc && o.exempt) rc = fz_exempt_load(&exempt, o.exempt, &err);
    app.exempt = exempt;
    if (!rc) rc = open_app(&app, &o, &model, &err);
    if (!rc) rc = fz_server_start(&srv, &app, o.listen, &err);
    if (rc) {
        fz_cli_error("serve", &err);
        close_app(&app, model);
        close_str(&str);
        fz_exempt_free(exempt);
        return 2;
    }
    printf("fanzha serve: listening on http://%s/ (store %s, web UI from %s)\n", o.listen, o.db, app.web_root);
    fflush(stdout);
    int sig;
    sigwait(&sigs, &sig);
    fprintf(stderr, "fanzha serve: %s, shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    fz_ingest_quiesce(app.ingest); /* answer everyone waiting ... */
    usleep(200 * 1000);            /* ... let the HTTP thread send it ... */
    fz_server_stop(srv);           /* ... then close */
    int64_t seq;
    if (fz_ingest_snapshot(app.ingest, app.snapshot, &seq, &err)) fz_cli_error("serve", &err);
    else fprintf(stderr, "fanzha serve: engine snapshot %s (events up to %lld)\n", app.snapshot, (long long)seq);
    close_app(&app, model);
    close_str(&str);
    fz_exempt_free(exempt);
    return 0;
}
