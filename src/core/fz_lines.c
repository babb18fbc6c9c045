/* fz_lines.c — see fz_lines.h. */
#include "fz_lines.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int fz_lines_each(const char *path, fz_lines_fn fn, void *ctx, fz_error *err) {
    FILE *f = fopen(path, "r");
    if (!f) return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "%s", strerror(errno));
    char buf[FZ_LINES_MAX];
    long line = 0;
    int rc = 0;
    while (rc == 0 && fgets(buf, sizeof buf, f)) {
        line++;
        size_t len = strlen(buf);
        if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
            int c = getc(f); /* a full buffer is fine only at the end of the file */
            if (c != EOF) {
                rc = fz_error_set(err, FZ_EPARSE, path, line, 0, NULL, "line too long");
                break;
            }
        }
        char *hash = strchr(buf, '#');
        if (hash) *hash = '\0';
        rc = fn(ctx, buf, line, path, err);
    }
    if (rc == 0 && ferror(f)) rc = fz_error_set(err, FZ_EIO, path, line, 0, NULL, "%s", strerror(errno));
    fclose(f);
    return rc;
}
