/* fz_rules.c — compile a set of packs, load files, and the read-only
 * accessors of a compiled rule set (see fz_rules.h). */
#include "fz_rules_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fnv1a(uint32_t h, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 16777619u;
    }
    return h;
}

static void free_reasons(fz_rule_info *ri) {
    free((char *)ri->reason_zh);
    free((char *)ri->reason_en);
    ri->reason_zh = ri->reason_en = NULL;
}

static void cc_free(fz__rules_cc *cc) {
    for (int i = 0; i < cc->nrules; i++) free_reasons(&cc->rules[i].info);
    free(cc->rules);
    free(cc->params);
    free(cc->nodes);
    free(cc->ldata);
    free(cc->code);
    free(cc->ver);
}

/* Priority descending, then source order: a total order, so qsort is stable
 * enough. */
static int by_priority(const void *a, const void *b) {
    const fz__rules_rule *x = a, *y = b;
    if (x->info.priority != y->info.priority) return x->info.priority > y->info.priority ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* Lay the rules out in rule order, with each one's code contiguous. */
static int build_code(fz_ruleset *rs, const fz__rules_cc *cc) {
    rs->code = malloc(((size_t)cc->ncode + 1) * sizeof *rs->code);
    rs->start = malloc(((size_t)cc->nrules + 1) * sizeof *rs->start);
    for (int s = 0; s < 2; s++) rs->side[s] = malloc(((size_t)cc->nrules + 1) * sizeof(uint16_t));
    if (!rs->code || !rs->start || !rs->side[0] || !rs->side[1]) return FZ_ENOMEM;
    rs->nrules = cc->nrules;
    uint32_t at = 0;
    for (int i = 0; i < cc->nrules; i++) {
        const fz__rules_rule *r = &cc->rules[i];
        memcpy(rs->code + at, cc->code + r->code_start, r->code_len * sizeof *rs->code);
        rs->start[i] = at;
        at += r->code_len;
        if (r->info.on & FZ_ON_PAYER) rs->side[FZ_SIDE_PAYER][rs->nside[FZ_SIDE_PAYER]++] = (uint16_t)i;
        if (r->info.on & FZ_ON_PAYEE) rs->side[FZ_SIDE_PAYEE][rs->nside[FZ_SIDE_PAYEE]++] = (uint16_t)i;
    }
    rs->ncode = at;
    return 0;
}

static int build(fz__rules_cc *cc, uint32_t hash, fz_ruleset **out) {
    fz_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs) return FZ_ENOMEM;
    if (cc->nrules > 1) qsort(cc->rules, (size_t)cc->nrules, sizeof *cc->rules, by_priority);
    size_t vn = cc->nver + 16;
    rs->version = malloc(vn);
    rs->info = calloc((size_t)cc->nrules + 1, sizeof *rs->info); /* reasons NULL until moved */
    if (!rs->version || !rs->info || build_code(rs, cc) || fz__rules_guards(rs)) {
        fz_rules_free(rs);
        return FZ_ENOMEM;
    }
    snprintf(rs->version, vn, "%s#%08x", cc->ver ? cc->ver : "", (unsigned)hash);
    /* Nothing fails from here on: the reasons change owner. */
    for (int i = 0; i < cc->nrules; i++) {
        rs->info[i] = cc->rules[i].info;
        cc->rules[i].info.reason_zh = cc->rules[i].info.reason_en = NULL;
    }
    rs->nvars = cc->schema->n;
    memcpy(rs->uses, cc->uses, sizeof rs->uses);
    *out = rs;
    return 0;
}

int fz_rules_compile(fz_ruleset **out, const fz_rules_src *srcs, int nsrcs,
                     const fz_schema *schema, fz_error *err) {
    if (!out || !schema || nsrcs < 0 || (nsrcs > 0 && !srcs))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "fz_rules_compile: bad arguments");
    *out = NULL;
    for (int i = 0; i < nsrcs; i++)
        if (!srcs[i].text && srcs[i].len)
            return fz_error_set(err, FZ_EINVAL, srcs[i].name, 0, 0, NULL, "no text");
    fz__rules_cc cc;
    memset(&cc, 0, sizeof cc);
    cc.schema = schema;
    cc.err = err;
    uint32_t hash = 2166136261u;
    int r = 0;
    for (int i = 0; i < nsrcs && !r; i++) {
        fz_rules_src s = srcs[i];
        if (!s.text) s.text = "";
        r = fz__rules_parse_pack(&cc, &s);
        hash = fnv1a(hash, s.text, s.len);
    }
    if (!r) r = build(&cc, hash, out);
    if (r == FZ_ENOMEM) fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory compiling rules");
    cc_free(&cc);
    return r;
}

int fz_rules_read_file(const char *path, char **buf, size_t *len, fz_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "%s", strerror(errno));
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    while (p) {
        n += fread(p + n, 1, cap - n, f);
        if (n < cap) break;
        char *q = cap < SIZE_MAX / 2 ? realloc(p, cap * 2) : NULL;
        if (!q) free(p);
        p = q;
        cap *= 2;
    }
    int bad = p && ferror(f);
    fclose(f);
    if (!p) return fz_error_set(err, FZ_ENOMEM, path, 0, 0, NULL, "out of memory");
    if (bad) {
        free(p);
        return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "read error");
    }
    *buf = p;
    *len = n;
    return 0;
}

int fz_rules_load(fz_ruleset **out, const char *const *paths, int npaths,
                  const fz_schema *schema, fz_error *err) {
    if (!out || npaths < 0 || (npaths > 0 && !paths))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "fz_rules_load: bad arguments");
    *out = NULL;
    fz_rules_src *srcs = calloc((size_t)npaths + 1, sizeof *srcs);
    if (!srcs) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    int r = 0, i;
    for (i = 0; i < npaths && !r; i++) {
        char *text = NULL;
        srcs[i].name = paths[i];
        r = fz_rules_read_file(paths[i], &text, &srcs[i].len, err);
        srcs[i].text = text;
    }
    if (!r) r = fz_rules_compile(out, srcs, npaths, schema, err);
    for (int j = 0; j < npaths; j++) free((char *)srcs[j].text);
    free(srcs);
    return r;
}

void fz_rules_free(fz_ruleset *rs) {
    if (!rs) return;
    for (int i = 0; i < rs->nrules; i++) free_reasons(&rs->info[i]);
    free(rs->info);
    free(rs->start);
    free(rs->code);
    free(rs->side[0]);
    free(rs->side[1]);
    free(rs->ent[0]);
    free(rs->ent[1]);
    free(rs->grp[0]);
    free(rs->grp[1]);
    free(rs->version);
    free(rs);
}

const char *fz_rules_action_name(unsigned action) {
    static const char *const names[FZ_ACT__COUNT] = {"alert", "verify", "hold", "block", "large_value"};
    return action < FZ_ACT__COUNT ? names[action] : "unknown";
}

const char *fz_rules_on_name(unsigned on) {
    static const char *const names[] = {"payer", "payee", "both"};
    return on >= FZ_ON_PAYER && on <= FZ_ON_BOTH ? names[on - 1] : "unknown";
}

int fz_rules_count(const fz_ruleset *rs) { return rs ? rs->nrules : 0; }

const fz_rule_info *fz_rules_info(const fz_ruleset *rs, int i) {
    return rs && i >= 0 && i < rs->nrules ? &rs->info[i] : NULL;
}

const char *fz_rules_version(const fz_ruleset *rs) { return rs ? rs->version : ""; }

int fz_rules_uses(const fz_ruleset *rs, int var) {
    return rs && var >= 0 && var < FZ_SCHEMA_MAX && var < rs->nvars ? rs->uses[var] : 0;
}
