/* fz_lvreport.c — from gathered large-value records to report files and
 * deadlines (fz_lvreport.h). */
#include "fz_lvreport.h"

#include <stdlib.h>
#include <string.h>

#include "fz_time.h"

/* The entries being built, and copies of the transaction ids they point at
 * (src->id's are valid only until its next call). */
typedef struct entries {
    fz_hvtr_entry *e;
    size_t n;
    char **ids;
    size_t nids;
} entries;

static int note_day(fz_lvreport *r, int32_t day) {
    for (size_t i = 0; i < r->ndays; i++)
        if (r->days[i] == day) return 0;
    int32_t *d = realloc(r->days, (r->ndays + 1) * sizeof *d);
    if (!d) return FZ_ENOMEM;
    r->days = d;
    r->days[r->ndays++] = day;
    return 0;
}

static int grow(entries *x, size_t more) {
    fz_hvtr_entry *ne = realloc(x->e, (x->n + more + 1) * sizeof *ne);
    if (ne) x->e = ne;
    char **ni = realloc(x->ids, (x->nids + more + 1) * sizeof *ni);
    if (ni) x->ids = ni;
    return ne && ni ? 0 : FZ_ENOMEM;
}

/* One entry per transaction of record i, when its day is in range. */
static int record_entries(const fz_lvreport_opts *o, const fz_lvreport_src *src, size_t i, entries *x,
                          fz_lvreport *r) {
    fz_lv_record rec;
    uint32_t count = fz_lv_book_get(src->book, i, &rec, NULL, 0);
    if (rec.h.day < o->from || rec.h.day > o->to) return 0;
    uint32_t *tx = malloc((count + 1) * sizeof *tx);
    if (!tx || grow(x, count) || note_day(r, rec.h.day)) return free(tx), FZ_ENOMEM;
    fz_lv_book_get(src->book, i, &rec, tx, count);
    fz_str key = src->cust_key(src->ctx, rec.h.cust);
    for (uint32_t k = 0; k < count; k++) {
        fz_str id = src->id(src->ctx, tx[k]);
        char *copy = strndup(id.p, id.n);
        if (!copy) return free(tx), FZ_ENOMEM;
        x->ids[x->nids++] = copy;
        const fz_txn *t = src->row(src->ctx, tx[k]);
        x->e[x->n++] = (fz_hvtr_entry){key, {copy, id.n}, rec.h.day, rec.h.crcd, rec.h.dir,
                                       (uint8_t)src->both_home(src->ctx, t), t};
    }
    r->records++;
    free(tx);
    return 0;
}

int fz_lvreport_add(fz_lvreport_opts *o, const fz_lvreport_src *src, fz_lvreport *r, fz_error *err) {
    entries x = {0};
    int rc = 0;
    for (size_t i = 0; i < fz_lv_book_count(src->book) && !rc; i++) rc = record_entries(o, src, i, &x, r);
    if (rc) fz_error_set(err, rc, NULL, 0, 0, NULL, "out of memory");
    else rc = fz_hvtr_build(o->hc, o->kind, x.e, x.n, o->date, &o->seq, &r->xml, err);
    for (size_t i = 0; i < x.nids; i++) free(x.ids[i]);
    free(x.ids);
    free(x.e);
    return rc;
}

static int by_day(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int fz_lvreport_finish(fz_lvreport_opts *o, fz_lvreport *r, fz_error *err) {
    fz_ms mtime = (fz_ms)o->date * FZ_MS_PER_DAY - FZ_CN_OFFSET_MS; /* the report day's Shanghai midnight */
    if (r->ndays) qsort(r->days, r->ndays, sizeof *r->days, by_day);
    return fz_hvtr_bundle(o->hc, &r->xml, o->kind, o->date, &o->zseq, mtime, &r->zip, err);
}

void fz_lvreport_free(fz_lvreport *r) {
    fz_report_files_free(&r->xml);
    fz_report_files_free(&r->zip);
    free(r->days);
    memset(r, 0, sizeof *r);
}

int fz_lvreport_deadline(const fz_calendar *cal, int32_t day, int32_t today, fz_lv_deadline *d) {
    int rc = fz_hvtr_due(cal, day, &d->due);
    if (rc) return rc;
    d->left = fz_calendar_working_days_between(cal, today, d->due);
    d->provisional = !fz_calendar_covers(cal, d->due);
    return 0;
}
