/* fz_native.h — write canonical records in Fanzha's native CSV and JSON lines.
 *
 * The column set and order are fixed by this module and documented in
 * docs/formats.md; the native readers accept any order (header-driven). */
#ifndef FZ_NATIVE_H
#define FZ_NATIVE_H

#include <stdio.h>

#include "fz_txn.h"

/* Write the native CSV header line. Returns 0 or FZ_EIO. */
int fz_native_write_header(FILE *f);

/* Write one record as a native CSV row (quoted where needed). */
int fz_native_write_row(FILE *f, const fz_txn *t);

/* Write one record as a JSON object on one line. */
int fz_native_write_json(FILE *f, const fz_txn *t);

#endif
