/* fz_cli_util.c — see fz_cli_util.h. */
#include "fz_cli_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const packs[] = {"pboc-large-value.rules", "typologies.rules", "limits.rules"};

static int try_dir(const char *dir, char buf[][4096], const char **paths, int max) {
    int n = 0;
    for (size_t i = 0; i < sizeof packs / sizeof packs[0] && n < max; i++) {
        int len = snprintf(buf[n], 4096, "%s/%s", dir, packs[i]);
        if (len > 0 && len < 4096 && access(buf[n], R_OK) == 0) paths[n] = buf[n], n++;
    }
    return n;
}

int fz_cli_default_rules(const char *argv0, char buf[][4096], const char **paths, int max) {
    const char *env = getenv("FANZHA_RULES_DIR");
    int n;
    if (env && (n = try_dir(env, buf, paths, max))) return n;
    if ((n = try_dir("rules", buf, paths, max))) return n;
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) return 0;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/'), dir[4200];
    if (!slash) return 0;
    *slash = '\0';
    int dlen = snprintf(dir, sizeof dir, "%s/../../rules", exe); /* build/<mode>/fanzha -> rules/ */
    if (dlen < 0 || (size_t)dlen >= sizeof dir) return 0;
    (void)argv0;
    return try_dir(dir, buf, paths, max);
}

void fz_cli_error(const char *cmd, const fz_error *err) {
    char msg[1024];
    fz_error_format(err, msg, sizeof msg);
    fprintf(stderr, "fanzha %s: %s\n", cmd, msg);
}
