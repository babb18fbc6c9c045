/* fz_features_out.c — see fz_features_out.h. */
#include "fz_features_out.h"

#include <errno.h>
#include <string.h>

#include "fz_jsonw.h"

int fz_features_out_open(fz_features_out *o, const char *path, fz_error *err) {
    memset(o, 0, sizeof *o);
    o->path = path;
    if (!(o->f = fopen(path, "w"))) return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
    setvbuf(o->f, NULL, _IOFBF, 1 << 20);
    return 0;
}

int fz_features_out_start(void *ctx, const fz_engine *e, fz_error *err) {
    fz_features_out *o = ctx;
    (void)err;
    o->n = fz_engine_features_count(e);
    fprintf(o->f, "# %s\ntxn_id,label,typology", FZ_FEATURES_VERSION);
    for (int i = 0; i < o->n; i++) fprintf(o->f, ",%s", fz_engine_feature_name(e, i));
    fputc('\n', o->f);
    return 0;
}

int fz_features_out_row(void *ctx, const fz_txn *t, fz_str id, const fz_decision *d, const float *x,
                        fz_error *err) {
    fz_features_out *o = ctx;
    (void)d;
    (void)err;
    fz_csvw_field(o->f, id.p, id.n);
    if (t->label >= 0) fprintf(o->f, ",%d,", t->label);
    else fputs(",,", o->f);
    fz_csvw_field(o->f, t->typology.p, t->typology.n);
    for (int i = 0; x && i < o->n; i++) {
        if (x[i] != x[i]) fputc(',', o->f); /* NaN: missing */
        else fprintf(o->f, ",%.9g", (double)x[i]);
    }
    fputc('\n', o->f);
    return 0;
}

int fz_features_out_close(fz_features_out *o, fz_error *err) {
    if (!o->f) return 0;
    int bad = ferror(o->f) | fclose(o->f);
    o->f = NULL;
    return bad ? fz_error_set(err, FZ_EIO, o->path, 0, 0, NULL, "write failed: %s", strerror(errno)) : 0;
}
