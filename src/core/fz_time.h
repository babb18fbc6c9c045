/* fz_time.h — time as int64 milliseconds since 1970-01-01T00:00:00Z.
 *
 * Calendar days for reporting are Asia/Shanghai days: China has kept UTC+8
 * all year since 1991, so a fixed offset is exact and needs no tz database. */
#ifndef FZ_TIME_H
#define FZ_TIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t fz_ms;

#define FZ_MS_PER_SEC 1000LL
#define FZ_MS_PER_MIN 60000LL
#define FZ_MS_PER_HOUR 3600000LL
#define FZ_MS_PER_DAY 86400000LL
#define FZ_CN_OFFSET_MS (8 * FZ_MS_PER_HOUR)

/* The times a canonical record may carry: years 0001 to 9999, the range
 * every writer can write and every reader read back. */
#define FZ_TIME_MIN_MS (-62135596800000LL) /* 0001-01-01T00:00:00Z */
#define FZ_TIME_END_MS 253402300800000LL    /* 10000-01-01T00:00:00Z, excluded */

/* Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian). */
int64_t fz_days_from_civil(int64_t y, unsigned m, unsigned d);

/* The civil date of a day number (inverse of fz_days_from_civil). */
void fz_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Parse a timestamp. Accepted:
 *   2017-01-01T00:00:00Z, 2017-01-01T08:00:00+08:00, 2017-01-01 00:00:00.123,
 *   2017-01-01T00:00, 2022/09/01 05:14 (IBM), 2017-01-01 (midnight),
 *   and a bare integer of epoch milliseconds.
 * A time with no offset is UTC. Fields are range-checked (month 1-12, day
 * within the month, hour < 24 ...). Returns 0 or FZ_EPARSE. */
int fz_time_parse(const char *s, size_t n, fz_ms *out);

/* The Asia/Shanghai calendar day (days since 1970-01-01) of an instant. */
static inline int32_t fz_time_cn_day(fz_ms t) {
    int64_t l = t + FZ_CN_OFFSET_MS;
    return (int32_t)(l >= 0 ? l / FZ_MS_PER_DAY : -((-l + FZ_MS_PER_DAY - 1) / FZ_MS_PER_DAY));
}

/* The Asia/Shanghai hour of day, 0-23. */
int fz_time_cn_hour(fz_ms t);

/* Write t as "2017-01-01T00:00:00.000Z". Returns the length. */
size_t fz_time_format(fz_ms t, char *buf, size_t n);

/* Parse a date "YYYY-MM-DD" (exactly 10 bytes) into its day number.
 * Returns 0 or FZ_EPARSE. */
int fz_day_parse(const char *s, size_t n, int32_t *day);

/* Write a day number as "YYYY-MM-DD" (or "YYYYMMDD" when compact). */
size_t fz_day_format(int32_t day, int compact, char *buf, size_t n);

#endif
