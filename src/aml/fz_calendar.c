/* fz_calendar.c — see fz_calendar.h.
 *
 * The overrides are one sorted array of (day, working) pairs; a lookup is a
 * binary search. Loading parses into a scratch list first, so a bad file
 * leaves the calendar as it was. */
#include "fz_calendar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_time.h"

#define CAL_MAX_DAYS 100000      /* overrides in one calendar */
#define CAL_MAX_RANGE 366        /* days in one `off` range */
#define CAL_SEARCH_DAYS 3660     /* add_working_days gives up after ten years */
#define CAL_MAX_FILE (4u << 20)
#define CAL_FIRST_DAY (-25567) /* 1900-01-01: dates before it are refused */

typedef struct cal_day {
    int32_t day;
    int32_t working; /* 1 work, 0 off */
} cal_day;

struct fz_calendar {
    cal_day *d;
    size_t n, cap;
    int32_t year_lo, year_hi; /* years known in full; lo > hi when none */
};

int fz_calendar_new(fz_calendar **out) {
    *out = calloc(1, sizeof **out);
    if (!*out) return FZ_ENOMEM;
    (*out)->year_lo = 1;
    return 0;
}

void fz_calendar_free(fz_calendar *c) {
    if (!c) return;
    free(c->d);
    free(c);
}

int fz_weekday(int32_t day) {
    int r = (int)(((int64_t)day + 3) % 7); /* 1970-01-01 was a Thursday */
    return r < 0 ? r + 7 : r;
}

static const cal_day *find(const fz_calendar *c, int32_t day) {
    size_t lo = 0, hi = c ? c->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->d[mid].day < day) lo = mid + 1;
        else hi = mid;
    }
    return c && lo < c->n && c->d[lo].day == day ? &c->d[lo] : NULL;
}

int fz_calendar_is_working_day(const fz_calendar *c, int32_t day) {
    const cal_day *o = find(c, day);
    return o ? o->working : fz_weekday(day) < 5;
}

int fz_calendar_add_working_days(const fz_calendar *c, int32_t day, int n, int32_t *out) {
    int step = n < 0 ? -1 : 1;
    int left = n < 0 ? -n : n;
    int32_t d = day;
    for (int k = 0; left > 0; k++) {
        if (k >= CAL_SEARCH_DAYS + left || d == INT32_MIN || d == INT32_MAX) return FZ_ERANGE;
        d += step;
        left -= fz_calendar_is_working_day(c, d);
    }
    *out = d;
    return 0;
}

int64_t fz_calendar_working_days_between(const fz_calendar *c, int32_t from, int32_t to) {
    int sign = to < from ? -1 : 1;
    int32_t lo = to < from ? to : from, hi = to < from ? from : to;
    int64_t n = 0;
    for (int64_t d = (int64_t)lo + 1; d <= hi; d++) n += fz_calendar_is_working_day(c, (int32_t)d);
    return sign * n;
}

int fz_calendar_covers(const fz_calendar *c, int32_t day) {
    int64_t y;
    unsigned m, dd;
    fz_civil_from_days(day, &y, &m, &dd);
    return y >= c->year_lo && y <= c->year_hi;
}

/* ---------- loading ---------- */

typedef struct cal_load {
    const char *name;
    long line;
    fz_error *err;
    cal_day *d;
    size_t n, cap;
    int32_t year_lo, year_hi;
} cal_load;

static int push_day(cal_load *l, int32_t day, int working) {
    if (l->n >= CAL_MAX_DAYS)
        return fz_error_set(l->err, FZ_ERANGE, l->name, l->line, 0, "date", "more than %d days listed", CAL_MAX_DAYS);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        cal_day *p = realloc(l->d, cap * sizeof *p);
        if (!p) return fz_error_set(l->err, FZ_ENOMEM, l->name, l->line, 0, NULL, "out of memory");
        l->d = p;
        l->cap = cap;
    }
    l->d[l->n++] = (cal_day){day, working};
    return 0;
}

/* "YYYY-MM-DD" exactly (fz_day_parse alone takes "YYYY/MM/DD" and epoch
 * milliseconds too), a real date from 1900 on. */
static int parse_date(const char *s, size_t n, int32_t *out) {
    if (fz_day_parse(s, n, out)) return -1;
    return *out < CAL_FIRST_DAY ? -1 : 0;
}

/* The next whitespace-separated token of [*p, end). */
static int token(const char **p, const char *end, const char **tok, size_t *n) {
    const char *s = *p;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
    const char *e = s;
    while (e < end && *e != ' ' && *e != '\t' && *e != '\r') e++;
    *tok = s;
    *n = (size_t)(e - s);
    *p = e;
    return e > s;
}

static int bad(cal_load *l, const char *field, const char *what, const char *tok, size_t n) {
    return fz_error_set(l->err, FZ_EPARSE, l->name, l->line, 0, field, "%s: '%.*s'", what, (int)(n > 40 ? 40 : n), tok);
}

/* A 4-digit year into *y. */
static int parse_year(const char *t, size_t n, int32_t *y) {
    if (n != 4) return -1;
    *y = 0;
    for (size_t i = 0; i < 4; i++) {
        if (t[i] < '0' || t[i] > '9') return -1;
        *y = *y * 10 + (t[i] - '0');
    }
    return 0;
}

static int parse_years(cal_load *l, const char *p, const char *end) {
    const char *t[2];
    size_t n[2];
    int32_t y[2];
    for (int i = 0; i < 2; i++) {
        if (!token(&p, end, &t[i], &n[i])) return bad(l, "years", "want two years, FIRST LAST", "", 0);
        if (parse_year(t[i], n[i], &y[i])) return bad(l, "years", "not a year", t[i], n[i]);
    }
    if (y[0] > y[1] || y[0] < 1900) return bad(l, "years", "FIRST must be >= 1900 and <= LAST", t[0], n[0]);
    if (l->year_lo > l->year_hi || y[0] < l->year_lo) l->year_lo = y[0];
    if (y[1] > l->year_hi) l->year_hi = y[1];
    return 0;
}

static int parse_days(cal_load *l, int working, const char *p, const char *end) {
    const char *t;
    size_t n;
    int32_t a, b;
    if (!token(&p, end, &t, &n)) return bad(l, "date", "missing", "", 0);
    const char *dots = n > 12 ? memchr(t, '.', n) : NULL;
    if (dots && (dots + 1 >= t + n || dots[1] != '.')) dots = NULL;
    if (parse_date(t, dots ? (size_t)(dots - t) : n, &a)) return bad(l, "date", "not a date YYYY-MM-DD", t, n);
    b = a;
    if (dots && parse_date(dots + 2, n - (size_t)(dots + 2 - t), &b)) return bad(l, "date", "not a range YYYY-MM-DD..YYYY-MM-DD", t, n);
    if (b < a || b - a >= CAL_MAX_RANGE) return bad(l, "date", "range must run forward, under a year", t, n);
    if (working && b != a) return bad(l, "date", "a make-up working day is one day", t, n);
    for (int32_t d = a; d <= b; d++) {
        int rc = push_day(l, d, working);
        if (rc) return rc;
    }
    return 0;
}

static int parse_line(cal_load *l, const char *p, const char *end) {
    const char *hash = memchr(p, '#', (size_t)(end - p));
    if (hash) end = hash;
    const char *kw;
    size_t n;
    if (!token(&p, end, &kw, &n)) return 0;
    if (n == 5 && !memcmp(kw, "years", 5)) return parse_years(l, p, end);
    if (n == 3 && !memcmp(kw, "off", 3)) return parse_days(l, 0, p, end);
    if (n == 4 && !memcmp(kw, "work", 4)) return parse_days(l, 1, p, end);
    return bad(l, "entry", "want years, off or work", kw, n);
}

static int by_day(const void *a, const void *b) {
    const cal_day *x = a, *y = b;
    if (x->day != y->day) return x->day < y->day ? -1 : 1;
    return x->working - y->working;
}

/* Merge the parsed days into c: a day listed both off and work is an error. */
static int merge(fz_calendar *c, cal_load *l) {
    size_t n = c->n + l->n;
    cal_day *m = malloc((n ? n : 1) * sizeof *m);
    if (!m) return fz_error_set(l->err, FZ_ENOMEM, l->name, 0, 0, NULL, "out of memory");
    memcpy(m, l->d, l->n * sizeof *m);
    if (c->n) memcpy(m + l->n, c->d, c->n * sizeof *m); /* the new file's entries first: they win */
    qsort(m, n, sizeof *m, by_day);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && m[k - 1].day == m[i].day) {
            if (m[k - 1].working == m[i].working) continue;
            char date[16];
            fz_day_format(m[i].day, 0, date, sizeof date);
            free(m);
            return fz_error_set(l->err, FZ_EPARSE, l->name, 0, 0, "date", "%s is listed both off and work", date);
        }
        m[k++] = m[i];
    }
    free(c->d);
    c->d = m;
    c->n = c->cap = k;
    c->year_lo = l->year_lo;
    c->year_hi = l->year_hi;
    return 0;
}

int fz_calendar_load_mem(fz_calendar *c, const char *name, const char *text, size_t n, fz_error *err) {
    cal_load l = {.name = name, .err = err, .year_lo = c->year_lo, .year_hi = c->year_hi};
    const char *p = text, *end = text + n;
    int rc = 0;
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        l.line++;
        if (memchr(p, '\0', (size_t)(e - p))) rc = fz_error_set(err, FZ_EPARSE, name, l.line, 0, NULL, "NUL byte");
        else rc = parse_line(&l, p, e);
        p = nl ? nl + 1 : end;
    }
    if (!rc) rc = merge(c, &l);
    free(l.d);
    return rc;
}

int fz_calendar_load(fz_calendar *c, const char *path, fz_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    char *buf = malloc(CAL_MAX_FILE);
    size_t n = buf ? fread(buf, 1, CAL_MAX_FILE, f) : 0;
    int rc = 0;
    if (!buf) rc = fz_error_set(err, FZ_ENOMEM, path, 0, 0, NULL, "out of memory");
    else if (ferror(f)) rc = fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "read failed");
    else if (n == CAL_MAX_FILE) rc = fz_error_set(err, FZ_ERANGE, path, 0, 0, NULL, "larger than %u bytes", CAL_MAX_FILE);
    fclose(f);
    if (!rc) rc = fz_calendar_load_mem(c, path, buf, n, err);
    free(buf);
    return rc;
}
