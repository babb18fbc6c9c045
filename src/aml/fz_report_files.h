/* fz_report_files.h — report files made in memory, before they are saved
 * to a folder or stored: a name and the bytes. */
#ifndef FZ_REPORT_FILES_H
#define FZ_REPORT_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "fz_error.h"

typedef struct fz_report_file {
    char name[48];        /* e.g. NBHC0000000000001-20261102-00000001.XML */
    unsigned char *data;  /* owned */
    size_t len;
    uint32_t records;     /* transactions (or deletions) the file carries; for a ZIP, its files */
} fz_report_file;

typedef struct fz_report_files {
    fz_report_file *v;
    size_t n, cap;
} fz_report_files;

/* Append a file taking ownership of data (freed on failure). Returns 0 or
 * FZ_ENOMEM. */
int fz_report_files_add(fz_report_files *f, const char *name, unsigned char *data, size_t len, uint32_t records);

void fz_report_files_free(fz_report_files *f);

/* Write each file to dir/name (dir must exist). Returns 0 or FZ_EIO. */
int fz_report_files_save(const fz_report_files *f, const char *dir, fz_error *err);

#endif
