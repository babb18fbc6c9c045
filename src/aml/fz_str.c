/* fz_str.c — the STCR mapping file, the spec's codes, analysts' edits and
 * the checks before filing (fz_str.h). Building a report is in
 * fz_str_build.c, its file in fz_str_xml.c. */
#include "fz_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_hvtr.h"
#include "fz_rules.h"

/* ---------- the mapping file ---------- */

typedef struct stcr_entry {
    char rule[64], code[33], tosc[5];
} stcr_entry;

struct fz_stcr_map {
    stcr_entry *v;
    size_t n, cap;
};

void fz_stcr_map_free(fz_stcr_map *m) {
    if (!m) return;
    free(m->v);
    free(m);
}

const char *fz_stcr_map_get(const fz_stcr_map *m, const char *rule, const char **tosc) {
    if (tosc) *tosc = "";
    for (size_t i = 0; m && i < m->n; i++)
        if (!strcmp(m->v[i].rule, rule)) {
            if (tosc) *tosc = m->v[i].tosc;
            return m->v[i].code;
        }
    return NULL;
}

/* Next whitespace-separated word of line into buf[cap]; 0 when none,
 * -1 when too long. */
static int word(const char **p, char *buf, size_t cap) {
    const char *s = *p;
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strcspn(s, " \t");
    *p = s + n;
    if (!n) return 0;
    if (n >= cap) return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    return 1;
}

static int parse_line(fz_stcr_map *m, const char *name, int ln, const char *line, fz_error *err) {
    stcr_entry e = {0};
    char extra[8];
    const char *p = line;
    int r = word(&p, e.rule, sizeof e.rule);
    if (!r) return 0;
    if (r < 0) return fz_error_set(err, FZ_EPARSE, name, ln, 0, "rule", "longer than 63 bytes");
    if (word(&p, e.code, sizeof e.code) != 1)
        return fz_error_set(err, FZ_EPARSE, name, ln, 0, "code", "want an STCR code of 1 to 32 characters");
    if ((r = word(&p, e.tosc, sizeof e.tosc)) < 0 || (r && !fz_str_tosc_ok(e.tosc)))
        return fz_error_set(err, FZ_EPARSE, name, ln, 0, "tosc", "not a suspected-crime code of spec 10.6");
    if (word(&p, extra, sizeof extra)) return fz_error_set(err, FZ_EPARSE, name, ln, 0, NULL, "extra text after the TOSC code");
    if (fz_stcr_map_get(m, e.rule, NULL))
        return fz_error_set(err, FZ_EPARSE, name, ln, 0, "rule", "'%s' is mapped twice", e.rule);
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        stcr_entry *v = realloc(m->v, cap * sizeof *v);
        if (!v) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = e;
    return 0;
}

int fz_stcr_map_load_mem(fz_stcr_map **out, const char *name, const char *text, size_t n, fz_error *err) {
    fz_stcr_map *m = calloc(1, sizeof *m);
    *out = NULL;
    if (!m) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    int rc = 0, ln = 0;
    for (size_t i = 0; i < n && !rc;) {
        size_t e = i;
        while (e < n && text[e] != '\n') e++;
        char line[512];
        size_t len = e - i;
        const char *hash = memchr(text + i, '#', len);
        if (hash) len = (size_t)(hash - (text + i));
        ln++;
        if (len >= sizeof line) rc = fz_error_set(err, FZ_EPARSE, name, ln, 0, NULL, "line too long");
        else if (memchr(text + i, '\0', len)) rc = fz_error_set(err, FZ_EPARSE, name, ln, 0, NULL, "NUL byte");
        else {
            memcpy(line, text + i, len);
            line[len] = 0;
            line[strcspn(line, "\r")] = 0;
            rc = parse_line(m, name, ln, line, err);
        }
        i = e + 1;
    }
    if (rc) fz_stcr_map_free(m);
    else *out = m;
    return rc;
}

int fz_stcr_map_load(fz_stcr_map **out, const char *path, fz_error *err) {
    char *buf;
    size_t n;
    *out = NULL;
    int rc = fz_rules_read_file(path, &buf, &n, err);
    if (rc) return rc;
    rc = fz_stcr_map_load_mem(out, path, buf, n, err);
    free(buf);
    return rc;
}

/* ---------- codes ---------- */

/* Spec §10.6, 疑似涉罪类型: each code and what it names, shortened. */
static const char *const tosc_table[][2] = {
    {"0101", "毒品犯罪"}, {"0201", "黑社会性质的组织犯罪"}, {"0301", "恐怖活动犯罪"}, {"0401", "走私犯罪"},
    {"0501", "行贿、受贿"}, {"0502", "与公职人员或其亲属身份不符的交易"}, {"0601", "非国家工作人员商业贿赂"},
    {"0602", "非法关联经营"}, {"0603", "组织或参与经营非法金融机构"}, {"0604", "高利转贷"},
    {"0605", "非法套取金融机构资金"}, {"0606", "非法吸收公众存款"}, {"0607", "擅自发行股票、公司、企业债券"},
    {"0608", "内幕交易、操纵股价等证券类洗钱"}, {"0609", "非法挪用、拆借资金"}, {"0610", "非法跨境转移资金"},
    {"0701", "集资诈骗"}, {"0702", "骗贷、信用证诈骗、票券诈骗等银行诈骗"}, {"0703", "有价证券诈骗"},
    {"0704", "信用卡诈骗"}, {"0705", "保险诈骗"}, {"0801", "掩饰、隐瞒七类上游犯罪所得（洗钱）"},
    {"0802", "掩饰、隐瞒其他上游犯罪所得（洗钱）"}, {"0901", "虚假注资、验资"}, {"0902", "虚假出资、抽逃出资"},
    {"0903", "欺诈发行股票、债券"}, {"1001", "逃税、避税、骗税"}, {"1101", "组织、领导传销活动"},
    {"1102", "非法经营（地下钱庄、非法买卖外汇、套现等）"}, {"1201", "诈骗（例如电信诈骗）"}, {"1202", "职务侵占"},
    {"1203", "挪用资金、物资"}, {"1301", "伪造、变造、买卖国家机关公文、证件、印章"},
    {"1302", "组织经营赌博或为其转移资金"}, {"1401", "司法机构或行政调查已介入"}, {"1402", "其他犯罪"},
};

static int in_list(const char *s, const char *const *list) {
    for (; *list; list++)
        if (!strcmp(s, *list)) return 1;
    return 0;
}

const char *fz_str_tosc_name(const char *code) {
    for (size_t i = 0; i < sizeof tosc_table / sizeof tosc_table[0]; i++)
        if (!strcmp(tosc_table[i][0], code)) return tosc_table[i][1];
    return NULL;
}

int fz_str_tosc_ok(const char *code) { return fz_str_tosc_name(code) != NULL; }

static const char *const tptr_codes[] = {"01", "02", "03", "04", "05", "06", "99", NULL};
static const char *const dorp_codes[] = {"01", "02", "03", "04", "99", NULL};
static const char *const detr_codes[] = {"01", "02", NULL};

int fz_str_config_check(const fz_str_config *c, fz_error *err) {
    if (c->ricd[0]) {
        fz_hvtr_config hc = {0};
        memcpy(hc.ricd, c->ricd, sizeof hc.ricd);
        memcpy(hc.finc, c->finc, sizeof hc.finc);
        memcpy(hc.trcd, c->trcd, sizeof hc.trcd);
        int rc = fz_hvtr_config_check(&hc, err);
        if (rc) return rc;
    }
    char buf[sizeof c->tosc];
    memcpy(buf, c->tosc, sizeof buf);
    for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        if (!fz_str_tosc_ok(t))
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "tosc", "'%s' is not a suspected-crime code of spec 10.6", t);
    return 0;
}

size_t fz_str_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* ---------- edits ---------- */

typedef struct field_rule {
    const char *name;
    const char *const *codes; /* allowed values, or NULL for free text */
    size_t max;               /* characters */
    int list;                 /* an array of codes (tosc, stcr) */
} field_rule;

static const field_rule fields[] = {
    {"stcb", NULL, FZ_STR_TEXT_MAX, 0}, {"aosp", NULL, FZ_STR_TEXT_MAX, 0}, {"tptr", tptr_codes, 2, 0},
    {"otpr", NULL, 2000, 0},            {"detr", detr_codes, 2, 0},          {"dorp", dorp_codes, 2, 0},
    {"odrp", NULL, 32, 0},              {"rpnm", NULL, 16, 0},               {"tosc", NULL, 4, 1},
    {"stcr", NULL, 32, 1},              {"mirs", NULL, 64, 0},
};

static int bad(fz_error *err, const char *field, const char *why) {
    return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "%s", why);
}

static int check_text(const field_rule *f, const json_t *v, fz_error *err) {
    if (!json_is_string(v)) return bad(err, f->name, "must be a string");
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) return bad(err, f->name, "must not contain NUL");
    if (fz_str_chars(s) > f->max)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, f->name, "is longer than %zu characters", f->max);
    if (f->codes && !in_list(s, f->codes)) return bad(err, f->name, "is not a code the spec lists");
    if (!strcmp(s, "@N")) return bad(err, f->name, "leave it empty instead of @N");
    return 0;
}

static int check_list(const field_rule *f, const json_t *v, fz_error *err) {
    if (!json_is_array(v) || json_array_size(v) > FZ_STR_MAX_CODES)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, f->name, "must be an array of at most %d codes", FZ_STR_MAX_CODES);
    size_t i, j;
    json_t *x;
    json_array_foreach(v, i, x) {
        field_rule one = *f;
        int rc = check_text(&one, x, err);
        if (!rc && !*json_string_value(x)) rc = bad(err, f->name, "has an empty code");
        if (!rc && !strcmp(f->name, "tosc") && !fz_str_tosc_ok(json_string_value(x)))
            rc = bad(err, f->name, "has a code that is not in spec 10.6");
        if (rc) return rc;
        for (j = 0; j < i; j++)
            if (json_equal(json_array_get(v, j), x)) return bad(err, f->name, "lists a code twice");
    }
    return 0;
}

static const field_rule *field_of(const char *name) {
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!strcmp(fields[i].name, name)) return &fields[i];
    return NULL;
}

int fz_str_apply_edit(json_t *report, const json_t *changes, fz_error *err) {
    if (!json_is_object(changes)) return bad(err, NULL, "the body must be a JSON object");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)changes, k, v) {
        const field_rule *f = field_of(k);
        if (!f)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, k,
                                "cannot be changed (stcb, aosp, tptr, otpr, tosc, stcr, detr, dorp, odrp, rpnm, mirs can)");
        int rc = f->list ? check_list(f, v, err) : check_text(f, v, err);
        if (rc) return rc;
    }
    json_object_foreach((json_t *)changes, k, v) json_object_set(report, k, v);
    return 0;
}

static const char *member(const json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

int fz_str_check_ready(const json_t *r, fz_error *err) {
    if (!*member(r, "stcb")) return bad(err, "stcb", "is empty: describe the transactions and behaviour");
    if (!*member(r, "aosp")) return bad(err, "aosp", "is empty: write the analysis of the suspicion");
    if (!json_array_size(json_object_get(r, "tosc"))) return bad(err, "tosc", "lists no suspected-crime type");
    if (!json_array_size(json_object_get(r, "stcr"))) return bad(err, "stcr", "lists no STCR code (map the rules in stcr-map.txt)");
    if (!strcmp(member(r, "tptr"), "99") && !*member(r, "otpr")) return bad(err, "otpr", "is required with TPTR 99");
    if (!strcmp(member(r, "dorp"), "99") && !*member(r, "odrp")) return bad(err, "odrp", "is required with DORP 99");
    if (!*member(r, "rpnm")) return bad(err, "rpnm", "names nobody");
    if (!json_array_size(json_object_get(r, "transactions"))) return bad(err, "transactions", "is empty");
    return 0;
}
