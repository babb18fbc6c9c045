/* fz_jsonw.c — see fz_jsonw.h. Writers run single-threaded, so the
 * _unlocked stdio calls skip a lock per character. */
#include "fz_jsonw.h"

#include <string.h>

/* Whether byte c must be escaped inside a JSON string. */
static inline int needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void fz_jsonw_str(FILE *f, const char *s, size_t n) {
    putc_unlocked('"', f);
    if (n == 0) { /* an empty view may have no pointer */
        putc_unlocked('"', f);
        return;
    }
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!needs_escape(c)) continue;
        fwrite_unlocked(s + run, 1, i - run, f);
        if (c == '"' || c == '\\') {
            putc_unlocked('\\', f);
            putc_unlocked(c, f);
        } else {
            fprintf(f, "\\u%04x", c);
        }
        run = i + 1;
    }
    fwrite_unlocked(s + run, 1, n - run, f);
    putc_unlocked('"', f);
}

void fz_csvw_field(FILE *f, const char *s, size_t n) {
    if (n == 0) return; /* an empty view may have no pointer */
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
        fwrite_unlocked(s, 1, n, f);
        return;
    }
    putc_unlocked('"', f);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '"') continue;
        fwrite_unlocked(s + run, 1, i + 1 - run, f); /* through the quote, then double it */
        putc_unlocked('"', f);
        run = i + 1;
    }
    fwrite_unlocked(s + run, 1, n - run, f);
    putc_unlocked('"', f);
}
