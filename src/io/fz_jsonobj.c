/* fz_jsonobj.c — see fz_jsonobj.h. A recursive-descent checker over the
 * bytes; nesting deeper than MAX_DEPTH is refused rather than recursed. */
#include "fz_jsonobj.h"

#include <string.h>

#define MAX_DEPTH 32

typedef struct scan {
    const char *s, *end, *p;
    const char *why;
} scan;

static int fail(scan *sc, const char *why) {
    sc->why = why;
    return -1;
}

static void ws(scan *sc) {
    while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r')) sc->p++;
}

static int hex4(const char *p, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d > 15) return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end) {
    unsigned c = p[0];
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    if (!n || (size_t)(end - p) < n) return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    if (n == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))) return 0; /* overlong, surrogate */
    if (n == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))) return 0; /* overlong, > U+10FFFF */
    return n;
}

/* A \u escape at p (after the backslash-u): one code unit, or a surrogate
 * pair. Returns the bytes consumed after "\u" or -1. */
static int unicode_escape(scan *sc, const char *p) {
    unsigned u, lo;
    if (sc->end - p < 4 || hex4(p, &u)) return fail(sc, "bad \\u escape");
    if (u == 0) return fail(sc, "\\u0000 is not allowed in a string");
    if (u >= 0xDC00 && u <= 0xDFFF) return fail(sc, "lone low surrogate in \\u escape");
    if (u < 0xD800 || u > 0xDBFF) return 4;
    if (sc->end - p < 10 || p[4] != '\\' || p[5] != 'u' || hex4(p + 6, &lo) || lo < 0xDC00 || lo > 0xDFFF)
        return fail(sc, "high surrogate without its low half in \\u escape");
    return 10;
}

/* A string starting at the opening quote; fills v with its body. */
static int string(scan *sc, fz_jv *v) {
    const char *p = ++sc->p;
    v->type = FZ_JV_STRING;
    v->escaped = 0;
    while (p < sc->end && *p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20) {
            sc->p = p;
            return fail(sc, "control character in a string");
        }
        if (c == '\\') {
            v->escaped = 1;
            if (++p >= sc->end) break;
            if (*p == 'u') {
                int k = unicode_escape(sc, p + 1);
                if (k < 0) return sc->p = p, -1;
                p += 1 + k;
                continue;
            }
            if (!strchr("\"\\/bfnrt", *p) || !*p) return sc->p = p, fail(sc, "bad escape in a string");
            p++;
        } else if (c >= 0x80) {
            size_t k = utf8_len((const unsigned char *)p, (const unsigned char *)sc->end);
            if (!k) return sc->p = p, fail(sc, "invalid UTF-8 in a string");
            p += k;
        } else {
            p++;
        }
    }
    if (p >= sc->end) return sc->p = p, fail(sc, "unterminated string");
    v->p = sc->p;
    v->n = (uint32_t)(p - sc->p);
    sc->p = p + 1;
    return 0;
}

static int digits(scan *sc) {
    const char *q = sc->p;
    while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9') sc->p++;
    return sc->p > q ? 0 : fail(sc, "digit expected in a number");
}

static int number(scan *sc, fz_jv *v) {
    const char *q = sc->p;
    v->type = FZ_JV_NUMBER;
    v->fraction = 0;
    if (*sc->p == '-') sc->p++;
    if (sc->p < sc->end && *sc->p == '0') sc->p++;
    else if (digits(sc)) return -1;
    if (sc->p < sc->end && *sc->p == '.') {
        sc->p++, v->fraction = 1;
        if (digits(sc)) return -1;
    }
    if (sc->p < sc->end && (*sc->p == 'e' || *sc->p == 'E')) {
        sc->p++, v->fraction = 1;
        if (sc->p < sc->end && (*sc->p == '+' || *sc->p == '-')) sc->p++;
        if (digits(sc)) return -1;
    }
    v->p = q;
    v->n = (uint32_t)(sc->p - q);
    return 0;
}

static int literal(scan *sc, const char *word, fz_jv_type t, fz_jv *v) {
    size_t n = strlen(word);
    if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, word, n)) return fail(sc, "value expected");
    v->type = (uint8_t)t;
    v->p = sc->p;
    v->n = (uint32_t)n;
    sc->p += n;
    return 0;
}

static int value(scan *sc, fz_jv *v, int depth);

/* The members of an object after its '{', through its '}': values at depth,
 * the first max stored in m. Returns the member count or -1. */
static int members(scan *sc, fz_jmember *m, int max, int depth) {
    int count = 0;
    ws(sc);
    if (sc->p < sc->end && *sc->p == '}') return sc->p++, 0;
    for (;;) {
        fz_jmember tmp, *slot = count < max ? &m[count] : &tmp;
        if (sc->p >= sc->end || *sc->p != '"') return fail(sc, "'\"' expected (a member name)");
        if (string(sc, &slot->key)) return -1;
        ws(sc);
        if (sc->p >= sc->end || *sc->p != ':') return fail(sc, "':' expected");
        sc->p++;
        ws(sc);
        if (value(sc, &slot->val, depth)) return -1;
        count++;
        ws(sc);
        if (sc->p < sc->end && *sc->p == ',') {
            sc->p++;
            ws(sc);
            continue;
        }
        if (sc->p < sc->end && *sc->p == '}') return sc->p++, count;
        return fail(sc, "',' or '}' expected");
    }
}

/* The elements of an array after its '[', through its ']'. */
static int elements(scan *sc, int depth) {
    fz_jv tmp;
    ws(sc);
    if (sc->p < sc->end && *sc->p == ']') return sc->p++, 0;
    for (;;) {
        if (value(sc, &tmp, depth)) return -1;
        ws(sc);
        if (sc->p < sc->end && *sc->p == ',') {
            sc->p++;
            ws(sc);
            continue;
        }
        if (sc->p < sc->end && *sc->p == ']') return sc->p++, 0;
        return fail(sc, "',' or ']' expected");
    }
}

/* An object or array (at its bracket), checked member by member. */
static int nested(scan *sc, fz_jv *v, int depth) {
    if (depth >= MAX_DEPTH) return fail(sc, "nested too deeply");
    const char *start = sc->p++;
    if ((*start == '{' ? members(sc, NULL, 0, depth + 1) : elements(sc, depth + 1)) < 0) return -1;
    v->type = FZ_JV_NESTED;
    v->p = start;
    v->n = (uint32_t)(sc->p - start);
    return 0;
}

static int value(scan *sc, fz_jv *v, int depth) {
    if (sc->p >= sc->end) return fail(sc, "value expected");
    switch (*sc->p) {
    case '"': return string(sc, v);
    case '{':
    case '[': return nested(sc, v, depth);
    case 't': return literal(sc, "true", FZ_JV_TRUE, v);
    case 'f': return literal(sc, "false", FZ_JV_FALSE, v);
    case 'n': return literal(sc, "null", FZ_JV_NULL, v);
    default:
        if (*sc->p == '-' || (*sc->p >= '0' && *sc->p <= '9')) return number(sc, v);
        return fail(sc, "value expected");
    }
}

int fz_jsonobj_scan(const char *s, size_t n, fz_jmember *m, int max, size_t *col, const char **why) {
    scan sc = {s, s + n, s, NULL};
    int count = -1;
    ws(&sc);
    if (sc.p >= sc.end || *sc.p != '{') fail(&sc, "'{' expected: a JSON object");
    else {
        sc.p++;
        count = members(&sc, m, max, 1);
        if (count >= 0) {
            ws(&sc);
            if (sc.p < sc.end) count = fail(&sc, "text after the object");
        }
    }
    if (count < 0) {
        *col = (size_t)(sc.p - s) + 1;
        *why = sc.why;
    }
    return count;
}

static size_t put_utf8(unsigned u, char *o) {
    if (u < 0x80) return o[0] = (char)u, 1;
    if (u < 0x800) return o[0] = (char)(0xC0 | u >> 6), o[1] = (char)(0x80 | (u & 0x3F)), 2;
    if (u < 0x10000) {
        o[0] = (char)(0xE0 | u >> 12), o[1] = (char)(0x80 | ((u >> 6) & 0x3F)), o[2] = (char)(0x80 | (u & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | u >> 18), o[1] = (char)(0x80 | ((u >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((u >> 6) & 0x3F)), o[3] = (char)(0x80 | (u & 0x3F));
    return 4;
}

size_t fz_jsonobj_unescape(fz_jv v, char *out) {
    size_t k = 0;
    for (const char *p = v.p, *end = v.p + v.n; p < end;) {
        if (*p != '\\') {
            out[k++] = *p++;
            continue;
        }
        char c = p[1];
        p += 2;
        if (c == 'u') {
            unsigned u = 0, lo = 0;
            hex4(p, &u);
            p += 4;
            if (u >= 0xD800 && u <= 0xDBFF) { /* the scan checked the low half follows */
                hex4(p + 2, &lo);
                p += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            }
            k += put_utf8(u, out + k);
            continue;
        }
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        out[k++] = to[strchr(from, c) - from];
    }
    return k;
}
