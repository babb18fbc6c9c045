/* cmd_scan.c — `fanzha scan`: batch-score transaction files. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_cli.h"
#include "fz_cli_util.h"
#include "fz_eval.h"
#include "fz_features_out.h"
#include "fz_scan.h"

static void usage(FILE *f) {
    fputs("usage: fanzha scan [options] FILE...\n"
          "       fanzha features [options] -o OUT.csv FILE...   (the feature vector of every row)\n"
          "       fanzha eval [options] FILE...   (time split, train the tree model, test: rules, model, both)\n"
          "       fanzha train [options] -o MODEL FILE...   (the same, keeping the model for scan --model)\n"
          "Score transaction files (CSV, JSON lines, IBM AML, AMLSim, PaySim; .gz read directly)\n"
          "in time order; write alerts, large-value records, rejects and a summary.\n\n"
          "  -o, --out DIR        output folder (default fanzha-out)\n"
          "  -r, --rules FILE     a rule pack; repeat for several (default: the shipped packs)\n"
          "  -f, --format NAME    native, jsonl, ibm, ibm-patterns, amlsim, paysim (default: from the header)\n"
          "      --currency CCY   currency of formats that carry none (default CNY)\n"
          "      --windows LIST   sliding windows (default 1h,24h,7d,30d)\n"
          "      --rates FILE     currency rates, 'CODE USD-per-unit' lines\n"
          "      --bank CODE      the reporting bank: large-value records only for its accounts\n"
          "      --graph-window D graph patterns look this far back (default 1d)\n"
          "      --cycle-len N    longest cycle the graph looks for, 2-10 (default 6)\n"
          "      --cycle-any-order  cycles need not be time-respecting (structural, within the window)\n"
          "      --grades FILE    customers' risk grades, 'customer,grade' lines (grade 0-3)\n"
          "      --model FILE     also score with a tree model (fanzha eval --model-out)\n"
          "      --hide-balances  ignore balance columns (PaySim)\n"
          "      --strict         stop at the first bad row (exit 1)\n"
          "      --json           print the summary as one JSON object\n"
          "      --no-progress    no progress bar\n"
          "  eval: --rounds N (70) --depth N (6) --eta X (0.25) --pos-weight X (1) --model-out FILE\n",
          f);
}

enum { MODE_SCAN, MODE_FEATURES, MODE_EVAL, MODE_TRAIN };

typedef struct args {
    int mode;                  /* MODE_*: what the shared options serve */
    const char *features_path;
    fz_train_params train;     /* fanzha eval */
    const char *model_out;
    fz_scan_opts o;
    const char *rules[FZ_CLI_MAX_RULES];
    char rulebuf[FZ_CLI_MAX_RULES][4096];
    int json;
} args;

/* The training options of fanzha eval. */
static int train_option(args *a, int c, const char *v, fz_error *err) {
    static const char *const names[] = {"--rounds", "--depth", "--eta", "--pos-weight", "--model-out"};
    const char *name = names[c - 1001];
    if (a->mode != MODE_EVAL && a->mode != MODE_TRAIN)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, name, "only for fanzha eval and train");
    if (c == 1005) {
        a->model_out = v;
        return 0;
    }
    char *end;
    double x = strtod(v, &end); /* a training parameter, not money */
    if (*end || !(x > 0) || (c <= 1002 && x != (double)(long)x))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, name, "'%s' is not a positive %s", v,
                            c <= 1002 ? "whole number" : "number");
    if (c == 1001) a->train.rounds = (int)x;
    else if (c == 1002) a->train.max_depth = (int)x;
    else if (c == 1003) a->train.eta = x;
    else a->train.scale_pos_weight = x;
    return 0;
}

static int parse_args(int argc, char **argv, args *a, fz_error *err) {
    static const struct option longopts[] = {
        {"out", required_argument, 0, 'o'},       {"rules", required_argument, 0, 'r'},
        {"format", required_argument, 0, 'f'},    {"currency", required_argument, 0, 'C'},
        {"windows", required_argument, 0, 'W'},   {"rates", required_argument, 0, 'R'},
        {"hide-balances", no_argument, 0, 'B'},   {"strict", no_argument, 0, 'S'},
        {"json", no_argument, 0, 'J'},            {"no-progress", no_argument, 0, 'P'},
        {"bank", required_argument, 0, 'K'},     {"grades", required_argument, 0, 'G'},
        {"graph-window", required_argument, 0, 'g'}, {"cycle-len", required_argument, 0, 'L'},
        {"cycle-any-order", no_argument, 0, 'A'},   {"model", required_argument, 0, 'M'},
        {"rounds", required_argument, 0, 1001},    {"depth", required_argument, 0, 1002},
        {"eta", required_argument, 0, 1003},       {"pos-weight", required_argument, 0, 1004},
        {"model-out", required_argument, 0, 1005},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:r:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            if (a->mode == MODE_FEATURES) a->features_path = optarg;
            else if (a->mode == MODE_TRAIN) a->model_out = optarg;
            else a->o.out_dir = optarg;
            break;
        case 'r': {
            int rc = fz_cli_add_rule(a->rules, &a->o.nrules, optarg, err);
            if (rc) return rc;
            break;
        }
        case 'f':
            if (fz_format_parse(optarg, &a->o.read.format))
                return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--format", "unknown format '%s'", optarg);
            break;
        case 'C':
            if (fz_ccy_parse(optarg, strlen(optarg), &a->o.read.currency))
                return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--currency", "unknown currency '%s'", optarg);
            break;
        case 'W': {
            int rc = fz_engine_config_windows(&a->o.engine, optarg, err);
            if (rc) return rc;
            break;
        }
        case 'R': {
            int rc = fz_rates_load(&a->o.engine.rates, optarg, err);
            if (rc) return rc;
            break;
        }
        case 'K':
            if (strlen(optarg) >= sizeof a->o.engine.home_bank)
                return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--bank", "bank code too long");
            strcpy(a->o.engine.home_bank, optarg);
            break;
        case 'G': a->o.grades = optarg; break;
        case 'g': {
            int64_t ms;
            if (fz_duration_parse(optarg, strlen(optarg), &ms) || ms / 1000 > UINT32_MAX)
                return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--graph-window", "'%s' is not a duration like 1d", optarg);
            a->o.engine.graph.window_sec = (uint32_t)(ms / 1000);
            break;
        }
        case 'A': a->o.engine.graph.cycle_any_order = 1; break;
        case 'M': a->o.model = optarg; break;
        case 1001:
        case 1002:
        case 1003:
        case 1004:
        case 1005: {
            int rc = train_option(a, c, optarg, err);
            if (rc) return rc;
            break;
        }
        case 'L': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 2 || n > FZ_GRAPH_CYCLE_MAX)
                return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--cycle-len", "'%s' is not 2-%d", optarg, FZ_GRAPH_CYCLE_MAX);
            a->o.engine.graph.cycle_max_len = (int)n;
            break;
        }
        case 'B': a->o.read.hide_balances = 1; break;
        case 'S': a->o.strict = 1; break;
        case 'J': a->json = 1; break;
        case 'P': a->o.progress = 0; break;
        case 'h': usage(stdout); exit(0);
        default: return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "bad option (see --help)");
        }
    }
    a->o.files = (const char *const *)argv + optind;
    a->o.nfiles = argc - optind;
    if (a->o.nfiles <= 0) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "no input file (see --help)");
    if (a->o.nfiles > UINT16_MAX) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "too many input files");
    if (a->o.nrules == 0) {
        a->o.nrules = fz_cli_default_rules(argv[0], a->rulebuf, a->rules, FZ_CLI_MAX_RULES);
        if (a->o.nrules == 0)
            return fz_error_set(err, FZ_ENOTFOUND, NULL, 0, 0, "--rules",
                                "no rule packs given and the shipped ones were not found (set FANZHA_RULES_DIR)");
    }
    a->o.rules = a->rules;
    return 0;
}

static int run_eval(args *a, const char *cmd) {
    fz_eval_opts eo = {a->o, a->train, a->model_out};
    eo.scan.out_dir = NULL;
    fz_eval_result r;
    fz_error err;
    fz_error_clear(&err);
    int rc = fz_eval_run(&eo, &r, &err);
    if (rc == 0) {
        if (a->json) fz_eval_print_json(&r, stdout);
        else fz_eval_print(&r, stdout);
    } else {
        fz_cli_error(cmd, &err);
    }
    fz_eval_result_free(&r);
    return rc == 0 ? 0 : 2;
}

/* scan, features and eval share the options; they differ in what -o names
 * and what is done with the rows. */
static int run(int argc, char **argv, int mode) {
    static args a; /* large (rule path buffers): not on the stack */
    fz_error err;
    fz_error_clear(&err);
    memset(&a, 0, sizeof a);
    fz_engine_config_default(&a.o.engine);
    fz_train_params_default(&a.train);
    a.mode = mode;
    a.o.out_dir = mode == MODE_SCAN ? "fanzha-out" : NULL;
    a.features_path = "features.csv";
    a.o.progress = 1;
    if (parse_args(argc, argv, &a, &err)) {
        fz_cli_error(argv[0], &err);
        return 2;
    }
    if (mode == MODE_TRAIN && !a.model_out) {
        fz_error_set(&err, FZ_EINVAL, NULL, 0, 0, "-o", "fanzha train needs -o MODEL (the model file to write)");
        fz_cli_error(argv[0], &err);
        return 2;
    }
    if (mode == MODE_EVAL || mode == MODE_TRAIN) return run_eval(&a, argv[0]);
    fz_features_out fo = {0};
    if (mode == MODE_FEATURES) {
        if (fz_features_out_open(&fo, a.features_path, &err)) {
            fz_cli_error(argv[0], &err);
            return 2;
        }
        a.o.hooks = (fz_scan_hooks){1, fz_features_out_start, fz_features_out_row, &fo, NULL};
    }
    fz_scan_result r;
    int rc = fz_scan_run(&a.o, &r, &err);
    int rc2 = fz_features_out_close(&fo, rc ? NULL : &err);
    if (rc == 0) rc = rc2;
    if (rc == 0) {
        if (a.json) fz_scan_print_json(&r, stdout);
        else if (mode == MODE_FEATURES)
            printf("%llu rows, %llu rejected: %d features each (%s) in %s\n", (unsigned long long)r.rows,
                   (unsigned long long)r.rejects, r.nfeatures, FZ_FEATURES_VERSION, a.features_path);
        else {
            fz_scan_print(&r, stdout);
            printf("\noutput      %s/ (alerts.csv, alerts.jsonl, large_value.csv, rejects.txt, summary.txt, summary.json)\n",
                   a.o.out_dir);
        }
    } else {
        fz_cli_error(argv[0], &err);
    }
    fz_scan_result_free(&r);
    return rc == 0 ? 0 : rc == FZ_EREJECT ? 1 : 2;
}

int fz_cmd_scan(int argc, char **argv) { return run(argc, argv, MODE_SCAN); }

int fz_cmd_features(int argc, char **argv) { return run(argc, argv, MODE_FEATURES); }

int fz_cmd_eval(int argc, char **argv) { return run(argc, argv, MODE_EVAL); }

/* train is eval that keeps the model: the same split, threshold and test,
 * so a model never leaves without its measured test results. */
int fz_cmd_train(int argc, char **argv) { return run(argc, argv, MODE_TRAIN); }
