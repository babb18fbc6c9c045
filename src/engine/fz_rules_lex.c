/* fz_rules_lex.c — tokens of the rule language (docs/rules.md).
 *
 * Every token carries its line and column (columns count UTF-8 code points,
 * so a position under Chinese text in an editor is right). Numbers are kept
 * exact (mantissa and decimal scale); the compiler decides their unit. */
#include "fz_rules_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int fz__rules_err(fz_error *err, const char *file, int32_t line, int32_t col, const char *fmt,
                  ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fz_error_set(err, FZ_EPARSE, file, line, col, NULL, "%s", msg);
}

void fz__rules_lex_init(fz__rules_lex *lx, const char *file, const char *text, size_t len,
                        fz_error *err) {
    memset(lx, 0, sizeof *lx);
    lx->file = file;
    lx->p = text;
    lx->end = text + len;
    lx->line = 1;
    lx->col = 1;
    lx->err = err;
    /* An editor's UTF-8 byte-order mark is not part of the text. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) lx->p += 3;
}

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alnum(int c) { return is_alpha(c) || is_digit(c); }

/* Step over one byte; a column is one code point, so continuation bytes
 * (10xxxxxx) do not move it. */
static void adv(fz__rules_lex *lx) {
    unsigned char c = (unsigned char)*lx->p++;
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        lx->col++;
    }
}

static int peek(const fz__rules_lex *lx, size_t i) {
    return lx->p + i < lx->end ? (unsigned char)lx->p[i] : -1;
}

static void skip_space(fz__rules_lex *lx) {
    while (lx->p < lx->end) {
        int c = peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            adv(lx);
        } else if (c == '#') {
            while (lx->p < lx->end && *lx->p != '\n') adv(lx);
        } else {
            break;
        }
    }
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. Rejects
 * overlong forms, surrogates and code points above U+10FFFF. */
static int utf8_len(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    int len;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, min = 0x10000;
    else return 0;
    if ((size_t)len > n) return 0;
    unsigned cp = c & (0xFFu >> (len + 1));
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

static int lex_name(fz__rules_lex *lx) {
    fz__rules_tok *t = &lx->tok;
    t->kind = FZ__TK_NAME;
    while (is_alnum(peek(lx, 0)) || (peek(lx, 0) == '.' && is_alnum(peek(lx, 1)))) adv(lx);
    t->n = (uint32_t)(lx->p - t->p);
    if (t->n > 63)
        return fz__rules_err(lx->err, lx->file, t->line, t->col, "name too long (%u bytes, at most 63)",
                             t->n);
    return 0;
}

static int64_t pow10_i64(int e) {
    int64_t r = 1;
    while (e-- > 0) r *= 10;
    return r;
}

/* A duration literal: the number times its unit, which must come out as a
 * whole number of milliseconds. */
static int lex_duration(fz__rules_lex *lx, int unit) {
    fz__rules_tok *t = &lx->tok;
    int64_t ms = unit == 's' ? 1000 : unit == 'm' ? 60000 : unit == 'h' ? 3600000 : 86400000;
    __int128 v = (__int128)t->num * ms;
    int64_t den = pow10_i64(t->scale);
    adv(lx);
    t->n = (uint32_t)(lx->p - t->p);
    if (v % den != 0)
        return fz__rules_err(lx->err, lx->file, t->line, t->col,
                             "duration '%.*s' is not a whole number of milliseconds", (int)t->n, t->p);
    v /= den;
    if (v > INT64_MAX)
        return fz__rules_err(lx->err, lx->file, t->line, t->col, "duration '%.*s' is too large",
                             (int)t->n, t->p);
    t->kind = FZ__TK_DUR;
    t->num = (int64_t)v;
    t->scale = 0;
    return 0;
}

static int lex_number(fz__rules_lex *lx) {
    fz__rules_tok *t = &lx->tok;
    int64_t m = 0;
    int scale = 0, frac = 0, over = 0;
    t->kind = FZ__TK_NUM;
    for (;;) {
        int c = peek(lx, 0);
        if (is_digit(c)) {
            if (m > (INT64_MAX - (c - '0')) / 10) over = 1;
            else m = m * 10 + (c - '0');
            if (frac) scale++;
            adv(lx);
        } else if (c == '.' && !frac && is_digit(peek(lx, 1))) {
            frac = 1;
            adv(lx);
        } else {
            break;
        }
    }
    t->n = (uint32_t)(lx->p - t->p);
    if (over || scale > 18)
        return fz__rules_err(lx->err, lx->file, t->line, t->col, "number '%.*s' is too long",
                             (int)(t->n > 40 ? 40 : t->n), t->p);
    t->num = m;
    t->scale = scale;
    int c = peek(lx, 0);
    if ((c == 's' || c == 'm' || c == 'h' || c == 'd') && !is_alnum(peek(lx, 1)))
        return lex_duration(lx, c);
    if (is_alpha(c))
        return fz__rules_err(lx->err, lx->file, t->line, t->col,
                             "bad number '%.*s%c' (durations take s, m, h or d)", (int)t->n, t->p, c);
    return 0;
}

/* Validate a string literal: escapes \" \\ \n \t, valid UTF-8, no control
 * characters, closed on the same line. */
static int lex_string(fz__rules_lex *lx) {
    fz__rules_tok *t = &lx->tok;
    t->kind = FZ__TK_STR;
    adv(lx);
    for (;;) {
        int c = peek(lx, 0);
        if (c < 0 || c == '\n')
            return fz__rules_err(lx->err, lx->file, t->line, t->col, "unterminated string");
        if (c == '"') break;
        if (c == '\\') {
            int32_t l = lx->line, col = lx->col;
            int e = peek(lx, 1);
            if (e < 0 || e == '\n')
                return fz__rules_err(lx->err, lx->file, t->line, t->col, "unterminated string");
            if (e != '"' && e != '\\' && e != 'n' && e != 't') {
                if (e >= 0x21 && e < 0x7F)
                    return fz__rules_err(lx->err, lx->file, l, col,
                                         "bad escape '\\%c' (use \\\" \\\\ \\n or \\t)", e);
                return fz__rules_err(lx->err, lx->file, l, col,
                                     "bad escape (use \\\" \\\\ \\n or \\t)");
            }
            adv(lx);
            adv(lx);
            continue;
        }
        if (c < 0x20 && c != '\t')
            return fz__rules_err(lx->err, lx->file, lx->line, lx->col, "control character in string");
        int k = utf8_len((const unsigned char *)lx->p, (size_t)(lx->end - lx->p));
        if (k == 0)
            return fz__rules_err(lx->err, lx->file, lx->line, lx->col, "invalid UTF-8 in string");
        while (k-- > 0) adv(lx);
    }
    adv(lx);
    t->n = (uint32_t)(lx->p - t->p);
    return 0;
}

static int lex_op(fz__rules_lex *lx) {
    fz__rules_tok *t = &lx->tok;
    int c = peek(lx, 0), c2 = peek(lx, 1);
    int two = 0;
    switch (c) {
    case '{': t->kind = FZ__TK_LBRACE; break;
    case '}': t->kind = FZ__TK_RBRACE; break;
    case '(': t->kind = FZ__TK_LPAREN; break;
    case ')': t->kind = FZ__TK_RPAREN; break;
    case ',': t->kind = FZ__TK_COMMA; break;
    case '+': t->kind = FZ__TK_PLUS; break;
    case '-': t->kind = FZ__TK_MINUS; break;
    case '*': t->kind = FZ__TK_STAR; break;
    case '/': t->kind = FZ__TK_SLASH; break;
    case '=': two = c2 == '='; t->kind = two ? FZ__TK_EQ : FZ__TK_ASSIGN; break;
    case '<': two = c2 == '='; t->kind = two ? FZ__TK_LE : FZ__TK_LT; break;
    case '>': two = c2 == '='; t->kind = two ? FZ__TK_GE : FZ__TK_GT; break;
    case '!':
        if (c2 == '=') {
            two = 1;
            t->kind = FZ__TK_NE;
            break;
        }
        /* fall through */
    default:
        if (c >= 0x21 && c < 0x7F)
            return fz__rules_err(lx->err, lx->file, t->line, t->col, "unexpected character '%c'", c);
        return fz__rules_err(lx->err, lx->file, t->line, t->col,
                             "unexpected character (byte 0x%02X) outside a string", (unsigned)c);
    }
    adv(lx);
    if (two) adv(lx);
    t->n = (uint32_t)(lx->p - t->p);
    return 0;
}

int fz__rules_lex_next(fz__rules_lex *lx) {
    skip_space(lx);
    fz__rules_tok *t = &lx->tok;
    memset(t, 0, sizeof *t);
    t->p = lx->p;
    t->line = lx->line;
    t->col = lx->col;
    if (lx->p >= lx->end) {
        t->kind = FZ__TK_EOF;
        return 0;
    }
    int c = peek(lx, 0);
    if (is_alpha(c)) return lex_name(lx);
    if (is_digit(c)) return lex_number(lx);
    if (c == '"') return lex_string(lx);
    return lex_op(lx);
}

size_t fz__rules_str_decode(const fz__rules_tok *t, char *out) {
    size_t o = 0;
    for (uint32_t i = 1; i + 1 < t->n; i++) {
        char c = t->p[i];
        if (c == '\\') {
            c = t->p[++i];
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return o;
}

int fz__rules_tok_is(const fz__rules_tok *t, const char *word) {
    size_t n = strlen(word);
    return t->kind == FZ__TK_NAME && t->n == n && memcmp(t->p, word, n) == 0;
}

void fz__rules_tok_desc(const fz__rules_tok *t, char *buf, size_t n) {
    if (t->kind == FZ__TK_EOF) {
        snprintf(buf, n, "end of file");
        return;
    }
    /* Cut long tokens at a code-point boundary so the message stays UTF-8. */
    uint32_t len = t->n;
    if (len > 32) {
        len = 32;
        while (len > 0 && ((unsigned char)t->p[len] & 0xC0) == 0x80) len--;
    }
    snprintf(buf, n, "'%.*s%s'", (int)len, t->p, len < t->n ? "..." : "");
}
