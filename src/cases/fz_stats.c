/* fz_stats.c — dashboard counts (fz_stats.h). */
#include "fz_stats.h"

#include <string.h>

#include "fz_casedb.h"
#include "fz_time.h"

/* Run a cached two-column (bucket index, count) GROUP BY with ?1 and ?2
 * bound (binding an absent ?2 fails harmlessly), adding each count into
 * counts[bucket] for buckets in [0, n). */
static int tally(fz_db *db, const char *sql, int64_t a, int64_t b, int64_t *counts, int64_t n, fz_error *err) {
    sqlite3_stmt *st;
    int rc = fz_casedb_prep(db, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t i = sqlite3_column_int64(st, 0);
        if (i >= 0 && i < n) counts[i] += sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fz_db_fail(db, rc, "stats", err);
}

/* ?1 the first day (Shanghai day number), ?2 its first instant in ms UTC;
 * 28800000 is Shanghai's offset (FZ_CN_OFFSET_MS). */
static const char sql_per_day[] = "SELECT (created_ms + 28800000) / 86400000 - ?1 AS d, count(*) FROM alerts "
                                  "WHERE created_ms >= ?2 GROUP BY d";

int fz_stats_alerts_per_day(fz_db *db, int64_t now_ms, int64_t days, json_t **out, fz_error *err) {
    *out = NULL;
    if (days < 1 || days > FZ_STATS_DAYS_MAX)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "days", "must be an integer from 1 to %d", FZ_STATS_DAYS_MAX);
    int64_t counts[FZ_STATS_DAYS_MAX] = {0};
    int64_t first = fz_time_cn_day(now_ms) - days + 1;
    int rc = tally(db, sql_per_day, first, first * FZ_MS_PER_DAY - FZ_CN_OFFSET_MS, counts, days, err);
    if (rc) return rc;
    json_t *items = json_array();
    for (int64_t i = 0; i < days; i++) {
        char day[16];
        fz_day_format((int32_t)(first + i), 0, day, sizeof day);
        json_array_append_new(items, json_pack("{s:s, s:I}", "day", day, "count", (json_int_t)counts[i]));
    }
    *out = json_pack("{s:o, s:I, s:s}", "items", items, "days", (json_int_t)days, "tz", "Asia/Shanghai");
    return *out ? 0 : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
}

/* ?1 now (tally's ?2 binds to nothing here). Bucket bounds in days: 1, 3, 7, 30. */
static const char sql_ageing[] =
    "SELECT CASE WHEN ?1 - created_ms < 86400000 THEN 0 WHEN ?1 - created_ms < 259200000 THEN 1 "
    "WHEN ?1 - created_ms < 604800000 THEN 2 WHEN ?1 - created_ms < 2592000000 THEN 3 ELSE 4 END AS b, count(*) "
    "FROM cases WHERE status IN ('open', 'escalated') GROUP BY b";

int fz_stats_case_ageing(fz_db *db, int64_t now_ms, json_t **out, fz_error *err) {
    static const char *const names[] = {"0-1d", "1-3d", "3-7d", "7-30d", ">30d"};
    int64_t counts[5] = {0}, total = 0;
    *out = NULL;
    int rc = tally(db, sql_ageing, now_ms, 0, counts, 5, err);
    if (rc) return rc;
    json_t *items = json_array();
    for (int i = 0; i < 5; i++) {
        json_array_append_new(items, json_pack("{s:s, s:I}", "bucket", names[i], "count", (json_int_t)counts[i]));
        total += counts[i];
    }
    *out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
    return *out ? 0 : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
}
