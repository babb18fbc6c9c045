/* fz_str.h — the content of a suspicious-transaction report (可疑交易报告,
 * BSTR) and its XML file, without the store.
 *
 * A report is a JSON object (docs/reports.md lists every member): the
 * codes of the spec's RBIF (tptr, otpr, tosc, stcr, detr, dorp, odrp, torp,
 * orxn, rpnm), the narratives stcb (资金交易及客户行为情况) and aosp (疑点
 * 分析), the subjects (SEIF) and the transactions (STIF), and the facts the
 * narratives were drafted from (reasons, model). fz_str_build makes one from
 * the case's alerted transactions; analysts change it only through
 * fz_str_apply_edit; fz_str_xml writes the file of spec §4.3.2 (a correction,
 * §5.3.2, has the same tree). Missing values are "@N" in the file.
 *
 * STCR codes come from a mapping file (rules/stcr-map.txt): each line is
 *     RULE-ID  STCR-CODE  [TOSC]        # comment
 * the bank's own monitoring-standard code filed with CAMLMAC for the rule,
 * and optionally the suspected-crime code (spec §10.6) the rule suggests. */
#ifndef FZ_STR_H
#define FZ_STR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "fz_calendar.h"
#include "fz_error.h"

#define FZ_STR_TEXT_MAX 10000     /* characters of STCB and of AOSP (spec §9.2 A1, S15) */
#define FZ_STR_DEADLINE_DAYS 5    /* working days after the suspicion is confirmed */
#define FZ_STR_MAX_CODES 16       /* TOSC or STCR codes in one report */

typedef struct fz_stcr_map fz_stcr_map;

/* Read a mapping file (path) or text in memory (name used in errors).
 * Errors are "file:line: field: reason". Returns 0, FZ_EIO, FZ_EPARSE or
 * FZ_ENOMEM. */
int fz_stcr_map_load(fz_stcr_map **out, const char *path, fz_error *err);
int fz_stcr_map_load_mem(fz_stcr_map **out, const char *name, const char *text, size_t n, fz_error *err);
void fz_stcr_map_free(fz_stcr_map *m);

/* The STCR code of rule id, or NULL when unmapped; *tosc (may be NULL) gets
 * the rule's TOSC code or "". */
const char *fz_stcr_map_get(const fz_stcr_map *m, const char *rule, const char **tosc);

/* 1 when code is a suspected-crime code of spec §10.6 (e.g. "1201"); its
 * name in Chinese ("诈骗（例如电信诈骗）"), or NULL for another code. */
int fz_str_tosc_ok(const char *code);
const char *fz_str_tosc_name(const char *code);

/* What drafting and the file need to know of the bank. */
typedef struct fz_str_config {
    char ricd[15];             /* RICD, 14 characters; "" until configured (approval refuses) */
    char rpnc[17];             /* RPNC, the reporting branch; "" -> FINC, else @N */
    char finc[17];             /* FINC of each transaction; "" -> @N */
    char trcd[10];             /* TRCD, e.g. CHN310000; "" -> @N */
    char bank[32];             /* the bank's code in account keys (acct@BANK), "" unknown */
    char tosc[64];             /* default TOSC codes, comma-separated (e.g. "1201") */
    const fz_calendar *cal;    /* working days for the deadline (required) */
    const fz_stcr_map *map;    /* rule -> STCR; NULL: none mapped */
} fz_str_config;

/* Check the configuration's codes (RICD as fz_hvtr_config_check, TOSC
 * codes of §10.6). Returns 0 or FZ_EINVAL naming the field. */
int fz_str_config_check(const fz_str_config *c, fz_error *err);

/* Build a report from input, an object:
 *   "case":  {"id", "title", "reason"}         (reason: the analyst's confirmation)
 *   "items": [{"side": "payer"|"payee", "rules": [rule ids], "txn": "<native JSON text>",
 *              "decision": {...}, "customer": {customer row} or null,
 *              "account": {account row} or null, "both_sides": true when the
 *              other side of the same transaction is in items too}]
 *   "rpnm":  the drafting analyst
 * one item per alerted (transaction, side). Subjects are the sides'
 * customers, transactions their sides, codes from c, narratives drafted in
 * Chinese. *out is a new object. Returns 0, FZ_EINVAL (an item's txn does
 * not parse) or FZ_ENOMEM. */
int fz_str_build(const fz_str_config *c, const json_t *input, json_t **out, fz_error *err);

/* The narratives of a built report, drafted from its subjects,
 * transactions, reasons and model: malloc'd UTF-8 text of at most
 * FZ_STR_TEXT_MAX characters, or NULL when out of memory. */
char *fz_str_draft_stcb(const json_t *report);
char *fz_str_draft_aosp(const json_t *report);

/* Apply an analyst's changes (members stcb, aosp, tptr, otpr, tosc, stcr,
 * detr, dorp, odrp, rpnm, mirs) to report, each checked against the spec's codes
 * and lengths. Nothing changes on error. Returns 0 or FZ_EINVAL naming the
 * member. */
int fz_str_apply_edit(json_t *report, const json_t *changes, fz_error *err);

/* Whether report can be filed: narratives present, TOSC and STCR listed,
 * OTPR with TPTR 99 and ODRP with DORP 99. Returns 0 or FZ_EINVAL naming
 * the member. */
int fz_str_check_ready(const json_t *report, fz_error *err);

/* The XML file of report (spec §4.3.2) into *out (malloc'd, *n bytes).
 * Returns 0, FZ_EINVAL (RICD not configured) or FZ_ENOMEM. */
int fz_str_xml(const fz_str_config *c, const json_t *report, char **out, size_t *n, fz_error *err);

/* Characters (UTF-8 code points) in s. */
size_t fz_str_chars(const char *s);

#endif
