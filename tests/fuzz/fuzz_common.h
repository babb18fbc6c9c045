/* fuzz_common.h — shared driver of the reader fuzz targets.
 *
 * Reads the input with the given options, and writes every record it yields
 * as native CSV, reads that back and checks the records are equal (the
 * native writer and reader must round-trip whatever any reader produces).
 * Any sanitizer report or abort() is a finding. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_native.h"
#include "fz_reader.h"

#define FUZZ_MAX_REC 256

static int fuzz_str_eq(fz_str a, fz_str b) { return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0); }

static void fuzz_same(const fz_txn *a, const fz_txn *b) {
    int ok = fuzz_str_eq(a->id, b->id) && a->time == b->time && fuzz_str_eq(a->payer_acct, b->payer_acct) &&
             fuzz_str_eq(a->payer_bank, b->payer_bank) && fuzz_str_eq(a->payer_cust, b->payer_cust) &&
             fuzz_str_eq(a->payee_acct, b->payee_acct) && fuzz_str_eq(a->payee_bank, b->payee_bank) &&
             fuzz_str_eq(a->payee_cust, b->payee_cust) && a->amount == b->amount && a->currency == b->currency &&
             a->channel == b->channel && a->kind == b->kind && a->payer_party == b->payer_party &&
             a->payee_party == b->payee_party && a->flags == b->flags && a->label == b->label &&
             fuzz_str_eq(a->typology, b->typology) && a->group == b->group && fuzz_str_eq(a->device, b->device) &&
             fuzz_str_eq(a->ip, b->ip);
    if (ok && (a->flags & FZ_TXN_HAS_PAYER_BAL))
        ok = a->payer_bal_before == b->payer_bal_before && a->payer_bal_after == b->payer_bal_after;
    if (ok && (a->flags & FZ_TXN_HAS_PAYEE_BAL))
        ok = a->payee_bal_before == b->payee_bal_before && a->payee_bal_after == b->payee_bal_after;
    if (!ok) {
        fprintf(stderr, "round trip mismatch at source line %u\n", a->src_line);
        fz_native_write_row(stderr, a);
        fz_native_write_row(stderr, b);
        abort();
    }
}

static void fuzz_round_trip(const fz_txn *t, int n) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fz_native_write_header(f);
    for (int i = 0; i < n; i++) fz_native_write_row(f, &t[i]);
    fclose(f);
    fz_reader *r;
    fz_error err;
    fz_read_opts o = {.format = FZ_FMT_NATIVE_CSV};
    if (fz_reader_open_mem(&r, "rt", buf, len, &o, &err) != 0) abort();
    fz_txn b;
    int i = 0, rc;
    while ((rc = fz_reader_next(r, &b, &err)) != 0) {
        if (rc != 1) {
            char msg[400];
            fz_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "round trip reject: %s\n%s", msg, buf);
            abort();
        }
        if (i >= n) abort();
        fuzz_same(&t[i++], &b);
    }
    if (i != n) abort();
    fz_reader_close(r);
    free(buf);
}

static int fuzz_read(const uint8_t *data, size_t size, const fz_read_opts *opts) {
    fz_reader *r;
    fz_error err;
    if (fz_reader_open_mem(&r, "fuzz", (const char *)data, size, opts, &err) != 0) return 0;
    static fz_txn recs[FUZZ_MAX_REC];
    int n = 0, rc;
    while ((rc = fz_reader_next(r, &recs[n < FUZZ_MAX_REC ? n : 0], &err)) != 0) {
        if (rc == 1) {
            if (n < FUZZ_MAX_REC) n++;
            (void)fz_reader_line(r);
        } else if (rc != FZ_EREJECT) {
            break;
        } else if (err.code != FZ_EREJECT || err.line <= 0) {
            abort(); /* a reject must say where */
        }
        if (fz_reader_pos(r) > fz_reader_size(r)) abort();
    }
    fuzz_round_trip(recs, n);
    fz_reader_close(r);
    return 0;
}

#endif
