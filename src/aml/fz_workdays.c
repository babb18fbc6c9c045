/* fz_workdays.c — see fz_workdays.h: Monday to Friday until the holiday
 * calendar (fz_calendar, branch hvtr) is merged. */
#include "fz_workdays.h"

#define DAY_MS 86400000LL
#define CN_MS (8 * 3600000LL)

/* 1970-01-01 was a Thursday: day 0 is weekday 3 (Monday 0). */
static int is_working(int64_t day) { return ((day % 7 + 7) % 7 + 3) % 7 < 5; }

int64_t fz_workdays_deadline(int64_t ms, int n) {
    int64_t local = ms + CN_MS;
    int64_t day = local / DAY_MS - (local % DAY_MS < 0);
    while (n > 0) {
        day++;
        n -= is_working(day);
    }
    return (day + 1) * DAY_MS - CN_MS - 1;
}
