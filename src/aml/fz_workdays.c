/* fz_workdays.c — see fz_workdays.h. */
#include "fz_workdays.h"

#include "fz_time.h"

#define DAY_MS 86400000LL
#define CN_MS (8 * 3600000LL)

int64_t fz_workdays_deadline(const fz_calendar *cal, int64_t ms, int n) {
    int32_t day = fz_time_cn_day(ms), end = day;
    if (fz_calendar_add_working_days(cal, day, n, &end)) end = day + 2 * n; /* a calendar with no working days */
    return ((int64_t)end + 1) * DAY_MS - CN_MS - 1;
}
