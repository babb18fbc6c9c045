/* fz_error.c — see fz_error.h. */
#include "fz_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* strncpy does not terminate on truncation; this always does. */
static void copy_trunc(char *dst, size_t cap, const char *src) {
    if (!src) src = "";
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int fz_error_set(fz_error *err, int code, const char *file, long line, int col,
                 const char *field, const char *fmt, ...) {
    if (!err) return code;
    err->code = code;
    err->line = line;
    err->col = col;
    copy_trunc(err->file, sizeof err->file, file);
    copy_trunc(err->field, sizeof err->field, field);
    err->msg[0] = '\0';
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void fz_error_clear(fz_error *err) {
    if (err) memset(err, 0, sizeof *err);
}

/* Appends like snprintf but keeps counting past the end of buf, so the
 * caller learns the full length. */
static void put(char *buf, size_t n, size_t *len, const char *s) {
    size_t k = strlen(s);
    if (*len + 1 < n) {
        size_t room = n - 1 - *len;
        memcpy(buf + *len, s, k < room ? k : room);
    }
    *len += k;
}

size_t fz_error_format(const fz_error *err, char *buf, size_t n) {
    size_t len = 0;
    char num[32];
    if (err && err->file[0]) {
        put(buf, n, &len, err->file);
        if (err->line > 0) {
            snprintf(num, sizeof num, ":%ld", err->line);
            put(buf, n, &len, num);
            if (err->col > 0) {
                snprintf(num, sizeof num, ":%d", err->col);
                put(buf, n, &len, num);
            }
        }
        put(buf, n, &len, ": ");
    } else if (err && err->line > 0) {
        snprintf(num, sizeof num, "line %ld", err->line);
        put(buf, n, &len, num);
        if (err->col > 0) {
            snprintf(num, sizeof num, ":%d", err->col);
            put(buf, n, &len, num);
        }
        put(buf, n, &len, ": ");
    }
    if (err && err->field[0]) {
        put(buf, n, &len, err->field);
        put(buf, n, &len, ": ");
    }
    if (err && err->msg[0]) put(buf, n, &len, err->msg);
    else put(buf, n, &len, fz_strerror(err ? err->code : 0));
    if (n > 0) buf[len < n ? len : n - 1] = '\0';
    return len;
}

const char *fz_strerror(int code) {
    switch (code) {
    case FZ_OK: return "ok";
    case FZ_ENOMEM: return "out of memory";
    case FZ_EIO: return "i/o error";
    case FZ_EPARSE: return "parse error";
    case FZ_EINVAL: return "invalid argument";
    case FZ_ERANGE: return "out of range";
    case FZ_ENOTFOUND: return "not found";
    case FZ_EFULL: return "capacity exhausted";
    case FZ_EREJECT: return "row rejected";
    case FZ_EFORMAT: return "unrecognised format";
    default: return "unknown error";
    }
}
