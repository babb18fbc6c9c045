/* fz_metrics.c — see fz_metrics.h. */
#include "fz_metrics.h"

#include <stdlib.h>
#include <string.h>

void fz_metrics_init(fz_metrics *m) { memset(m, 0, sizeof *m); }

static void count(fz_confusion *c, int label, int flagged) {
    if (label) flagged ? c->tp++ : c->fn++;
    else flagged ? c->fp++ : c->tn++;
}

int fz_typology_slot(void *base, size_t stride, int *n, int max, fz_str name) {
    size_t len = name.n < FZ_TYPOLOGY_NAME - 1 ? name.n : FZ_TYPOLOGY_NAME - 1;
    for (int i = 0; i < *n; i++) {
        const char *s = (const char *)base + (size_t)i * stride;
        if (strlen(s) == len && memcmp(s, name.p, len) == 0) return i;
    }
    if (*n == max) return -1;
    char *s = (char *)base + (size_t)*n * stride;
    memcpy(s, name.p, len);
    s[len] = '\0';
    return (*n)++;
}

static fz_typology_stats *typology(fz_metrics *m, fz_str name) {
    int i = fz_typology_slot(m->typ, sizeof m->typ[0], &m->ntyp, FZ_METRICS_TYPOLOGIES, name);
    return i < 0 ? NULL : &m->typ[i];
}

void fz_metrics_add(fz_metrics *m, int label, fz_str typ, int flagged, int score) {
    if (label < 0) return;
    label = label != 0;
    count(&m->all, label, flagged);
    if (score < 0) score = 0;
    if (score >= FZ_METRICS_SCORES) score = FZ_METRICS_SCORES - 1;
    label ? m->pos_at[score]++ : m->neg_at[score]++;
    if (typ.n == 0) return;
    fz_typology_stats *t = typology(m, typ);
    if (t) count(&t->c, label, flagged);
    else m->typ_overflow++;
}

double fz_precision(const fz_confusion *c) {
    return c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 0.0;
}

double fz_recall(const fz_confusion *c) {
    return c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0.0;
}

double fz_f1(const fz_confusion *c) {
    double p = fz_precision(c), r = fz_recall(c);
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

double fz_metrics_pr_auc(const fz_metrics *m) {
    uint64_t pos = m->all.tp + m->all.fn, tp = 0, fp = 0;
    if (pos == 0) return 0.0;
    double ap = 0.0, prev_recall = 0.0;
    for (int s = FZ_METRICS_SCORES - 1; s >= 0; s--) {
        if (!m->pos_at[s] && !m->neg_at[s]) continue;
        tp += m->pos_at[s];
        fp += m->neg_at[s];
        double recall = (double)tp / (double)pos;
        ap += (recall - prev_recall) * ((double)tp / (double)(tp + fp));
        prev_recall = recall;
    }
    return ap;
}

static int by_score_desc(const void *a, const void *b, void *score) {
    const float *s = score;
    float x = s[*(const size_t *)a], y = s[*(const size_t *)b];
    return x > y ? -1 : x < y;
}

double fz_average_precision(const float *score, const int8_t *label, size_t n) {
    size_t *ix = malloc((n ? n : 1) * sizeof *ix), m = 0;
    if (!ix) return -1.0;
    uint64_t pos = 0;
    for (size_t i = 0; i < n; i++)
        if (label[i] >= 0) {
            ix[m++] = i;
            pos += label[i] == 1;
        }
    double ap = 0.0;
    if (pos) {
        qsort_r(ix, m, sizeof *ix, by_score_desc, (void *)score);
        uint64_t tp = 0, seen = 0;
        double prev_recall = 0.0;
        for (size_t k = 0; k < m;) {
            size_t j = k; /* a run of equal scores is one threshold */
            while (j < m && score[ix[j]] == score[ix[k]]) tp += label[ix[j++]] == 1;
            seen += j - k;
            double recall = (double)tp / (double)pos;
            ap += (recall - prev_recall) * ((double)tp / (double)seen);
            prev_recall = recall;
            k = j;
        }
    }
    free(ix);
    return ap;
}

int fz_metrics_has_labels(const fz_metrics *m) {
    return m->all.tp + m->all.fp + m->all.tn + m->all.fn > 0;
}

void fz_metrics_print(const fz_metrics *m, const char *title, FILE *f) {
    const fz_confusion *c = &m->all;
    fprintf(f, "\n%s\n", title);
    fprintf(f, "                  flagged    not flagged\n");
    fprintf(f, "  positive  %12llu %14llu\n", (unsigned long long)c->tp, (unsigned long long)c->fn);
    fprintf(f, "  negative  %12llu %14llu\n", (unsigned long long)c->fp, (unsigned long long)c->tn);
    fprintf(f, "  precision %.4f  recall %.4f  F1 %.4f  PR-AUC %.4f\n", fz_precision(c), fz_recall(c),
            fz_f1(c), fz_metrics_pr_auc(m));
    if (m->ntyp == 0) return;
    fprintf(f, "  %-24s %9s %9s %8s %9s %9s\n", "typology", "positives", "found", "recall", "decoys",
            "decoy FP");
    for (int i = 0; i < m->ntyp; i++) {
        const fz_confusion *t = &m->typ[i].c;
        fprintf(f, "  %-24s %9llu %9llu %8.4f %9llu %9llu\n", m->typ[i].name,
                (unsigned long long)(t->tp + t->fn), (unsigned long long)t->tp, fz_recall(t),
                (unsigned long long)(t->fp + t->tn), (unsigned long long)t->fp);
    }
}
