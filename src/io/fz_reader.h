/* fz_reader.h — read transaction files of any supported format.
 *
 * A reader loads a whole file (plain, or .gz decompressed with zlib) into
 * memory, recognises its format from the header line (or takes the one
 * asked for) and yields canonical fz_txn records one by one. The text fields
 * of a record point into the reader's buffer: they stay valid until
 * fz_reader_close. A bad row is returned as FZ_EREJECT with err saying
 * "file:line: field: reason"; the next call goes on with the next row. */
#ifndef FZ_READER_H
#define FZ_READER_H

#include <stddef.h>
#include <stdint.h>

#include "fz_error.h"
#include "fz_money.h"
#include "fz_txn.h"

typedef enum fz_format {
    FZ_FMT_AUTO = 0,
    FZ_FMT_NATIVE_CSV,   /* Fanzha's own header-driven CSV (docs/formats.md) */
    FZ_FMT_JSONL,        /* Fanzha's JSON lines, same field names */
    FZ_FMT_IBM,          /* IBM AML CSV (Kaggle "IBM Transactions for AML") */
    FZ_FMT_IBM_PATTERNS, /* IBM AMLworld *_Patterns.txt answer keys */
    FZ_FMT_AMLSIM,       /* IBM AMLSim transactions.csv */
    FZ_FMT_PAYSIM,       /* PaySim transactions.csv */
    FZ_FMT__COUNT
} fz_format;

typedef struct fz_read_opts {
    fz_format format;      /* FZ_FMT_AUTO: from the header line */
    fz_ccy currency;       /* for formats that carry none (AMLSim, PaySim); 0 = CNY */
    uint16_t file_index;   /* copied to fz_txn.src_file */
    int hide_balances;     /* ignore balance columns (PaySim) */
} fz_read_opts;

typedef struct fz_reader fz_reader;

/* Open path ("-" is standard input) and detect its format. Errors (missing
 * file, gzip damage, an unknown header) are fatal: FZ_EIO / FZ_EFORMAT. */
int fz_reader_open(fz_reader **out, const char *path, const fz_read_opts *opts, fz_error *err);

/* The same over n bytes at data (plain or gzip), which are borrowed: they
 * must stay valid and unchanged until fz_reader_close. name is used in
 * error messages in place of a path. For tests and fuzzing. */
int fz_reader_open_mem(fz_reader **out, const char *name, const char *data, size_t n,
                       const fz_read_opts *opts, fz_error *err);

/* Next record: 1 = *t filled, 0 = end of file, FZ_EREJECT = this row is bad
 * (err filled; call again for the next one), other < 0 = fatal. */
int fz_reader_next(fz_reader *r, fz_txn *t, fz_error *err);

void fz_reader_close(fz_reader *r);

fz_format fz_reader_format(const fz_reader *r);
const char *fz_format_name(fz_format f);     /* "native", "jsonl", "ibm", ... */
int fz_format_parse(const char *s, fz_format *out);

/* Bytes of input read so far and in total (for progress bars). */
size_t fz_reader_pos(const fz_reader *r);
size_t fz_reader_size(const fz_reader *r);

/* The raw text of the line last returned or rejected (no newline), for the
 * rejects file. */
fz_str fz_reader_line(const fz_reader *r);

#endif
