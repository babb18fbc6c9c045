/* fz_cli_util.c — see fz_cli_util.h. */
#include "fz_cli_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const packs[] = {"pboc-large-value.rules", "typologies.rules", "limits.rules"};

static int try_dir(const char *dir, const char *const *names, size_t count, char buf[][4096], const char **paths,
                   int max) {
    int n = 0;
    for (size_t i = 0; i < count && n < max; i++) {
        int len = snprintf(buf[n], 4096, "%s/%s", dir, names[i]);
        if (len > 0 && len < 4096 && access(buf[n], R_OK) == 0) paths[n] = buf[n], n++;
    }
    return n;
}

int fz_cli_tree_dir(const char *name, char out[4096]) {
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) return -1;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return -1;
    *slash = '\0';
    int n = snprintf(out, 4096, "%s/../../%s", exe, name); /* build/<mode>/fanzha -> <name>/ */
    return n < 0 || n >= 4096 ? -1 : 0;
}

/* The first of $FANZHA_RULES_DIR, ./rules and the tree's rules/ holding any of names. */
static int find_shipped(const char *const *names, size_t count, char buf[][4096], const char **paths, int max) {
    const char *env = getenv("FANZHA_RULES_DIR");
    int n;
    if (env && (n = try_dir(env, names, count, buf, paths, max))) return n;
    if ((n = try_dir("rules", names, count, buf, paths, max))) return n;
    char dir[4096];
    return fz_cli_tree_dir("rules", dir) ? 0 : try_dir(dir, names, count, buf, paths, max);
}

int fz_cli_default_rules(const char *argv0, char buf[][4096], const char **paths, int max) {
    (void)argv0;
    return find_shipped(packs, sizeof packs / sizeof packs[0], buf, paths, max);
}

int fz_cli_shipped_file(const char *name, char out[4096]) {
    const char *path;
    return find_shipped(&name, 1, (char (*)[4096])out, &path, 1) == 1 ? 0 : -1;
}

int fz_cli_rules_file(const char *name, char out[4096]) { return fz_cli_shipped_file(name, out); }

int fz_cli_add_rule(const char **rules, int *n, const char *path, fz_error *err) {
    if (*n == FZ_CLI_MAX_RULES) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--rules", "too many rule packs");
    rules[(*n)++] = path;
    return 0;
}

int fz_cli_number(const char *s, const char *opt, double lo, double hi, int whole, double *out, fz_error *err) {
    char *end;
    double x = strtod(s, &end);
    if (end == s || *end || !isfinite(x) || x < lo || x > hi || (whole && x != floor(x)))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, opt, "'%s' is not a %s from %.15g to %.15g", s,
                            whole ? "whole number" : "number", lo, hi);
    *out = x;
    return 0;
}

void fz_cli_error(const char *cmd, const fz_error *err) {
    char msg[1024];
    fz_error_format(err, msg, sizeof msg);
    fprintf(stderr, "fanzha %s: %s\n", cmd, msg);
}
