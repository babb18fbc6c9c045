/* fz_csv.h — internal: a fast CSV record tokenizer over an in-memory buffer.
 *
 * RFC 4180: fields separated by ',', records by LF or CRLF; a field may be
 * quoted with '"', a quoted field may hold ',', CR, LF and '""' (one quote).
 * Fields are views into the buffer; only a quoted field with '""' inside is
 * unescaped, into the arena. A '"' inside an unquoted field is taken
 * literally (as spreadsheets write it). No allocation per record otherwise. */
#ifndef FZ_CSV_H
#define FZ_CSV_H

#include <stddef.h>

#include "fz_arena.h"
#include "fz_txn.h"

typedef struct fz__csv {
    const char *p, *end; /* unread text */
    long line;           /* 1-based line number of the next record */
    fz__arena *arena;    /* for unescaped quoted fields */
} fz__csv;

typedef struct fz__csv_rec {
    fz_str raw;      /* the record's text without its line terminator */
    long line;       /* line of its first character */
    int nf;          /* number of fields (may exceed the capacity given) */
    const char *why; /* reason when fz__csv_next returns FZ_EPARSE */
} fz__csv_rec;

void fz__csv_init(fz__csv *c, const char *data, size_t n, fz__arena *arena);

/* Next record into f[0 .. max-1] (fields beyond max are counted in rec->nf,
 * not stored). An empty line is a record of one empty field with
 * rec->raw.n == 0. Returns 1 = record, 0 = end of input, FZ_EPARSE = bad
 * quoting (rec->why says how; the cursor has moved past the bad physical
 * line, so the caller can go on), FZ_ENOMEM. */
int fz__csv_next(fz__csv *c, fz_str *f, int max, fz__csv_rec *rec);

/* 1 if only CR/LF/space/tab remain from the cursor on. */
int fz__csv_rest_blank(const fz__csv *c);

#endif
