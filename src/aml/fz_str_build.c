/* fz_str_build.c — a suspicious report drafted from a case's alerted
 * transactions (fz_str_build in fz_str.h): subjects, transactions, codes,
 * and the facts the narratives are drafted from (fz_str_text.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_hvtr.h"
#include "fz_reader.h"
#include "fz_str.h"
#include "fz_time.h"

static const char *member(const json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static json_t *strn(fz_str s) { return json_stringn(s.p ? s.p : "", s.n); }

/* One transaction side, parsed. */
typedef struct side {
    fz_txn t;
    int payer;   /* the subject's side pays (TSDR 02) */
    fz_str acct, bank, cust, other_acct, other_bank;
    unsigned party;
} side;

static void pick_side(side *s, int payer) {
    const fz_txn *t = &s->t;
    s->payer = payer;
    s->acct = payer ? t->payer_acct : t->payee_acct;
    s->bank = payer ? t->payer_bank : t->payee_bank;
    s->cust = payer ? t->payer_cust : t->payee_cust;
    s->other_acct = payer ? t->payee_acct : t->payer_acct;
    s->other_bank = payer ? t->payee_bank : t->payer_bank;
    s->party = payer ? t->payer_party : t->payee_party;
}

/* ---------- subjects ---------- */

/* A string or an array of strings of data[k1] (or data[k2]) as an array. */
static json_t *strings(const json_t *data, const char *k1, const char *k2) {
    json_t *v = json_object_get(data, k1);
    if (!v && k2) v = json_object_get(data, k2);
    if (json_is_array(v)) return json_deep_copy(v);
    json_t *a = json_array();
    if (json_is_string(v) && json_string_length(v)) json_array_append(a, v);
    return a;
}

/* {"name","id_type","id_number"} of a related person in data[k]. */
static json_t *person(const json_t *data, const char *k) {
    const json_t *p = json_object_get(data, k);
    return json_pack("{s:s, s:s, s:s}", "name", member(p, "name"), "id_type", member(p, "id_type"), "id_number",
                     member(p, "id_number"));
}

/* The subject of csnm from its customer row (may be NULL) and the side. */
static json_t *subject(const char *csnm, const json_t *cust, const side *s) {
    const json_t *data = json_object_get(cust, "data");
    const char *kind = cust ? member(cust, "kind") : (s->party == FZ_PARTY_ENTITY ? "entity" : "natural");
    const char *occ = member(data, "occupation");
    if (!*occ) occ = member(data, "industry");
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:[]}", "csnm", csnm, "kind",
                     *kind ? kind : "natural", "name", member(cust, "name"), "id_type", member(cust, "id_type"),
                     "id_number", member(cust, "id_number"), "occupation", occ, "nationalities",
                     strings(data, "nationalities", "nationality"), "phones", strings(data, "phones", "phone"),
                     "addresses", strings(data, "addresses", "address"), "contacts", strings(data, "contacts", "email"),
                     "legal_rep", person(data, "legal_rep"), "controller", person(data, "controller"), "accounts");
}

/* The subject for this side, found or added; its csnm into csnm. */
static json_t *find_subject(json_t *subjects, const json_t *item, const side *s, char *csnm, size_t cap) {
    const json_t *cust = json_object_get(item, "customer");
    if (!json_is_object(cust)) cust = NULL;
    if (cust) snprintf(csnm, cap, "%s", member(cust, "id"));
    else snprintf(csnm, cap, "%.*s", (int)s->cust.n, s->cust.p ? s->cust.p : "");
    char key[400];
    if (*csnm) snprintf(key, sizeof key, "%s", csnm);
    else snprintf(key, sizeof key, "acct:%.*s", (int)s->acct.n, s->acct.p);
    json_t *sub = json_object_get(subjects, key);
    if (!sub) json_object_set_new(subjects, key, sub = subject(csnm, cust, s));
    json_t *accts = json_object_get(sub, "accounts");
    json_t *a = strn(s->acct);
    size_t i;
    json_t *x;
    int seen = 0;
    json_array_foreach(accts, i, x) seen |= json_equal(x, a);
    if (!seen) json_array_append(accts, a);
    json_decref(a);
    return sub;
}

/* ---------- transactions ---------- */

static void money(fz_money v, fz_ccy c, char *buf, size_t n) {
    int d = fz_ccy_digits(c ? c : FZ_CCY_CNY);
    fz_money_format(v, d > 3 ? 0 : d, buf, n);
}

static void time14(const json_t *acct, const char *k, char out[16]) {
    json_t *v = json_object_get(acct, k);
    out[0] = 0;
    if (json_is_integer(v)) fz_hvtr_tstm(json_integer_value(v), out);
}

/* The STIF of one side: the parts fz_str_xml writes, and what the narratives read. */
static json_t *stif(const side *s, const json_t *item, const json_t *sub, int both) {
    const fz_txn *t = &s->t;
    char tstm[16], ocec[512], crat[48], ccy[4], ticd[300], opened[16], closed[16];
    fz_hvtr_tstm(t->time, tstm);
    fz_hvtr_ocec(t, ocec, sizeof ocec);
    money(t->amount, t->currency, crat, sizeof crat);
    fz_ccy_str(t->currency ? t->currency : FZ_CCY_CNY, ccy);
    snprintf(ticd, sizeof ticd, "%.*s%s", (int)t->id.n, t->id.p, both ? (s->payer ? "-02" : "-01") : "");
    const json_t *acct = json_object_get(item, "account");
    time14(acct, "opened_ms", opened);
    time14(acct, "closed_ms", closed);
    json_t *o = json_pack("{s:o, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:I, s:s, s:s, s:s, s:s}",
                          "txn_id", strn(t->id), "ticd", ticd, "time_ms", (json_int_t)t->time, "tstm", tstm, "csnm",
                          member(sub, "csnm"), "name", member(sub, "name"), "id_type", member(sub, "id_type"),
                          "id_number", member(sub, "id_number"), "account", strn(s->acct), "oatm", opened, "catm",
                          closed, "amount", (json_int_t)t->amount, "currency", ccy, "crat", crat, "tsdr",
                          s->payer ? "02" : "01", "tstp", fz_hvtr_tstp(t));
    json_object_set_new(o, "octt", json_string(fz_hvtr_octt(t->channel)));
    json_object_set_new(o, "ooct", json_string(t->channel == FZ_CH_THIRD_PARTY ? "第三方支付" : ""));
    json_object_set_new(o, "ocec", json_string(ocec));
    json_object_set_new(o, "channel", json_string(fz_channel_name(t->channel)));
    json_object_set_new(o, "kind", json_string(fz_kind_name(t->kind)));
    json_object_set_new(o, "rpmt", json_string(both ? "04" : ""));
    json_object_set_new(o, "rpmn", both ? strn(t->id) : json_string(""));
    json_object_set_new(o, "counterparty_account", strn(s->other_acct));
    json_object_set_new(o, "counterparty_bank", strn(s->other_bank));
    json_object_set_new(o, "rules", json_deep_copy(json_object_get(item, "rules")));
    return o;
}

/* ---------- reasons and the model ---------- */

/* The decision's reason for rule (its zh text and the model's numbers). */
static const json_t *reason_of(const json_t *decision, const char *rule) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(decision, "reasons"), i, r) if (!strcmp(member(r, "rule"), rule)) return r;
    return NULL;
}

/* Count rule's transaction in reasons: {rule, zh, count, amounts by currency, first_ms, last_ms}. */
static void add_reason(json_t *reasons, const char *rule, const json_t *why, const fz_txn *t, const char *ccy) {
    json_t *r = NULL, *x;
    size_t i;
    json_array_foreach(reasons, i, x) if (!strcmp(member(x, "rule"), rule)) r = x;
    if (!r) {
        const char *zh = member(why, "zh");
        r = json_pack("{s:s, s:s, s:i, s:{}, s:I, s:I}", "rule", rule, "zh", *zh ? zh : rule, "count", 0, "amounts",
                      "first_ms", (json_int_t)t->time, "last_ms", (json_int_t)t->time);
        json_array_append_new(reasons, r);
    }
    json_object_set_new(r, "count", json_integer(json_integer_value(json_object_get(r, "count")) + 1));
    json_t *am = json_object_get(r, "amounts");
    json_object_set_new(am, ccy, json_integer(json_integer_value(json_object_get(am, ccy)) + t->amount));
    if (t->time < json_integer_value(json_object_get(r, "first_ms")))
        json_object_set_new(r, "first_ms", json_integer(t->time));
    if (t->time > json_integer_value(json_object_get(r, "last_ms")))
        json_object_set_new(r, "last_ms", json_integer(t->time));
}

/* Keep the model reason with the highest probability. */
static void keep_model(json_t *report, const json_t *why, const char *txn_id) {
    json_t *m = json_object_get(report, "model");
    double p = json_number_value(json_object_get(why, "p"));
    if (m && json_number_value(json_object_get(m, "p")) >= p) return;
    json_object_set_new(report, "model",
                        json_pack("{s:f, s:s, s:s, s:O}", "p", p, "version", member(why, "model"), "txn_id", txn_id,
                                  "features", json_object_get(why, "features")));
}

static void add_reasons(json_t *report, const json_t *item, const fz_txn *t, const char *ccy, const char *txn_id) {
    const json_t *decision = json_object_get(item, "decision");
    size_t i;
    json_t *rule;
    json_array_foreach(json_object_get(item, "rules"), i, rule) {
        const char *id = json_string_value(rule);
        if (!id) continue;
        const json_t *why = reason_of(decision, id);
        add_reason(json_object_get(report, "reasons"), id, why, t, ccy);
        if (!strcmp(id, "MODEL") && why) keep_model(report, why, txn_id);
    }
}

/* ---------- codes ---------- */

static void add_code(json_t *a, const char *code) {
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) if (!strcmp(json_string_value(x), code)) return;
    if (json_array_size(a) < FZ_STR_MAX_CODES) json_array_append_new(a, json_string(code));
}

/* STCR and TOSC from the rules through the map; the configured TOSC when
 * no rule suggests one; unmapped rules listed for the analyst. */
static void codes(const fz_str_config *c, json_t *r) {
    json_t *stcr = json_array(), *tosc = json_array(), *unmapped = json_array(), *x;
    size_t i;
    json_array_foreach(json_object_get(r, "reasons"), i, x) {
        const char *t, *code = fz_stcr_map_get(c->map, member(x, "rule"), &t);
        if (!code) add_code(unmapped, member(x, "rule"));
        else add_code(stcr, code);
        if (code && *t) add_code(tosc, t);
    }
    char buf[sizeof c->tosc];
    memcpy(buf, c->tosc, sizeof buf);
    for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t && !json_array_size(tosc); t = strtok_r(NULL, ", ", &save))
        if (fz_str_tosc_ok(t)) add_code(tosc, t);
    json_object_set_new(r, "stcr", stcr);
    json_object_set_new(r, "tosc", tosc);
    json_object_set_new(r, "unmapped_rules", unmapped);
}

/* ---------- the report ---------- */

static int parse_item(const json_t *item, side *s, fz_reader **rd, fz_error *err) {
    const char *text = member(item, "txn");
    fz_read_opts o = {.format = FZ_FMT_JSONL};
    int rc = fz_reader_open_mem(rd, "event", text, strlen(text), &o, err);
    if (!rc && fz_reader_next(*rd, &s->t, err) != 1)
        rc = fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "txn", "a stored transaction does not parse");
    if (!rc) pick_side(s, !strcmp(member(item, "side"), "payer"));
    return rc;
}

/* Both sides of t are the bank's, or both are in this report (the item
 * says so): TICD gets the side (spec §9.7 note 8(3)). */
static int both_sides(const fz_str_config *c, const side *s, const json_t *item) {
    const fz_txn *t = &s->t;
    size_t n = strlen(c->bank);
    if (json_is_true(json_object_get(item, "both_sides"))) return 1;
    return n && t->payer_bank.n == n && t->payee_bank.n == n && !memcmp(t->payer_bank.p, c->bank, n) &&
           !memcmp(t->payee_bank.p, c->bank, n);
}

static int add_item(const fz_str_config *c, json_t *r, json_t *subjects, const json_t *item, fz_error *err) {
    side s;
    fz_reader *rd = NULL;
    int rc = parse_item(item, &s, &rd, err);
    if (!rc) {
        char csnm[300];
        const json_t *sub = find_subject(subjects, item, &s, csnm, sizeof csnm);
        json_t *tx = stif(&s, item, sub, both_sides(c, &s, item));
        add_reasons(r, item, &s.t, member(tx, "currency"), member(tx, "txn_id"));
        json_array_append_new(json_object_get(r, "transactions"), tx);
    }
    if (rd) fz_reader_close(rd);
    return rc;
}

static json_t *skeleton(const json_t *input) {
    const json_t *cs = json_object_get(input, "case");
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:[], s:[], s:[]}",
                     "case_id", (json_int_t)json_integer_value(json_object_get(cs, "id")), "case_title",
                     member(cs, "title"), "confirmation", member(cs, "reason"), "tptr", "01", "otpr", "", "detr", "01",
                     "dorp", "01", "odrp", "", "torp", 1, "orxn", "", "rpnm", member(input, "rpnm"), "stcb", "", "aosp",
                     "", "subjects", "transactions", "reasons");
}

int fz_str_build(const fz_str_config *c, const json_t *input, json_t **out, fz_error *err) {
    json_t *r = skeleton(input), *subjects = json_object(), *item, *v;
    const json_t *items = json_object_get(input, "items");
    size_t i;
    int rc = r && subjects ? 0 : fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    json_array_foreach(items, i, item) if (!rc) rc = add_item(c, r, subjects, item, err);
    const char *k;
    json_object_foreach(subjects, k, v) if (!rc) json_array_append(json_object_get(r, "subjects"), v);
    json_decref(subjects);
    if (!rc) {
        codes(c, r);
        char *stcb = fz_str_draft_stcb(r), *aosp = fz_str_draft_aosp(r);
        if (!stcb || !aosp) rc = fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        else {
            json_object_set_new(r, "stcb", json_string(stcb));
            json_object_set_new(r, "aosp", json_string(aosp));
        }
        free(stcb);
        free(aosp);
    }
    if (rc) json_decref(r);
    *out = rc ? NULL : r;
    return rc;
}
