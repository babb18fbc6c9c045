/* cmd_scan.c — `fanzha scan`: batch-score transaction files. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_cli.h"
#include "fz_cli_util.h"
#include "fz_scan.h"

static void usage(FILE *f) {
    fputs("usage: fanzha scan [options] FILE...\n"
          "Score transaction files (CSV, JSON lines, IBM AML, AMLSim, PaySim; .gz read directly)\n"
          "in time order; write alerts, large-value records, rejects and a summary.\n\n"
          "  -o, --out DIR        output folder (default fanzha-out)\n"
          "  -r, --rules FILE     a rule pack; repeat for several (default: the shipped packs)\n"
          "  -f, --format NAME    native, jsonl, ibm, ibm-patterns, amlsim, paysim (default: from the header)\n"
          "      --currency CCY   currency of formats that carry none (default CNY)\n"
          "      --windows LIST   sliding windows (default 1h,24h,7d,30d)\n"
          "      --rates FILE     currency rates, 'CODE USD-per-unit' lines\n"
          "      --bank CODE      the reporting bank: large-value records only for its accounts\n"
          "      --grades FILE    customers' risk grades, 'customer,grade' lines (grade 0-3)\n"
          "      --hide-balances  ignore balance columns (PaySim)\n"
          "      --strict         stop at the first bad row (exit 1)\n"
          "      --json           print the summary as one JSON object\n"
          "      --no-progress    no progress bar\n",
          f);
}

typedef struct args {
    fz_scan_opts o;
    const char *rules[FZ_CLI_MAX_RULES];
    char rulebuf[FZ_CLI_MAX_RULES][4096];
    int json;
} args;

static int parse_args(int argc, char **argv, args *a, fz_error *err) {
    static const struct option longopts[] = {
        {"out", required_argument, 0, 'o'},       {"rules", required_argument, 0, 'r'},
        {"format", required_argument, 0, 'f'},    {"currency", required_argument, 0, 'C'},
        {"windows", required_argument, 0, 'W'},   {"rates", required_argument, 0, 'R'},
        {"hide-balances", no_argument, 0, 'B'},   {"strict", no_argument, 0, 'S'},
        {"json", no_argument, 0, 'J'},            {"no-progress", no_argument, 0, 'P'},
        {"bank", required_argument, 0, 'K'},     {"grades", required_argument, 0, 'G'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:r:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': a->o.out_dir = optarg; break;
        case 'r':
            if (a->o.nrules == FZ_CLI_MAX_RULES) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--rules", "too many rule packs");
            a->rules[a->o.nrules++] = optarg;
            break;
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

int fz_cmd_scan(int argc, char **argv) {
    static args a; /* large (rule path buffers): not on the stack */
    fz_error err;
    fz_error_clear(&err);
    memset(&a, 0, sizeof a);
    fz_engine_config_default(&a.o.engine);
    a.o.out_dir = "fanzha-out";
    a.o.progress = 1;
    if (parse_args(argc, argv, &a, &err)) {
        fz_cli_error("scan", &err);
        return 2;
    }
    fz_scan_result r;
    int rc = fz_scan_run(&a.o, &r, &err);
    if (rc == 0) {
        if (a.json) fz_scan_print_json(&r, stdout);
        else {
            fz_scan_print(&r, stdout);
            printf("\noutput      %s/ (alerts.csv, alerts.jsonl, large_value.csv, rejects.txt, summary.txt, summary.json)\n",
                   a.o.out_dir);
        }
    } else {
        fz_cli_error("scan", &err);
    }
    fz_scan_result_free(&r);
    return rc == 0 ? 0 : rc == FZ_EREJECT ? 1 : 2;
}
