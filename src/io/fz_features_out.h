/* fz_features_out.h — write feature vectors as CSV (fanzha features).
 *
 * A first line "# fz-features-1" names the layout; the header is
 * txn_id,label,typology and the feature names; a missing value (NaN) is an
 * empty field; floats are written with %.9g, which reads back to the same
 * float. The functions fit fz_scan_hooks. */
#ifndef FZ_FEATURES_OUT_H
#define FZ_FEATURES_OUT_H

#include <stdio.h>

#include "fz_decision.h"
#include "fz_engine.h"
#include "fz_error.h"
#include "fz_txn.h"

typedef struct fz_features_out {
    FILE *f;
    const char *path;
    int n; /* features per row */
} fz_features_out;

/* Create path. Returns 0 or FZ_EIO. */
int fz_features_out_open(fz_features_out *o, const char *path, fz_error *err);

/* The version and header lines, from the engine's feature names. */
int fz_features_out_start(void *o, const fz_engine *e, fz_error *err);

/* One row. */
int fz_features_out_row(void *o, const fz_txn *t, fz_str id, const fz_decision *d, const float *x, fz_error *err);

/* Flush and close; FZ_EIO if anything failed to be written. */
int fz_features_out_close(fz_features_out *o, fz_error *err);

#endif
