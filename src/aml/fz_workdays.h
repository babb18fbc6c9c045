/* fz_workdays.h — working days, for "graded within 10 working days".
 *
 * The interface KYC needs from the working-day calendar. Until the
 * calendar of statutory holidays and adjusted working weekends (调休) is
 * merged (src/aml/fz_calendar.{h,c}, branch hvtr), fz_workdays.c counts
 * Monday to Friday in Asia/Shanghai; at the merge it becomes a call into
 * that calendar and this header stays. */
#ifndef FZ_WORKDAYS_H
#define FZ_WORKDAYS_H

#include <stdint.h>

/* The end (23:59:59.999 Asia/Shanghai) of the n-th working day after the
 * day of ms: the deadline of something due "within n working days" of ms.
 * n >= 0; n = 0 is the end of ms's own day. */
int64_t fz_workdays_deadline(int64_t ms, int n);

#endif
