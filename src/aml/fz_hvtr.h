/* fz_hvtr.h — large-value transaction report files (大额交易报告) for CAMLMAC.
 *
 * Builds the XML files of the regulator's interface spec (CAMLMAC
 * 《金融机构大额交易和可疑交易报告数据报送接口规范(V1.0)》, 2017; see
 * docs/reports.md for every element and where its value comes from):
 *   N  new reports, root <HVTR> (spec §4.1.1, §4.3.1)
 *   C  corrections, root <CHTR>, each transaction keyed by its original
 *      business key (§5.1.1, §5.3.1)
 *   D  deletions, root <DHTR>, business keys only (§6)
 * named {N|C|D}BH + 14-character institution code + -YYYYMMDD- + 8-digit
 * sequence + .XML (§3.1), bundled into ZIPs of one type and at most 5 MB
 * (§3.2). Every field is filled; an unknown or inapplicable one is "@N".
 *
 * The input is one entry per (large-value record, transaction behind it):
 * the engine's records (fz_lv_hit) joined with their transactions
 * (fz_lv_book). The business key CSNM + HTDT + CRCD + TICD is unique per
 * file set: a transaction both of whose sides are the bank's customers gets
 * the side in its TICD (spec §9 note 8(3)); one matching two thresholds keeps
 * one TICD under both CRCDs (note 8(2)). */
#ifndef FZ_HVTR_H
#define FZ_HVTR_H

#include <stddef.h>
#include <stdint.h>

#include "fz_calendar.h"
#include "fz_money.h"
#include "fz_report_files.h"
#include "fz_txn.h"

#define FZ_HVTR_RICD_LEN 14
#define FZ_HVTR_DEADLINE_DAYS 5          /* working days after the transaction day */
#define FZ_HVTR_ZIP_MAX 5000000u         /* "5M" per bundle, read as 5,000,000 bytes */
#define FZ_HVTR_XML_MAX (4u << 20)       /* XML files are split above this */

/* What the bank knows of a customer (CBIF, CCIF); empty fields are "@N". */
typedef struct fz_hvtr_customer {
    fz_str name;        /* CTNM */
    fz_str id_type;     /* CITP, 6-digit code of spec §10.1 */
    fz_str id_number;   /* CTID */
    fz_str nationality; /* CTNT, GB/T 2659 3-letter */
    fz_str occupation;  /* CTVC */
    fz_str phone;       /* CCTL */
    fz_str address;     /* CTAR */
} fz_hvtr_customer;

/* Fill *out for customer csnm; return 0 when known, else nonzero. */
typedef int (*fz_hvtr_customer_fn)(void *ctx, fz_str csnm, fz_hvtr_customer *out);

typedef struct fz_hvtr_config {
    char ricd[FZ_HVTR_RICD_LEN + 1]; /* RICD: the reporting institution's 14-character code */
    char finc[17];      /* FINC: the branch code (up to 16), or "" */
    char trcd[10];      /* TRCD: where transactions happen, e.g. CHN310000, or "" */
    const fz_rates *rates;            /* for CRMB and CUSD; NULL: built-in rates */
    fz_hvtr_customer_fn customer;     /* customer details, or NULL */
    void *customer_ctx;
    size_t max_xml;     /* 0: FZ_HVTR_XML_MAX */
    size_t max_zip;     /* 0: FZ_HVTR_ZIP_MAX */
} fz_hvtr_config;

/* One transaction side behind one large-value record. */
typedef struct fz_hvtr_entry {
    fz_str csnm;          /* CSNM: the customer number */
    fz_str txn_id;        /* the transaction's id: TICD (with the side, see both_sides) */
    int32_t day;          /* HTDT: the Asia/Shanghai day of the record */
    uint16_t crcd;        /* 501..504 */
    uint8_t dir;          /* FZ_DIR_IN (TSDR 01) or FZ_DIR_OUT (02): this customer's side */
    uint8_t both_sides;   /* the counterparty is also the bank's customer */
    const fz_txn *t;      /* the transaction (not needed for deletions) */
} fz_hvtr_entry;

/* Check a configuration: RICD is 14 letters or digits, FINC and TRCD fit.
 * Returns 0 or FZ_EINVAL with err naming the field. */
int fz_hvtr_config_check(const fz_hvtr_config *c, fz_error *err);

/* The file name for kind 'N', 'C' or 'D', the report day and a sequence
 * number, with extension "XML" or "ZIP", into buf (48 bytes suffice).
 * Returns 0, or FZ_EINVAL for a bad kind, day or sequence (1..99999999). */
int fz_hvtr_file_name(char kind, const char *ricd, int32_t report_day, uint32_t seq, const char *ext, char *buf,
                      size_t n);

/* The name of any CAMLMAC file (spec §3.1): kind 'N', 'C' or 'D', type
 * "BH" (bank large-value) or "BS" (bank suspicious), institution code ricd
 * (14 characters), report day, sequence 1..99999999, extension "XML" or
 * "ZIP", into buf (48 bytes suffice). Returns 0 or FZ_EINVAL. */
int fz_camlmac_file_name(char kind, const char *type, const char *ricd, int32_t report_day, uint32_t seq,
                         const char *ext, char *buf, size_t n);

/* Transaction fields shared by the large-value and suspicious files:
 * TSTM, Asia/Shanghai yyyymmddhhmmss of t (into 16 bytes); */
void fz_hvtr_tstm(fz_ms t, char out[16]);
/* TSTP (spec §10.3): RMB 00 + cash 00 / non-cash 01 + instrument; foreign
 * currency 01 + 0001 cash or 0104 wire transfer; */
const char *fz_hvtr_tstp(const fz_txn *t);
/* OCTT, the non-counter channel code, "" for counter or unknown; */
const char *fz_hvtr_octt(unsigned channel);
/* OCEC: IP@device for online and mobile, the terminal for ATM and POS, ""
 * when unknown or not applicable. */
void fz_hvtr_ocec(const fz_txn *t, char *buf, size_t n);

/* Make the XML files of kind 'N', 'C' or 'D' for entries e[0..n) (sorted
 * here, in place), dated report_day, numbered from *seq (advanced past the
 * last one used), appended to out. Returns 0, FZ_EINVAL (bad kind or
 * sequence past 99999999) or FZ_ENOMEM. */
int fz_hvtr_build(const fz_hvtr_config *c, char kind, fz_hvtr_entry *e, size_t n, int32_t report_day, uint32_t *seq,
                  fz_report_files *out, fz_error *err);

/* A deletion file of every report of one transaction day (spec §6.4 batch
 * deletion: HTDT set, the rest "@N"). Same contract as fz_hvtr_build. */
int fz_hvtr_build_delete_day(const fz_hvtr_config *c, int32_t day, int32_t report_day, uint32_t *seq,
                             fz_report_files *out, fz_error *err);

/* Pack the XML files xml (all of kind `kind`) into ZIPs of at most
 * c->max_zip bytes, named with the bundle sequence from *zseq, entries
 * stamped mtime; appended to out. Returns 0, FZ_EFULL (one file alone is
 * too large), FZ_EINVAL or FZ_ENOMEM. */
int fz_hvtr_bundle(const fz_hvtr_config *c, const fz_report_files *xml, char kind, int32_t report_day, uint32_t *zseq,
                   fz_ms mtime, fz_report_files *out, fz_error *err);

/* The reporting deadline of a record of transaction day `day`: the
 * FZ_HVTR_DEADLINE_DAYS-th working day after it. Returns 0 or FZ_ERANGE. */
int fz_hvtr_due(const fz_calendar *cal, int32_t day, int32_t *due);

#endif
