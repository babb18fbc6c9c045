/* fz_reader_int.h — internal: the reader's state, shared by fz_reader.c and
 * the one-file-per-format mappers fz_fmt_*.c. */
#ifndef FZ_READER_INT_H
#define FZ_READER_INT_H

#include <stdint.h>

#include "fz_arena.h"
#include "fz_csv.h"
#include "fz_reader.h"
#include "fz_source.h"

#define FZ__MAX_FIELDS 64

/* The native columns, in the order fz_native.c writes them. */
enum fz__col {
    FZ__C_ID, FZ__C_TIME, FZ__C_PAYER_ACCT, FZ__C_PAYER_BANK, FZ__C_PAYER_CUST,
    FZ__C_PAYER_PARTY, FZ__C_PAYEE_ACCT, FZ__C_PAYEE_BANK, FZ__C_PAYEE_CUST,
    FZ__C_PAYEE_PARTY, FZ__C_AMOUNT, FZ__C_CURRENCY, FZ__C_CHANNEL, FZ__C_KIND,
    FZ__C_CROSS_BORDER, FZ__C_DEVICE, FZ__C_IP, FZ__C_PAYER_BAL_BEFORE,
    FZ__C_PAYER_BAL_AFTER, FZ__C_PAYEE_BAL_BEFORE, FZ__C_PAYEE_BAL_AFTER,
    FZ__C_LABEL, FZ__C_TYPOLOGY, FZ__C_GROUP, FZ__C_EXEMPT, FZ__C__COUNT
};

extern const char *const fz__col_names[FZ__C__COUNT];

struct fz_reader {
    char name[256];       /* the path as given, for error messages */
    fz__source src;
    fz__arena arena;
    fz__csv csv;
    fz_read_opts opts;
    fz_ccy ccy;           /* opts.currency or CNY */
    fz_format fmt;
    int (*next)(fz_reader *r, fz_txn *t, fz_error *err);
    /* fixed-column CSV formats (fz__fixed_next): fields per row, and the
     * mapping of one record to a txn (0 or a reject) */
    int fixed_nf;
    int (*row)(fz_reader *r, fz_txn *t, fz_error *err);
    fz_str line;          /* raw text of the last record */
    long line_no;         /* its line number */
    fz_str f[FZ__MAX_FIELDS];
    int nf;
    /* native CSV: which native column each file column is */
    int ncol;
    int8_t colmap[FZ__MAX_FIELDS];
    int8_t ccy_col;       /* file column of "currency", -1 if absent */
    /* IBM patterns: the open attempt */
    int in_block;
    int32_t group;        /* number of the open (or last) attempt, -1 before the first */
    fz_str typology;
};

/* A reject at the current line: fz_error_set(err, FZ_EREJECT, file, line, 0,
 * field, ...). */
int fz__reject(fz_reader *r, fz_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The `next` of a format whose rows are CSV records of r->fixed_nf fields
 * mapped by r->row (IBM, AMLSim, PaySim). */
int fz__fixed_next(fz_reader *r, fz_txn *t, fz_error *err);

/* Read the next CSV record into r->f / r->nf, expecting `want` fields
 * (0 = any). Skips a blank tail of the file; any other empty line, bad
 * quoting or wrong field count is a reject. Returns 1, 0 (end), FZ_EREJECT,
 * FZ_ENOMEM. */
int fz__read_record(fz_reader *r, int want, fz_error *err);

/* The physical line at the cursor without its CR/LF, not consumed; *next
 * is where the line after it starts. For the line-based formats (JSON
 * lines, IBM patterns). */
fz_str fz__peek_line(const fz_reader *r, const char **next);

/* Make a peeked line the current one (r->line, r->line_no) and move past it. */
void fz__consume_line(fz_reader *r, fz_str line, const char *next);

/* A blank-or-not check of a whole record (only spaces, tabs, CR). */
int fz__is_blank(fz_str s);

/* A fresh record: everything unknown, src_file/src_line set. */
void fz__txn_reset(const fz_reader *r, fz_txn *t);

/* Case-insensitive equality of a view and a C string. */
int fz__eq_ci(fz_str s, const char *lit);

/* Parse a time (fz_time_parse) limited to years 0001-9999, the range the
 * native writer can write back; a reject naming field otherwise. */
int fz__parse_time(fz_reader *r, const char *field, fz_str s, fz_ms *out, fz_error *err);

/* Parse a decimal int64 ("-1", "42"); 0 or FZ_EPARSE/FZ_ERANGE. */
int fz__parse_i64(const char *s, size_t n, int64_t *out);

/* Parse a 0/1 label (empty = -1 when allow_empty). 0 or FZ_EPARSE. */
int fz__parse_label(fz_str s, int allow_empty, int8_t *out);

/* The native column of a name, or -1. */
int fz__col_lookup(const char *s, size_t n);

/* 1 for columns whose value is kept as text (views), 0 for parsed ones. */
int fz__col_is_text(int col);

/* Set native column col of t from the text s (already unquoted/decoded; a
 * view that lives until close). The currency must already be set for money
 * columns. *seen gets bit col set for a non-empty value. */
int fz__native_set(fz_reader *r, fz_txn *t, int col, fz_str s, uint32_t *seen, fz_error *err);

/* Check required columns and balance pairs once a row is complete. */
int fz__native_finish(fz_reader *r, fz_txn *t, uint32_t seen, fz_error *err);

/* Format setup (header already consumed where there is one). */
int fz__fmt_native_init(fz_reader *r, fz_error *err);
int fz__fmt_jsonl_init(fz_reader *r, fz_error *err);
int fz__fmt_ibm_init(fz_reader *r, fz_error *err);
int fz__fmt_ibm_patterns_init(fz_reader *r, fz_error *err);
int fz__fmt_amlsim_init(fz_reader *r, fz_error *err);
int fz__fmt_paysim_init(fz_reader *r, fz_error *err);

/* Header recognisers: 1 if the header fields r->f[0..nf) are this format. */
int fz__fmt_ibm_header(const fz_reader *r);
int fz__fmt_amlsim_header(const fz_reader *r);
int fz__fmt_paysim_header(const fz_reader *r);
int fz__fmt_native_header(const fz_reader *r);

/* IBM's 11-field row into t (shared by the plain and patterns formats). */
int fz__ibm_row(fz_reader *r, fz_txn *t, fz_error *err);

#endif
