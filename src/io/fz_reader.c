/* fz_reader.c — opening, format detection and the shared row helpers.
 *
 * The per-format mapping to fz_txn lives in fz_fmt_*.c, one file each; this
 * file only finds the format and hands each row to its mapper. */
#include "fz_reader_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const format_names[FZ_FMT__COUNT] = {
    [FZ_FMT_AUTO] = "auto",
    [FZ_FMT_NATIVE_CSV] = "native",
    [FZ_FMT_JSONL] = "jsonl",
    [FZ_FMT_IBM] = "ibm",
    [FZ_FMT_IBM_PATTERNS] = "ibm-patterns",
    [FZ_FMT_AMLSIM] = "amlsim",
    [FZ_FMT_PAYSIM] = "paysim",
};

const char *fz_format_name(fz_format f) {
    return (unsigned)f < FZ_FMT__COUNT ? format_names[f] : "unknown";
}

int fz_format_parse(const char *s, fz_format *out) {
    if (!s) return FZ_EINVAL;
    for (int i = 0; i < FZ_FMT__COUNT; i++) {
        if (strcasecmp(s, format_names[i]) == 0) {
            *out = (fz_format)i;
            return 0;
        }
    }
    /* Common spellings people type. */
    if (strcasecmp(s, "csv") == 0) { *out = FZ_FMT_NATIVE_CSV; return 0; }
    if (strcasecmp(s, "json") == 0 || strcasecmp(s, "ndjson") == 0) { *out = FZ_FMT_JSONL; return 0; }
    if (strcasecmp(s, "ibm_patterns") == 0 || strcasecmp(s, "patterns") == 0) {
        *out = FZ_FMT_IBM_PATTERNS;
        return 0;
    }
    return FZ_ENOTFOUND;
}

/* ---- shared helpers --------------------------------------------------- */

int fz__reject(fz_reader *r, fz_error *err, const char *field, const char *fmt, ...) {
    char msg[sizeof(((fz_error *)0)->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fz_error_set(err, FZ_EREJECT, r->name, r->line_no, 0, field, "%s", msg);
}

int fz__is_blank(fz_str s) {
    for (uint32_t i = 0; i < s.n; i++)
        if (s.p[i] != ' ' && s.p[i] != '\t' && s.p[i] != '\r') return 0;
    return 1;
}

int fz__eq_ci(fz_str s, const char *lit) {
    size_t n = strlen(lit);
    return s.n == n && strncasecmp(s.p, lit, n) == 0;
}

int fz__parse_i64(const char *s, size_t n, int64_t *out) {
    size_t i = 0;
    int neg = 0;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n) return FZ_EPARSE;
    uint64_t v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9) return FZ_EPARSE;
        if (v > (UINT64_C(9223372036854775808) - d) / 10) return FZ_ERANGE;
        v = v * 10 + d;
    }
    if (!neg && v > INT64_MAX) return FZ_ERANGE;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int fz__parse_label(fz_str s, int allow_empty, int8_t *out) {
    if (s.n == 0 && allow_empty) { *out = -1; return 0; }
    if (s.n == 1 && (s.p[0] == '0' || s.p[0] == '1')) { *out = (int8_t)(s.p[0] - '0'); return 0; }
    /* AMLSim's own writer spells booleans out. */
    if (fz__eq_ci(s, "true")) { *out = 1; return 0; }
    if (fz__eq_ci(s, "false")) { *out = 0; return 0; }
    return FZ_EPARSE;
}

int fz__parse_time(fz_reader *r, const char *field, fz_str s, fz_ms *out, fz_error *err) {
    if (fz_time_parse(s.p, s.n, out) != 0)
        return fz__reject(r, err, field, "not an ISO 8601 time or epoch milliseconds: '%.*s'",
                          (int)(s.n > 40 ? 40 : s.n), s.p);
    if (*out < FZ_TIME_MIN_MS || *out >= FZ_TIME_END_MS)
        return fz__reject(r, err, field, "out of range (years 0001-9999): '%.*s'", (int)(s.n > 40 ? 40 : s.n), s.p);
    return 0;
}

void fz__txn_reset(const fz_reader *r, fz_txn *t) {
    memset(t, 0, sizeof *t);
    t->currency = r->ccy;
    t->label = -1;
    t->group = -1;
    t->src_line = (uint32_t)r->line_no;
    t->src_file = r->opts.file_index;
}

int fz__fixed_next(fz_reader *r, fz_txn *t, fz_error *err) {
    int rc = fz__read_record(r, r->fixed_nf, err);
    if (rc != 1) return rc;
    rc = r->row(r, t, err);
    return rc ? rc : 1;
}

int fz__read_record(fz_reader *r, int want, fz_error *err) {
    fz__csv_rec rec;
    int rc = fz__csv_next(&r->csv, r->f, FZ__MAX_FIELDS, &rec);
    if (rc == 0) return 0;
    if (rc == FZ_ENOMEM) return fz_error_set(err, FZ_ENOMEM, r->name, rec.line, 0, NULL, "out of memory");
    r->line = rec.raw;
    r->line_no = rec.line;
    if (rc == FZ_EPARSE) return fz__reject(r, err, NULL, "%s", rec.why);
    if (fz__is_blank(rec.raw)) {
        /* Trailing blank lines are how editors end files; any other blank
         * line may hide a damaged record, so it is reported. */
        if (fz__csv_rest_blank(&r->csv)) {
            r->csv.p = r->csv.end;
            return 0;
        }
        return fz__reject(r, err, NULL, "empty line");
    }
    r->nf = rec.nf;
    if (rec.nf > FZ__MAX_FIELDS) return fz__reject(r, err, NULL, "%d fields, more than %d", rec.nf, FZ__MAX_FIELDS);
    if (want && rec.nf != want) return fz__reject(r, err, NULL, "%d fields, expected %d", rec.nf, want);
    return 1;
}

fz_str fz__peek_line(const fz_reader *r, const char **next) {
    const char *p = r->csv.p, *end = r->csv.end;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    *next = nl ? nl + 1 : end;
    if (e > p && e[-1] == '\r') e--;
    return (fz_str){p, (uint32_t)(e - p)};
}

void fz__consume_line(fz_reader *r, fz_str line, const char *next) {
    r->line = line;
    r->line_no = r->csv.line;
    r->csv.p = next;
    r->csv.line++;
}

/* ---- detection -------------------------------------------------------- */

/* The first non-blank line, without consuming anything. */
static fz_str first_line(const fz_reader *r) {
    const char *p = r->csv.p, *end = r->csv.end;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        fz_str s = {p, (uint32_t)(e - p)};
        if (!fz__is_blank(s)) return s;
        p = nl ? nl + 1 : end;
    }
    return (fz_str){"", 0};
}

static int starts_with(fz_str s, const char *lit) {
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}

/* Formats without a header line, recognised by their first line. */
static fz_format sniff_headerless(fz_str l) {
    uint32_t i = 0;
    while (i < l.n && (l.p[i] == ' ' || l.p[i] == '\t')) i++;
    if (i < l.n && l.p[i] == '{') return FZ_FMT_JSONL;
    if (starts_with(l, "BEGIN LAUNDERING ATTEMPT")) return FZ_FMT_IBM_PATTERNS;
    return FZ_FMT_AUTO;
}

/* Read the header line (skipping leading blank lines) into r->f. */
static int read_header(fz_reader *r, fz_error *err) {
    for (;;) {
        fz__csv_rec rec;
        int rc = fz__csv_next(&r->csv, r->f, FZ__MAX_FIELDS, &rec);
        if (rc == FZ_ENOMEM) return fz_error_set(err, FZ_ENOMEM, r->name, 0, 0, NULL, "out of memory");
        if (rc == 0) return fz_error_set(err, FZ_EFORMAT, r->name, 0, 0, NULL, "empty file: no header line");
        r->line = rec.raw;
        r->line_no = rec.line;
        if (rc < 0) return fz_error_set(err, FZ_EFORMAT, r->name, rec.line, 0, NULL, "header: %s", rec.why);
        if (fz__is_blank(rec.raw)) continue;
        if (rec.nf > FZ__MAX_FIELDS)
            return fz_error_set(err, FZ_EFORMAT, r->name, rec.line, 0, NULL, "header has %d columns, more than %d",
                                rec.nf, FZ__MAX_FIELDS);
        r->nf = rec.nf;
        return 0;
    }
}

static int header_is(const fz_reader *r, fz_format f) {
    switch (f) {
    case FZ_FMT_IBM: return fz__fmt_ibm_header(r);
    case FZ_FMT_AMLSIM: return fz__fmt_amlsim_header(r);
    case FZ_FMT_PAYSIM: return fz__fmt_paysim_header(r);
    case FZ_FMT_NATIVE_CSV: return fz__fmt_native_header(r);
    default: return 0;
    }
}

static int detect_csv(fz_reader *r, fz_error *err) {
    int rc = read_header(r, err);
    if (rc != 0) return rc;
    static const fz_format order[] = {FZ_FMT_IBM, FZ_FMT_AMLSIM, FZ_FMT_PAYSIM, FZ_FMT_NATIVE_CSV};
    if (r->fmt != FZ_FMT_AUTO) {
        /* Native is header-driven: its init names any column it dislikes. */
        if (r->fmt == FZ_FMT_NATIVE_CSV || header_is(r, r->fmt)) return 0;
        return fz_error_set(err, FZ_EFORMAT, r->name, r->line_no, 0, NULL, "header is not a %s header: '%.*s'",
                            fz_format_name(r->fmt), (int)(r->line.n > 120 ? 120 : r->line.n), r->line.p);
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (header_is(r, order[i])) {
            r->fmt = order[i];
            return 0;
        }
    }
    return fz_error_set(err, FZ_EFORMAT, r->name, r->line_no, 0, NULL,
                        "header matches no known format (native, jsonl, ibm, ibm-patterns, amlsim, paysim): '%.*s'",
                        (int)(r->line.n > 120 ? 120 : r->line.n), r->line.p);
}

static int start(fz_reader *r, fz_error *err) {
    const char *d = r->src.data;
    size_t n = r->src.size;
    if (n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 BOM from Excel */
        d += 3;
        n -= 3;
    }
    fz__csv_init(&r->csv, d, n, &r->arena);
    if (r->fmt == FZ_FMT_AUTO) {
        r->fmt = sniff_headerless(first_line(r));
    }
    if (r->fmt != FZ_FMT_JSONL && r->fmt != FZ_FMT_IBM_PATTERNS) {
        int rc = detect_csv(r, err);
        if (rc != 0) return rc;
    }
    switch (r->fmt) {
    case FZ_FMT_NATIVE_CSV: return fz__fmt_native_init(r, err);
    case FZ_FMT_JSONL: return fz__fmt_jsonl_init(r, err);
    case FZ_FMT_IBM: return fz__fmt_ibm_init(r, err);
    case FZ_FMT_IBM_PATTERNS: return fz__fmt_ibm_patterns_init(r, err);
    case FZ_FMT_AMLSIM: return fz__fmt_amlsim_init(r, err);
    case FZ_FMT_PAYSIM: return fz__fmt_paysim_init(r, err);
    default: return fz_error_set(err, FZ_EINVAL, r->name, 0, 0, NULL, "bad format %d", (int)r->fmt);
    }
}

/* ---- public API ------------------------------------------------------- */

static int reader_new(fz_reader **out, const char *name, const fz_read_opts *opts, fz_error *err) {
    fz_reader *r = calloc(1, sizeof *r);
    if (!r) return fz_error_set(err, FZ_ENOMEM, name, 0, 0, NULL, "out of memory");
    snprintf(r->name, sizeof r->name, "%s", name);
    if (opts) r->opts = *opts;
    if ((unsigned)r->opts.format >= FZ_FMT__COUNT) {
        free(r);
        return fz_error_set(err, FZ_EINVAL, name, 0, 0, NULL, "bad format %d", (int)opts->format);
    }
    r->ccy = r->opts.currency ? r->opts.currency : FZ_CCY_CNY;
    r->fmt = r->opts.format;
    r->group = -1;
    r->ccy_col = -1;
    fz__arena_init(&r->arena);
    *out = r;
    return 0;
}

static int open_finish(fz_reader **out, fz_reader *r, int rc, fz_error *err) {
    if (rc == 0) rc = start(r, err);
    if (rc != 0) {
        fz_reader_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

int fz_reader_open(fz_reader **out, const char *path, const fz_read_opts *opts, fz_error *err) {
    fz_reader *r = NULL;
    *out = NULL;
    int rc = reader_new(&r, path, opts, err);
    if (rc != 0) return rc;
    return open_finish(out, r, fz__source_load(&r->src, path, err), err);
}

int fz_reader_open_mem(fz_reader **out, const char *name, const char *data, size_t n, const fz_read_opts *opts,
                       fz_error *err) {
    fz_reader *r = NULL;
    *out = NULL;
    int rc = reader_new(&r, name, opts, err);
    if (rc != 0) return rc;
    return open_finish(out, r, fz__source_mem(&r->src, name, data, n, err), err);
}

int fz_reader_next(fz_reader *r, fz_txn *t, fz_error *err) {
    return r->next(r, t, err);
}

void fz_reader_close(fz_reader *r) {
    if (!r) return;
    fz__source_free(&r->src);
    fz__arena_free(&r->arena);
    free(r);
}

fz_format fz_reader_format(const fz_reader *r) { return r->fmt; }

size_t fz_reader_pos(const fz_reader *r) {
    /* Offsets in the (decompressed) text, so pos reaches size at the end. */
    return (size_t)(r->csv.p - r->src.data);
}

size_t fz_reader_size(const fz_reader *r) { return r->src.size; }

fz_str fz_reader_line(const fz_reader *r) { return r->line; }
