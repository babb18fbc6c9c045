/* cmd_audit.c — `fanzha audit verify`: check the audit hash chain of a store. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fz_audit.h"
#include "fz_cli.h"
#include "fz_cli_util.h"
#include "fz_db.h"

static void usage(FILE *f) {
    fputs("usage: fanzha audit verify [--db PATH]   check every entry of the audit trail (default fanzha.db)\n"
          "exit 0 when the chain is intact, 1 naming the first entry that is not, 2 on error\n",
          f);
}

/* Print the result: the count and the head to anchor elsewhere, or the
 * first bad entry. Returns the exit status. */
static int report(fz_db *db, int rc, const fz_audit_result *r, fz_error *err) {
    if (rc == FZ_EPARSE) {
        printf("audit: entry %lld: %s (%lld entries before it check)\n", (long long)r->bad_seq, r->why,
               (long long)r->entries);
        return 1;
    }
    int64_t seq;
    char head[65];
    if (rc || fz_audit_head(db, &seq, head, err)) {
        fz_cli_error("audit", err);
        return 2;
    }
    printf("audit: %lld entries, chain intact\n", (long long)r->entries);
    printf("head: entry %lld sha256 %s\n", (long long)seq, head);
    return 0;
}

int fz_cmd_audit(int argc, char **argv) {
    const char *path = "fanzha.db";
    if (argc < 2 || strcmp(argv[1], "verify")) {
        int help = argc >= 2 && !strcmp(argv[1], "--help");
        usage(help ? stdout : stderr);
        return help ? 0 : 2;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            path = argv[++i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    /* fz_db_open would make an empty store where there is none, and an
     * empty chain checks: say the file is missing instead. */
    if (access(path, F_OK)) {
        fprintf(stderr, "fanzha audit: %s: no such database\n", path);
        return 2;
    }
    fz_db *db;
    fz_error err;
    if (fz_db_open(&db, path, &err)) {
        fz_cli_error("audit", &err);
        return 2;
    }
    fz_audit_result r;
    int rc = report(db, fz_audit_verify(db, &r, &err), &r, &err);
    fz_db_close(db);
    return rc;
}
