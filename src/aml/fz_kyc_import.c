/* fz_kyc_import.c — see fz_kyc_import.h. The CSV tokenizer and the source
 * (mapped, or inflated when gzip) are the transaction readers' own. */
#include "fz_kyc_import.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fz_arena.h"
#include "fz_audit.h"
#include "fz_csv.h"
#include "fz_kyc.h"
#include "fz_source.h"

#define MAX_COLS 64

enum { FMT_FANZHA, FMT_AMLSIM };

/* AMLSim accounts.csv columns this reads. */
enum { A_ID, A_TYPE, A_SAR, A_BANK, A_FIRST, A_LAST, A_STREET, A_CITY, A_STATE, A_COUNTRY, A_ZIP, A_BIRTH, A_SSN, A_N };
static const char *const aml_cols[A_N] = {"acct_id",    "type",      "prior_sar_count", "bank_id", "first_name",
                                          "last_name",  "street_addr", "city",          "state",   "country",
                                          "zip",        "birth_date", "ssn"};

typedef struct importer {
    fz_db *db;
    const fz_principal *who;
    const char *name;
    const fz_kyc_import_opts *o;
    fz_kyc_import_stats *st;
    int fmt;
    int ncols;
    char col[MAX_COLS][32]; /* fanzha: field names */
    int aml[A_N];           /* amlsim: column of each */
} importer;

static int eq(fz_str s, const char *w) { return s.n == strlen(w) && !strncasecmp(s.p, w, s.n); }

/* The header: AMLSim's (recognised by its first columns) or field names. */
static int header(importer *im, const fz_str *f, int nf, fz_error *err) {
    if (nf > MAX_COLS) return fz_error_set(err, FZ_EFORMAT, im->name, 1, 0, NULL, "more than %d columns", MAX_COLS);
    im->ncols = nf;
    im->fmt = nf >= 2 && eq(f[0], "acct_id") && eq(f[1], "dsply_nm") ? FMT_AMLSIM : FMT_FANZHA;
    for (int j = 0; im->fmt == FMT_AMLSIM && j < A_N; j++) {
        im->aml[j] = -1;
        for (int i = 0; i < nf; i++)
            if (eq(f[i], aml_cols[j])) im->aml[j] = i;
        if (im->aml[j] < 0) return fz_error_set(err, FZ_EFORMAT, im->name, 1, 0, aml_cols[j], "AMLSim column missing");
    }
    int has_id = 0;
    for (int i = 0; im->fmt == FMT_FANZHA && i < nf; i++) {
        json_t *v = NULL;
        snprintf(im->col[i], sizeof im->col[i], "%.*s", (int)(f[i].n < 31 ? f[i].n : 31), f[i].p);
        if (f[i].n > 31 || fz_kyc_field_json(FZ_KYC_CUSTOMER, im->col[i], "", 0, &v, err) == FZ_ENOTFOUND)
            return fz_error_set(err, FZ_EFORMAT, im->name, 1, 0, im->col[i], "is not a customer field (docs/kyc.md)");
        json_decref(v);
        has_id |= !strcmp(im->col[i], "id");
    }
    im->st->format = im->fmt == FMT_AMLSIM ? "amlsim" : "fanzha";
    if (im->fmt == FMT_FANZHA && !has_id)
        return fz_error_set(err, FZ_EFORMAT, im->name, 1, 0, "id", "the header names no id column");
    return 0;
}

/* A Fanzha row as a customer body: one member per non-empty cell. */
static int fanzha_row(importer *im, const fz_str *f, json_t *body, fz_error *err) {
    for (int i = 0; i < im->ncols; i++) {
        json_t *v;
        if (!f[i].n) continue;
        int rc = fz_kyc_field_json(FZ_KYC_CUSTOMER, im->col[i], f[i].p, f[i].n, &v, err);
        if (rc) return rc;
        json_object_set_new(body, im->col[i], v);
    }
    return fz_kyc_insert(im->db, FZ_KYC_CUSTOMER, im->who->name, body, err);
}

static json_t *text(fz_str s) { return s.n ? json_stringn(s.p, s.n) : json_null(); }

/* An AMLSim account as a customer with one class I account. */
static int amlsim_row(importer *im, const fz_str *f, json_t *body, fz_error *err) {
    const fz_str *c[A_N];
    for (int j = 0; j < A_N; j++) c[j] = &f[im->aml[j]];
    char id[160], name[160], addr[300];
    snprintf(id, sizeof id, "%.*s@%.*s", (int)c[A_ID]->n, c[A_ID]->p, (int)c[A_BANK]->n, c[A_BANK]->p);
    snprintf(name, sizeof name, "%.*s %.*s", (int)c[A_FIRST]->n, c[A_FIRST]->p, (int)c[A_LAST]->n, c[A_LAST]->p);
    snprintf(addr, sizeof addr, "%.*s, %.*s, %.*s %.*s", (int)c[A_STREET]->n, c[A_STREET]->p, (int)c[A_CITY]->n,
             c[A_CITY]->p, (int)c[A_STATE]->n, c[A_STATE]->p, (int)c[A_ZIP]->n, c[A_ZIP]->p);
    json_object_set_new(body, "id", json_string(id));
    json_object_set_new(body, "kind", json_string(eq(*c[A_TYPE], "I") || !c[A_TYPE]->n ? "natural" : "entity"));
    json_object_set_new(body, "name", json_string(name));
    if (c[A_SSN]->n) json_object_set_new(body, "id_type", json_string("other"));
    json_object_set_new(body, "id_number", text(*c[A_SSN]));
    json_object_set_new(body, "nationality", text(*c[A_COUNTRY]));
    json_object_set_new(body, "address", json_string(addr));
    json_object_set_new(body, "birth_date", text(*c[A_BIRTH]));
    int rc = fz_kyc_insert(im->db, FZ_KYC_CUSTOMER, im->who->name, body, err);
    json_t *acct = rc ? NULL : json_pack("{s:s, s:s, s:i}", "id", id, "customer_id", id, "class", 1);
    if (!rc) rc = acct ? fz_kyc_insert(im->db, FZ_KYC_ACCOUNT, im->who->name, acct, err) : FZ_ENOMEM;
    json_decref(acct);
    if (!rc && eq(*c[A_SAR], "true")) {
        json_t *d = json_pack("{s:s}", "note", "prior SAR (AMLSim prior_sar_count)");
        rc = fz_kyc_history_add(im->db, id, im->who->name, "trigger.str", d, err);
        json_decref(d);
    }
    return rc;
}

/* Import one record; a bad one is FZ_EREJECT with err placed at its line. */
static int row(importer *im, const fz_str *f, const fz__csv_rec *rec, fz_error *err) {
    if (rec->nf != im->ncols)
        return fz_error_set(err, FZ_EREJECT, im->name, rec->line, 0, NULL, "%d fields, the header has %d", rec->nf,
                            im->ncols);
    json_t *body = json_object();
    if (!body) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    /* a savepoint per row: a row whose customer went in but whose account
     * did not leaves nothing behind */
    int rc = fz_db_exec(im->db, "SAVEPOINT fz_row", err);
    if (!rc) rc = im->fmt == FMT_AMLSIM ? amlsim_row(im, f, body, err) : fanzha_row(im, f, body, err);
    json_decref(body);
    int bad = rc == FZ_EINVAL || rc == FZ_EFULL;
    if (bad) {
        char field[64], msg[256];
        snprintf(field, sizeof field, "%s", err->field);
        snprintf(msg, sizeof msg, "%s", err->msg);
        fz_error_set(err, FZ_EREJECT, im->name, rec->line, 0, field[0] ? field : NULL, "%s", msg);
    }
    fz_error tmp;
    if (rc) fz_db_exec(im->db, "ROLLBACK TO fz_row", &tmp);
    if (rc != FZ_EIO) fz_db_exec(im->db, "RELEASE fz_row", &tmp);
    return bad ? FZ_EREJECT : rc;
}

/* Count a rejected row and report it; strict stops. */
static int rejected(importer *im, const fz__csv_rec *rec, const fz_error *e) {
    im->st->rejected++;
    if (im->o && im->o->reject) im->o->reject(im->o->ctx, e, rec->raw.p, rec->raw.n);
    return im->o && im->o->strict ? FZ_EREJECT : 0;
}

static int rows(importer *im, fz__csv *c, fz_error *err) {
    fz_str f[MAX_COLS];
    fz__csv_rec rec;
    int rc, first = 1;
    while ((rc = fz__csv_next(c, f, MAX_COLS, &rec)) != 0) {
        if (rc == FZ_ENOMEM) return fz_error_set(err, rc, NULL, 0, 0, NULL, "out of memory");
        if (rc == 1 && rec.raw.n == 0) continue; /* blank line */
        if (first) {
            if (rc != 1) return fz_error_set(err, FZ_EFORMAT, im->name, rec.line, 0, NULL, "bad header: %s", rec.why);
            if ((rc = header(im, f, rec.nf, err))) return rc;
            first = 0;
            continue;
        }
        im->st->rows++;
        rc = rc == 1 ? row(im, f, &rec, err)
                     : fz_error_set(err, FZ_EREJECT, im->name, rec.line, 0, NULL, "%s", rec.why);
        if (!rc) im->st->imported++;
        else if (rc != FZ_EREJECT || rejected(im, &rec, err)) return rc;
    }
    return first ? fz_error_set(err, FZ_EFORMAT, im->name, 0, 0, NULL, "empty file: no header") : 0;
}

static int audit_import(importer *im, fz_error *err) {
    json_t *d = json_pack("{s:s, s:s, s:I, s:I, s:I}", "file", im->name, "format", im->st->format, "rows",
                          (json_int_t)im->st->rows, "imported", (json_int_t)im->st->imported, "rejected",
                          (json_int_t)im->st->rejected);
    int rc = d ? fz_audit_append(im->db, im->who, "customers.import", "customers", d, err)
               : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    json_decref(d);
    return rc;
}

static int import_source(fz_db *db, const fz_principal *who, const char *name, const fz__source *src,
                         const fz_kyc_import_opts *o, fz_kyc_import_stats *st, fz_error *err) {
    importer im = {db, who, name, o, st, FMT_FANZHA, 0, {{0}}, {0}};
    memset(st, 0, sizeof *st);
    st->format = "fanzha";
    fz__arena arena;
    fz__arena_init(&arena);
    fz__csv c;
    fz__csv_init(&c, src->data, src->size, &arena);
    int rc = fz_db_begin(db, err);
    if (!rc) {
        rc = rows(&im, &c, err);
        if (!rc) rc = audit_import(&im, err);
        rc = fz_db_end(db, rc, err);
    }
    if (rc) st->imported = 0;
    fz__arena_free(&arena);
    return rc;
}

int fz_kyc_import_mem(fz_db *db, const fz_principal *who, const char *name, const char *data, size_t n,
                      const fz_kyc_import_opts *o, fz_kyc_import_stats *st, fz_error *err) {
    fz__source src;
    int rc = fz__source_mem(&src, name, data, n, err);
    if (!rc) rc = import_source(db, who, name, &src, o, st, err);
    fz__source_free(&src);
    return rc;
}

int fz_kyc_import(fz_db *db, const fz_principal *who, const char *path, const fz_kyc_import_opts *o,
                  fz_kyc_import_stats *st, fz_error *err) {
    fz__source src;
    memset(st, 0, sizeof *st);
    int rc = fz__source_load(&src, path, err);
    if (!rc) rc = import_source(db, who, path, &src, o, st, err);
    fz__source_free(&src);
    return rc;
}
