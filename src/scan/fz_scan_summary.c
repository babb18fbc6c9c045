/* fz_scan_summary.c — print a scan's summary for people and for scripts. */
#include <string.h>

#include "fz_jsonw.h"
#include "fz_scan.h"

static double rate(const fz_scan_result *r) {
    return r->seconds_total > 0 ? (double)r->rows / r->seconds_total : 0.0;
}

void fz_scan_print(const fz_scan_result *r, FILE *f) {
    fprintf(f, "rows        %llu scored, %llu rejected%s\n", (unsigned long long)r->rows,
            (unsigned long long)r->rejects, r->sorted ? " (input re-ordered by time)" : "");
    fprintf(f, "decisions   allow %llu  verify %llu  hold %llu  block %llu\n",
            (unsigned long long)r->outcomes[FZ_OUT_ALLOW], (unsigned long long)r->outcomes[FZ_OUT_VERIFY],
            (unsigned long long)r->outcomes[FZ_OUT_HOLD], (unsigned long long)r->outcomes[FZ_OUT_BLOCK]);
    fprintf(f, "alerts      %llu\n", (unsigned long long)r->alerts);
    fprintf(f, "large-value %llu records\n", (unsigned long long)r->lv_records);
    double n = r->engine.accounts ? (double)r->engine.accounts : 1.0;
    fprintf(f, "accounts    %llu (%llu customers), engine state %.0f bytes per account in use (%.0f allocated)\n",
            (unsigned long long)r->engine.accounts, (unsigned long long)r->engine.customers,
            (double)r->engine.bytes_used / n, (double)r->engine.bytes / n);
    const fz_engine_stats *st = &r->engine;
    if (st->out_of_order || st->no_rate || st->hits_truncated || st->lv_truncated || st->long_keys)
        fprintf(f, "warnings    %llu out of time order, %llu without a USD rate, %llu decisions with hits cut, "
                   "%llu large-value hits cut, %llu accounts keyed without their bank (too long)\n",
                (unsigned long long)st->out_of_order, (unsigned long long)st->no_rate,
                (unsigned long long)st->hits_truncated, (unsigned long long)st->lv_truncated,
                (unsigned long long)st->long_keys);
    fprintf(f, "time        %.3f s (read %.3f, score %.3f, write %.3f), %.0f rows/s\n", r->seconds_total,
            r->seconds_read, r->seconds_score, r->seconds_write, rate(r));
    fprintf(f, "rules       %s\n", r->rules_version);
    for (int i = 0; i < r->nrules; i++)
        if (r->by_rule[i].hits)
            fprintf(f, "  %-32s %llu\n", r->by_rule[i].id, (unsigned long long)r->by_rule[i].hits);
    if (r->attempts.ntyp) {
        fprintf(f, "\nlabelled attempts (groups) found: at least one transaction flagged\n");
        if (r->attempts.skipped)
            fprintf(f, "  (%llu positive rows not counted: group id above %zu)\n",
                    (unsigned long long)r->attempts.skipped, FZ_ATTEMPT_GROUPS_MAX - 1);
        fprintf(f, "  %-24s %9s %18s %18s\n", "typology", "attempts", "by pattern rules", "by any alert");
        for (int i = 0; i < r->attempts.ntyp; i++) {
            double na = r->attempts.attempts[i] ? (double)r->attempts.attempts[i] : 1.0;
            fprintf(f, "  %-24s %9llu %9llu %7.1f%% %9llu %7.1f%%\n", r->attempts.name[i],
                    (unsigned long long)r->attempts.attempts[i], (unsigned long long)r->attempts.by_pattern[i],
                    100.0 * (double)r->attempts.by_pattern[i] / na, (unsigned long long)r->attempts.by_alert[i],
                    100.0 * (double)r->attempts.by_alert[i] / na);
        }
    }
    if (fz_metrics_has_labels(&r->all)) {
        fz_metrics_print(&r->all, "detection, all labelled rows (rules alone; flagged = alert or worse)", f);
        fz_metrics_print(&r->test, "detection, test split (last 20% of rows by time)", f);
    }
}

static void json_confusion(FILE *f, const char *key, const fz_metrics *m) {
    const fz_confusion *c = &m->all;
    fprintf(f, ",\"%s\":{\"tp\":%llu,\"fp\":%llu,\"tn\":%llu,\"fn\":%llu,\"precision\":%.6f,\"recall\":%.6f,"
               "\"f1\":%.6f,\"pr_auc\":%.6f,\"typologies\":{",
            key, (unsigned long long)c->tp, (unsigned long long)c->fp, (unsigned long long)c->tn,
            (unsigned long long)c->fn, fz_precision(c), fz_recall(c), fz_f1(c), fz_metrics_pr_auc(m));
    for (int i = 0; i < m->ntyp; i++) {
        const fz_confusion *t = &m->typ[i].c;
        if (i) putc(',', f);
        fz_jsonw_str(f, m->typ[i].name, strlen(m->typ[i].name));
        fprintf(f, ":{\"positives\":%llu,\"found\":%llu,\"recall\":%.6f,\"decoys\":%llu,\"decoy_fp\":%llu}",
                (unsigned long long)(t->tp + t->fn), (unsigned long long)t->tp, fz_recall(t),
                (unsigned long long)(t->fp + t->tn), (unsigned long long)t->fp);
    }
    fputs("}}", f);
}

int fz_scan_print_json(const fz_scan_result *r, FILE *f) {
    fprintf(f, "{\"rows\":%llu,\"rejects\":%llu,\"alerts\":%llu,\"large_value_records\":%llu,",
            (unsigned long long)r->rows, (unsigned long long)r->rejects, (unsigned long long)r->alerts,
            (unsigned long long)r->lv_records);
    fprintf(f, "\"decisions\":{\"allow\":%llu,\"verify\":%llu,\"hold\":%llu,\"block\":%llu},",
            (unsigned long long)r->outcomes[FZ_OUT_ALLOW], (unsigned long long)r->outcomes[FZ_OUT_VERIFY],
            (unsigned long long)r->outcomes[FZ_OUT_HOLD], (unsigned long long)r->outcomes[FZ_OUT_BLOCK]);
    fputs("\"alerts_by_rule\":{", f);
    for (int i = 0, k = 0; i < r->nrules; i++) {
        if (!r->by_rule[i].hits) continue;
        if (k++) putc(',', f);
        fz_jsonw_str(f, r->by_rule[i].id, strlen(r->by_rule[i].id));
        fprintf(f, ":%llu", (unsigned long long)r->by_rule[i].hits);
    }
    fprintf(f, "},\"seconds\":%.6f,\"rows_per_second\":%.0f,\"accounts\":%llu,\"customers\":%llu,"
               "\"state_bytes_per_account\":%.1f,\"out_of_order\":%llu,\"no_rate\":%llu,\"rules_version\":",
            r->seconds_total, rate(r), (unsigned long long)r->engine.accounts,
            (unsigned long long)r->engine.customers,
            r->engine.accounts ? (double)r->engine.bytes_used / (double)r->engine.accounts : 0.0,
            (unsigned long long)r->engine.out_of_order, (unsigned long long)r->engine.no_rate);
    fz_jsonw_str(f, r->rules_version, strlen(r->rules_version));
    if (r->attempts.ntyp) {
        fputs(",\"attempts\":{", f);
        for (int i = 0; i < r->attempts.ntyp; i++) {
            if (i) putc(',', f);
            fz_jsonw_str(f, r->attempts.name[i], strlen(r->attempts.name[i]));
            fprintf(f, ":{\"attempts\":%llu,\"by_pattern\":%llu,\"by_alert\":%llu}",
                    (unsigned long long)r->attempts.attempts[i], (unsigned long long)r->attempts.by_pattern[i],
                    (unsigned long long)r->attempts.by_alert[i]);
        }
        putc('}', f);
    }
    if (fz_metrics_has_labels(&r->all)) {
        fputs(",\"metrics\":{\"split\":\"time 60/20/20; test = last 20%\"", f);
        json_confusion(f, "all", &r->all);
        json_confusion(f, "test", &r->test);
        putc('}', f);
    }
    fputs("}\n", f);
    return ferror(f) ? FZ_EIO : 0;
}
