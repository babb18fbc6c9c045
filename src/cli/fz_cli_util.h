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

/* The shipped file name (e.g. "risk-grading.conf") in the same folders, in
 * the same order, as fz_cli_default_rules looks: its path into out.
 * Returns 0, or -1 when it is in none of them. */
int fz_cli_rules_file(const char *name, char out[4096]);

/* Print "fanzha <cmd>: <error text>" to stderr. */
void fz_cli_error(const char *cmd, const fz_error *err);

#endif
