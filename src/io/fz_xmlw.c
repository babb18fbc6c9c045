/* fz_xmlw.c — see fz_xmlw.h. */
#include "fz_xmlw.h"

#include <stdint.h>
#include <string.h>

void fz_xmlw_init(fz_xmlw *w, FILE *f, const char *missing) {
    w->f = f;
    w->depth = 0;
    w->missing = missing;
}

void fz_xmlw_decl(fz_xmlw *w) { fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", w->f); }

static void indent(fz_xmlw *w) {
    for (int i = 0; i < w->depth; i++) fputs("  ", w->f);
}

static void start_tag(fz_xmlw *w, const char *tag, unsigned seqno) {
    indent(w);
    if (seqno) fprintf(w->f, "<%s seqno=\"%u\">", tag, seqno);
    else fprintf(w->f, "<%s>", tag);
}

void fz_xmlw_open(fz_xmlw *w, const char *tag, unsigned seqno) {
    start_tag(w, tag, seqno);
    putc('\n', w->f);
    w->depth++;
}

void fz_xmlw_close(fz_xmlw *w, const char *tag) {
    if (w->depth > 0) w->depth--;
    indent(w);
    fprintf(w->f, "</%s>\n", tag);
}

void fz_xmlw_text_seq(fz_xmlw *w, const char *tag, unsigned seqno, const char *s, size_t n) {
    start_tag(w, tag, seqno);
    if (n) fz_xmlw_escape(w->f, s, n);
    else if (w->missing) fputs(w->missing, w->f);
    fprintf(w->f, "</%s>\n", tag);
}

void fz_xmlw_text(fz_xmlw *w, const char *tag, const char *s, size_t n) { fz_xmlw_text_seq(w, tag, 0, s, n); }

void fz_xmlw_textz(fz_xmlw *w, const char *tag, const char *s) { fz_xmlw_text_seq(w, tag, 0, s, s ? strlen(s) : 0); }

/* The length of the valid UTF-8 sequence at s (up to n bytes) of a
 * character XML 1.0 allows, or 0. */
static size_t utf8_ok(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (!len || len > n || c > 0xF4) return 0;
    uint32_t cp = c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
    return len;
}

void fz_xmlw_escape(FILE *f, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_ok(p + i, n - i);
        if (!len) {
            fputs("\xEF\xBF\xBD", f);
            i++;
            continue;
        }
        switch (p[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        case '\r': fputs("&#13;", f); break;
        default: fwrite(p + i, 1, len, f);
        }
        i += len;
    }
}
