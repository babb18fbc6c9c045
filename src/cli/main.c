/* main.c — the fanzha command: dispatch to one subcommand. */
#include <stdio.h>
#include <string.h>

#include "fz_cli.h"

#define FANZHA_VERSION "0.1.0"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *help;
} commands[] = {
    {"scan", fz_cmd_scan, "score transaction files, write alerts and large-value records"},
    {"gen", fz_cmd_gen, "make a synthetic labelled day of a Chinese bank"},
    {"features", fz_cmd_features, "write each transaction's feature vector (graph patterns included)"},
    {"eval", fz_cmd_eval, "measure detection: time split, train the tree model, test rules, model, both"},
    {"train", fz_cmd_train, "train the tree model on the time split and write it (-o MODEL)"},
    {"rules", fz_cmd_rules, "check rule packs, list rules and the values they can read"},
    {"token", fz_cmd_token, "make, list and revoke the server's API tokens"},
    {"serve", fz_cmd_serve, "the real-time decision service: HTTP API, store, web UI"},
    {"send", fz_cmd_send, "feed a transaction file to a running server, one POST each"},
    {"report", fz_cmd_report, "large-value report files for CAMLMAC (XML, ZIP) and their deadlines"},
    {"customers", fz_cmd_customers, "import a customer base, grade customers, list those due (customers --help)"},
    {"audit", fz_cmd_audit, "verify the audit trail's hash chain in a store (audit verify --db PATH)"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: fanzha <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "  %-9s %s\n\n'fanzha <command> --help' describes each.\n", "version", "print the version");
}

int main(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
        printf("fanzha %s\n", FANZHA_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "fanzha: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
