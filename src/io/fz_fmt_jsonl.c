/* fz_fmt_jsonl.c — Fanzha's JSON lines: one object per line, the native
 * field names (docs/formats.md), parsed with jansson.
 *
 * Values follow the native CSV rules as text; JSON numbers and booleans are
 * accepted where they mean the same thing (time as epoch ms, label 0/1,
 * cross_border true/false, group, amounts). An amount given as a JSON number
 * with a fraction goes through its shortest decimal form ("%.15g"), which is
 * exact for any amount a person writes with up to 15 significant digits;
 * writers should use strings, as fz_native_write_json does. Decoded strings
 * are copied into the reader's arena, so they live until close. */
#include "fz_reader_int.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The next physical line, consumed; 0 at end of input. */
static int next_line(fz_reader *r, fz_str *line) {
    const char *p = r->csv.p, *end = r->csv.end;
    if (p >= end) return 0;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    r->csv.p = nl ? nl + 1 : end;
    if (e > p && e[-1] == '\r') e--;
    line->p = p;
    line->n = (uint32_t)(e - p);
    r->line = *line;
    r->line_no = r->csv.line++;
    return 1;
}

static int is_money(int col) {
    return col == FZ__C_AMOUNT || (col >= FZ__C_PAYER_BAL_BEFORE && col <= FZ__C_PAYEE_BAL_AFTER);
}

/* A JSON scalar as the text the native parsers take; buf holds formatted
 * numbers. Returns 0 or a reject. */
static int as_text(fz_reader *r, int col, json_t *v, char *buf, size_t n, fz_str *out, fz_error *err) {
    const char *f = fz__col_names[col];
    switch (json_typeof(v)) {
    case JSON_NULL: *out = (fz_str){"", 0}; return 0;
    case JSON_STRING: *out = (fz_str){json_string_value(v), (uint32_t)json_string_length(v)}; return 0;
    case JSON_INTEGER: snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL:
        if (!is_money(col)) return fz__reject(r, err, f, "a number with a fraction is not valid here");
        snprintf(buf, n, "%.15g", json_real_value(v));
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        if (col != FZ__C_CROSS_BORDER && col != FZ__C_EXEMPT && col != FZ__C_LABEL) return fz__reject(r, err, f, "a boolean is not valid here");
        snprintf(buf, n, "%d", json_is_true(v) ? 1 : 0);
        break;
    default: return fz__reject(r, err, f, "an object or array is not valid here");
    }
    *out = (fz_str){buf, (uint32_t)strlen(buf)};
    return 0;
}

static int set_field(fz_reader *r, fz_txn *t, int col, json_t *v, uint32_t *seen, fz_error *err) {
    char buf[64];
    fz_str s;
    int rc = as_text(r, col, v, buf, sizeof buf, &s, err);
    if (rc != 0) return rc;
    if (s.n && fz__col_is_text(col)) { /* the record outlives the json_t */
        char *copy = fz__arena_dup(&r->arena, s.p, s.n);
        if (!copy) return fz_error_set(err, FZ_ENOMEM, r->name, r->line_no, 0, NULL, "out of memory");
        s.p = copy;
    }
    return fz__native_set(r, t, col, s, seen, err);
}

static int object_row(fz_reader *r, fz_txn *t, json_t *o, fz_error *err) {
    uint32_t seen = 0;
    int rc;
    json_t *ccy = json_object_get(o, "currency");
    /* Currency first: it decides how many decimals the money fields take. */
    if (ccy && (rc = set_field(r, t, FZ__C_CURRENCY, ccy, &seen, err)) != 0) return rc;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        int col = fz__col_lookup(key, strlen(key));
        if (col < 0) return fz__reject(r, err, key, "unknown field");
        if (col == FZ__C_CURRENCY) continue;
        if ((rc = set_field(r, t, col, v, &seen, err)) != 0) return rc;
    }
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
    json_error_t je;
    json_t *o = json_loadb(line.p, line.n, JSON_REJECT_DUPLICATES, &je);
    if (!o) return fz__reject(r, err, NULL, "not valid JSON: %s (column %d)", je.text, je.column);
    int rc;
    if (!json_is_object(o)) rc = fz__reject(r, err, NULL, "not a JSON object");
    else {
        fz__txn_reset(r, t);
        rc = object_row(r, t, o, err);
    }
    json_decref(o);
    return rc ? rc : 1;
}

int fz__fmt_jsonl_init(fz_reader *r, fz_error *err) {
    (void)err;
    r->next = jsonl_next;
    return 0;
}
