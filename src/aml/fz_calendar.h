/* fz_calendar.h — the working-day calendar every reporting deadline uses.
 *
 * Mondays to Fridays are working days, Saturdays and Sundays are not, and a
 * configured list overrides both: public holidays (`off`) and make-up
 * working days on a weekend (`work`, 调休). The list is a text file
 * (rules/calendar-cn.txt ships China's State Council arrangements; the
 * format is described there and in docs/reports.md). Days are Asia/Shanghai
 * day numbers (days since 1970-01-01, fz_time_cn_day). */
#ifndef FZ_CALENDAR_H
#define FZ_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "fz_error.h"

typedef struct fz_calendar fz_calendar;

/* A calendar with weekends only and no known years. Returns 0 or FZ_ENOMEM. */
int fz_calendar_new(fz_calendar **out);
void fz_calendar_free(fz_calendar *c);

/* Add the entries of a calendar file (path) or of text in memory (name is
 * used in errors). Errors name "file:line: field: reason" and leave the
 * calendar unchanged. Returns 0, FZ_EIO, FZ_EPARSE, FZ_ERANGE or FZ_ENOMEM. */
int fz_calendar_load(fz_calendar *c, const char *path, fz_error *err);
int fz_calendar_load_mem(fz_calendar *c, const char *name, const char *text, size_t n, fz_error *err);

/* 1 if day is a working day, else 0. Here and in the working-day
 * arithmetic below, c may be NULL: weekends only. */
int fz_calendar_is_working_day(const fz_calendar *c, int32_t day);

/* The n-th working day after day (n > 0), before it (n < 0), or day itself
 * (n == 0), into *out. Returns 0, or FZ_ERANGE when no such day is found
 * within ten years (a calendar with no working days). */
int fz_calendar_add_working_days(const fz_calendar *c, int32_t day, int n, int32_t *out);

/* The number of working days d with from < d <= to; negative (minus those
 * with to < d <= from) when to < from. So between(day, add(day, n)) == n. */
int64_t fz_calendar_working_days_between(const fz_calendar *c, int32_t from, int32_t to);

/* 1 if day's year is one the loaded files declared complete (`years`);
 * outside them only weekends are known, and a deadline is provisional. */
int fz_calendar_covers(const fz_calendar *c, int32_t day);

/* 0 Monday ... 6 Sunday. */
int fz_weekday(int32_t day);

#endif
