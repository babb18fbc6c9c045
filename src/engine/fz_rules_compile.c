/* fz_rules_compile.c — type check, fold and emit a rule's condition.
 *
 * Every arithmetic expression is reduced at compile time to an exact linear
 * form (sum c*var + k) / d over __int128, so `out >= 0.9 * in` becomes
 * `10*out - 9*in >= 0` and is evaluated exactly in integers: no float, no
 * rounding, at any int64 magnitude. Bare numbers and enum words take their
 * type (and unit) from the other operand. A comparison of one value with a
 * constant becomes one instruction (vals[var] OP k); anything else a LIN
 * instruction. and/or/not become jumps over a boolean accumulator, with
 * `not` pushed down into the comparisons, so the VM has no NOT at all. */
#include "fz_rules_int.h"

#include <stdio.h>
#include <string.h>

#include "fz_money.h"
#include "fz_txn.h"

#define ERR(t, ...) fz__rules_err(cc->err, cc->file, (t)->line, (t)->col, __VA_ARGS__)

typedef __int128 i128;
#define LIM ((i128)1 << 120) /* compile-time magnitudes stay below this */
#define RUN_LIM ((i128)1 << 62) /* LIN coefficients: sum |c| * 2^63 < 2^127 */

static int ok_mul(i128 a, i128 b, i128 *r) {
    return !__builtin_mul_overflow(a, b, r) && *r <= LIM && *r >= -LIM;
}
static int ok_add(i128 a, i128 b, i128 *r) {
    return !__builtin_add_overflow(a, b, r) && *r <= LIM && *r >= -LIM;
}
static i128 abs128(i128 a) { return a < 0 ? -a : a; }
static i128 gcd128(i128 a, i128 b) {
    a = abs128(a);
    b = abs128(b);
    while (b) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static int is_num_type(int t) { return t == FZ_VT_INT || t == FZ_VT_MONEY || t == FZ_VT_DURATION; }

/* Drop zero terms and divide through by the common divisor. */
static void normalize(fz__rules_val *v) {
    int j = 0;
    for (int i = 0; i < v->n; i++)
        if (v->c[i] != 0) {
            v->var[j] = v->var[i];
            v->c[j++] = v->c[i];
        }
    v->n = j;
    i128 g = gcd128(v->d, v->k);
    for (int i = 0; i < v->n; i++) g = gcd128(g, v->c[i]);
    if (g > 1) {
        v->d /= g;
        v->k /= g;
        for (int i = 0; i < v->n; i++) v->c[i] /= g;
    }
}

static int too_big(fz__rules_cc *cc, const fz__rules_tok *t) {
    return ERR(t, "number too large to compute exactly");
}

static int word_err(fz__rules_cc *cc, const fz__rules_val *v) {
    return ERR(&v->tok, "unknown name '%.*s'", (int)v->tok.n, v->tok.p);
}

/* v *= num / den, den > 0. */
static int scale(fz__rules_cc *cc, fz__rules_val *v, i128 num, i128 den, const fz__rules_tok *t) {
    for (int i = 0; i < v->n; i++)
        if (!ok_mul(v->c[i], num, &v->c[i])) return too_big(cc, t);
    if (!ok_mul(v->k, num, &v->k) || !ok_mul(v->d, den, &v->d)) return too_big(cc, t);
    normalize(v);
    return 0;
}

/* a += sign * b, over the common denominator a.d * b.d. */
static int lin_add(fz__rules_cc *cc, fz__rules_val *a, const fz__rules_val *b, int sign,
                   const fz__rules_tok *t) {
    i128 ad = a->d, d, kb, cb;
    if (!ok_mul(ad, b->d, &d) || !ok_mul(a->k, b->d, &a->k) || !ok_mul(b->k, ad * sign, &kb) ||
        !ok_add(a->k, kb, &a->k))
        return too_big(cc, t);
    for (int i = 0; i < a->n; i++)
        if (!ok_mul(a->c[i], b->d, &a->c[i])) return too_big(cc, t);
    for (int j = 0; j < b->n; j++) {
        if (!ok_mul(b->c[j], ad * sign, &cb)) return too_big(cc, t);
        int i = 0;
        while (i < a->n && a->var[i] != b->var[j]) i++;
        if (i == a->n) {
            if (a->n == FZ__LIN_MAX) return ERR(t, "expression reads too many values (at most 8)");
            a->var[a->n] = b->var[j];
            a->c[a->n++] = 0;
        }
        if (!ok_add(a->c[i], cb, &a->c[i])) return too_big(cc, t);
    }
    a->d = d;
    normalize(a);
    return 0;
}

/* ----------------------------------------------------------------- typing */

static int resolve_word(fz__rules_cc *cc, fz__rules_val *v, int type) {
    uint8_t e = 0;
    fz_ccy ccy = 0;
    int rc = FZ_ENOTFOUND;
    int64_t val = 0;
    switch (type) {
    case FZ_VT_CHANNEL: rc = fz_channel_parse(v->tok.p, v->tok.n, &e), val = e; break;
    case FZ_VT_KIND: rc = fz_kind_parse(v->tok.p, v->tok.n, &e), val = e; break;
    case FZ_VT_PARTY: rc = fz_party_parse(v->tok.p, v->tok.n, &e), val = e; break;
    case FZ_VT_CCY: rc = fz_ccy_parse(v->tok.p, v->tok.n, &ccy), val = ccy; break;
    case FZ_VT_DIR:
        if (fz__rules_tok_is(&v->tok, "in")) rc = 0, val = 1;
        else if (fz__rules_tok_is(&v->tok, "out")) rc = 0, val = 0;
        break;
    default: return word_err(cc, v);
    }
    if (rc != 0)
        return ERR(&v->tok, "unknown %s '%.*s'", fz_vtype_name((unsigned)type), (int)v->tok.n, v->tok.p);
    v->kind = FZ__VK_TYPED;
    v->type = type;
    v->k = val;
    v->d = 1;
    return 0;
}

/* Give a bare number or word the type of the value it meets. */
static int resolve(fz__rules_cc *cc, fz__rules_val *v, int type) {
    if (v->kind == FZ__VK_TYPED) return 0;
    if (v->kind == FZ__VK_WORD) return resolve_word(cc, v, type);
    i128 m = v->k;
    switch (type) {
    case FZ_VT_MONEY:
        /* Money literals are major units (yuan, dollars): x100, exactly. */
        if (!ok_mul(v->k, 100, &m)) return too_big(cc, &v->tok);
        if (m % v->d != 0) return ERR(&v->tok, "money has at most 2 decimal places");
        m /= v->d;
        break;
    case FZ_VT_INT:
        if (m % v->d != 0) return ERR(&v->tok, "a count must be a whole number");
        m /= v->d;
        break;
    case FZ_VT_DURATION: return ERR(&v->tok, "a duration needs a unit: s, m, h or d");
    default: return ERR(&v->tok, "expected %s, found a number", fz_vtype_name((unsigned)type));
    }
    if (m > INT64_MAX || m < INT64_MIN) return too_big(cc, &v->tok);
    v->kind = FZ__VK_TYPED;
    v->type = type;
    v->k = m;
    v->d = 1;
    return 0;
}

static int unify(fz__rules_cc *cc, fz__rules_val *a, fz__rules_val *b, const char *verb,
                 const fz__rules_tok *t) {
    if (a->kind == FZ__VK_TYPED && b->kind == FZ__VK_TYPED) {
        if (a->type != b->type)
            return ERR(t, "cannot %s %s with %s", verb, fz_vtype_name((unsigned)a->type),
                       fz_vtype_name((unsigned)b->type));
        return 0;
    }
    if (a->kind == FZ__VK_TYPED) return resolve(cc, b, a->type);
    if (b->kind == FZ__VK_TYPED) return resolve(cc, a, b->type);
    if (a->kind == FZ__VK_WORD) return word_err(cc, a);
    if (b->kind == FZ__VK_WORD) return word_err(cc, b);
    return 0;
}

static int check_value(fz__rules_cc *cc, int ni, fz__rules_val *out);

static int check_name(fz__rules_cc *cc, const fz__rules_node *n, fz__rules_val *out) {
    const fz__rules_tok *t = &n->tok;
    if (fz__rules_tok_is(t, "true") || fz__rules_tok_is(t, "false")) {
        out->kind = FZ__VK_TYPED;
        out->type = FZ_VT_BOOL;
        out->k = fz__rules_tok_is(t, "true");
        return 0;
    }
    int vi = fz_schema_find(cc->schema, t->p, t->n);
    if (vi >= 0) {
        out->kind = FZ__VK_TYPED;
        out->type = cc->schema->var[vi].type;
        out->n = 1;
        out->var[0] = (uint16_t)vi;
        out->c[0] = 1;
        return 0;
    }
    int pi = fz__rules_find_param(cc, t->p, t->n);
    if (pi >= 0) {
        *out = cc->params[pi].val;
        out->tok = *t;
        return 0;
    }
    out->kind = FZ__VK_WORD;
    return 0;
}

static int check_neg(fz__rules_cc *cc, const fz__rules_node *n, fz__rules_val *out) {
    int r = check_value(cc, n->a, out);
    if (r) return r;
    if (out->kind == FZ__VK_WORD) return word_err(cc, out);
    if (out->kind == FZ__VK_TYPED && !is_num_type(out->type))
        return ERR(&n->tok, "cannot negate %s", fz_vtype_name((unsigned)out->type));
    out->k = -out->k;
    for (int i = 0; i < out->n; i++) out->c[i] = -out->c[i];
    out->tok = n->tok;
    return 0;
}

static int check_add(fz__rules_cc *cc, const fz__rules_node *n, fz__rules_val *out) {
    fz__rules_val b;
    int r;
    if ((r = check_value(cc, n->a, out)) || (r = check_value(cc, n->b, &b))) return r;
    const char *verb = n->kind == FZ__N_ADD ? "add" : "subtract";
    if ((r = unify(cc, out, &b, verb, &n->tok))) return r;
    if (out->kind == FZ__VK_TYPED && !is_num_type(out->type))
        return ERR(&n->tok, "cannot %s %s values", verb, fz_vtype_name((unsigned)out->type));
    return lin_add(cc, out, &b, n->kind == FZ__N_ADD ? 1 : -1, &n->tok);
}

/* x * c, c * x, x / c: the factor must be a constant number (a ratio, not
 * money), so the result keeps the type of x. */
static int check_mul(fz__rules_cc *cc, const fz__rules_node *n, fz__rules_val *out) {
    fz__rules_val b;
    int r;
    if ((r = check_value(cc, n->a, out)) || (r = check_value(cc, n->b, &b))) return r;
    if (out->kind == FZ__VK_WORD) return word_err(cc, out);
    if (b.kind == FZ__VK_WORD) return word_err(cc, &b);
    fz__rules_tok start = out->tok;
    if (n->kind == FZ__N_MUL && out->kind == FZ__VK_NUM && b.kind != FZ__VK_NUM) {
        fz__rules_val t = *out;
        *out = b;
        b = t;
    }
    if (b.kind != FZ__VK_NUM)
        return ERR(&n->tok, "can only %s by a constant number",
                   n->kind == FZ__N_MUL ? "multiply" : "divide");
    if (out->kind == FZ__VK_TYPED && !is_num_type(out->type))
        return ERR(&n->tok, "cannot multiply or divide %s", fz_vtype_name((unsigned)out->type));
    if (n->kind == FZ__N_MUL) r = scale(cc, out, b.k, b.d, &n->tok);
    else if (b.k == 0) return ERR(&n->tok, "division by zero");
    else r = b.k > 0 ? scale(cc, out, b.d, b.k, &n->tok) : scale(cc, out, -b.d, -b.k, &n->tok);
    out->tok = start;
    return r;
}

static int check_value(fz__rules_cc *cc, int ni, fz__rules_val *out) {
    const fz__rules_node *n = &cc->nodes[ni];
    memset(out, 0, sizeof *out);
    out->d = 1;
    out->tok = n->tok;
    switch (n->kind) {
    case FZ__N_NUM: {
        i128 d = 1;
        for (int i = 0; i < n->tok.scale; i++) d *= 10;
        out->kind = FZ__VK_NUM;
        out->k = n->tok.num;
        out->d = d;
        normalize(out);
        return 0;
    }
    case FZ__N_DUR:
        out->kind = FZ__VK_TYPED;
        out->type = FZ_VT_DURATION;
        out->k = n->tok.num;
        return 0;
    case FZ__N_NAME: return check_name(cc, n, out);
    case FZ__N_NEG: return check_neg(cc, n, out);
    case FZ__N_ADD:
    case FZ__N_SUB: return check_add(cc, n, out);
    case FZ__N_MUL:
    case FZ__N_DIV: return check_mul(cc, n, out);
    default: return ERR(&n->tok, "expected a value, found a condition");
    }
}

int fz__rules_const_val(fz__rules_cc *cc, int node, fz__rules_val *out) {
    int r = check_value(cc, node, out);
    if (r) return r;
    if (out->kind == FZ__VK_TYPED && out->n > 0)
        return ERR(&out->tok, "a param must be a constant, not a value that changes");
    return 0;
}

/* ------------------------------------------------------------- conditions */

static int holds(int cmp, i128 s) {
    switch (cmp) {
    case FZ__CMP_EQ: return s == 0;
    case FZ__CMP_NE: return s != 0;
    case FZ__CMP_LT: return s < 0;
    case FZ__CMP_LE: return s <= 0;
    case FZ__CMP_GT: return s > 0;
    default: return s >= 0;
    }
}

/* a OP b  <=>  b MIRROR(OP) a;  not (a OP b)  <=>  a FLIP(OP) b. */
static const uint8_t mirror[] = {FZ__CMP_EQ, FZ__CMP_NE, FZ__CMP_GT, FZ__CMP_GE, FZ__CMP_LT, FZ__CMP_LE};
static const uint8_t flip[] = {FZ__CMP_NE, FZ__CMP_EQ, FZ__CMP_GE, FZ__CMP_GT, FZ__CMP_LE, FZ__CMP_LT};
static const char *const cmp_text[] = {"==", "!=", "<", "<=", ">", ">="};

static i128 floor_div(i128 a, i128 b) { /* b > 0 */
    i128 q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}
static i128 ceil_div(i128 a, i128 b) { /* b > 0 */
    i128 q = a / b;
    return (a % b != 0 && a > 0) ? q + 1 : q;
}

static int ceiling_err(fz__rules_cc *cc, const fz__rules_tok *t, int vi, i128 num, i128 den) {
    const fz_var *v = &cc->schema->var[vi];
    char a[48], b[48];
    int money = v->type == FZ_VT_MONEY;
    i128 q = floor_div(num, den);
    if (q > INT64_MAX) q = INT64_MAX;
    if (money) {
        fz_money_format((int64_t)q, 2, a, sizeof a);
        fz_money_format(v->ceiling, 2, b, sizeof b);
    } else {
        snprintf(a, sizeof a, "%lld", (long long)q);
        snprintf(b, sizeof b, "%lld", (long long)v->ceiling);
    }
    return ERR(t, "threshold %s is at or above the saturation of %s (%s)", a, v->name, b);
}

/* c*v + k OP 0 with one value v: becomes vals[v] OP' K, or a constant. */
static int leaf_single(fz__rules_cc *cc, fz__rules_node *n, const fz__rules_val *x, int op) {
    i128 c = x->c[0], num = -x->k;
    int vi = x->var[0];
    if (c < 0) {
        c = -c;
        num = -num;
        op = mirror[op];
    }
    int64_t ceil = cc->schema->var[vi].ceiling;
    if (ceil > 0 && num >= (i128)ceil * c) return ceiling_err(cc, &n->tok, vi, num, c);
    i128 K;
    switch (op) {
    case FZ__CMP_EQ:
    case FZ__CMP_NE:
        if (num % c != 0) {
            n->cst = op == FZ__CMP_NE;
            return 0;
        }
        K = num / c;
        break;
    case FZ__CMP_GE:
    case FZ__CMP_LT: K = ceil_div(num, c); break; /* v >= 2.5 <=> v >= 3 */
    default: K = floor_div(num, c); break;         /* v > 2.5 <=> v > 2 */
    }
    if (K > INT64_MAX || K < INT64_MIN) { /* no int64 reaches K */
        int above = K > INT64_MAX;
        n->cst = op == FZ__CMP_EQ ? 0 : op == FZ__CMP_NE ? 1
               : (op == FZ__CMP_GE || op == FZ__CMP_GT) ? !above : above;
        return 0;
    }
    n->cst = -1;
    n->lop = (uint8_t)(FZ__OP_EQ + op);
    n->var = (uint16_t)vi;
    n->k = (int64_t)K;
    return 0;
}

static int push_ldata(fz__rules_cc *cc, int64_t v) {
    if (fz__rules_grow((void **)&cc->ldata, &cc->capldata, cc->nldata + 1, sizeof *cc->ldata))
        return FZ_ENOMEM;
    cc->ldata[cc->nldata++] = v;
    return 0;
}

/* sum c*v + k OP 0 over several values: one LIN instruction. */
static int leaf_lin(fz__rules_cc *cc, fz__rules_node *n, fz__rules_val *x, int op) {
    i128 g = x->k, sum = 0;
    for (int i = 0; i < x->n; i++) g = gcd128(g, x->c[i]);
    for (int i = 0; i < x->n; i++) sum += abs128(x->c[i] /= g);
    x->k /= g;
    if (sum > RUN_LIM || abs128(x->k) > RUN_LIM)
        return ERR(&n->tok, "comparison too large to evaluate exactly");
    n->cst = -1;
    n->lop = FZ__OP_LIN;
    n->cmp = (uint8_t)op;
    n->k = (int64_t)x->k;
    n->ld = cc->nldata;
    n->ln = x->n;
    for (int i = 0; i < x->n; i++) {
        int r = push_ldata(cc, x->var[i]);
        if (r || (r = push_ldata(cc, (int64_t)x->c[i]))) return r;
    }
    return 0;
}

static int check_cmp(fz__rules_cc *cc, fz__rules_node *n) {
    fz__rules_val a, b;
    int r, op = n->op;
    if ((r = check_value(cc, n->a, &a)) || (r = check_value(cc, n->b, &b))) return r;
    if ((r = unify(cc, &a, &b, "compare", &n->tok))) return r;
    if (a.kind == FZ__VK_TYPED && op >= FZ__CMP_LT && !is_num_type(a.type))
        return ERR(&n->tok, "'%s' needs numbers, money or durations; %s only takes == or !=",
                   cmp_text[op], fz_vtype_name((unsigned)a.type));
    if ((r = lin_add(cc, &a, &b, -1, &n->tok))) return r;
    if (a.n == 0) { /* constant: the sign of k decides (d > 0) */
        n->cst = (int8_t)holds(op, a.k);
        return 0;
    }
    return a.n == 1 ? leaf_single(cc, n, &a, op) : leaf_lin(cc, n, &a, op);
}

static int check_in_item(fz__rules_cc *cc, int it, const fz__rules_val *x) {
    fz__rules_val v;
    int r;
    if ((r = check_value(cc, it, &v)) || (r = resolve(cc, &v, x->type))) return r;
    if (v.kind != FZ__VK_TYPED || v.type != x->type)
        return ERR(&v.tok, "cannot compare %s with %s", fz_vtype_name((unsigned)x->type),
                   fz_vtype_name((unsigned)v.type));
    if (v.n != 0) return ERR(&v.tok, "'in' list items must be constants");
    if (v.d != 1 || v.k > INT64_MAX || v.k < INT64_MIN)
        return ERR(&v.tok, "'in' list item is not a whole %s", fz_vtype_name((unsigned)x->type));
    int64_t ceil = cc->schema->var[x->var[0]].ceiling;
    if (ceil > 0 && v.k >= ceil) return ceiling_err(cc, &v.tok, x->var[0], v.k, 1);
    return push_ldata(cc, (int64_t)v.k);
}

static int check_in(fz__rules_cc *cc, fz__rules_node *n) {
    fz__rules_val x;
    int r;
    if ((r = check_value(cc, n->a, &x))) return r;
    if (x.kind == FZ__VK_WORD) return word_err(cc, &x);
    if (x.kind != FZ__VK_TYPED || x.n != 1 || x.c[0] != x.d || x.k != 0)
        return ERR(&x.tok, "left of 'in' must be a value's name");
    n->ld = cc->nldata;
    for (int it = n->b; it >= 0; it = cc->nodes[it].next)
        if ((r = check_in_item(cc, it, &x))) return r;
    n->ln = cc->nldata - n->ld;
    n->cst = -1;
    n->lop = n->op ? FZ__OP_NIN : FZ__OP_IN;
    n->var = x.var[0];
    return 0;
}

/* A value used as a condition must be a bool. */
static int check_bool(fz__rules_cc *cc, fz__rules_node *n, int ni) {
    fz__rules_val v;
    int r = check_value(cc, ni, &v);
    if (r) return r;
    if (v.kind == FZ__VK_WORD) return word_err(cc, &v);
    if (v.kind != FZ__VK_TYPED || v.type != FZ_VT_BOOL)
        return ERR(&v.tok, "expected a condition, found %s%s",
                   v.kind == FZ__VK_NUM ? "a number" : "a value of type ",
                   v.kind == FZ__VK_NUM ? "" : fz_vtype_name((unsigned)v.type));
    if (v.n == 0) {
        n->cst = v.k != 0;
        return 0;
    }
    n->cst = -1;
    n->lop = FZ__OP_NE;
    n->var = v.var[0];
    n->k = 0;
    return 0;
}

static int check_cond(fz__rules_cc *cc, int ni) {
    fz__rules_node *n = &cc->nodes[ni];
    int r;
    switch (n->kind) {
    case FZ__N_AND:
    case FZ__N_OR: {
        if ((r = check_cond(cc, n->a)) || (r = check_cond(cc, n->b))) return r;
        int ca = cc->nodes[n->a].cst, cb = cc->nodes[n->b].cst;
        int absorb = n->kind == FZ__N_OR; /* the value that decides alone */
        if (ca == absorb || cb == absorb) n->cst = (int8_t)absorb;
        else if (ca >= 0 && cb >= 0) n->cst = (int8_t)!absorb;
        else n->cst = -1;
        return 0;
    }
    case FZ__N_NOT:
        if ((r = check_cond(cc, n->a))) return r;
        n->cst = cc->nodes[n->a].cst < 0 ? -1 : !cc->nodes[n->a].cst;
        return 0;
    case FZ__N_CMP: return check_cmp(cc, n);
    case FZ__N_IN: return check_in(cc, n);
    default: return check_bool(cc, n, ni);
    }
}

/* --------------------------------------------------------------- emission */

static int emit(fz__rules_cc *cc, int op, int cmp, int var, int32_t arg, int64_t k) {
    if (cc->ncode >= (1 << 26))
        return fz_error_set(cc->err, FZ_EPARSE, cc->file, 0, 0, NULL, "rule programs too large");
    if (fz__rules_grow((void **)&cc->code, &cc->capcode, cc->ncode + 1, sizeof *cc->code))
        return FZ_ENOMEM;
    fz__rules_ins *i = &cc->code[cc->ncode];
    i->op = (uint8_t)op;
    i->cmp = (uint8_t)cmp;
    i->var = (uint16_t)var;
    i->arg = arg;
    i->k = k;
    return cc->ncode++;
}

static int emit_leaf(fz__rules_cc *cc, const fz__rules_node *n, int neg) {
    int r;
    cc->uses[n->var] = 1;
    if (n->lop >= FZ__OP_EQ && n->lop <= FZ__OP_GE) {
        int op = neg ? FZ__OP_EQ + flip[n->lop - FZ__OP_EQ] : n->lop;
        r = emit(cc, op, 0, n->var, 0, n->k);
        return r < 0 ? r : 0;
    }
    if (n->lop == FZ__OP_IN || n->lop == FZ__OP_NIN) {
        int op = neg ? (n->lop == FZ__OP_IN ? FZ__OP_NIN : FZ__OP_IN) : n->lop;
        if ((r = emit(cc, op, 0, n->var, n->ln, 0)) < 0) return r;
        for (int i = 0; i < n->ln; i++)
            if ((r = emit(cc, FZ__OP_DATA, 0, 0, 0, cc->ldata[n->ld + i])) < 0) return r;
        return 0;
    }
    if ((r = emit(cc, FZ__OP_LIN, neg ? flip[n->cmp] : n->cmp, 0, n->ln, n->k)) < 0) return r;
    for (int i = 0; i < n->ln; i++) {
        int v = (int)cc->ldata[n->ld + 2 * i];
        cc->uses[v] = 1;
        if ((r = emit(cc, FZ__OP_DATA, 0, v, 0, cc->ldata[n->ld + 2 * i + 1])) < 0) return r;
    }
    return 0;
}

/* The constant value of child c under negation, or -1. */
static int eff(const fz__rules_cc *cc, int c, int neg) {
    int v = cc->nodes[c].cst;
    return v < 0 ? -1 : v ^ neg;
}

/* Emit node (whose value is not constant) so that acc ends up as its value,
 * negated when neg. and/or short-circuit: after the left side, jump to the
 * end with acc as it is when it already decides. */
static int emit_cond(fz__rules_cc *cc, int ni, int neg) {
    const fz__rules_node *n = &cc->nodes[ni];
    int r;
    switch (n->kind) {
    case FZ__N_NOT: return emit_cond(cc, n->a, !neg);
    case FZ__N_AND:
    case FZ__N_OR: {
        int isand = (n->kind == FZ__N_AND) ^ neg;
        if (eff(cc, n->a, neg) >= 0) return emit_cond(cc, n->b, neg); /* identity element */
        if (eff(cc, n->b, neg) >= 0) return emit_cond(cc, n->a, neg);
        if ((r = emit_cond(cc, n->a, neg))) return r;
        int j = emit(cc, isand ? FZ__OP_JZ : FZ__OP_JNZ, 0, 0, 0, 0);
        if (j < 0) return j;
        if ((r = emit_cond(cc, n->b, neg))) return r;
        cc->code[j].arg = cc->ncode - j;
        return 0;
    }
    default: return emit_leaf(cc, n, neg);
    }
}

/* A jump that lands on a jump testing the same acc can go straight on. */
static void thread_jumps(fz__rules_cc *cc, int start) {
    for (int i = start; i < cc->ncode; i++) {
        fz__rules_ins *j = &cc->code[i];
        if (j->op != FZ__OP_JZ && j->op != FZ__OP_JNZ) continue;
        int t = i + j->arg;
        for (int guard = 0; guard < 64; guard++) {
            if (cc->code[t].op == j->op) t += cc->code[t].arg;
            else if (cc->code[t].op == FZ__OP_JZ || cc->code[t].op == FZ__OP_JNZ) t += 1;
            else break;
        }
        j->arg = t - i;
    }
}

int fz__rules_compile_when(fz__rules_cc *cc, int node, uint32_t *start, uint32_t *len) {
    int r = check_cond(cc, node);
    if (r) return r;
    int s = cc->ncode, c = cc->nodes[node].cst;
    if (c >= 0) r = emit(cc, FZ__OP_SET, 0, 0, 0, c);
    else r = emit_cond(cc, node, 0);
    if (r < 0) return r;
    if ((r = emit(cc, FZ__OP_END, 0, 0, 0, 0)) < 0) return r;
    thread_jumps(cc, s);
    *start = (uint32_t)s;
    *len = (uint32_t)(cc->ncode - s);
    return 0;
}
