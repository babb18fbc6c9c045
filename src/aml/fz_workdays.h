/* fz_workdays.h — deadlines counted in working days, for "a new customer is
 * graded within 10 working days" (docs/kyc.md).
 *
 * The days come from the working-day calendar (fz_calendar.h: weekends,
 * statutory holidays, 调休 make-up days). Without a calendar (NULL) only
 * weekends are off: a deadline that is never later than the true one, so a
 * customer is graded no later than the rule asks. */
#ifndef FZ_WORKDAYS_H
#define FZ_WORKDAYS_H

#include <stdint.h>

#include "fz_calendar.h"

/* The end (23:59:59.999 Asia/Shanghai) of the n-th working day after the
 * day of ms under cal (may be NULL): the deadline of something due "within
 * n working days" of ms. n >= 0; n = 0 is the end of ms's own day. */
int64_t fz_workdays_deadline(const fz_calendar *cal, int64_t ms, int n);

#endif
