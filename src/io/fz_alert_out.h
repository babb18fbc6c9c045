/* fz_alert_out.h — write alerts: one line per decision that raised one.
 *
 * alerts.csv for spreadsheets and alerts.jsonl for machines carry the same
 * alerts; the JSON line adds the reasons in Chinese and English and the rule
 * set version. Columns are documented in docs/formats.md. */
#ifndef FZ_ALERT_OUT_H
#define FZ_ALERT_OUT_H

#include <stdio.h>

#include "fz_decision.h"
#include "fz_error.h"
#include "fz_txn.h"

typedef struct fz_alert_out {
    FILE *csv;
    FILE *jsonl;
    /* Each rule's reason text, already escaped for JSON and CSV, made on its
     * first alert: an alert writes them with one copy instead of escaping
     * the same text again for every alert. */
    const struct fz_ruleset *rules;
    char **json_frag;
    char **csv_frag;
    int nfrag;
} fz_alert_out;

/* Create dir/alerts.csv and dir/alerts.jsonl (the CSV with its header).
 * Returns 0 or FZ_EIO naming the file. */
int fz_alert_out_open(fz_alert_out *o, const char *dir, fz_error *err);

/* Write one alert. id is the transaction's display id (fz_txn.id or
 * "file:line"). Only hits that are not large-value are listed. */
void fz_alert_out_write(fz_alert_out *o, const fz_txn *t, fz_str id, const fz_decision *d);

/* Write the decision as the JSON object an alerts.jsonl line holds, without
 * its closing brace, to f (so a caller such as the server can add members).
 * o need only be zeroed (no files) to serve as the reason-text cache. */
void fz_alert_out_json(fz_alert_out *o, FILE *f, const fz_txn *t, fz_str id, const fz_decision *d);

/* Flush and close; FZ_EIO if anything failed to be written. */
int fz_alert_out_close(fz_alert_out *o, fz_error *err);

/* Whether a decision is an alert: some rule other than a large-value one fired. */
int fz_decision_is_alert(const fz_decision *d);

#endif
