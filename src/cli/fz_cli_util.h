/* fz_cli_util.h — what several subcommands share: finding the shipped rule
 * packs and printing errors. */
#ifndef FZ_CLI_UTIL_H
#define FZ_CLI_UTIL_H

#include "fz_error.h"

#define FZ_CLI_MAX_RULES 32

/* The shipped rule packs: $FANZHA_RULES_DIR, else ./rules, else the rules/
 * folder of the source tree the binary was built in (build/<mode>/fanzha).
 * Fills paths (storage in buf) and returns how many, 0 when none was found. */
int fz_cli_default_rules(const char *argv0, char buf[][4096], const char **paths, int max);

/* A shipped file of the rules folder (e.g. "calendar-cn.txt"), searched
 * like the rule packs, into out. Returns 0 or -1 when not found. */
int fz_cli_shipped_file(const char *name, char out[4096]);

/* The folder name of the source tree the binary was built in
 * (build/<mode>/fanzha -> <tree>/name) into out. Returns 0 or -1. */
int fz_cli_tree_dir(const char *name, char out[4096]);

/* The same as fz_cli_shipped_file (kept for its callers). */
int fz_cli_rules_file(const char *name, char out[4096]);

/* Append the rule pack path of a -r/--rules option to rules[*n]; an error
 * naming --rules when FZ_CLI_MAX_RULES are already given. */
int fz_cli_add_rule(const char **rules, int *n, const char *path, fz_error *err);

/* The number s of option opt (e.g. "--rate") into *out: lo..hi, and a
 * whole number when whole is set; anything else (empty, trailing text, not
 * finite, out of range) is an error naming opt. */
int fz_cli_number(const char *s, const char *opt, double lo, double hi, int whole, double *out, fz_error *err);

/* Print "fanzha <cmd>: <error text>" to stderr. */
void fz_cli_error(const char *cmd, const fz_error *err);

#endif
