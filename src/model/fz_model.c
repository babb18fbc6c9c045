/* fz_model.c — see fz_model.h and docs/model.md.
 *
 * Loading validates everything it reads (a model file is input like any
 * other) and flattens every tree, breadth first, into one node array in
 * which the two children of a node are adjacent; scoring then walks that
 * array with one compare per level and no other branches on node kind. */
#include "fz_model.h"

#include <errno.h>
#include <float.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Deepest tree accepted: bounds fz_model_contrib's per-tree path buffer. */
#define MAX_DEPTH 256
#define DEFAULT_LEFT 0x80000000u
#define FEAT_MASK 0x7fffffffu

/* 12 bytes. child == 0 marks a leaf (index 0 is tree 0's root, which is
 * nobody's child); otherwise the children are child (left) and child + 1
 * (right). value is the split threshold, or the leaf value of a leaf. */
typedef struct fz_node {
    float value;
    uint32_t child;
    uint32_t feat; /* feature index | DEFAULT_LEFT when missing goes left */
} fz_node;

/* 8 bytes: a split of a complete tree (see build_full). */
typedef struct fz_full_node {
    float thr;
    uint32_t feat;
} fz_full_node;

/* Trees up to this deep are also kept complete for scoring: a complete
 * tree of depth 8 is 255 splits and 256 leaves (3 KiB). */
#define FULL_MAX_DEPTH 8
/* ...when the complete trees take at most this many times the entries of
 * the compact ones: sparse deep trees (a model file of many thin trees) are
 * scored on the compact nodes rather than padded to many times their size. */
#define FULL_MAX_GROWTH 8

/* Trees walked side by side: one tree's walk is a chain of dependent
 * loads, so several at once keep the core busy while each waits. */
#define LANES 8

struct fz_model {
    fz_node *nodes;     /* all trees, each breadth first from its root */
    fz_full_node *full; /* each tree padded to a complete tree of full_depth, or NULL */
    float *full_leaf;   /* its 2^full_depth leaves per tree */
    uint16_t *used;     /* with full: the features some split tests */
    int nused;
    int full_depth;
    int depth;          /* deepest tree's depth (edges from root to leaf) */
    float *mean;        /* per node: cover-weighted mean of its leaves (cold) */
    uint32_t *roots;    /* index of each tree's root in nodes */
    int ntrees;
    uint32_t nnodes;
    int nfeatures;
    float base_margin;  /* logit(base_score), as XGBoost computes it */
    float bias;         /* sum of root means, then + base_margin */
    double threshold;
    char *version;
    char **names;       /* nfeatures names */
};

/* What the loader is working on, so every error names file and place. */
typedef struct load_ctx {
    const char *file;
    fz_error *err;
    int nfeatures;
} load_ctx;

static int fail(load_ctx *c, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(load_ctx *c, int code, const char *field, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fz_error_set(c->err, code, c->file, 0, 0, field, "%s", msg);
}

/* ---- JSON accessors: each checks type and range before converting ---- */

static json_t *need(load_ctx *c, json_t *obj, const char *key, json_type type,
                    const char *where, int *rc) {
    json_t *v = json_object_get(obj, key);
    if (!v) {
        *rc = fail(c, FZ_EFORMAT, key, "missing key \"%s\" in %s", key, where);
        return NULL;
    }
    if (json_typeof(v) != type &&
        !(type == JSON_REAL && json_is_integer(v)) &&
        !(type == JSON_TRUE && json_is_boolean(v))) {
        *rc = fail(c, FZ_EFORMAT, key, "\"%s\" in %s has the wrong type", key, where);
        return NULL;
    }
    return v;
}

/* An integral JSON number in [lo, hi]. Reals are checked before the cast,
 * since converting an out-of-range double is undefined behaviour. */
static int int_value(const json_t *v, long lo, long hi, long *out) {
    double d;
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i < lo || i > hi) return FZ_ERANGE;
        *out = (long)i;
        return 0;
    }
    if (json_is_boolean(v)) { /* default_left may be written as booleans */
        *out = json_is_true(v);
        return (*out >= lo && *out <= hi) ? 0 : FZ_ERANGE;
    }
    if (!json_is_real(v)) return FZ_EFORMAT;
    d = json_real_value(v);
    if (!(d >= (double)lo && d <= (double)hi)) return FZ_ERANGE;
    if (d != floor(d)) return FZ_ERANGE;
    *out = (long)d;
    return 0;
}

/* A finite JSON number representable as a float. jansson parses to the
 * nearest double; XGBoost writes floats in shortest round-trip form, so
 * rounding that double to float gives back XGBoost's float. */
static int float_value(const json_t *v, float *out) {
    if (!json_is_number(v)) return FZ_EFORMAT;
    double d = json_number_value(v);
    if (!isfinite(d) || fabs(d) > (double)FLT_MAX) return FZ_ERANGE;
    *out = (float)d;
    return 0;
}

/* XGBoost keeps its parameters as strings ("num_feature": "8"). */
static int param_long(load_ctx *c, json_t *obj, const char *key, const char *where,
                      long lo, long hi, long *out) {
    int rc = 0;
    json_t *v = need(c, obj, key, JSON_STRING, where, &rc);
    if (!v) return rc;
    const char *s = json_string_value(v);
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (end == s || *end || errno || n < lo || n > hi)
        return fail(c, FZ_ERANGE, key, "%s.%s: \"%.40s\" is not an integer in [%ld, %ld]",
                    where, key, s, lo, hi);
    *out = n;
    return 0;
}

/* ---- file reading ---- */

static int read_all(const char *path, char **buf, size_t *len, fz_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return fz_error_set(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO, path, 0, 0,
                            NULL, "cannot open model file: %s", strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
        rc = fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "not a regular file");
    else if ((unsigned long long)st.st_size > FZ_MODEL_MAX_FILE_BYTES)
        rc = fz_error_set(err, FZ_ERANGE, path, 0, 0, NULL,
                          "model file is %lld bytes, more than the %zu allowed",
                          (long long)st.st_size, FZ_MODEL_MAX_FILE_BYTES);
    else if (!(*buf = malloc((size_t)st.st_size + 1)))
        rc = fz_error_set(err, FZ_ENOMEM, path, 0, 0, NULL, "out of memory");
    else if ((*len = fread(*buf, 1, (size_t)st.st_size, f)) != (size_t)st.st_size) {
        rc = fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "short read");
        free(*buf);
        *buf = NULL;
    }
    fclose(f);
    return rc;
}

int fz_model_load(fz_model **out, const char *path, fz_error *err) {
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = read_all(path, &buf, &len, err);
    if (rc) return rc;
    rc = fz_model_load_buffer(out, buf, len, path, err);
    free(buf);
    return rc;
}

/* ---- metadata ---- */

static char *dup_str(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int load_names(load_ctx *c, fz_model *m, json_t *root) {
    int rc = 0;
    json_t *a = need(c, root, "features", JSON_ARRAY, "the model file", &rc);
    if (!a) return rc;
    size_t n = json_array_size(a);
    if (n == 0 || n > FZ_MODEL_MAX_FEATURES)
        return fail(c, FZ_ERANGE, "features", "%zu features; 1 to %d allowed", n,
                    FZ_MODEL_MAX_FEATURES);
    if (!(m->names = calloc(n, sizeof *m->names))) return fail(c, FZ_ENOMEM, NULL, "out of memory");
    m->nfeatures = (int)n;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(a, i));
        if (!s || !*s || strlen(s) > 255)
            return fail(c, FZ_EFORMAT, "features", "feature %zu is not a name of 1 to 255 bytes", i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(m->names[j], s) == 0)
                return fail(c, FZ_EFORMAT, "features", "feature \"%s\" appears twice", s);
        if (!(m->names[i] = dup_str(s))) return fail(c, FZ_ENOMEM, NULL, "out of memory");
    }
    c->nfeatures = m->nfeatures;
    return 0;
}

static int load_meta(load_ctx *c, fz_model *m, json_t *root) {
    int rc = 0;
    json_t *v;
    long fv;
    if (!(v = need(c, root, "format", JSON_STRING, "the model file", &rc))) return rc;
    if (strcmp(json_string_value(v), "fanzha-model") != 0)
        return fail(c, FZ_EFORMAT, "format", "not a Fanzha model file (format is \"%.40s\")",
                    json_string_value(v));
    if (!(v = need(c, root, "format_version", JSON_INTEGER, "the model file", &rc))) return rc;
    if (int_value(v, 0, INT_MAX, &fv) || fv != FZ_MODEL_FORMAT_VERSION)
        return fail(c, FZ_EFORMAT, "format_version", "format version %lld; this build reads %d",
                    (long long)json_integer_value(v), FZ_MODEL_FORMAT_VERSION);
    if (!(v = need(c, root, "version", JSON_STRING, "the model file", &rc))) return rc;
    if (!*json_string_value(v) || strlen(json_string_value(v)) > 255)
        return fail(c, FZ_EFORMAT, "version", "version must be 1 to 255 bytes");
    if (!(m->version = dup_str(json_string_value(v)))) return fail(c, FZ_ENOMEM, NULL, "out of memory");
    if (!(v = need(c, root, "threshold", JSON_REAL, "the model file", &rc))) return rc;
    m->threshold = json_number_value(v);
    if (!(m->threshold >= 0.0 && m->threshold <= 1.0))
        return fail(c, FZ_ERANGE, "threshold", "threshold %g is not in [0, 1]", m->threshold);
    v = json_object_get(root, "training");
    if (v && !json_is_object(v))
        return fail(c, FZ_EFORMAT, "training", "\"training\" must be an object");
    return load_names(c, m, root);
}

/* ---- the XGBoost learner ---- */

/* Base margin of binary:logistic: XGBoost's ProbToMargin, in float. */
static int load_base(load_ctx *c, fz_model *m, json_t *lmp) {
    int rc = 0;
    long nf, ncls, ntarget = 1;
    json_t *v = need(c, lmp, "base_score", JSON_STRING, "learner_model_param", &rc);
    if (!v) return rc;
    const char *s = json_string_value(v);
    char *end;
    float p = strtof(s, &end);
    if (end == s || *end || !(p > 0.0f && p < 1.0f))
        return fail(c, FZ_ERANGE, "base_score", "base_score \"%.40s\" is not in (0, 1)", s);
    m->base_margin = -logf(1.0f / p - 1.0f);
    if ((rc = param_long(c, lmp, "num_feature", "learner_model_param", 0, INT_MAX, &nf))) return rc;
    if (nf != m->nfeatures)
        return fail(c, FZ_EFORMAT, "num_feature", "XGBoost num_feature is %ld, \"features\" names %d",
                    nf, m->nfeatures);
    if ((rc = param_long(c, lmp, "num_class", "learner_model_param", 0, INT_MAX, &ncls))) return rc;
    if (json_object_get(lmp, "num_target") &&
        (rc = param_long(c, lmp, "num_target", "learner_model_param", 0, INT_MAX, &ntarget)))
        return rc;
    if (ncls > 1 || ntarget != 1)
        return fail(c, FZ_EINVAL, "num_class", "multi-class or multi-target model; binary only");
    return 0;
}

static int check_kind(load_ctx *c, json_t *learner, json_t **gb_model) {
    int rc = 0;
    json_t *o = need(c, learner, "objective", JSON_OBJECT, "learner", &rc), *v;
    if (!o) return rc;
    if (!(v = need(c, o, "name", JSON_STRING, "learner.objective", &rc))) return rc;
    if (strcmp(json_string_value(v), "binary:logistic") != 0)
        return fail(c, FZ_EINVAL, "objective", "objective \"%.40s\"; only binary:logistic is scored",
                    json_string_value(v));
    json_t *gb = need(c, learner, "gradient_booster", JSON_OBJECT, "learner", &rc);
    if (!gb) return rc;
    if (!(v = need(c, gb, "name", JSON_STRING, "gradient_booster", &rc))) return rc;
    if (strcmp(json_string_value(v), "gbtree") != 0)
        return fail(c, FZ_EINVAL, "gradient_booster", "booster \"%.40s\"; only gbtree is scored",
                    json_string_value(v));
    *gb_model = need(c, gb, "model", JSON_OBJECT, "gradient_booster", &rc);
    return *gb_model ? 0 : rc;
}

/* ---- trees ---- */

/* The per-node arrays of one XGBoost tree, all checked to be n long. */
typedef struct tree_src {
    int index;
    size_t n;
    json_t *left, *right, *feat, *cond, *dleft, *hess;
} tree_src;

static int tree_array(load_ctx *c, json_t *t, const char *key, tree_src *ts, json_t **out) {
    int rc = 0;
    char where[32];
    snprintf(where, sizeof where, "trees[%d]", ts->index);
    *out = need(c, t, key, JSON_ARRAY, where, &rc);
    if (!*out) return rc;
    if (json_array_size(*out) != ts->n)
        return fail(c, FZ_EFORMAT, key, "trees[%d].%s has %zu entries, num_nodes is %zu", ts->index,
                    key, json_array_size(*out), ts->n);
    return 0;
}

/* Categorical splits take a different path in XGBoost; refuse them. */
static int check_numeric(load_ctx *c, json_t *t, const tree_src *ts) {
    json_t *st = json_object_get(t, "split_type");
    json_t *cn = json_object_get(t, "categories_nodes");
    size_t i;
    json_t *v;
    if (cn && (!json_is_array(cn) || json_array_size(cn) != 0))
        return fail(c, FZ_EINVAL, "categories_nodes", "trees[%d] has categorical splits", ts->index);
    if (!st) return 0;
    if (!json_is_array(st)) return fail(c, FZ_EFORMAT, "split_type", "trees[%d].split_type is not an array", ts->index);
    json_array_foreach(st, i, v) {
        long k;
        if (int_value(v, 0, 0, &k))
            return fail(c, FZ_EINVAL, "split_type", "trees[%d] node %zu is a categorical split", ts->index, i);
    }
    return 0;
}

static int tree_source(load_ctx *c, json_t *t, int index, tree_src *ts) {
    int rc = 0;
    long n;
    char where[40];
    snprintf(where, sizeof where, "trees[%d]", index);
    ts->index = index;
    if (!json_is_object(t)) return fail(c, FZ_EFORMAT, "trees", "%s is not an object", where);
    json_t *tp = need(c, t, "tree_param", JSON_OBJECT, where, &rc);
    if (!tp) return rc;
    if ((rc = param_long(c, tp, "num_nodes", where, 1, FZ_MODEL_MAX_NODES, &n))) return rc;
    ts->n = (size_t)n;
    if ((rc = tree_array(c, t, "left_children", ts, &ts->left)) ||
        (rc = tree_array(c, t, "right_children", ts, &ts->right)) ||
        (rc = tree_array(c, t, "split_indices", ts, &ts->feat)) ||
        (rc = tree_array(c, t, "split_conditions", ts, &ts->cond)) ||
        (rc = tree_array(c, t, "default_left", ts, &ts->dleft)) ||
        (rc = tree_array(c, t, "sum_hessian", ts, &ts->hess)))
        return rc;
    return check_numeric(c, t, ts);
}

/* Scratch for flattening one tree: new index -> source node, depth, cover. */
typedef struct flat_tmp {
    uint32_t *orig;
    uint16_t *depth;
    float *cover;
    unsigned char *seen;
} flat_tmp;

static int node_field(load_ctx *c, const tree_src *ts, const char *key, size_t o, int rc) {
    return fail(c, rc == FZ_EFORMAT ? FZ_EFORMAT : FZ_ERANGE, key,
                "trees[%d].%s[%zu] is %s", ts->index, key, o,
                rc == FZ_EFORMAT ? "not a number" : "out of range");
}

/* Fill node ni (absolute) from source node o; queue its children. */
static int flatten_node(load_ctx *c, fz_model *m, const tree_src *ts, flat_tmp *tmp,
                        uint32_t base, uint32_t ni, uint32_t *next) {
    size_t o = tmp->orig[ni - base];
    long l, r, f, dl;
    int rc;
    fz_node *nd = &m->nodes[ni];
    if ((rc = float_value(json_array_get(ts->hess, o), &tmp->cover[ni - base])) ||
        tmp->cover[ni - base] < 0.0f)
        return node_field(c, ts, "sum_hessian", o, rc ? rc : FZ_ERANGE);
    if ((rc = int_value(json_array_get(ts->left, o), -1, (long)ts->n - 1, &l)))
        return node_field(c, ts, "left_children", o, rc);
    if ((rc = int_value(json_array_get(ts->right, o), -1, (long)ts->n - 1, &r)))
        return node_field(c, ts, "right_children", o, rc);
    if ((rc = float_value(json_array_get(ts->cond, o), &nd->value)))
        return node_field(c, ts, "split_conditions", o, rc);
    if (l == -1 && r == -1) { /* leaf: split_conditions holds the leaf value */
        nd->child = 0;
        nd->feat = 0;
        if (tmp->depth[ni - base] > m->depth) m->depth = tmp->depth[ni - base];
        return 0;
    }
    /* The root (0) is nobody's child; a node reached twice is a cycle or DAG. */
    if (l <= 0 || r <= 0 || l == r || tmp->seen[l] || tmp->seen[r])
        return fail(c, FZ_ERANGE, "left_children",
                    "trees[%d] node %zu: children %ld and %ld do not form a tree", ts->index, o, l, r);
    if (tmp->depth[ni - base] >= MAX_DEPTH)
        return fail(c, FZ_ERANGE, "left_children", "trees[%d] is deeper than %d", ts->index, MAX_DEPTH);
    if ((rc = int_value(json_array_get(ts->feat, o), 0, c->nfeatures - 1, &f)))
        return node_field(c, ts, "split_indices", o, rc);
    if ((rc = int_value(json_array_get(ts->dleft, o), 0, 1, &dl)))
        return node_field(c, ts, "default_left", o, rc);
    tmp->seen[l] = tmp->seen[r] = 1;
    nd->child = *next;
    nd->feat = (uint32_t)f | (dl ? DEFAULT_LEFT : 0);
    tmp->orig[*next - base] = (uint32_t)l;
    tmp->orig[*next + 1 - base] = (uint32_t)r;
    tmp->depth[*next - base] = tmp->depth[*next + 1 - base] = (uint16_t)(tmp->depth[ni - base] + 1);
    *next += 2;
    return 0;
}

/* Node means bottom-up, exactly as XGBoost's FillNodeMeanValue computes
 * them (float products and sums in that order), so contributions match
 * XGBoost's approx_contribs. Children always follow their parent. */
static void fill_means(fz_model *m, const flat_tmp *tmp, uint32_t base, uint32_t end) {
    for (uint32_t i = end; i-- > base;) {
        const fz_node *nd = &m->nodes[i];
        if (!nd->child) {
            m->mean[i] = nd->value;
            continue;
        }
        uint32_t l = nd->child, r = l + 1;
        float res = m->mean[l] * tmp->cover[l - base];
        res += m->mean[r] * tmp->cover[r - base];
        /* A zero cover never comes out of training; keep the mean finite. */
        m->mean[i] = tmp->cover[i - base] > 0.0f ? res / tmp->cover[i - base]
                                                 : 0.5f * (m->mean[l] + m->mean[r]);
    }
}

static int flatten_tree(load_ctx *c, fz_model *m, const tree_src *ts, flat_tmp *tmp) {
    uint32_t base = m->nnodes, next = base + 1;
    memset(tmp->seen, 0, ts->n);
    tmp->orig[0] = 0;
    tmp->depth[0] = 0;
    tmp->seen[0] = 1;
    /* Breadth first: nodes [base, next) are placed, [i, next) still queued. */
    for (uint32_t i = base; i < next; i++) {
        int rc = flatten_node(c, m, ts, tmp, base, i, &next);
        if (rc) return rc;
    }
    m->roots[m->ntrees++] = base;
    m->nnodes = next;
    fill_means(m, tmp, base, next);
    return 0;
}

static int alloc_nodes(load_ctx *c, fz_model *m, json_t *trees, size_t *maxn) {
    size_t total = 0, i;
    json_t *t;
    *maxn = 0;
    json_array_foreach(trees, i, t) {
        tree_src ts;
        int rc = tree_source(c, t, (int)i, &ts);
        if (rc) return rc;
        total += ts.n;
        if (ts.n > *maxn) *maxn = ts.n;
        if (total > FZ_MODEL_MAX_NODES)
            return fail(c, FZ_ERANGE, "trees", "more than %d nodes in all", FZ_MODEL_MAX_NODES);
    }
    m->nodes = calloc(total ? total : 1, sizeof *m->nodes);
    m->mean = calloc(total ? total : 1, sizeof *m->mean);
    m->roots = calloc(json_array_size(trees) ? json_array_size(trees) : 1, sizeof *m->roots);
    if (!m->nodes || !m->mean || !m->roots) return fail(c, FZ_ENOMEM, NULL, "out of memory");
    return 0;
}

static int check_tree_info(load_ctx *c, json_t *gbm, size_t ntrees) {
    int rc = 0;
    long nt;
    json_t *info = need(c, gbm, "tree_info", JSON_ARRAY, "model", &rc), *v;
    size_t i;
    if (!info) return rc;
    json_t *p = need(c, gbm, "gbtree_model_param", JSON_OBJECT, "model", &rc);
    if (!p) return rc;
    if ((rc = param_long(c, p, "num_trees", "gbtree_model_param", 0, INT_MAX, &nt))) return rc;
    if ((size_t)nt != ntrees || json_array_size(info) != ntrees)
        return fail(c, FZ_EFORMAT, "num_trees", "num_trees %ld, %zu trees, %zu tree_info entries",
                    nt, ntrees, json_array_size(info));
    json_array_foreach(info, i, v) {
        long g;
        if (int_value(v, 0, 0, &g))
            return fail(c, FZ_EFORMAT, "tree_info", "tree %zu belongs to output group other than 0", i);
    }
    return 0;
}

static int load_trees(load_ctx *c, fz_model *m, json_t *gbm) {
    int rc = 0;
    size_t maxn, i;
    json_t *trees = need(c, gbm, "trees", JSON_ARRAY, "model", &rc), *t;
    if (!trees) return rc;
    if ((rc = check_tree_info(c, gbm, json_array_size(trees)))) return rc;
    if ((rc = alloc_nodes(c, m, trees, &maxn))) return rc;
    flat_tmp tmp = {malloc(maxn * sizeof *tmp.orig + 1), malloc(maxn * sizeof *tmp.depth + 1),
                    malloc(maxn * sizeof *tmp.cover + 1), malloc(maxn + 1)};
    if (!tmp.orig || !tmp.depth || !tmp.cover || !tmp.seen)
        rc = fail(c, FZ_ENOMEM, NULL, "out of memory");
    json_array_foreach(trees, i, t) {
        tree_src ts;
        if (rc || (rc = tree_source(c, t, (int)i, &ts)) || (rc = flatten_tree(c, m, &ts, &tmp)))
            break;
    }
    free(tmp.orig);
    free(tmp.depth);
    free(tmp.cover);
    free(tmp.seen);
    return rc;
}

/* Copy the subtree of node src into complete-tree position pos at level
 * depth of one lane of a group (tree and leaf point at the lane's first
 * node and leaf; a lane's entries are LANES apart). A leaf above the last
 * level becomes a split whose two sides both end in copies of that leaf,
 * so whichever way it sends x, the tree's value is the leaf's, as in the
 * original tree. */
static void fill_full(fz_model *m, fz_full_node *tree, float *leaf, uint32_t src, uint32_t pos, int depth) {
    const fz_node *nd = &m->nodes[src];
    uint32_t inner = (1u << m->full_depth) - 1;
    if (depth == m->full_depth) {
        leaf[(pos - inner) * LANES] = nd->value;
        return;
    }
    if (!nd->child) {
        tree[pos * LANES] = (fz_full_node){0.0f, 0};
        fill_full(m, tree, leaf, src, 2 * pos + 1, depth + 1);
        fill_full(m, tree, leaf, src, 2 * pos + 2, depth + 1);
        return;
    }
    tree[pos * LANES] = (fz_full_node){nd->value, nd->feat & FEAT_MASK};
    fill_full(m, tree, leaf, nd->child, 2 * pos + 1, depth + 1);
    fill_full(m, tree, leaf, nd->child + 1, 2 * pos + 2, depth + 1);
}

/* The complete-tree copy scoring walks when every tree is at most
 * FULL_MAX_DEPTH deep: each tree takes exactly full_depth steps of one load,
 * one compare and one index computation, with no test for leaves, so the
 * steps of different trees overlap without branch mispredictions. Trees go
 * in groups of LANES walked side by side, interleaved node by node (node i
 * of lane j at i * LANES + j) so one index register addresses each lane;
 * the last group's unused lanes are all-zero trees that are walked but not
 * summed. Deeper models are scored on the compact nodes only. */
static int build_full(load_ctx *c, fz_model *m) {
    if (m->depth > FULL_MAX_DEPTH) return 0;
    size_t entries = (((size_t)2 << m->depth) - 1) * (size_t)m->ntrees;
    if (entries > FULL_MAX_GROWTH * (size_t)m->nnodes + 4096) return 0;
    unsigned char *tested = calloc((size_t)m->nfeatures, 1);
    m->used = malloc(sizeof *m->used * (size_t)m->nfeatures);
    if (!tested || !m->used) {
        free(tested);
        return fail(c, FZ_ENOMEM, NULL, "out of memory");
    }
    for (uint32_t k = 0; k < m->nnodes; k++)
        if (m->nodes[k].child) tested[m->nodes[k].feat & FEAT_MASK] = 1;
    for (int f = 0; f < m->nfeatures; f++)
        if (tested[f]) m->used[m->nused++] = (uint16_t)f;
    free(tested);
    m->full_depth = m->depth;
    size_t inner = ((size_t)1 << m->full_depth) - 1, leaves = inner + 1;
    size_t groups = ((size_t)m->ntrees + LANES - 1) / LANES;
    m->full = calloc(inner * LANES * groups + 1, sizeof *m->full);
    m->full_leaf = calloc(leaves * LANES * groups + 1, sizeof *m->full_leaf);
    if (!m->full || !m->full_leaf) return fail(c, FZ_ENOMEM, NULL, "out of memory");
    for (int t = 0; t < m->ntrees; t++) {
        size_t g = (size_t)t / LANES, j = (size_t)t % LANES;
        fill_full(m, m->full + g * inner * LANES + j, m->full_leaf + g * leaves * LANES + j, m->roots[t], 0, 0);
    }
    return 0;
}

/* The contrib bias in XGBoost's order: tree roots summed, then the base. */
static void compute_bias(fz_model *m) {
    float b = 0.0f;
    for (int t = 0; t < m->ntrees; t++) b += m->mean[m->roots[t]];
    m->bias = b + m->base_margin;
}

static int load_xgboost(load_ctx *c, fz_model *m, json_t *root) {
    int rc = 0;
    json_t *xg = need(c, root, "xgboost", JSON_OBJECT, "the model file", &rc), *gbm = NULL;
    if (!xg) return rc;
    json_t *learner = need(c, xg, "learner", JSON_OBJECT, "xgboost", &rc);
    if (!learner) return rc;
    json_t *lmp = need(c, learner, "learner_model_param", JSON_OBJECT, "learner", &rc);
    if (!lmp) return rc;
    if ((rc = load_base(c, m, lmp)) || (rc = check_kind(c, learner, &gbm)) ||
        (rc = load_trees(c, m, gbm)) || (rc = build_full(c, m)))
        return rc;
    compute_bias(m);
    return 0;
}

int fz_model_load_buffer(fz_model **out, const void *buf, size_t len, const char *name,
                         fz_error *err) {
    load_ctx c = {name ? name : "(buffer)", err, 0};
    json_error_t je;
    *out = NULL;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return fz_error_set(err, FZ_EPARSE, c.file, je.line > 0 ? je.line : 0,
                            je.column > 0 ? je.column : 0, NULL, "not valid JSON: %s", je.text);
    fz_model *m = calloc(1, sizeof *m);
    int rc = m ? 0 : fail(&c, FZ_ENOMEM, NULL, "out of memory");
    if (!rc && !json_is_object(root)) rc = fail(&c, FZ_EFORMAT, NULL, "model file is not a JSON object");
    if (!rc) rc = load_meta(&c, m, root);
    if (!rc) rc = load_xgboost(&c, m, root);
    json_decref(root);
    if (rc) {
        fz_model_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

void fz_model_free(fz_model *m) {
    if (!m) return;
    if (m->names)
        for (int i = 0; i < m->nfeatures; i++) free(m->names[i]);
    free(m->names);
    free(m->version);
    free(m->nodes);
    free(m->full);
    free(m->full_leaf);
    free(m->used);
    free(m->mean);
    free(m->roots);
    free(m);
}

/* ---- accessors ---- */

int fz_model_nfeatures(const fz_model *m) { return m->nfeatures; }
int fz_model_ntrees(const fz_model *m) { return m->ntrees; }
double fz_model_threshold(const fz_model *m) { return m->threshold; }
const char *fz_model_version(const fz_model *m) { return m->version; }
float fz_model_contrib_bias(const fz_model *m) { return m->bias; }

const char *fz_model_feature_name(const fz_model *m, int i) {
    return (i >= 0 && i < m->nfeatures) ? m->names[i] : NULL;
}

int fz_model_uses_feature(const fz_model *m, int i) {
    for (uint32_t k = 0; k < m->nnodes; k++)
        if (m->nodes[k].child && (int)(m->nodes[k].feat & FEAT_MASK) == i) return 1;
    return 0;
}

int fz_model_feature_index(const fz_model *m, const char *name) {
    for (int i = 0; i < m->nfeatures; i++)
        if (strcmp(m->names[i], name) == 0) return i;
    return FZ_ENOTFOUND;
}

/* ---- scoring ---- */

/* XGBoost's GetNextNode: missing takes the default child, else left iff
 * x < threshold (so NaN-free comparisons decide everything else). */
static inline uint32_t next_node(const fz_node *nd, const float *x) {
    float v = x[nd->feat & FEAT_MASK];
    uint32_t right = isnan(v) ? !(nd->feat & DEFAULT_LEFT) : !(v < nd->value);
    return nd->child + right;
}

static inline const fz_node *leaf_of(const fz_node *nodes, uint32_t root, const float *x) {
    const fz_node *nd = &nodes[root];
    while (nd->child) nd = &nodes[next_node(nd, x)];
    return nd;
}


/* One step of lane j of a group down its complete tree, from the node at
 * k = i * LANES (position i) to position 2i+1 (left) or 2i+2 (right), as
 * k. For a value that is not missing this is next_node's rule, left iff
 * x < threshold, with no branch; missing values never come here (see
 * fz_model_margin). */
static inline size_t full_step(const fz_full_node *group, size_t k, int j, const float *x) {
    const fz_full_node *nd = group + j + k; /* 64-bit k: one addressing mode */
    size_t right = x[nd->feat] >= nd->thr;
    return 2 * k + LANES + LANES * right;
}

/* fz_model_margin over complete trees of the given depth: the same leaves,
 * summed in the same order. */
static inline __attribute__((always_inline)) float full_margin_at(const fz_model *m, const float *x,
                                                                  const int depth) {
    const uint32_t inner = (1u << depth) - 1, leaves = inner + 1;
    float s = m->base_margin;
    for (int t = 0; t < m->ntrees; t += LANES) {
        const fz_full_node *group = m->full + (size_t)t * inner;
        size_t k[LANES] = {0};
        for (int d = 0; d < depth; d++)
            for (int j = 0; j < LANES; j++) k[j] = full_step(group, k[j], j, x);
        /* k is (inner + leaf) * LANES now */
        const float *leaf = m->full_leaf + (size_t)t * leaves - (size_t)inner * LANES;
        int n = m->ntrees - t < LANES ? m->ntrees - t : LANES;
        for (int j = 0; j < n; j++) s += leaf[k[j] + (size_t)j];
    }
    return s;
}

/* full_margin_at with the model's depth as a constant, so the compiler
 * unrolls each walk into straight-line code. */
static float full_margin(const fz_model *m, const float *x) {
    switch (m->full_depth) {
    case 0: return full_margin_at(m, x, 0);
    case 1: return full_margin_at(m, x, 1);
    case 2: return full_margin_at(m, x, 2);
    case 3: return full_margin_at(m, x, 3);
    case 4: return full_margin_at(m, x, 4);
    case 5: return full_margin_at(m, x, 5);
    case 6: return full_margin_at(m, x, 6);
    case 7: return full_margin_at(m, x, 7);
    default: return full_margin_at(m, x, FULL_MAX_DEPTH);
    }
}

/* Whether a feature some split tests is missing in x. */
static int tested_missing(const fz_model *m, const float *x) {
    int miss = 0;
    for (int k = 0; k < m->nused; k++) miss |= isnan(x[m->used[k]]);
    return miss;
}

float fz_model_margin(const fz_model *m, const float *x) {
    /* the complete trees when they exist and x has every tested value: a
     * missing one would need the default direction at each split */
    if (m->full && !tested_missing(m, x)) return full_margin(m, x);
    /* XGBoost starts each row's float accumulator at the base margin and
     * adds one leaf per tree, in tree order: the lanes find the leaves, the
     * sum still goes in that order. */
    float s = m->base_margin;
    int t = 0;
    for (; t + LANES <= m->ntrees; t += LANES) {
        const fz_node *nd[LANES];
        for (int j = 0; j < LANES; j++) nd[j] = &m->nodes[m->roots[t + j]];
        for (int more = 1; more;) {
            more = 0;
            for (int j = 0; j < LANES; j++)
                if (nd[j]->child) {
                    nd[j] = &m->nodes[next_node(nd[j], x)];
                    more = 1;
                }
        }
        for (int j = 0; j < LANES; j++) s += nd[j]->value;
    }
    for (; t < m->ntrees; t++) s += leaf_of(m->nodes, m->roots[t], x)->value;
    return s;
}

/* XGBoost 1.7's common::Sigmoid(float), operation for operation: the clamp
 * keeps expf finite, the epsilon (a no-op once added to >= 1) is kept so
 * the expression is the same one. */
static float xgb_sigmoid(float x) {
    const float eps = 1e-16f;
    float e = fminf(-x, 88.7f);
    float denom = expf(e) + 1.0f + eps;
    return 1.0f / denom;
}

float fz_model_predict(const fz_model *m, const float *x) {
    return xgb_sigmoid(fz_model_margin(m, x));
}

/* ---- contributions ---- */

typedef struct path_sum {
    uint32_t feat;
    float sum;
} path_sum;

/* One tree's Saabas attribution added into acc[]. XGBoost sums a tree's
 * deltas per feature first (from 0, in path order) and then adds that sum
 * into the total; doing the same keeps the floats identical to its
 * approx_contribs. A path has at most MAX_DEPTH splits. */
static void tree_contrib(const fz_model *m, uint32_t root, const float *x, float *acc) {
    path_sum sums[MAX_DEPTH];
    int n = 0;
    const fz_node *nodes = m->nodes;
    uint32_t i = root;
    while (nodes[i].child) {
        uint32_t nx = next_node(&nodes[i], x), f = nodes[i].feat & FEAT_MASK;
        float delta = m->mean[nx] - m->mean[i];
        int j = 0;
        while (j < n && sums[j].feat != f) j++;
        if (j == n) sums[n++] = (path_sum){f, 0.0f};
        sums[j].sum += delta;
        i = nx;
    }
    for (int j = 0; j < n; j++) acc[sums[j].feat] += sums[j].sum;
}

static int more_important(const fz_contrib *a, const fz_contrib *b) {
    float fa = fabsf(a->contribution), fb = fabsf(b->contribution);
    return fa > fb || (fa == fb && a->feature < b->feature);
}

int fz_model_contrib(const fz_model *m, const float *x, fz_contrib *top, int k) {
    float acc[FZ_MODEL_MAX_FEATURES];
    int n = 0;
    if (k <= 0) return 0;
    memset(acc, 0, sizeof acc[0] * (size_t)m->nfeatures);
    for (int t = 0; t < m->ntrees; t++) tree_contrib(m, m->roots[t], x, acc);
    /* Insertion into the sorted top k: k is small, features are few. */
    for (int f = 0; f < m->nfeatures; f++) {
        fz_contrib c = {f, x[f], acc[f]};
        if (c.contribution == 0.0f) continue;
        if (n == k && !more_important(&c, &top[n - 1])) continue;
        int j = n < k ? n++ : k - 1;
        while (j > 0 && more_important(&c, &top[j - 1])) {
            top[j] = top[j - 1];
            j--;
        }
        top[j] = c;
    }
    return n;
}
