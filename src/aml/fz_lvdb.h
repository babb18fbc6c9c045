/* fz_lvdb.h — large-value records (大额交易) and report files in the store.
 *
 * The event log writes a large_value row for each record the engine makes
 * (fz_eventlog.h): customer, Shanghai day, CRCD, direction, RMB or FX
 * basis, status 'pending'. Each record is due FZ_HVTR_DEADLINE_DAYS working
 * days after its day (the configured calendar). Making the files takes the
 * pending records of a range of days, gathers the stored transactions of
 * those days behind them and runs the same pipeline as `fanzha report
 * large-value` (fz_lvreport.h); the XML files and ZIP bundles are stored in
 * report_files, the records become 'filed' with the XML file that holds
 * them, and one audit entry says who did it — all in one transaction. */
#ifndef FZ_LVDB_H
#define FZ_LVDB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "fz_calendar.h"
#include "fz_casedb.h"
#include "fz_db.h"
#include "fz_error.h"
#include "fz_http.h"
#include "fz_hvtr.h"

struct fz_engine;
struct fz_exempt;

#define FZ_LVDB_DEMO_RICD "C0000000000001" /* the institution code when none is configured */
#define FZ_LVDB_MAX_DAYS 31                /* days of one POST .../files */

typedef struct fz_lv_filter {
    int64_t from_day, to_day; /* record days, inclusive; FZ_CASEDB_ANY for unbounded */
    const char *status;       /* pending, filed; NULL any */
    const char *customer;     /* exactly; NULL any */
    fz_page page;
} fz_lv_filter;

/* One page of records, oldest day first: id, seq, txn_id, customer, day
 * (number), date, crcd ("0501"), direction (in, out), basis (cny, fx),
 * rule, created_ms, status, file_id, file_name, filed_ms, and due_date,
 * days_left (working days from today; negative when overdue), overdue,
 * provisional. FZ_EINVAL naming "status" for an unknown status. */
int fz_lvdb_list(fz_db *db, const fz_calendar *cal, int32_t today, const fz_lv_filter *f, json_t **out,
                 fz_error *err);

/* The deadline board as of today: pending large-value records by day and
 * open suspicious reports (draft, submitted), in "overdue", "due_today" and
 * "due_soon" (within `within` working days), each with counts; "by_day",
 * what falls due on each day (large_value records, suspicious reports),
 * oldest first. Returns 0 or FZ_EIO. */
int fz_lvdb_board(fz_db *db, const fz_calendar *cal, int32_t today, int within, json_t **out, fz_error *err);

/* What making files needs. */
typedef struct fz_lvdb_make {
    const fz_hvtr_config *hc;        /* RICD, FINC, TRCD */
    const struct fz_engine *engine;  /* how sides bind to customers; the home bank */
    const struct fz_exempt *exempt;  /* the exemptions the scorer applied, or NULL */
    int32_t from, to;                /* record days, inclusive */
    int32_t date;                    /* the report day in the names (today) */
} fz_lvdb_make;

/* Make and store the files of every pending record of days from..to (see
 * above); *out gets {"records", "files": [file rows], "days": [...]}.
 * Returns 0, FZ_EFULL (no pending record in those days), FZ_EINVAL,
 * FZ_ENOMEM or FZ_EIO. */
int fz_lvdb_make_files(fz_db *db, const fz_lvdb_make *m, const fz_principal *who, json_t **out, fz_error *err);

/* Stored files, newest first: id, name, kind (xml, zip), report, report_date,
 * records, created_by, created_ms, bytes. */
int fz_lvdb_files(fz_db *db, fz_page page, json_t **out, fz_error *err);

/* File id's name (into name[64]), kind (into kind[8]) and bytes (malloc'd).
 * FZ_ENOTFOUND when none. */
int fz_lvdb_file(fz_db *db, int64_t id, char name[64], char kind[8], unsigned char **data, size_t *n,
                 fz_error *err);

#endif
