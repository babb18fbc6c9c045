/* fz_time.c — see fz_time.h.
 *
 * fz_time_parse is on the CSV hot path: fixed-position digit reads, no
 * sscanf/strptime/timegm, no locale and no tz database. */
#include "fz_time.h"

#include <stdio.h>
#include <string.h>

#include "fz_error.h"

/* Howard Hinnant's days_from_civil: shifting the year to start on March 1st
 * puts the leap day last, so day-of-year is a closed formula. */
int64_t fz_days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? (int64_t)m - 3 : (int64_t)m + 9) + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Hinnant's civil_from_days, the inverse of the above. */
void fz_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d) {
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

static unsigned month_days(int64_t y, unsigned m) {
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return len[m - 1] + (m == 2 && is_leap(y));
}

/* Reads exactly k digits at s[*i]; -1 if any is not a digit or missing. */
static int digits_at(const char *s, size_t n, size_t *i, int k) {
    if (*i + (size_t)k > n) return -1;
    int v = 0;
    for (int j = 0; j < k; j++) {
        unsigned d = (unsigned)(unsigned char)s[*i + (size_t)j] - '0';
        if (d > 9) return -1;
        v = v * 10 + (int)d;
    }
    *i += (size_t)k;
    return v;
}

/* A bare (optionally negative) integer of epoch milliseconds. */
static int parse_epoch_ms(const char *s, size_t n, fz_ms *out) {
    size_t i = s[0] == '-';
    if (i == n) return FZ_EPARSE;
    uint64_t v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9 || __builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, d, &v))
            return FZ_EPARSE;
    }
    if (v > (uint64_t)INT64_MAX + (s[0] == '-')) return FZ_EPARSE;
    *out = s[0] == '-' ? (fz_ms)(0 - v) : (fz_ms)v;
    return 0;
}

/* "Z", "+08:00", "+0800" or "+08" from s[i] to the end; the offset in ms
 * (positive east of UTC). Nothing left means UTC. */
static int parse_offset(const char *s, size_t n, size_t i, int64_t *off) {
    *off = 0;
    if (i == n) return 0;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n) return 0;
    if (s[i] != '+' && s[i] != '-') return FZ_EPARSE;
    int sign = s[i++] == '-' ? -1 : 1;
    int hh = digits_at(s, n, &i, 2), mm = 0;
    if (hh < 0 || hh > 23) return FZ_EPARSE;
    if (i < n) {
        if (s[i] == ':') i++;
        if ((mm = digits_at(s, n, &i, 2)) < 0 || mm > 59 || i != n) return FZ_EPARSE;
    }
    *off = sign * (hh * FZ_MS_PER_HOUR + mm * FZ_MS_PER_MIN);
    return 0;
}

/* "HH:MM[:SS[.fff]]" from s[*i]: milliseconds of the day. Fraction digits
 * past the third are accepted and truncated (sub-ms precision is dropped). */
static int64_t parse_clock(const char *s, size_t n, size_t *i) {
    int hh = digits_at(s, n, i, 2);
    if (hh < 0 || hh > 23 || *i >= n || s[*i] != ':') return -1;
    (*i)++;
    int mm = digits_at(s, n, i, 2), ss = 0, ms = 0;
    if (mm < 0 || mm > 59) return -1;
    if (*i < n && s[*i] == ':') {
        (*i)++;
        if ((ss = digits_at(s, n, i, 2)) < 0 || ss > 59) return -1;
        if (*i < n && (s[*i] == '.' || s[*i] == ',')) {
            (*i)++;
            int k = 0;
            for (; *i < n && (unsigned)(unsigned char)s[*i] - '0' <= 9; (*i)++, k++)
                if (k < 3) ms = ms * 10 + (s[*i] - '0');
            if (k == 0) return -1;
            for (; k < 3; k++) ms *= 10;
        }
    }
    return hh * FZ_MS_PER_HOUR + mm * FZ_MS_PER_MIN + ss * FZ_MS_PER_SEC + ms;
}

int fz_time_parse(const char *s, size_t n, fz_ms *out) {
    if (n == 0) return FZ_EPARSE;
    size_t i = 0;
    int y = digits_at(s, n, &i, 4);
    if (y < 0 || i == n || (s[i] != '-' && s[i] != '/')) return parse_epoch_ms(s, n, out);
    char sep = s[i++];
    int mo = digits_at(s, n, &i, 2);
    if (mo < 1 || mo > 12 || i >= n || s[i] != sep) return FZ_EPARSE;
    i++;
    int d = digits_at(s, n, &i, 2);
    if (d < 1 || (unsigned)d > month_days(y, (unsigned)mo)) return FZ_EPARSE;
    int64_t ms = 0, off = 0;
    if (i < n) {
        if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return FZ_EPARSE;
        i++;
        if ((ms = parse_clock(s, n, &i)) < 0 || parse_offset(s, n, i, &off) != 0)
            return FZ_EPARSE;
    }
    *out = fz_days_from_civil(y, (unsigned)mo, (unsigned)d) * FZ_MS_PER_DAY + ms - off;
    return 0;
}

/* Floor split of t into a day and the ms into it, so instants before 1970
 * land on the right day; no multiplication, so INT64_MIN cannot overflow. */
static int64_t split_day(fz_ms t, int64_t *ms_of_day) {
    int64_t r = t % FZ_MS_PER_DAY;
    int64_t day = t / FZ_MS_PER_DAY;
    if (r < 0) {
        r += FZ_MS_PER_DAY;
        day--;
    }
    *ms_of_day = r;
    return day;
}

int fz_time_cn_hour(fz_ms t) {
    /* Split first so t + 8h cannot overflow near INT64_MAX. */
    int64_t in_day;
    split_day(t, &in_day);
    return (int)(((in_day + FZ_CN_OFFSET_MS) / FZ_MS_PER_HOUR) % 24);
}

/* Copies the formatted text into buf, truncating; returns the bytes stored. */
static size_t emit(const char *tmp, size_t len, char *buf, size_t n) {
    if (n == 0) return 0;
    if (len > n - 1) len = n - 1;
    memcpy(buf, tmp, len);
    buf[len] = '\0';
    return len;
}

static void put2(char *p, unsigned v) {
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD" (or "YYYYMMDD"); years outside 0..9999 fall back to printf. */
static size_t date_text(int64_t days, int compact, char *p) {
    int64_t y;
    unsigned m, d;
    fz_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        return (size_t)sprintf(p, compact ? "%lld%02u%02u" : "%lld-%02u-%02u", (long long)y, m, d);
    put2(p, (unsigned)(y / 100));
    put2(p + 2, (unsigned)(y % 100));
    char *q = p + 4;
    if (!compact) *q++ = '-';
    put2(q, m);
    q += 2;
    if (!compact) *q++ = '-';
    put2(q, d);
    return (size_t)(q + 2 - p);
}

size_t fz_time_format(fz_ms t, char *buf, size_t n) {
    char tmp[64];
    int64_t r;
    int64_t day = split_day(t, &r);
    size_t len = date_text(day, 0, tmp);
    char *p = tmp + len;
    *p++ = 'T';
    put2(p, (unsigned)(r / FZ_MS_PER_HOUR));
    p[2] = ':';
    put2(p + 3, (unsigned)(r / FZ_MS_PER_MIN % 60));
    p[5] = ':';
    put2(p + 6, (unsigned)(r / FZ_MS_PER_SEC % 60));
    p[8] = '.';
    unsigned ms = (unsigned)(r % 1000);
    p[9] = (char)('0' + ms / 100);
    put2(p + 10, ms % 100);
    p[12] = 'Z';
    return emit(tmp, len + 14, buf, n);
}

int fz_day_parse(const char *s, size_t n, int32_t *day) {
    fz_ms t;
    /* fz_time_parse also takes "2026/11/03" and 10-digit epoch ms: the
     * dashes make it the one form the header promises */
    if (n != 10 || s[4] != '-' || s[7] != '-' || fz_time_parse(s, n, &t)) return FZ_EPARSE;
    *day = (int32_t)(t / FZ_MS_PER_DAY);
    return 0;
}

size_t fz_day_format(int32_t day, int compact, char *buf, size_t n) {
    char tmp[48];
    return emit(tmp, date_text(day, compact, tmp), buf, n);
}
