/* fz_alert_out.c — see fz_alert_out.h. */
#include "fz_alert_out.h"

#include <errno.h>
#include <string.h>

#include "fz_jsonw.h"
#include "fz_rules.h"

static FILE *open_in(const char *dir, const char *name, char *path, size_t n, fz_error *err) {
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
    else setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

int fz_alert_out_open(fz_alert_out *o, const char *dir, fz_error *err) {
    char path[4096];
    o->csv = o->jsonl = NULL;
    if (!(o->csv = open_in(dir, "alerts.csv", path, sizeof path, err))) return FZ_EIO;
    if (!(o->jsonl = open_in(dir, "alerts.jsonl", path, sizeof path, err))) {
        fclose(o->csv);
        o->csv = NULL;
        return FZ_EIO;
    }
    fputs("txn_id,time,payer_acct,payee_acct,amount,currency,outcome,score,rules,reason_zh,reason_en\n", o->csv);
    return 0;
}

int fz_decision_is_alert(const fz_decision *d) {
    for (unsigned i = 0; i < d->nhits; i++)
        if (fz_rules_info(d->rules, d->hits[i].rule)->action != FZ_ACT_LARGE_VALUE) return 1;
    return 0;
}

static const char *side_name(unsigned s) { return s == FZ_SIDE_PAYER ? "payer" : "payee"; }

static void write_csv(FILE *f, const fz_txn *t, fz_str id, const fz_decision *d, const char *when,
                      const char *amount, const char *ccy) {
    fz_csvw_field(f, id.p, id.n);
    fprintf(f, ",%s,", when);
    fz_csvw_field(f, t->payer_acct.p, t->payer_acct.n);
    putc(',', f);
    fz_csvw_field(f, t->payee_acct.p, t->payee_acct.n);
    fprintf(f, ",%s,%s,%s,%d,", amount, ccy, fz_outcome_name(d->outcome), (int)d->score);
    const fz_rule_info *first = NULL;
    for (unsigned i = 0, k = 0; i < d->nhits; i++) {
        const fz_rule_info *ri = fz_rules_info(d->rules, d->hits[i].rule);
        if (ri->action == FZ_ACT_LARGE_VALUE) continue;
        if (!first) first = ri;
        fprintf(f, "%s%s@%s", k++ ? "|" : "", ri->id, side_name(d->hits[i].side));
    }
    putc(',', f);
    fz_csvw_field(f, first->reason_zh, strlen(first->reason_zh));
    putc(',', f);
    fz_csvw_field(f, first->reason_en, strlen(first->reason_en));
    putc('\n', f);
}

static void write_json(FILE *f, const fz_txn *t, fz_str id, const fz_decision *d, const char *when,
                       const char *amount, const char *ccy) {
    fputs("{\"txn_id\":", f);
    fz_jsonw_str(f, id.p, id.n);
    fprintf(f, ",\"time\":\"%s\",\"payer_acct\":", when);
    fz_jsonw_str(f, t->payer_acct.p, t->payer_acct.n);
    fputs(",\"payee_acct\":", f);
    fz_jsonw_str(f, t->payee_acct.p, t->payee_acct.n);
    fprintf(f, ",\"amount\":\"%s\",\"currency\":\"%s\",\"outcome\":\"%s\",\"score\":%d,\"reasons\":[",
            amount, ccy, fz_outcome_name(d->outcome), (int)d->score);
    for (unsigned i = 0, k = 0; i < d->nhits; i++) {
        const fz_rule_info *ri = fz_rules_info(d->rules, d->hits[i].rule);
        if (ri->action == FZ_ACT_LARGE_VALUE) continue;
        fprintf(f, "%s{\"rule\":\"%s\",\"side\":\"%s\",\"score\":%d,\"typology\":", k++ ? "," : "", ri->id,
                side_name(d->hits[i].side), (int)ri->score);
        fz_jsonw_str(f, ri->typology, strlen(ri->typology));
        fputs(",\"zh\":", f);
        fz_jsonw_str(f, ri->reason_zh, strlen(ri->reason_zh));
        fputs(",\"en\":", f);
        fz_jsonw_str(f, ri->reason_en, strlen(ri->reason_en));
        putc('}', f);
    }
    fputs("],\"rules_version\":", f);
    const char *v = fz_rules_version(d->rules);
    fz_jsonw_str(f, v, strlen(v));
    fputs(d->truncated ? ",\"truncated\":true}\n" : "}\n", f);
}

void fz_alert_out_write(fz_alert_out *o, const fz_txn *t, fz_str id, const fz_decision *d) {
    char when[40], amount[40], ccy[4];
    fz_time_format(t->time, when, sizeof when);
    fz_money_format(t->amount, fz_ccy_digits(t->currency), amount, sizeof amount);
    fz_ccy_str(t->currency ? t->currency : FZ_CCY_CNY, ccy);
    write_csv(o->csv, t, id, d, when, amount, ccy);
    write_json(o->jsonl, t, id, d, when, amount, ccy);
}

int fz_alert_out_close(fz_alert_out *o, fz_error *err) {
    int bad = 0;
    if (o->csv) bad |= ferror(o->csv) | (fclose(o->csv) != 0);
    if (o->jsonl) bad |= ferror(o->jsonl) | (fclose(o->jsonl) != 0);
    o->csv = o->jsonl = NULL;
    return bad ? fz_error_set(err, FZ_EIO, "alerts", 0, 0, NULL, "write failed: %s", strerror(errno)) : 0;
}
