/* fz_xmlw.h — a small streaming XML writer (elements and text only).
 *
 * Enough for the regulator's report files: nested elements, one optional
 * seqno attribute, indented two spaces a level. Text is escaped (& < > " ')
 * and made well-formed: bytes that are not valid UTF-8 and control
 * characters XML 1.0 forbids become U+FFFD. */
#ifndef FZ_XMLW_H
#define FZ_XMLW_H

#include <stddef.h>
#include <stdio.h>

typedef struct fz_xmlw {
    FILE *f;
    int depth;
    const char *missing; /* written for an empty text element ("@N" for CAMLMAC files), or NULL */
} fz_xmlw;

/* Start writing to f at depth 0; missing as in fz_xmlw. */
void fz_xmlw_init(fz_xmlw *w, FILE *f, const char *missing);

/* <?xml version="1.0" encoding="UTF-8"?> and a newline. */
void fz_xmlw_decl(fz_xmlw *w);

/* <tag> (seqno == 0) or <tag seqno="N">, on its own line; one level deeper. */
void fz_xmlw_open(fz_xmlw *w, const char *tag, unsigned seqno);

/* </tag> on its own line, one level up. */
void fz_xmlw_close(fz_xmlw *w, const char *tag);

/* <tag>text</tag> on one line; an empty text writes w->missing instead.
 * fz_xmlw_text_seq adds seqno="N" (N > 0). fz_xmlw_textz takes a C string. */
void fz_xmlw_text(fz_xmlw *w, const char *tag, const char *s, size_t n);
void fz_xmlw_text_seq(fz_xmlw *w, const char *tag, unsigned seqno, const char *s, size_t n);
void fz_xmlw_textz(fz_xmlw *w, const char *tag, const char *s);

/* Write s (n bytes) escaped as XML character data. */
void fz_xmlw_escape(FILE *f, const char *s, size_t n);

#endif
