/* fz_stats.h — the numbers behind the dashboard's charts. */
#ifndef FZ_STATS_H
#define FZ_STATS_H

#include <jansson.h>
#include <stdint.h>

#include "fz_db.h"
#include "fz_error.h"

#define FZ_STATS_DAYS_MAX 366

/* Alerts raised per Asia/Shanghai calendar day for the `days` days ending
 * with the day of now_ms, oldest first, days without alerts included as 0:
 * {"items": [{"day": "2024-05-01", "count": N}, ...], "days": D,
 * "tz": "Asia/Shanghai"}. Returns 0, FZ_EINVAL naming "days" (not
 * 1..FZ_STATS_DAYS_MAX) or FZ_EIO. */
int fz_stats_alerts_per_day(fz_db *db, int64_t now_ms, int64_t days, json_t **out, fz_error *err);

/* Cases still open or escalated, by age at now_ms:
 * {"items": [{"bucket": "0-1d", "count": N}, ... "1-3d", "3-7d", "7-30d",
 * ">30d"], "total": N}. Returns 0 or FZ_EIO. */
int fz_stats_case_ageing(fz_db *db, int64_t now_ms, json_t **out, fz_error *err);

#endif
