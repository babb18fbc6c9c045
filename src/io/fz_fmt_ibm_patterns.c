/* fz_fmt_ibm_patterns.c — IBM AMLworld answer keys (*_Patterns.txt).
 *
 * Blocks of IBM AML CSV rows (no header) between
 *   BEGIN LAUNDERING ATTEMPT - TYPE[:  details]
 *   END LAUNDERING ATTEMPT - TYPE
 * Each row gets typology = TYPE as written ("FAN-IN"; the details after ':'
 * are dropped), group = the attempt's number in file order (0, 1, 2 ...) and
 * label 1. Blank lines are skipped; a row outside a block, a stray END or a
 * block left open is reported as a reject, never passed over. */
#include "fz_reader_int.h"

#include <string.h>

static const char BEGIN[] = "BEGIN LAUNDERING ATTEMPT";
static const char END[] = "END LAUNDERING ATTEMPT";

#define SHOW(s) (int)((s).n > 40 ? 40 : (s).n), (s).p

static int has_prefix(fz_str s, const char *lit, size_t n) {
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}

/* TYPE of "... - TYPE[: details]" after a BEGIN/END prefix of length n. */
static int block_type(fz_str line, size_t n, fz_str *type) {
    fz_str s = {line.p + n, line.n - (uint32_t)n};
    while (s.n && s.p[0] == ' ') { s.p++; s.n--; }
    if (!s.n || s.p[0] != '-') return -1;
    s.p++;
    s.n--;
    while (s.n && s.p[0] == ' ') { s.p++; s.n--; }
    const char *colon = memchr(s.p, ':', s.n);
    if (colon) s.n = (uint32_t)(colon - s.p);
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t')) s.n--;
    if (!s.n) return -1;
    *type = s;
    return 0;
}

static int on_begin(fz_reader *r, fz_str line, fz_error *err) {
    fz_str type;
    if (block_type(line, sizeof BEGIN - 1, &type) != 0)
        return fz__reject(r, err, NULL, "malformed BEGIN line, expected 'BEGIN LAUNDERING ATTEMPT - TYPE'");
    int was_open = r->in_block;
    fz_str old = r->typology;
    r->in_block = 1;
    r->group++;
    r->typology = type;
    if (was_open) return fz__reject(r, err, NULL, "BEGIN inside attempt %d (%.*s), which has no END line",
                                     (int)r->group - 1, SHOW(old));
    return 0;
}

static int on_end(fz_reader *r, fz_str line, fz_error *err) {
    fz_str type;
    if (block_type(line, sizeof END - 1, &type) != 0)
        return fz__reject(r, err, NULL, "malformed END line, expected 'END LAUNDERING ATTEMPT - TYPE'");
    if (!r->in_block) return fz__reject(r, err, NULL, "END without a BEGIN");
    r->in_block = 0;
    if (!fz_str_eq(type, r->typology))
        return fz__reject(r, err, NULL, "END type '%.*s' does not match BEGIN type '%.*s'", SHOW(type),
                          SHOW(r->typology));
    return 0;
}

static int row(fz_reader *r, fz_txn *t, fz_error *err) {
    int rc = fz__read_record(r, 11, err);
    if (rc != 1) return rc;
    if (!r->in_block) return fz__reject(r, err, NULL, "transaction outside a BEGIN/END LAUNDERING ATTEMPT block");
    if ((rc = fz__ibm_row(r, t, err)) != 0) return rc;
    t->label = 1;
    t->group = r->group;
    t->typology = r->typology;
    return 1;
}

static int patterns_next(fz_reader *r, fz_txn *t, fz_error *err) {
    for (;;) {
        if (r->csv.p >= r->csv.end) {
            if (!r->in_block) return 0;
            r->in_block = 0;
            return fz__reject(r, err, NULL, "end of file inside attempt %d (%.*s): no END line", (int)r->group,
                              SHOW(r->typology));
        }
        const char *next;
        fz_str line = fz__peek_line(r, &next);
        if (fz__is_blank(line)) {
            fz__consume_line(r, line, next);
            continue;
        }
        int rc = 0;
        if (has_prefix(line, BEGIN, sizeof BEGIN - 1)) {
            fz__consume_line(r, line, next);
            rc = on_begin(r, line, err);
        } else if (has_prefix(line, END, sizeof END - 1)) {
            fz__consume_line(r, line, next);
            rc = on_end(r, line, err);
        } else {
            return row(r, t, err);
        }
        if (rc != 0) return rc;
    }
}

int fz__fmt_ibm_patterns_init(fz_reader *r, fz_error *err) {
    (void)err;
    r->next = patterns_next;
    r->group = -1;
    r->in_block = 0;
    return 0;
}
