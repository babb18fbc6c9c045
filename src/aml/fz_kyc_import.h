/* fz_kyc_import.h — importing a bank's customer base from CSV
 * (`fanzha customers import FILE --db PATH`, docs/kyc.md).
 *
 * Two formats, told apart by the header line:
 *   - Fanzha's customer CSV: the header names customer fields (fz_kyc.h,
 *     any order, "id" required); an empty cell takes the field's default;
 *     owners and data cells hold JSON.
 *   - AMLSim's accounts.csv (acct_id,dsply_nm,type,...): each row is a
 *     natural person whose customer id and account key are
 *     "acct_id@bank_id" (as scan keys AMLSim accounts), with name, SSN
 *     (id_type other), nationality, address and birth date, and a class I
 *     account; prior_sar_count "true" is recorded as a suspicious report.
 * Every row is checked as the API checks a new customer. A bad row is
 * reported as "file:line: field: reason" and counted, and the import goes
 * on; with strict the first bad row stops it and nothing is imported. The
 * whole file is one transaction with one audit entry "customers.import".
 * A gzip file is read as is. */
#ifndef FZ_KYC_IMPORT_H
#define FZ_KYC_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "fz_db.h"
#include "fz_error.h"
#include "fz_http.h"

typedef struct fz_kyc_import_opts {
    int strict;
    /* called with each bad row's error and raw text (no newline); may be NULL */
    void (*reject)(void *ctx, const fz_error *e, const char *raw, size_t n);
    void *ctx;
} fz_kyc_import_opts;

typedef struct fz_kyc_import_stats {
    int64_t rows, imported, rejected;
    const char *format; /* "fanzha" or "amlsim" */
} fz_kyc_import_stats;

/* Import path into db on behalf of who. Returns 0 (rows may have been
 * rejected: see st), FZ_EREJECT (strict and a bad row: nothing imported,
 * err names it), FZ_EFORMAT (an unknown header or column, err names it),
 * FZ_EIO or FZ_ENOMEM. */
int fz_kyc_import(fz_db *db, const fz_principal *who, const char *path, const fz_kyc_import_opts *o,
                  fz_kyc_import_stats *st, fz_error *err);

/* The same over n bytes at data (name is used in messages). */
int fz_kyc_import_mem(fz_db *db, const fz_principal *who, const char *name, const char *data, size_t n,
                      const fz_kyc_import_opts *o, fz_kyc_import_stats *st, fz_error *err);

#endif
