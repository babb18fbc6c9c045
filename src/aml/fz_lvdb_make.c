/* fz_lvdb_make.c — making large-value report files from the store
 * (fz_lvdb_make_files in fz_lvdb.h): pending records and the stored
 * transactions of their days, through the pipeline the CLI uses
 * (fz_lvreport.h), into report_files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_audit.h"
#include "fz_engine.h"
#include "fz_exempt.h"
#include "fz_intern.h"
#include "fz_lvdb.h"
#include "fz_lvreport.h"
#include "fz_reader.h"
#include "fz_time.h"
#include "fz_xmlw.h"

/* One run: records (book order = ids order) and the days' transactions. */
typedef struct run {
    const fz_lvdb_make *m;
    fz_intern *keys; /* the records' customers, local dense ids */
    fz_lv_book *book;
    int64_t *ids;    /* large_value.id of book record i */
    size_t nids;
    char *buf;       /* the transactions as JSON lines */
    size_t nbuf;
    fz_reader *rd;   /* holds the strings of txn[] */
    fz_txn *txn;
    size_t ntxn, cap;
    fz_rates rates;
    int64_t *file_ids; /* report_files ids of lv.xml then lv.zip */
    fz_lvreport lv;
} run;

static int oom(fz_error *err) { return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }

static int add_record(run *r, sqlite3_stmt *st, fz_error *err) {
    size_t n;
    const char *key = fz_db_col_text(st, 1, &n);
    int64_t c = fz_intern_get(r->keys, key, n, NULL);
    int64_t *ids = realloc(r->ids, (r->nids + 1) * sizeof *ids);
    if (ids) r->ids = ids;
    fz_lv_hit h = {(uint32_t)c, sqlite3_column_int(st, 2), (uint16_t)sqlite3_column_int(st, 3), 0,
                   (uint8_t)sqlite3_column_int(st, 4), (uint8_t)sqlite3_column_int(st, 5), {0, 0}};
    if (c < 0 || !ids || fz_lv_book_add(r->book, &h)) return oom(err);
    r->ids[r->nids++] = sqlite3_column_int64(st, 0);
    return 0;
}

static int load_records(fz_db *db, run *r, fz_error *err) {
    static const char sql[] = "SELECT id, customer, day, crcd, dir, fx FROM large_value"
                              " WHERE status = 'pending' AND day >= ? AND day <= ? ORDER BY id";
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_int(st, 1, r->m->from);
    sqlite3_bind_int(st, 2, r->m->to);
    int rc = 0, s;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) rc = add_record(r, st, err);
    sqlite3_reset(st);
    if (!rc && s != SQLITE_DONE) rc = fz_db_fail(db, s, "read large-value records", err);
    if (!rc && !r->nids)
        rc = fz_error_set(err, FZ_EFULL, NULL, 0, 0, "from", "no pending large-value record in these days");
    return rc;
}

/* The stored transactions of the records' days, in scoring order, parsed. */
static int load_txns(fz_db *db, run *r, fz_error *err) {
    static const char sql[] = "SELECT txn FROM events WHERE txn_ms >= ? AND txn_ms < ? ORDER BY seq";
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    FILE *f = st ? open_memstream(&r->buf, &r->nbuf) : NULL;
    if (!f) return st ? oom(err) : FZ_EIO;
    sqlite3_bind_int64(st, 1, (fz_ms)r->m->from * FZ_MS_PER_DAY - FZ_CN_OFFSET_MS);
    sqlite3_bind_int64(st, 2, (fz_ms)(r->m->to + 1) * FZ_MS_PER_DAY - FZ_CN_OFFSET_MS);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) fprintf(f, "%s\n", fz_db_col_text(st, 0, NULL));
    sqlite3_reset(st);
    if (fclose(f)) return oom(err);
    if (s != SQLITE_DONE) return fz_db_fail(db, s, "read events", err);
    fz_read_opts o = {.format = FZ_FMT_JSONL};
    int rc = fz_reader_open_mem(&r->rd, "event log", r->buf, r->nbuf, &o, err);
    fz_txn t;
    while (!rc && (rc = fz_reader_next(r->rd, &t, err)) == 1) {
        rc = 0;
        if (r->m->exempt) fz_exempt_apply(r->m->exempt, &t);
        if (r->ntxn == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 256;
            fz_txn *p = realloc(r->txn, cap * sizeof *p);
            if (!p) return oom(err);
            r->txn = p, r->cap = cap;
        }
        r->txn[r->ntxn++] = t;
    }
    return rc < 0 ? rc : 0;
}

/* A side's customer as a local id, or UINT32_MAX when it has no record. */
static uint32_t local_customer(const run *r, const fz_txn *t, int side) {
    uint32_t c = fz_engine_side_customer(r->m->engine, t, side);
    if (c == UINT32_MAX) return c;
    size_t n;
    const char *key = fz_engine_customer_key(r->m->engine, c, &n);
    int64_t k = fz_intern_find(r->keys, key, n);
    return k < 0 ? UINT32_MAX : (uint32_t)k;
}

static int gather(run *r, fz_error *err) {
    if (fz_lv_book_index(r->book)) return oom(err);
    for (size_t k = 0; k < r->ntxn; k++) {
        const uint32_t cust[2] = {local_customer(r, &r->txn[k], 0), local_customer(r, &r->txn[k], 1)};
        if (fz_lv_book_offer_txn(r->book, (uint32_t)k, &r->txn[k], cust, &r->rates)) return oom(err);
    }
    return 0;
}

/* ---- the pipeline's view of the run ---- */

static fz_str cust_key(void *ctx, uint32_t cust) {
    size_t n;
    const char *p = fz_intern_key(((run *)ctx)->keys, cust, &n);
    return (fz_str){p, (uint32_t)n};
}
static const fz_txn *row(void *ctx, size_t k) { return &((run *)ctx)->txn[k]; }
static fz_str txn_id(void *ctx, size_t k) { return ((run *)ctx)->txn[k].id; }
static int both_home(void *ctx, const fz_txn *t) {
    const fz_engine *e = ((run *)ctx)->m->engine;
    return t->payer_acct.n && t->payee_acct.n && fz_engine_is_home(e, t->payer_bank) &&
           fz_engine_is_home(e, t->payee_bank);
}

/* The next sequence number of the report day for kind ("xml", "zip"). */
static int next_seq(fz_db *db, int32_t day, const char *kind, uint32_t *seq, fz_error *err) {
    static const char sql[] =
        "SELECT count(*) FROM report_files WHERE report = 'large_value' AND report_day = ? AND kind = ?";
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_int(st, 1, day);
    fz_db_bind_text(st, 2, kind, strlen(kind));
    int s = sqlite3_step(st);
    *seq = s == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(st, 0) + 1 : 1;
    sqlite3_reset(st);
    return s == SQLITE_ROW ? 0 : fz_db_fail(db, s, "count report files", err);
}

static int build(fz_db *db, run *r, fz_error *err) {
    fz_lvreport_opts o = {r->m->hc, 'N', r->m->date, r->m->from, r->m->to, 1, 1};
    int rc = next_seq(db, r->m->date, "xml", &o.seq, err);
    if (!rc) rc = next_seq(db, r->m->date, "zip", &o.zseq, err);
    fz_lvreport_src src = {r->book, cust_key, row, txn_id, both_home, r};
    if (!rc) rc = fz_lvreport_add(&o, &src, &r->lv, err);
    if (!rc) rc = fz_lvreport_finish(&o, &r->lv, err);
    return rc;
}

/* ---- storing ---- */

static int insert_file(fz_db *db, const run *r, const fz_report_file *f, const char *kind, const fz_principal *who,
                       int64_t *id, fz_error *err) {
    static const char sql[] = "INSERT INTO report_files(name, kind, report, report_day, records, created_by,"
                              " created_ms, bytes, data) VALUES(?, ?, 'large_value', ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = fz_db_stmt(db, sql, err);
    if (!st) return FZ_EIO;
    fz_db_bind_text(st, 1, f->name, strlen(f->name));
    fz_db_bind_text(st, 2, kind, strlen(kind));
    sqlite3_bind_int(st, 3, r->m->date);
    sqlite3_bind_int64(st, 4, f->records);
    fz_db_bind_text(st, 5, who->name, strlen(who->name));
    sqlite3_bind_int64(st, 6, fz_db_now_ms());
    sqlite3_bind_int64(st, 7, (int64_t)f->len);
    sqlite3_bind_blob(st, 8, f->data, (int)f->len, SQLITE_TRANSIENT);
    int rc = fz_db_run(db, st, "insert report file", err);
    if (!rc) *id = sqlite3_last_insert_rowid(fz_db_sqlite(db));
    return rc;
}

/* Which XML file holds each customer: one pass over every file's <CSNM>
 * texts (as written, escaped), the first file naming a customer winning.
 * Searching every file for every record cost records x bytes of XML. */
typedef struct file_index {
    fz_intern *csnm; /* escaped customer numbers seen */
    long *at;        /* the file of each */
    size_t cap;
} file_index;

static int index_add(file_index *x, const char *p, size_t n, long file) {
    int added;
    int64_t id = fz_intern_get(x->csnm, p, n, &added);
    if (id < 0) return (int)id;
    if ((size_t)id >= x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 256;
        long *a = realloc(x->at, cap * sizeof *a);
        if (!a) return FZ_ENOMEM;
        x->at = a;
        x->cap = cap;
    }
    if (added) x->at[id] = file;
    return 0;
}

static int index_files(const run *r, file_index *x) {
    if (fz_intern_new(&x->csnm, 256)) return FZ_ENOMEM;
    for (size_t i = 0; i < r->lv.xml.n; i++) {
        const char *p = (const char *)r->lv.xml.v[i].data, *end = p + r->lv.xml.v[i].len;
        while ((p = memmem(p, (size_t)(end - p), "<CSNM>", 6)) != NULL) {
            p += 6;
            const char *q = memmem(p, (size_t)(end - p), "</CSNM>", 7);
            if (!q) break;
            int rc = index_add(x, p, (size_t)(q - p), (long)i);
            if (rc) return rc;
            p = q + 7;
        }
    }
    return 0;
}

/* The XML file (index into lv.xml) holding customer key, or -1. */
static long file_of(const file_index *x, fz_str key) {
    char *needle = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&needle, &n);
    if (!f) return -1;
    fz_xmlw_escape(f, key.p, key.n);
    long at = -1;
    if (!fclose(f)) {
        int64_t id = fz_intern_find(x->csnm, needle, n);
        at = id < 0 ? -1 : x->at[id];
    }
    free(needle);
    return at;
}

static int mark_filed(fz_db *db, const run *r, fz_error *err) {
    static const char sql[] =
        "UPDATE large_value SET status = 'filed', file_id = ?, filed_ms = ? WHERE id = ? AND status = 'pending'";
    int64_t now = fz_db_now_ms();
    file_index x = {0};
    int rc = index_files(r, &x) ? oom(err) : 0;
    for (size_t i = 0; i < r->nids && !rc; i++) {
        fz_lv_record rec;
        fz_lv_book_get(r->book, i, &rec, NULL, 0);
        long k = rec.count ? file_of(&x, cust_key((void *)r, rec.h.cust)) : -1;
        if (k < 0) continue; /* none of its transactions found: stays pending */
        sqlite3_stmt *st = fz_db_stmt(db, sql, err);
        if (!st) {
            rc = FZ_EIO;
            break;
        }
        sqlite3_bind_int64(st, 1, r->file_ids[k]);
        sqlite3_bind_int64(st, 2, now);
        sqlite3_bind_int64(st, 3, r->ids[i]);
        rc = fz_db_run(db, st, "mark large-value record filed", err);
    }
    fz_intern_free(x.csnm);
    free(x.at);
    return rc;
}

static json_t *file_json(const fz_report_file *f, const char *kind, int64_t id) {
    return json_pack("{s:I,s:s,s:s,s:I,s:I}", "id", (json_int_t)id, "name", f->name, "kind", kind, "records",
                     (json_int_t)f->records, "bytes", (json_int_t)f->len);
}

/* Every file, the records, the audit entry; the answer into *out. */
static int store(fz_db *db, run *r, const fz_principal *who, json_t *files, fz_error *err) {
    size_t nx = r->lv.xml.n, n = nx + r->lv.zip.n;
    if (!(r->file_ids = calloc(n + 1, sizeof *r->file_ids))) return oom(err);
    int rc = fz_db_begin(db, err);
    for (size_t i = 0; i < n && !rc; i++) {
        const fz_report_file *f = i < nx ? &r->lv.xml.v[i] : &r->lv.zip.v[i - nx];
        const char *kind = i < nx ? "xml" : "zip";
        rc = insert_file(db, r, f, kind, who, &r->file_ids[i], err);
        if (!rc) json_array_append_new(files, file_json(f, kind, r->file_ids[i]));
    }
    if (!rc) rc = mark_filed(db, r, err);
    char object[48];
    snprintf(object, sizeof object, "report_file:%lld", (long long)(n ? r->file_ids[0] : 0));
    json_t *detail = json_pack("{s:i,s:i,s:I,s:O}", "from_day", r->m->from, "to_day", r->m->to, "records",
                               (json_int_t)r->lv.records, "files", files);
    if (!rc) rc = fz_audit_append(db, who, "report.large_value.files", object, detail, err);
    json_decref(detail);
    return fz_db_end(db, rc, err);
}

static void run_free(run *r) {
    fz_lvreport_free(&r->lv);
    free(r->file_ids);
    if (r->rd) fz_reader_close(r->rd);
    free(r->txn);
    free(r->buf);
    free(r->ids);
    fz_lv_book_free(r->book);
    fz_intern_free(r->keys);
}

int fz_lvdb_make_files(fz_db *db, const fz_lvdb_make *m, const fz_principal *who, json_t **out, fz_error *err) {
    run r = {.m = m};
    *out = NULL;
    fz_rates_default(&r.rates);
    int rc = fz_intern_new(&r.keys, 64) || fz_lv_book_new(&r.book) ? oom(err) : 0;
    if (!rc) rc = load_records(db, &r, err);
    if (!rc) rc = load_txns(db, &r, err);
    if (!rc) rc = gather(&r, err);
    if (!rc) rc = build(db, &r, err);
    json_t *files = json_array(), *days = json_array();
    for (size_t i = 0; i < r.lv.ndays; i++) {
        char d[16];
        fz_day_format(r.lv.days[i], 0, d, sizeof d);
        json_array_append_new(days, json_string(d));
    }
    if (!rc) rc = store(db, &r, who, files, err);
    if (!rc) *out = json_pack("{s:I,s:O,s:O}", "records", (json_int_t)r.lv.records, "files", files, "days", days);
    json_decref(files);
    json_decref(days);
    run_free(&r);
    return rc;
}
