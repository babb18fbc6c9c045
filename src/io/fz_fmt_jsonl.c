/* fz_fmt_jsonl.c — Fanzha's JSON lines: one object per line, the native
 * field names (docs/formats.md), scanned in place by fz_jsonobj.
 *
 * Values follow the native CSV rules as text; JSON numbers and booleans are
 * accepted where they mean the same thing (time as epoch ms, label 0/1,
 * cross_border true/false, group, amounts). An amount written as a JSON
 * number is taken as its decimal text; one with an exponent goes through its
 * shortest decimal form ("%.15g"), exact for any amount a person writes with
 * up to 15 significant digits; writers should use strings, as
 * fz_native_write_json does. A string without escapes is a view into the
 * input; an escaped one is decoded into the reader's arena. Either lives
 * until close. */
#include "fz_reader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_jsonobj.h"

#define MAX_MEMBERS 64

/* The next physical line, consumed; 0 at end of input. */
static int next_line(fz_reader *r, fz_str *line) {
    if (r->csv.p >= r->csv.end) return 0;
    const char *next;
    *line = fz__peek_line(r, &next);
    fz__consume_line(r, *line, next);
    return 1;
}

static int is_money(int col) {
    return col == FZ__C_AMOUNT || (col >= FZ__C_PAYER_BAL_BEFORE && col <= FZ__C_PAYEE_BAL_AFTER);
}

/* A JSON scalar as the text the native parsers take; buf holds formatted
 * numbers and booleans. Returns 0 or a reject. */
static int as_text(fz_reader *r, int col, fz_jv v, char *buf, size_t n, fz_str *out, fz_error *err) {
    const char *f = fz__col_names[col];
    switch (v.type) {
    case FZ_JV_NULL: *out = (fz_str){"", 0}; return 0;
    case FZ_JV_STRING:
        if (v.escaped) {
            char *d = fz__arena_alloc(&r->arena, v.n ? v.n : 1);
            if (!d) return fz_error_set(err, FZ_ENOMEM, r->name, r->line_no, 0, NULL, "out of memory");
            *out = (fz_str){d, (uint32_t)fz_jsonobj_unescape(v, d)};
        } else {
            *out = (fz_str){v.p, v.n};
        }
        return 0;
    case FZ_JV_NUMBER:
        if (!v.fraction) break;
        if (!is_money(col)) return fz__reject(r, err, f, "a number with a fraction is not valid here");
        if (memchr(v.p, 'e', v.n) || memchr(v.p, 'E', v.n)) {
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%.*s", (int)v.n, v.p);
            snprintf(buf, n, "%.15g", strtod(tmp, NULL));
            *out = (fz_str){buf, (uint32_t)strlen(buf)};
            return 0;
        }
        break;
    case FZ_JV_TRUE:
    case FZ_JV_FALSE:
        if (col != FZ__C_CROSS_BORDER && col != FZ__C_EXEMPT && col != FZ__C_LABEL)
            return fz__reject(r, err, f, "a boolean is not valid here");
        *out = (fz_str){v.type == FZ_JV_TRUE ? "1" : "0", 1};
        return 0;
    default: return fz__reject(r, err, f, "an object or array is not valid here");
    }
    *out = (fz_str){v.p, v.n};
    return 0;
}

/* The column of a member's key, or a reject (unknown or repeated). */
static int member_col(fz_reader *r, const fz_jmember *m, uint64_t *keys, fz_error *err) {
    char buf[64];
    fz_str k = {m->key.p, m->key.n};
    if (m->key.escaped && m->key.n <= sizeof buf) k = (fz_str){buf, (uint32_t)fz_jsonobj_unescape(m->key, buf)};
    int col = fz__col_lookup(k.p, k.n);
    if (col < 0) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(k.n < 60 ? k.n : 60), k.p);
        return fz__reject(r, err, name, "unknown field");
    }
    if (*keys & (1ull << col)) return fz__reject(r, err, fz__col_names[col], "field given twice");
    *keys |= 1ull << col;
    return col;
}

/* One member's value into its column. */
static int set_member(fz_reader *r, fz_txn *t, int col, fz_jv v, uint32_t *seen, fz_error *err) {
    char buf[64];
    fz_str s;
    int rc = as_text(r, col, v, buf, sizeof buf, &s, err);
    return rc ? rc : fz__native_set(r, t, col, s, seen, err);
}

static int object_row(fz_reader *r, fz_txn *t, const fz_jmember *m, int n, fz_error *err) {
    uint32_t seen = 0;
    uint64_t keys = 0;
    int8_t col[MAX_MEMBERS];
    int ccy = -1, rc;
    for (int i = 0; i < n; i++) {
        if ((rc = member_col(r, &m[i], &keys, err)) < 0) return rc;
        col[i] = (int8_t)rc;
        if (rc == FZ__C_CURRENCY) ccy = i;
    }
    /* Currency first: it decides how many decimals the money fields take. */
    if (ccy >= 0 && (rc = set_member(r, t, col[ccy], m[ccy].val, &seen, err)) != 0) return rc;
    for (int i = 0; i < n; i++)
        if (i != ccy && (rc = set_member(r, t, col[i], m[i].val, &seen, err)) != 0) return rc;
    return fz__native_finish(r, t, seen, err);
}

static int jsonl_next(fz_reader *r, fz_txn *t, fz_error *err) {
    fz_str line;
    if (!next_line(r, &line)) return 0;
    if (fz__is_blank(line)) {
        if (fz__csv_rest_blank(&r->csv)) {
            r->csv.p = r->csv.end;
            return 0;
        }
        return fz__reject(r, err, NULL, "empty line");
    }
    fz_jmember m[MAX_MEMBERS];
    size_t col;
    const char *why;
    int n = fz_jsonobj_scan(line.p, line.n, m, MAX_MEMBERS, &col, &why);
    if (n < 0) return fz__reject(r, err, NULL, "not valid JSON: %s (column %zu)", why, col);
    if (n > MAX_MEMBERS) return fz__reject(r, err, NULL, "more than %d fields", MAX_MEMBERS);
    fz__txn_reset(r, t);
    int rc = object_row(r, t, m, n, err);
    return rc ? rc : 1;
}

int fz__fmt_jsonl_init(fz_reader *r, fz_error *err) {
    (void)err;
    r->next = jsonl_next;
    return 0;
}
