/* fz_jsonobj.h — scan one flat JSON object in place, without building a tree.
 *
 * A transaction is a flat object of a few dozen scalar members, and the
 * server parses one per request: jansson spends about 100,000 instructions
 * building and freeing a tree for it, this scanner a few thousand. It
 * checks the whole text against RFC 8259 (strings: escapes, no control
 * characters, valid UTF-8; numbers: the JSON grammar; nothing after the
 * object) and reports each member as a view into the text. A nested object
 * or array is checked and reported as FZ_JV_NESTED for the caller to refuse.
 * Duplicate keys are the caller's to detect (it knows which keys matter). */
#ifndef FZ_JSONOBJ_H
#define FZ_JSONOBJ_H

#include <stddef.h>
#include <stdint.h>

typedef enum fz_jv_type {
    FZ_JV_STRING,
    FZ_JV_NUMBER,
    FZ_JV_TRUE,
    FZ_JV_FALSE,
    FZ_JV_NULL,
    FZ_JV_NESTED /* an object or array */
} fz_jv_type;

/* A string view is its body between the quotes, still escaped when
 * `escaped` is set (fz_jsonobj_unescape decodes it); a number view is its
 * text, with `fraction` set when it has a fraction or exponent part. */
typedef struct fz_jv {
    const char *p;
    uint32_t n;
    uint8_t type;     /* fz_jv_type */
    uint8_t escaped;  /* strings: holds a backslash */
    uint8_t fraction; /* numbers: has '.', 'e' or 'E' */
} fz_jv;

typedef struct fz_jmember {
    fz_jv key; /* a string */
    fz_jv val;
} fz_jmember;

/* Scan the object that is the whole of s[0..n) (surrounding whitespace
 * allowed). Fills up to max members in order. Returns the member count
 * (which may exceed max: the rest were checked but not stored), or -1 with
 * *col (1-based byte column) and *why saying what is wrong. */
int fz_jsonobj_scan(const char *s, size_t n, fz_jmember *m, int max, size_t *col, const char **why);

/* Decode an escaped string body v (from a scan, so known valid) into out,
 * which must have room for v.n bytes (the decoded text is never longer).
 * Returns the decoded length. */
size_t fz_jsonobj_unescape(fz_jv v, char *out);

#endif
