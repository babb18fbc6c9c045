/* cmd_rules.c — `fanzha rules`: check rule packs and show what they hold. */
#include <stdio.h>
#include <string.h>

#include "fz_cli.h"
#include "fz_cli_util.h"
#include "fz_engine.h"

static void usage(FILE *f) {
    fputs("usage: fanzha rules check [FILE...]   compile packs (default: the shipped ones), list their rules\n"
          "       fanzha rules vars [--windows LIST]  list the values rules can read\n",
          f);
}

static int list_vars(fz_engine *e) {
    const fz_schema *s = fz_engine_schema(e);
    for (int i = 0; i < s->n; i++) {
        printf("%-28s %s", s->var[i].name, fz_vtype_name(s->var[i].type));
        if (s->var[i].ceiling) printf(" (saturates at %lld)", (long long)s->var[i].ceiling);
        putchar('\n');
    }
    return 0;
}

static int check(fz_engine *e, int n, const char **files) {
    fz_ruleset *rs;
    fz_error err;
    if (fz_rules_load(&rs, files, n, fz_engine_schema(e), &err)) {
        fz_cli_error("rules", &err);
        return 1;
    }
    printf("%s\n", fz_rules_version(rs));
    for (int i = 0; i < fz_rules_count(rs); i++) {
        const fz_rule_info *r = fz_rules_info(rs, i);
        printf("  %-28s %-11s on %-5s score %4d  %s\n", r->id, fz_rules_action_name(r->action),
               fz_rules_on_name(r->on), (int)r->score, r->reason_en);
    }
    fz_rules_free(rs);
    return 0;
}

int fz_cmd_rules(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    fz_error err;
    int first = 2;
    if (argc > 3 && !strcmp(argv[2], "--windows")) {
        if (fz_engine_config_windows(&cfg, argv[3], &err)) {
            fz_cli_error("rules", &err);
            return 2;
        }
        first = 4;
    }
    fz_engine *e;
    if (fz_engine_new(&e, &cfg, &err)) {
        fz_cli_error("rules", &err);
        return 2;
    }
    int rc = 2;
    if (!strcmp(argv[1], "vars")) {
        rc = list_vars(e);
    } else if (!strcmp(argv[1], "check")) {
        static char buf[FZ_CLI_MAX_RULES][4096];
        const char *files[FZ_CLI_MAX_RULES];
        int n = argc - first;
        if (n > FZ_CLI_MAX_RULES) n = FZ_CLI_MAX_RULES;
        for (int i = 0; i < n; i++) files[i] = argv[first + i];
        if (n == 0) n = fz_cli_default_rules(argv[0], buf, files, FZ_CLI_MAX_RULES);
        rc = n ? check(e, n, files) : (fprintf(stderr, "fanzha rules: no rule packs found\n"), 2);
    } else {
        usage(stderr);
    }
    fz_engine_free(e);
    return rc;
}
