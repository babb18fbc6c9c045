/* fz_alert_out.c — see fz_alert_out.h. */
#include "fz_alert_out.h"

#include <errno.h>
#include <stdlib.h>
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
    memset(o, 0, sizeof *o);
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
    if (d->model_hit) return 1;
    for (unsigned i = 0; i < d->nhits; i++)
        if (fz_rules_info(d->rules, d->hits[i].rule)->action != FZ_ACT_LARGE_VALUE) return 1;
    return 0;
}

static const char *side_name(unsigned s) { return s == FZ_SIDE_PAYER ? "payer" : "payee"; }

/* Text written with fz_jsonw/fz_csvw into a fresh string. */
static char *render(void (*fn)(FILE *, const fz_rule_info *), const fz_rule_info *ri) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return NULL;
    fn(m, ri);
    if (fclose(m)) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ,"score":N,"typology":"..","zh":"..","en":".."} */
static void json_frag(FILE *f, const fz_rule_info *ri) {
    fprintf(f, ",\"score\":%d,\"typology\":", (int)ri->score);
    fz_jsonw_str(f, ri->typology, strlen(ri->typology));
    fputs(",\"zh\":", f);
    fz_jsonw_str(f, ri->reason_zh, strlen(ri->reason_zh));
    fputs(",\"en\":", f);
    fz_jsonw_str(f, ri->reason_en, strlen(ri->reason_en));
    putc('}', f);
}

/* zh,en as two CSV fields */
static void csv_frag(FILE *f, const fz_rule_info *ri) {
    fz_csvw_field(f, ri->reason_zh, strlen(ri->reason_zh));
    putc(',', f);
    fz_csvw_field(f, ri->reason_en, strlen(ri->reason_en));
}

static void drop_frags(fz_alert_out *o) {
    for (int i = 0; i < o->nfrag; i++) {
        free(o->json_frag[i]);
        free(o->csv_frag[i]);
    }
    free(o->json_frag);
    free(o->csv_frag);
    o->json_frag = o->csv_frag = NULL;
    o->nfrag = 0;
    o->rules = NULL;
}

/* The fragments of rule i of rs, made on first use; NULL when out of memory
 * (the caller then writes the text directly). */
static const char *frag(fz_alert_out *o, const struct fz_ruleset *rs, int i, int json) {
    if (o->rules != rs) {
        drop_frags(o);
        int n = fz_rules_count(rs);
        o->json_frag = calloc((size_t)n + 1, sizeof *o->json_frag);
        o->csv_frag = calloc((size_t)n + 1, sizeof *o->csv_frag);
        if (!o->json_frag || !o->csv_frag) {
            drop_frags(o);
            return NULL;
        }
        o->nfrag = n;
        o->rules = rs;
    }
    char **slot = json ? &o->json_frag[i] : &o->csv_frag[i];
    if (!*slot) *slot = render(json ? json_frag : csv_frag, fz_rules_info(rs, i));
    return *slot;
}

static void write_csv(fz_alert_out *o, const fz_txn *t, fz_str id, const fz_decision *d, const char *when,
                      const char *amount, const char *ccy) {
    FILE *f = o->csv;
    fz_csvw_field(f, id.p, id.n);
    fprintf(f, ",%s,", when);
    fz_csvw_field(f, t->payer_acct.p, t->payer_acct.n);
    putc_unlocked(',', f);
    fz_csvw_field(f, t->payee_acct.p, t->payee_acct.n);
    fprintf(f, ",%s,%s,%s,%d,", amount, ccy, fz_outcome_name(d->outcome), (int)d->score);
    int first = -1;
    unsigned k = 0;
    for (unsigned i = 0; i < d->nhits; i++) {
        const fz_rule_info *ri = fz_rules_info(d->rules, d->hits[i].rule);
        if (ri->action == FZ_ACT_LARGE_VALUE) continue;
        if (first < 0) first = d->hits[i].rule;
        fprintf(f, "%s%s@%s", k++ ? "|" : "", ri->id, side_name(d->hits[i].side));
    }
    if (d->model_hit) fprintf(f, "%sMODEL(p=%.4f)", k ? "|" : "", (double)d->model_p);
    putc_unlocked(',', f);
    const char *fr = first < 0 ? NULL : frag(o, d->rules, first, 0);
    if (fr) fputs_unlocked(fr, f);
    else if (first >= 0) csv_frag(f, fz_rules_info(d->rules, first));
    else fputs_unlocked("模型评分超过阈值,Model score above its threshold", f);
    putc_unlocked('\n', f);
}

/* The model's reason: its probability and the features that raised it most,
 * with their values. */
static void write_model(FILE *f, const fz_decision *d, unsigned k) {
    fprintf(f, "%s{\"rule\":\"MODEL\",\"p\":%.6f,\"model\":", k ? "," : "", (double)d->model_p);
    const char *v = fz_model_version(d->model);
    fz_jsonw_str(f, v, strlen(v));
    fputs(",\"zh\":\"模型评分超过阈值\",\"en\":\"Model score above its threshold\",\"features\":[", f);
    for (unsigned i = 0; i < d->ncontrib; i++) {
        const char *name = fz_model_feature_name(d->model, d->contrib[i].feature);
        fprintf(f, "%s{\"name\":", i ? "," : "");
        fz_jsonw_str(f, name, strlen(name));
        if (d->contrib[i].value != d->contrib[i].value) fputs(",\"value\":null", f);
        else fprintf(f, ",\"value\":%.9g", (double)d->contrib[i].value);
        fprintf(f, ",\"contribution\":%.6f}", (double)d->contrib[i].contribution);
    }
    fputs("]}", f);
}

void fz_alert_out_json(fz_alert_out *o, FILE *f, const fz_txn *t, fz_str id, const fz_decision *d) {
    char when[40], amount[40], ccy[4];
    fz_time_format(t->time, when, sizeof when);
    fz_money_format(t->amount, fz_ccy_digits(t->currency), amount, sizeof amount);
    fz_ccy_str(t->currency ? t->currency : FZ_CCY_CNY, ccy);
    fputs_unlocked("{\"txn_id\":", f);
    fz_jsonw_str(f, id.p, id.n);
    fprintf(f, ",\"time\":\"%s\",\"payer_acct\":", when);
    fz_jsonw_str(f, t->payer_acct.p, t->payer_acct.n);
    fputs_unlocked(",\"payee_acct\":", f);
    fz_jsonw_str(f, t->payee_acct.p, t->payee_acct.n);
    fprintf(f, ",\"amount\":\"%s\",\"currency\":\"%s\",\"outcome\":\"%s\",\"score\":%d,\"reasons\":[",
            amount, ccy, fz_outcome_name(d->outcome), (int)d->score);
    unsigned k = 0;
    for (unsigned i = 0; i < d->nhits; i++) {
        const fz_rule_info *ri = fz_rules_info(d->rules, d->hits[i].rule);
        if (ri->action == FZ_ACT_LARGE_VALUE) continue;
        fprintf(f, "%s{\"rule\":\"%s\",\"side\":\"%s\"", k++ ? "," : "", ri->id, side_name(d->hits[i].side));
        const char *fr = frag(o, d->rules, d->hits[i].rule, 1);
        if (fr) fputs_unlocked(fr, f);
        else json_frag(f, ri);
    }
    if (d->model_hit) write_model(f, d, k);
    fputs_unlocked("],\"rules_version\":", f);
    const char *v = d->rules ? fz_rules_version(d->rules) : "none";
    fz_jsonw_str(f, v, strlen(v));
    if (d->truncated) fputs_unlocked(",\"truncated\":true", f);
}

void fz_alert_out_write(fz_alert_out *o, const fz_txn *t, fz_str id, const fz_decision *d) {
    char when[40], amount[40], ccy[4];
    fz_time_format(t->time, when, sizeof when);
    fz_money_format(t->amount, fz_ccy_digits(t->currency), amount, sizeof amount);
    fz_ccy_str(t->currency ? t->currency : FZ_CCY_CNY, ccy);
    write_csv(o, t, id, d, when, amount, ccy);
    fz_alert_out_json(o, o->jsonl, t, id, d);
    fputs_unlocked("}\n", o->jsonl);
}

int fz_alert_out_close(fz_alert_out *o, fz_error *err) {
    int bad = 0;
    if (o->csv) bad |= ferror(o->csv) | (fclose(o->csv) != 0);
    if (o->jsonl) bad |= ferror(o->jsonl) | (fclose(o->jsonl) != 0);
    o->csv = o->jsonl = NULL;
    drop_frags(o);
    return bad ? fz_error_set(err, FZ_EIO, "alerts", 0, 0, NULL, "write failed: %s", strerror(errno)) : 0;
}
