/* fz_error.h — Fanzha's one error idiom.
 *
 * Every fallible function returns 0 on success or a negative FZ_E* code, and,
 * where the caller passes one, fills an fz_error with where and why:
 * "file:line:col: field: message". The CLI prints that text and maps the code
 * to an exit status; nothing else in the tree invents its own error style. */
#ifndef FZ_ERROR_H
#define FZ_ERROR_H

#include <stddef.h>

enum {
    FZ_OK = 0,
    FZ_ENOMEM = -1,   /* allocation failed */
    FZ_EIO = -2,      /* a read or write failed (errno text in msg) */
    FZ_EPARSE = -3,   /* input text is malformed */
    FZ_EINVAL = -4,   /* an argument or configuration value is wrong */
    FZ_ERANGE = -5,   /* a number is out of range */
    FZ_ENOTFOUND = -6,/* a name (file, variable, currency...) is unknown */
    FZ_EFULL = -7,    /* a fixed capacity is exhausted */
    FZ_EREJECT = -8,  /* one input row is bad; the reader goes on with the next */
    FZ_EFORMAT = -9   /* a file's format cannot be recognised */
};

typedef struct fz_error {
    int code;          /* one of FZ_E*, 0 when unset */
    long line;         /* 1-based; 0 when not about a line */
    int col;           /* 1-based; 0 when not about a column */
    char file[256];    /* "" when not about a file */
    char field[64];    /* "" when not about a field */
    char msg[256];
} fz_error;

/* Fill err (if not NULL) and return code, so callers can write
 * `return fz_error_set(err, FZ_EPARSE, path, line, col, "amount", "not a number");`.
 * file and field may be NULL. The message is printf-formatted and truncated
 * to fit. */
int fz_error_set(fz_error *err, int code, const char *file, long line, int col,
                 const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Reset err to "no error". */
void fz_error_clear(fz_error *err);

/* Write err as "file:line:col: field: msg" (parts that are unset are left
 * out) into buf of size n, always NUL-terminated. Returns the length the full
 * text would have, like snprintf. */
size_t fz_error_format(const fz_error *err, char *buf, size_t n);

/* A short English name of a code, e.g. "parse error". Never NULL. */
const char *fz_strerror(int code);

#endif
