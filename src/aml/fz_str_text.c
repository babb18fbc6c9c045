/* fz_str_text.c — the narratives of a suspicious report drafted in Chinese
 * from its facts (fz_str_draft_stcb, fz_str_draft_aosp in fz_str.h): plain,
 * factual sentences with names, accounts, dates, amounts, counterparties,
 * the reasons' texts and the model's top features, for the analyst to edit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_money.h"
#include "fz_str.h"
#include "fz_time.h"

#define LIST_MAX 30 /* transactions listed one by one per subject */
#define TOP_MAX 3   /* counterparties named per subject */
#define FEAT_MAX 5  /* model features named */

static const char *member(const json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* 2026年11月02日 09:37 (Asia/Shanghai). */
static void when(FILE *f, int64_t ms) {
    char iso[40];
    fz_time_format(ms + FZ_CN_OFFSET_MS, iso, sizeof iso);
    fprintf(f, "%.4s年%.2s月%.2s日 %.5s", iso, iso + 5, iso + 8, iso + 11);
}

static void day(FILE *f, int64_t ms) {
    char iso[40];
    fz_time_format(ms + FZ_CN_OFFSET_MS, iso, sizeof iso);
    fprintf(f, "%.4s年%.2s月%.2s日", iso, iso + 5, iso + 8);
}

/* 21200.00元 for CNY, 1000.00 USD otherwise. */
static void amount(FILE *f, int64_t v, const char *ccy) {
    fz_ccy c = FZ_CCY_CNY;
    fz_ccy_parse(ccy, strlen(ccy), &c);
    int d = fz_ccy_digits(c);
    char buf[48];
    fz_money_format(v, d > 3 ? 0 : d, buf, sizeof buf);
    if (!strcmp(ccy, "CNY")) fprintf(f, "%s元", buf);
    else fprintf(f, "%s %s", buf, ccy);
}

/* Sums per currency: "21200.00元、300.00 USD". */
static void amounts(FILE *f, const json_t *by_ccy) {
    const char *k;
    json_t *v;
    int first = 1;
    json_object_foreach((json_t *)by_ccy, k, v) {
        fputs(first ? "" : "、", f);
        amount(f, json_integer_value(v), k);
        first = 0;
    }
}

static const char *channel_zh(const char *c) {
    static const char *const names[][2] = {{"counter", "柜面"},     {"atm", "ATM"},     {"online", "网上银行"},
                                           {"mobile", "手机银行"},  {"pos", "POS机"},   {"third_party", "第三方支付"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(c, names[i][0])) return names[i][1];
    return "其他渠道";
}

static const char *kind_zh(const char *k, int out) {
    if (!strcmp(k, "cash_deposit")) return "现金存入";
    if (!strcmp(k, "cash_withdrawal")) return "现金支取";
    if (!strcmp(k, "cash_remittance")) return out ? "现金汇出" : "现金汇入";
    if (!strcmp(k, "payment")) return out ? "支付" : "收款";
    return out ? "转出" : "转入";
}

/* Text of at most FZ_STR_TEXT_MAX characters, cut at a character. */
static char *finish(FILE *f, char **bufp, size_t *lenp) {
    if (fclose(f)) {
        free(*bufp);
        return NULL;
    }
    char *buf = *bufp;
    size_t len = *lenp;
    size_t chars = 0, i = 0;
    for (; i < len; i++) {
        if (((unsigned char)buf[i] & 0xC0) != 0x80 && ++chars > FZ_STR_TEXT_MAX - 2) break;
    }
    if (i < len) strcpy(buf + i, "……"); /* 2 characters; the buffer had room (cut before >= 3 bytes) */
    return buf;
}

/* ---------- STCB: the transactions and the customer's behaviour ---------- */

typedef struct tally {
    int64_t n_in, n_out, first, last;
    json_t *in, *out, *channels, *peers; /* sums by currency; counts by channel; per counterparty */
} tally;

static void add_sum(json_t *by_ccy, const char *ccy, int64_t v) {
    json_object_set_new(by_ccy, ccy, json_integer(json_integer_value(json_object_get(by_ccy, ccy)) + v));
}

static void tally_one(tally *t, const json_t *tx) {
    int out = !strcmp(member(tx, "tsdr"), "02");
    int64_t ms = num(tx, "time_ms");
    if (!t->n_in && !t->n_out) t->first = t->last = ms;
    if (ms < t->first) t->first = ms;
    if (ms > t->last) t->last = ms;
    *(out ? &t->n_out : &t->n_in) += 1;
    add_sum(out ? t->out : t->in, member(tx, "currency"), num(tx, "amount"));
    const char *ch = channel_zh(member(tx, "channel"));
    json_object_set_new(t->channels, ch, json_integer(json_integer_value(json_object_get(t->channels, ch)) + 1));
    char key[400];
    snprintf(key, sizeof key, "%s（%s）%s", member(tx, "counterparty_account"),
             *member(tx, "counterparty_bank") ? member(tx, "counterparty_bank") : "开户行不详", out ? "支出" : "收入");
    json_t *p = json_object_get(t->peers, key);
    if (!p) json_object_set_new(t->peers, key, p = json_pack("{s:i, s:{}}", "n", 0, "sum"));
    json_object_set_new(p, "n", json_integer(num(p, "n") + 1));
    add_sum(json_object_get(p, "sum"), member(tx, "currency"), num(tx, "amount"));
}

/* The TOP_MAX counterparties with most transactions. */
static void peers(FILE *f, const json_t *all) {
    const char *used[TOP_MAX] = {0};
    for (int k = 0; k < TOP_MAX; k++) {
        const char *best = NULL, *key;
        json_t *v;
        json_object_foreach((json_t *)all, key, v) {
            int taken = 0;
            for (int j = 0; j < k; j++) taken |= used[j] == key;
            if (!taken && (!best || num(v, "n") > num(json_object_get(all, best), "n"))) best = key;
        }
        if (!best) break;
        used[k] = best;
        const json_t *p = json_object_get(all, best);
        fprintf(f, "%s账户%s%lld笔，合计", k ? "；" : "", best, (long long)num(p, "n"));
        amounts(f, json_object_get(p, "sum"));
    }
}

static void summary(FILE *f, const tally *t) {
    day(f, t->first);
    fputs("至", f);
    day(f, t->last);
    fprintf(f, "，本报告列明其交易%lld笔：收入%lld笔", (long long)(t->n_in + t->n_out), (long long)t->n_in);
    if (t->n_in) fputs("，合计", f), amounts(f, t->in);
    fprintf(f, "；支出%lld笔", (long long)t->n_out);
    if (t->n_out) fputs("，合计", f), amounts(f, t->out);
    fputs("。交易渠道：", f);
    const char *k;
    json_t *v;
    int i = 0;
    json_object_foreach(t->channels, k, v) fprintf(f, "%s%s%lld笔", i++ ? "、" : "", k, (long long)json_integer_value(v));
    fputs("。主要交易对手：", f);
    peers(f, t->peers);
    fputs("。\n", f);
}

static void one_txn(FILE *f, const json_t *tx) {
    int out = !strcmp(member(tx, "tsdr"), "02");
    when(f, num(tx, "time_ms"));
    fprintf(f, "，账户%s经%s%s账户%s（%s）%s", member(tx, "account"), channel_zh(member(tx, "channel")),
            out ? "向" : "自", member(tx, "counterparty_account"),
            *member(tx, "counterparty_bank") ? member(tx, "counterparty_bank") : "开户行不详",
            kind_zh(member(tx, "kind"), out));
    amount(f, num(tx, "amount"), member(tx, "currency"));
    fprintf(f, "（业务标识号%s）", member(tx, "ticd"));
}

static void subject_head(FILE *f, size_t i, const json_t *s) {
    const char *name = member(s, "name"), *csnm = member(s, "csnm"), *idn = member(s, "id_number");
    fprintf(f, "%zu. 可疑主体%s（%s%s", i + 1, *name ? name : "（姓名/名称未登记）",
            !strcmp(member(s, "kind"), "entity") ? "对公客户，" : "", *csnm ? "客户号" : "客户号未登记");
    fputs(csnm, f);
    if (*idn) fprintf(f, "，证件号码%s", idn);
    fputs("），账户", f);
    size_t k;
    json_t *a;
    json_array_foreach(json_object_get(s, "accounts"), k, a) fprintf(f, "%s%s", k ? "、" : "", json_string_value(a));
    fputs("。", f);
}

/* tx is a transaction of subject s (its customer and one of its accounts). */
static int mine(const json_t *s, const json_t *tx) {
    size_t j;
    json_t *a;
    if (strcmp(member(tx, "csnm"), member(s, "csnm"))) return 0;
    json_array_foreach(json_object_get(s, "accounts"), j, a) if (!strcmp(json_string_value(a), member(tx, "account"))) return 1;
    return 0;
}

static void subject_text(FILE *f, size_t i, const json_t *s, const json_t *txns) {
    tally t = {.in = json_object(), .out = json_object(), .channels = json_object(), .peers = json_object()};
    size_t k, n = 0;
    json_t *tx;
    subject_head(f, i, s);
    json_array_foreach(txns, k, tx) if (mine(s, tx)) tally_one(&t, tx);
    summary(f, &t);
    json_array_foreach(txns, k, tx) {
        if (mine(s, tx) && n++ < LIST_MAX) fputs("    ", f), one_txn(f, tx), fputs("；\n", f);
    }
    if (n > LIST_MAX) fprintf(f, "    ……其余%zu笔见交易明细。\n", n - LIST_MAX);
    json_decref(t.in), json_decref(t.out), json_decref(t.channels), json_decref(t.peers);
}

char *fz_str_draft_stcb(const json_t *r) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    const json_t *txns = json_object_get(r, "transactions");
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(r, "subjects"), i, s) subject_text(f, i, s, txns);
    return finish(f, &buf, &len);
}

/* ---------- AOSP: the analysis of the suspicion ---------- */

static void model_text(FILE *f, const json_t *m) {
    fprintf(f, "模型风险概率最高为%.2f（交易%s，模型%s）", json_number_value(json_object_get(m, "p")),
            member(m, "txn_id"), member(m, "version"));
    size_t i;
    json_t *x;
    int k = 0;
    json_array_foreach(json_object_get(m, "features"), i, x) {
        double c = json_number_value(json_object_get(x, "contribution"));
        if (c <= 0 || k >= FEAT_MAX) continue;
        fprintf(f, "%s%s（取值%g，贡献%+.3f）", k++ ? "、" : "，主要贡献特征：", member(x, "name"),
                json_number_value(json_object_get(x, "value")), c);
    }
}

static void reason_text(FILE *f, size_t i, const json_t *x, const json_t *r) {
    fprintf(f, "%zu. %s（监测规则%s）：涉及交易%lld笔，金额合计", i + 1, member(x, "zh"), member(x, "rule"),
            (long long)num(x, "count"));
    amounts(f, json_object_get(x, "amounts"));
    fputs("，发生于", f);
    when(f, num(x, "first_ms"));
    if (num(x, "last_ms") != num(x, "first_ms")) fputs("至", f), when(f, num(x, "last_ms"));
    if (!strcmp(member(x, "rule"), "MODEL") && json_object_get(r, "model"))
        fputs("；", f), model_text(f, json_object_get(r, "model"));
    fputs("。\n", f);
}

static void conclusion(FILE *f, const json_t *r) {
    fputs("综上，上述交易疑似涉及", f);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "tosc"), i, c) {
        const char *name = fz_str_tosc_name(json_string_value(c));
        fprintf(f, "%s%s（%s）", i ? "、" : "", name ? name : "", json_string_value(c));
    }
    fputs("，依据《金融机构大额交易和可疑交易报告管理办法》第十一条予以报告。", f);
}

char *fz_str_draft_aosp(const json_t *r) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    fputs("经本机构交易监测系统筛查并人工分析，发现以下疑点：\n", f);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(r, "reasons"), i, x) reason_text(f, i, x, r);
    if (*member(r, "confirmation")) fprintf(f, "人工分析确认意见：%s\n", member(r, "confirmation"));
    conclusion(f, r);
    return finish(f, &buf, &len);
}
