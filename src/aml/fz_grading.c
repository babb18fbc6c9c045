/* fz_grading.c — see fz_grading.h. The factors are a static table; the
 * configuration gives each its weight and its values' points, kept sorted
 * so a lookup is a binary search. */
#include "fz_grading.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_lines.h"
#include "fz_time.h"

enum { ANY, NATURAL, ENTITY };

typedef struct factor_def {
    int group;
    const char *name;
    int applies;
    const char *full; /* "group.name", as reasons name it */
} factor_def;

enum {
    F_KIND, F_ID_TYPE, F_AGE, F_ENTITY_AGE, F_OWNERSHIP, F_PEP, F_ALERTS, F_CASES, F_MEDIA, F_JUDICIAL,
    F_NATIONALITY, F_REGION, F_CHANNEL, F_CASH, F_CROSS_BORDER, F_AGENT, F_OCCUPATION, F_INDUSTRY, NFACTORS
};

static const factor_def factors[NFACTORS] = {
    {FZ_GG_CUSTOMER, "kind", ANY, "customer.kind"},          {FZ_GG_CUSTOMER, "id_type", ANY, "customer.id_type"},
    {FZ_GG_CUSTOMER, "age", NATURAL, "customer.age"},       {FZ_GG_CUSTOMER, "entity_age", ENTITY, "customer.entity_age"},
    {FZ_GG_CUSTOMER, "ownership", ENTITY, "customer.ownership"},  {FZ_GG_CUSTOMER, "pep", ANY, "customer.pep"},
    {FZ_GG_CUSTOMER, "alerts", ANY, "customer.alerts"},        {FZ_GG_CUSTOMER, "cases", ANY, "customer.cases"},
    {FZ_GG_CUSTOMER, "media", ANY, "customer.media"},         {FZ_GG_CUSTOMER, "judicial", ANY, "customer.judicial"},
    {FZ_GG_GEOGRAPHY, "nationality", ANY, "geography.nationality"},  {FZ_GG_GEOGRAPHY, "region", ANY, "geography.region"},
    {FZ_GG_BUSINESS, "channel", ANY, "business.channel"},       {FZ_GG_BUSINESS, "cash", ANY, "business.cash"},
    {FZ_GG_BUSINESS, "cross_border", ANY, "business.cross_border"},  {FZ_GG_BUSINESS, "agent", ANY, "business.agent"},
    {FZ_GG_INDUSTRY, "occupation", NATURAL, "industry.occupation"}, {FZ_GG_INDUSTRY, "industry", ENTITY, "industry.industry"},
};

static const char *const group_names[FZ_NGROUPS] = {"customer", "geography", "business", "industry"};
static const char *const grade_names[FZ_NGRADES] = {"low", "medium", "high", "highest"};

#define VALUE_MAX 40

typedef struct entry {
    char value[VALUE_MAX];
    int points;
} entry;

typedef struct factor_conf {
    int weight;
    int def;      /* points of "*", -1 when absent */
    entry *e;
    int n, cap;
} factor_conf;

struct fz_grading {
    int group_weight[FZ_NGROUPS];
    factor_conf f[NFACTORS];
    int threshold[FZ_NGRADES]; /* [1..3]: the score from which a grade starts */
    int review[FZ_NGRADES];    /* months */
    int repeated_str, lookback_days;
};

/* ---- loading ------------------------------------------------------------- */

static int find_factor(const char *group, size_t gn, const char *name) {
    for (int i = 0; i < NFACTORS; i++)
        if (strlen(group_names[factors[i].group]) == gn && !strncmp(group, group_names[factors[i].group], gn) &&
            !strcmp(name, factors[i].name))
            return i;
    return -1;
}

static int add_entry(factor_conf *f, const char *value, int points) {
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->e[i].value, value)) {
            f->e[i].points = points;
            return 0;
        }
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 8;
        entry *e = realloc(f->e, (size_t)cap * sizeof *e);
        if (!e) return FZ_ENOMEM;
        f->e = e;
        f->cap = cap;
    }
    snprintf(f->e[f->n].value, VALUE_MAX, "%s", value);
    f->e[f->n++].points = points;
    return 0;
}

/* A scalar setting: key, where it goes, its range. */
typedef struct scalar {
    const char *key;
    size_t off;
    int lo, hi;
} scalar;

#define AT(m) offsetof(fz_grading, m)
static const scalar scalars[] = {
    {"grade.medium", AT(threshold[1]), 1, 100},   {"grade.high", AT(threshold[2]), 1, 100},
    {"grade.highest", AT(threshold[3]), 1, 100},  {"review.low", AT(review[0]), 1, 36},
    {"review.medium", AT(review[1]), 1, 36},      {"review.high", AT(review[2]), 1, 36},
    {"review.highest", AT(review[3]), 1, 6},      {"direct.repeated_str", AT(repeated_str), 2, 100},
    {"behaviour.lookback_days", AT(lookback_days), 1, 3650},
};

typedef struct line_ctx {
    fz_grading *g;
} line_ctx;

/* key = integer, blanks around either. */
static int split_line(char *text, char **key, long *val) {
    char *eq = strchr(text, '=');
    if (!eq) return FZ_EPARSE;
    *eq = 0;
    char *k = text, *v = eq + 1, *end;
    while (*k == ' ' || *k == '\t') k++;
    for (char *e = eq; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--) e[-1] = 0;
    *val = strtol(v, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n') end++;
    if (end == v || *end || !*k) return FZ_EPARSE;
    *key = k;
    return 0;
}

static int set_scalar(fz_grading *g, const char *key, long v, const char *path, long line, fz_error *err) {
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
        if (strcmp(key, scalars[i].key)) continue;
        if (v < scalars[i].lo || v > scalars[i].hi)
            return fz_error_set(err, FZ_EINVAL, path, line, 0, key, "must be from %d to %d", scalars[i].lo,
                                scalars[i].hi);
        *(int *)((char *)g + scalars[i].off) = (int)v;
        return 0;
    }
    return 1; /* not a scalar */
}

/* group.weight, group.factor.weight, group.factor.value (value may be "*"). */
static int set_factor(fz_grading *g, const char *key, long v, const char *path, long line, fz_error *err) {
    const char *dot = strchr(key, '.');
    if (v < 0 || v > 100) return fz_error_set(err, FZ_EINVAL, path, line, 0, key, "must be from 0 to 100");
    int grp = -1;
    for (int i = 0; dot && i < FZ_NGROUPS; i++)
        if (strlen(group_names[i]) == (size_t)(dot - key) && !strncmp(key, group_names[i], (size_t)(dot - key))) grp = i;
    if (grp < 0) return fz_error_set(err, FZ_EINVAL, path, line, 0, key, "is not a setting (docs/kyc.md)");
    if (!strcmp(dot + 1, "weight")) {
        g->group_weight[grp] = (int)v;
        return 0;
    }
    const char *dot2 = strchr(dot + 1, '.');
    char name[32];
    snprintf(name, sizeof name, "%.*s", dot2 ? (int)(dot2 - dot - 1) : 0, dot + 1);
    int f = dot2 ? find_factor(key, (size_t)(dot - key), name) : -1;
    if (f < 0) return fz_error_set(err, FZ_EINVAL, path, line, 0, key, "names no factor (docs/kyc.md)");
    const char *value = dot2 + 1;
    if (!*value || strlen(value) >= VALUE_MAX)
        return fz_error_set(err, FZ_EINVAL, path, line, 0, key, "the value is empty or too long");
    factor_conf *fc = &g->f[f];
    if (!strcmp(value, "weight")) fc->weight = (int)v;
    else if (!strcmp(value, "*")) fc->def = (int)v;
    else if (add_entry(fc, value, (int)v)) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    return 0;
}

static int conf_line(void *ctx, char *text, long line, const char *path, fz_error *err) {
    fz_grading *g = ((line_ctx *)ctx)->g;
    char *p = text;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
    if (!*p) return 0;
    char *key;
    long v;
    if (split_line(p, &key, &v))
        return fz_error_set(err, FZ_EPARSE, path, line, 0, NULL, "expected \"key = integer\"");
    int rc = set_scalar(g, key, v, path, line, err);
    return rc <= 0 ? rc : set_factor(g, key, v, path, line, err);
}

static int cmp_entry(const void *a, const void *b) { return strcmp(((const entry *)a)->value, ((const entry *)b)->value); }

/* The rules across settings: thresholds ascending, review intervals at most
 * doubling from one grade to the next lower, some weight somewhere. */
static int validate(fz_grading *g, const char *path, fz_error *err) {
    int total = 0;
    for (int i = 0; i < FZ_NGROUPS; i++) total += g->group_weight[i];
    if (!total) return fz_error_set(err, FZ_EINVAL, path, 0, 0, "weight", "every group weight is 0");
    for (int i = 2; i < FZ_NGRADES; i++)
        if (g->threshold[i] <= g->threshold[i - 1])
            return fz_error_set(err, FZ_EINVAL, path, 0, 0, "grade", "grade.medium < grade.high < grade.highest must hold");
    for (int i = 0; i + 1 < FZ_NGRADES; i++)
        if (g->review[i] < g->review[i + 1] || g->review[i] > 2 * g->review[i + 1])
            return fz_error_set(err, FZ_EINVAL, path, 0, 0, "review",
                                "review.%s must be from review.%s to twice it", grade_names[i], grade_names[i + 1]);
    for (int i = 0; i < NFACTORS; i++)
        if (g->f[i].n) qsort(g->f[i].e, (size_t)g->f[i].n, sizeof(entry), cmp_entry);
    return 0;
}

static fz_grading *grading_new(void) {
    fz_grading *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    static const int th[FZ_NGRADES] = {0, 40, 60, 80}, rv[FZ_NGRADES] = {24, 12, 6, 6};
    memcpy(g->threshold, th, sizeof th);
    memcpy(g->review, rv, sizeof rv);
    g->repeated_str = 2;
    g->lookback_days = 365;
    for (int i = 0; i < NFACTORS; i++) g->f[i].def = -1;
    return g;
}

static int finish(fz_grading *g, int rc, const char *path, fz_grading **out, fz_error *err) {
    if (!rc) rc = validate(g, path, err);
    if (rc) {
        fz_grading_free(g);
        return rc;
    }
    *out = g;
    return 0;
}

int fz_grading_load(fz_grading **out, const char *path, fz_error *err) {
    *out = NULL;
    fz_grading *g = grading_new();
    if (!g) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    line_ctx c = {g};
    return finish(g, fz_lines_each(path, conf_line, &c, err), path, out, err);
}

int fz_grading_load_mem(fz_grading **out, const char *name, const char *text, fz_error *err) {
    *out = NULL;
    fz_grading *g = grading_new();
    char buf[FZ_LINES_MAX];
    if (!g) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    line_ctx c = {g};
    int rc = 0;
    long line = 0;
    for (const char *p = text; !rc && *p; line++) {
        size_t n = strcspn(p, "\n");
        snprintf(buf, sizeof buf, "%.*s", (int)n, p);
        char *hash = strchr(buf, '#');
        if (hash) *hash = 0;
        rc = conf_line(&c, buf, line + 1, name, err);
        p += n + (p[n] == '\n');
    }
    return finish(g, rc, name, out, err);
}

void fz_grading_free(fz_grading *g) {
    if (!g) return;
    for (int i = 0; i < NFACTORS; i++) free(g->f[i].e);
    free(g);
}

/* ---- grading ------------------------------------------------------------- */

void fz_grading_subject_init(fz_grading_subject *s) {
    memset(s, 0, sizeof *s);
    s->birth_day = INT32_MIN;
}

static int cmp_value(const void *key, const void *e) { return strcmp(key, ((const entry *)e)->value); }

static int lookup(const factor_conf *f, const char *value) {
    const entry *e = f->n ? bsearch(value, f->e, (size_t)f->n, sizeof *e, cmp_value) : NULL;
    return e ? e->points : f->def >= 0 ? f->def : 0;
}

static const char *or_unknown(const char *s) { return s && *s ? s : "unknown"; }
static const char *yes_no(int b) { return b ? "yes" : "no"; }

static const char *age_band(int32_t birth, int32_t today) {
    if (birth == INT32_MIN || birth > today) return "unknown";
    int years = (int)((int64_t)(today - birth) * 10000 / 3652425);
    return years < 18 ? "minor" : years < 25 ? "young" : years < 60 ? "adult" : "senior";
}

static const char *entity_age_band(int32_t founded, int32_t today) {
    if (founded == INT32_MIN || founded > today) return "unknown";
    return today - founded < 730 ? "new" : "established";
}

/* The address code's province: a resident ID's first 2 digits, a USCC's
 * 3rd and 4th. */
static const char *region_of(const fz_grading_subject *s, char buf[3]) {
    const char *n = s->id_number, *t = s->id_type;
    if (!n || !t || strlen(n) != 18) return "unknown";
    const char *p = !strcmp(t, "resident_id") ? n : !strcmp(t, "uscc") ? n + 2 : NULL;
    if (!p || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return "unknown";
    buf[0] = p[0];
    buf[1] = p[1];
    buf[2] = 0;
    return buf;
}

static const char *count_band(int n, int many) { return n <= 0 ? "none" : n < many ? "few" : "many"; }

/* The value factor f takes for s (a category name, looked up in the
 * configuration). */
static const char *factor_value(int f, const fz_grading_subject *s, int32_t today, char buf[3]) {
    switch (f) {
    case F_KIND: return or_unknown(s->kind);
    case F_ID_TYPE: return s->id_type ? s->id_type : "none";
    case F_AGE: return age_band(s->birth_day, today);
    case F_ENTITY_AGE: return entity_age_band(s->birth_day, today);
    case F_OWNERSHIP: return s->owners <= 0 ? "none" : s->owners == 1 ? "simple" : s->owners < 5 ? "several" : "complex";
    case F_PEP: return s->pep ? s->pep : "none";
    case F_ALERTS: return count_band(s->alerts, 5);
    case F_CASES: return s->cases > 0 ? "confirmed" : "none";
    case F_MEDIA: return s->media > 0 ? "adverse" : "none";
    case F_JUDICIAL: return s->judicial > 0 ? "inquiry" : "none";
    case F_NATIONALITY: return or_unknown(s->nationality);
    case F_REGION: return region_of(s, buf);
    case F_CHANNEL: return or_unknown(s->channel);
    case F_CASH: return yes_no(s->cash_intensive);
    case F_CROSS_BORDER: return yes_no(s->cross_border);
    case F_AGENT: return yes_no(s->agent);
    case F_OCCUPATION: return or_unknown(s->occupation);
    default: return or_unknown(s->industry);
    }
}

static void add_reason(fz_grading_result *r, const char *factor, const char *value, int points) {
    int i = r->nreasons;
    if (i == FZ_GRADING_MAX_REASONS) {
        if (points <= r->reason[i - 1].points) return;
        i--; /* the weakest factor reason makes room */
    } else {
        r->nreasons++;
    }
    for (; i > 0 && r->reason[i - 1].points >= 0 && r->reason[i - 1].points < points; i--) r->reason[i] = r->reason[i - 1];
    fz_grading_reason *x = &r->reason[i];
    snprintf(x->factor, sizeof x->factor, "%s", factor);
    snprintf(x->value, sizeof x->value, "%s", value);
    x->points = points;
}

static unsigned direct_triggers(const fz_grading *g, const fz_grading_subject *s) {
    unsigned d = 0;
    if (s->watch_hits > 0) d |= FZ_DIRECT_WATCHLIST;
    if (s->pep && (!strcmp(s->pep, "foreign") || !strcmp(s->pep, "foreign_relative"))) d |= FZ_DIRECT_FOREIGN_PEP;
    if (s->strs >= g->repeated_str) d |= FZ_DIRECT_REPEATED_STR;
    if (s->cdd && !strcmp(s->cdd, "refused")) d |= FZ_DIRECT_CDD_REFUSED;
    return d;
}

/* The weighted scores of the groups and the total, reasons for factors. */
static void score_groups(const fz_grading *g, const fz_grading_subject *s, int32_t today, fz_grading_result *r) {
    int64_t num[FZ_NGROUPS] = {0}, den[FZ_NGROUPS] = {0};
    int entity = s->kind && !strcmp(s->kind, "entity");
    char buf[3];
    for (int f = 0; f < NFACTORS; f++) {
        const factor_conf *fc = &g->f[f];
        if (!fc->weight || (factors[f].applies == NATURAL && entity) || (factors[f].applies == ENTITY && !entity))
            continue;
        const char *v = factor_value(f, s, today, buf);
        int p = lookup(fc, v);
        num[factors[f].group] += (int64_t)fc->weight * p;
        den[factors[f].group] += fc->weight;
        if (p >= FZ_GRADING_REASON_POINTS) add_reason(r, factors[f].full, v, p);
    }
    int64_t tn = 0, td = 0;
    for (int i = 0; i < FZ_NGROUPS; i++) {
        r->group[i] = den[i] ? (int)((num[i] + den[i] / 2) / den[i]) : -1;
        if (!den[i] || !g->group_weight[i]) continue;
        tn += (int64_t)g->group_weight[i] * num[i] * 1000 / den[i];
        td += g->group_weight[i];
    }
    r->score = td ? (int)((tn / td + 500) / 1000) : 0;
}

void fz_grading_grade(const fz_grading *g, const fz_grading_subject *s, int32_t today_day, fz_grading_result *r) {
    memset(r, 0, sizeof *r);
    r->direct = direct_triggers(g, s);
    for (unsigned bit = 1; bit <= FZ_DIRECT_CDD_REFUSED; bit <<= 1)
        if (r->direct & bit) {
            fz_grading_reason *x = &r->reason[r->nreasons++];
            snprintf(x->factor, sizeof x->factor, "direct.%s", fz_grading_direct_name(bit));
            x->value[0] = 0;
            x->points = -1;
        }
    score_groups(g, s, today_day, r);
    r->grade = FZ_GRADE_LOW;
    for (int i = 1; i < FZ_NGRADES; i++)
        if (r->score >= g->threshold[i]) r->grade = i;
    if (r->direct) r->grade = FZ_GRADE_HIGHEST;
}

/* ---- timing and names ---------------------------------------------------- */

int fz_grading_review_months(const fz_grading *g, int grade) {
    return g->review[grade < 0 ? 0 : grade >= FZ_NGRADES ? FZ_NGRADES - 1 : grade];
}

int64_t fz_grading_next_review(const fz_grading *g, int grade, int64_t now_ms) {
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int64_t day_ms = 86400000, cn = 8 * 3600000LL;
    int64_t local = now_ms + cn, day = local / day_ms - (local % day_ms < 0), y;
    unsigned m, d;
    fz_civil_from_days(day, &y, &m, &d);
    int64_t months = (int64_t)(m - 1) + fz_grading_review_months(g, grade);
    y += months / 12;
    m = (unsigned)(months % 12) + 1;
    unsigned last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > last) d = last;
    return now_ms + (fz_days_from_civil(y, m, d) - day) * day_ms;
}

int fz_grading_lookback_days(const fz_grading *g) { return g->lookback_days; }

const char *fz_grading_grade_name(int grade) {
    return grade >= 0 && grade < FZ_NGRADES ? grade_names[grade] : "unknown";
}

const char *fz_grading_direct_name(unsigned bit) {
    switch (bit) {
    case FZ_DIRECT_WATCHLIST: return "watchlist";
    case FZ_DIRECT_FOREIGN_PEP: return "foreign_pep";
    case FZ_DIRECT_REPEATED_STR: return "repeated_str";
    case FZ_DIRECT_CDD_REFUSED: return "cdd_refused";
    default: return "unknown";
    }
}

int fz_grading_points(const fz_grading *g, const char *factor, const char *value) {
    const char *dot = strchr(factor, '.');
    int f = dot ? find_factor(factor, (size_t)(dot - factor), dot + 1) : -1;
    return f < 0 ? 0 : lookup(&g->f[f], value);
}
