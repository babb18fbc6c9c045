/* fz_report_files.c — see fz_report_files.h. */
#include "fz_report_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fz_report_files_add(fz_report_files *f, const char *name, unsigned char *data, size_t len, uint32_t records) {
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        fz_report_file *v = realloc(f->v, cap * sizeof *v);
        if (!v) {
            free(data);
            return FZ_ENOMEM;
        }
        f->v = v;
        f->cap = cap;
    }
    fz_report_file *r = &f->v[f->n++];
    snprintf(r->name, sizeof r->name, "%s", name);
    r->data = data;
    r->len = len;
    r->records = records;
    return 0;
}

void fz_report_files_free(fz_report_files *f) {
    for (size_t i = 0; i < f->n; i++) free(f->v[i].data);
    free(f->v);
    memset(f, 0, sizeof *f);
}

int fz_report_files_save(const fz_report_files *f, const char *dir, fz_error *err) {
    for (size_t i = 0; i < f->n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, f->v[i].name);
        FILE *o = fopen(path, "wb");
        if (!o) return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
        size_t w = fwrite(f->v[i].data, 1, f->v[i].len, o);
        if (fclose(o) || w != f->v[i].len) return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "write failed");
    }
    return 0;
}
