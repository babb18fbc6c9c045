/* fz_csv.c — see fz_csv.h.
 *
 * The hot path is an unquoted record: one memchr for the line end, then one
 * byte loop for the commas. Quoted fields take a slower path that may cross
 * line ends. */
#include "fz_csv.h"

#include <string.h>

#include "fz_error.h"

void fz__csv_init(fz__csv *c, const char *data, size_t n, fz__arena *arena) {
    c->p = data;
    c->end = data + n;
    c->line = 1;
    c->arena = arena;
}

int fz__csv_rest_blank(const fz__csv *c) {
    for (const char *q = c->p; q < c->end; q++)
        if (*q != '\r' && *q != '\n' && *q != ' ' && *q != '\t') return 0;
    return 1;
}

static const char *line_end(const char *p, const char *end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl : end;
}

/* The content end of the physical line ending at nl: before a CR of CRLF. */
static const char *trim_cr(const char *from, const char *nl) {
    return (nl > from && nl[-1] == '\r') ? nl - 1 : nl;
}

static long count_nl(const char *p, const char *e) {
    long k = 0;
    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        k++;
        p++;
    }
    return k;
}

/* Copy the quoted text [s, e) into the arena with each "" made ". */
static int unescape(fz__csv *c, const char *s, const char *e, fz_str *out) {
    char *d = fz__arena_alloc(c->arena, (size_t)(e - s));
    if (!d) return FZ_ENOMEM;
    char *w = d;
    while (s < e) {
        char ch = *s++;
        *w++ = ch;
        if (ch == '"') s++; /* the second quote of a pair */
    }
    out->p = d;
    out->n = (uint32_t)(w - d);
    return 0;
}

/* A quoted field starting at *pp (on the opening quote). On success *pp is
 * just past the closing quote. Returns 0, FZ_EPARSE (no closing quote),
 * FZ_ENOMEM. */
static int quoted(fz__csv *c, const char **pp, fz_str *out) {
    const char *s = *pp + 1, *q = s;
    int escaped = 0;
    for (;;) {
        q = memchr(q, '"', (size_t)(c->end - q));
        if (!q) return FZ_EPARSE;
        if (q + 1 < c->end && q[1] == '"') {
            escaped = 1;
            q += 2;
            continue;
        }
        break;
    }
    *pp = q + 1;
    if (!escaped) {
        out->p = s;
        out->n = (uint32_t)(q - s);
        return 0;
    }
    return unescape(c, s, q, out);
}

/* Skip the rest of a bad record's physical line so the caller can go on. */
static int fail(fz__csv *c, fz__csv_rec *rec, const char *start, const char *nl, long lines,
                const char *why) {
    rec->raw.p = start;
    rec->raw.n = (uint32_t)(trim_cr(start, nl) - start);
    rec->why = why;
    c->p = nl < c->end ? nl + 1 : c->end;
    c->line += lines;
    return FZ_EPARSE;
}

int fz__csv_next(fz__csv *c, fz_str *f, int max, fz__csv_rec *rec) {
    if (c->p >= c->end) return 0;
    const char *start = c->p, *p = start;
    const char *nl = line_end(p, c->end);
    const char *e = trim_cr(p, nl);
    long lines = 1;
    int nf = 0;
    rec->line = c->line;
    rec->why = NULL;
    for (;;) {
        fz_str v;
        if (p < e && *p == '"') {
            int rc = quoted(c, &p, &v);
            if (rc == FZ_ENOMEM) return rc;
            if (rc != 0) return fail(c, rec, start, nl, lines, "unterminated quoted field");
            if (p > nl) { /* the field held line breaks */
                lines += count_nl(nl, p);
                nl = line_end(p, c->end);
                e = trim_cr(p, nl);
            }
        } else {
            const char *q = p;
            while (q < e && *q != ',') q++;
            v.p = p;
            v.n = (uint32_t)(q - p);
            p = q;
        }
        if (nf < max) f[nf] = v;
        nf++;
        if (p < e && *p == ',') {
            p++;
            continue;
        }
        if (p == e) break;
        return fail(c, rec, start, nl, lines, "text after a closing quote");
    }
    rec->raw.p = start;
    rec->raw.n = (uint32_t)(e - start);
    rec->nf = nf;
    c->p = nl < c->end ? nl + 1 : c->end;
    c->line += lines;
    return 1;
}
