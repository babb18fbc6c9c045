/* fz_rules_parse.c — the grammar of a rule pack (EBNF in docs/rules.md).
 *
 * Recursive descent over the tokens of fz_rules_lex.c. Expressions become an
 * AST in cc->nodes (reset per rule); each rule's `when` is handed to
 * fz_rules_compile.c as soon as it is read, params are folded to constants
 * when declared. Recursion is bounded (FZ__MAX_DEPTH) so hostile input cannot
 * exhaust the stack. */
#include "fz_rules_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOK (&cc->lx.tok)

int fz__rules_grow(void **v, int *cap, int need, size_t sz) {
    if (need <= *cap) return 0;
    int nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > INT32_MAX / 2) return FZ_ENOMEM;
        nc *= 2;
    }
    void *p = realloc(*v, (size_t)nc * sz);
    if (!p) return FZ_ENOMEM;
    *v = p;
    *cap = nc;
    return 0;
}

static int next(fz__rules_cc *cc) { return fz__rules_lex_next(&cc->lx); }

static int err_at(fz__rules_cc *cc, const fz__rules_tok *t, const char *msg) {
    return fz__rules_err(cc->err, cc->file, t->line, t->col, "%s", msg);
}

static int expected(fz__rules_cc *cc, const char *what) {
    char d[64];
    fz__rules_tok_desc(TOK, d, sizeof d);
    return fz__rules_err(cc->err, cc->file, TOK->line, TOK->col, "expected %s, found %s", what, d);
}

static int is_reserved(const fz__rules_tok *t) {
    return fz__rules_tok_is(t, "and") || fz__rules_tok_is(t, "or") || fz__rules_tok_is(t, "not");
}

/* ------------------------------------------------------------ expressions */

static int height(const fz__rules_cc *cc, int i) { return i >= 0 ? cc->nodes[i].h : 0; }

/* Append a node; returns its index or a negative error. */
static int node(fz__rules_cc *cc, int kind, int op, int a, int b, fz__rules_tok t) {
    int h = 1 + (height(cc, a) > height(cc, b) ? height(cc, a) : height(cc, b));
    if (h > FZ__MAX_HEIGHT) return err_at(cc, &t, "expression too long or nested too deeply");
    if (fz__rules_grow((void **)&cc->nodes, &cc->capnodes, cc->nnodes + 1, sizeof *cc->nodes))
        return FZ_ENOMEM;
    fz__rules_node *n = &cc->nodes[cc->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->op = (uint8_t)op;
    n->a = a;
    n->b = b;
    n->next = -1;
    n->h = (uint16_t)h;
    n->tok = t;
    return cc->nnodes++;
}

static int parse_or(fz__rules_cc *cc);
static int parse_sum(fz__rules_cc *cc);

static int enter(fz__rules_cc *cc) {
    if (++cc->depth > FZ__MAX_DEPTH) return err_at(cc, TOK, "expression nested too deeply");
    return 0;
}

static int parse_primary(fz__rules_cc *cc) {
    fz__rules_tok t = *TOK;
    int r;
    switch (t.kind) {
    case FZ__TK_NUM:
    case FZ__TK_DUR:
        if ((r = next(cc))) return r;
        return node(cc, t.kind == FZ__TK_NUM ? FZ__N_NUM : FZ__N_DUR, 0, -1, -1, t);
    case FZ__TK_NAME:
        if (is_reserved(&t)) return expected(cc, "a value");
        if ((r = next(cc))) return r;
        return node(cc, FZ__N_NAME, 0, -1, -1, t);
    case FZ__TK_LPAREN: {
        if ((r = enter(cc)) || (r = next(cc))) return r;
        int e = parse_or(cc);
        if (e < 0) return e;
        cc->depth--;
        if (TOK->kind != FZ__TK_RPAREN) return expected(cc, "')'");
        if ((r = next(cc))) return r;
        return e;
    }
    default:
        return expected(cc, "a value");
    }
}

static int parse_unary(fz__rules_cc *cc) {
    if (TOK->kind != FZ__TK_MINUS) return parse_primary(cc);
    fz__rules_tok t = *TOK;
    int r;
    if ((r = enter(cc)) || (r = next(cc))) return r;
    int a = parse_unary(cc);
    if (a < 0) return a;
    cc->depth--;
    return node(cc, FZ__N_NEG, 0, a, -1, t);
}

static int parse_term(fz__rules_cc *cc) {
    int l = parse_unary(cc), r;
    while (l >= 0 && (TOK->kind == FZ__TK_STAR || TOK->kind == FZ__TK_SLASH)) {
        fz__rules_tok t = *TOK;
        if ((r = next(cc))) return r;
        int b = parse_unary(cc);
        if (b < 0) return b;
        l = node(cc, t.kind == FZ__TK_STAR ? FZ__N_MUL : FZ__N_DIV, 0, l, b, t);
    }
    return l;
}

static int parse_sum(fz__rules_cc *cc) {
    int l = parse_term(cc), r;
    while (l >= 0 && (TOK->kind == FZ__TK_PLUS || TOK->kind == FZ__TK_MINUS)) {
        fz__rules_tok t = *TOK;
        if ((r = next(cc))) return r;
        int b = parse_term(cc);
        if (b < 0) return b;
        l = node(cc, t.kind == FZ__TK_PLUS ? FZ__N_ADD : FZ__N_SUB, 0, l, b, t);
    }
    return l;
}

static int cmp_of(int kind) {
    switch (kind) {
    case FZ__TK_EQ: return FZ__CMP_EQ;
    case FZ__TK_NE: return FZ__CMP_NE;
    case FZ__TK_LT: return FZ__CMP_LT;
    case FZ__TK_LE: return FZ__CMP_LE;
    case FZ__TK_GT: return FZ__CMP_GT;
    case FZ__TK_GE: return FZ__CMP_GE;
    default: return -1;
    }
}

/* "x in (a, b)" / "x not in (a, b)"; the current token is "in" or "not". */
static int parse_in(fz__rules_cc *cc, int lhs) {
    fz__rules_tok t = *TOK;
    int neg = fz__rules_tok_is(TOK, "not"), r;
    if (neg) {
        if ((r = next(cc))) return r;
        if (!fz__rules_tok_is(TOK, "in")) return expected(cc, "'in' after 'not'");
    }
    if ((r = next(cc))) return r;
    if (TOK->kind != FZ__TK_LPAREN) return expected(cc, "'(' after 'in'");
    int first = -1, last = -1, h = 0;
    do {
        if ((r = next(cc))) return r;
        int it = parse_sum(cc);
        if (it < 0) return it;
        if (last >= 0) cc->nodes[last].next = it;
        else first = it;
        last = it;
        if (height(cc, it) > h) h = height(cc, it);
    } while (TOK->kind == FZ__TK_COMMA);
    if (TOK->kind != FZ__TK_RPAREN) return expected(cc, "',' or ')'");
    if ((r = next(cc))) return r;
    int n = node(cc, FZ__N_IN, neg, lhs, first, t);
    if (n >= 0 && cc->nodes[n].h <= h) cc->nodes[n].h = (uint16_t)(h + 1);
    return n;
}

static int parse_rel(fz__rules_cc *cc) {
    int l = parse_sum(cc), r;
    if (l < 0) return l;
    int op = cmp_of(TOK->kind);
    if (op >= 0) {
        fz__rules_tok t = *TOK;
        if ((r = next(cc))) return r;
        int b = parse_sum(cc);
        if (b < 0) return b;
        return node(cc, FZ__N_CMP, op, l, b, t);
    }
    if (fz__rules_tok_is(TOK, "in") || fz__rules_tok_is(TOK, "not")) return parse_in(cc, l);
    return l;
}

static int parse_not(fz__rules_cc *cc) {
    if (!fz__rules_tok_is(TOK, "not")) return parse_rel(cc);
    fz__rules_tok t = *TOK;
    int r;
    if ((r = enter(cc)) || (r = next(cc))) return r;
    int a = parse_not(cc);
    if (a < 0) return a;
    cc->depth--;
    return node(cc, FZ__N_NOT, 0, a, -1, t);
}

/* Parses a left-associative chain `operand (word operand)*`, building one
 * `kind` node per `word`; `and` binds tighter than `or` by nesting these. */
static int parse_chain(fz__rules_cc *cc, const char *word, int kind,
                       int (*operand)(fz__rules_cc *)) {
    int l = operand(cc), r;
    while (l >= 0 && fz__rules_tok_is(TOK, word)) {
        fz__rules_tok t = *TOK;
        if ((r = next(cc))) return r;
        int b = operand(cc);
        if (b < 0) return b;
        l = node(cc, kind, 0, l, b, t);
    }
    return l;
}

static int parse_and(fz__rules_cc *cc) {
    return parse_chain(cc, "and", FZ__N_AND, parse_not);
}

static int parse_or(fz__rules_cc *cc) {
    return parse_chain(cc, "or", FZ__N_OR, parse_and);
}

static void reset_expr(fz__rules_cc *cc) {
    cc->nnodes = 0;
    cc->nldata = 0;
    cc->depth = 0;
}

/* ----------------------------------------------------------------- strings */

/* Decode the current STR token into buf (cap bytes) for a short label such
 * as a rule id: 1..cap-1 bytes of [A-Za-z0-9_.-]. */
static int label(fz__rules_cc *cc, const char *what, char *buf, size_t cap) {
    if (TOK->kind != FZ__TK_STR) {
        char m[64];
        snprintf(m, sizeof m, "a quoted %s", what);
        return expected(cc, m);
    }
    char *tmp = malloc(TOK->n + 1);
    if (!tmp) return FZ_ENOMEM;
    size_t n = fz__rules_str_decode(TOK, tmp);
    int bad = n == 0 || n >= cap;
    for (size_t i = 0; i < n && !bad; i++) {
        char c = tmp[i];
        bad = !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '-');
    }
    if (!bad) memcpy(buf, tmp, n + 1);
    free(tmp);
    if (bad)
        return fz__rules_err(cc->err, cc->file, TOK->line, TOK->col,
                             "%s must be 1 to %zu of letters, digits, '_', '.' or '-'", what, cap - 1);
    return next(cc);
}

/* ------------------------------------------------------------------ params */

int fz__rules_find_param(const fz__rules_cc *cc, const char *p, uint32_t n) {
    for (int i = 0; i < cc->nparams; i++)
        if (cc->params[i].n == n && memcmp(cc->params[i].p, p, n) == 0) return i;
    return -1;
}

static int parse_param(fz__rules_cc *cc) {
    int r;
    if ((r = next(cc))) return r;
    fz__rules_tok name = *TOK;
    if (name.kind != FZ__TK_NAME || is_reserved(&name) || fz__rules_tok_is(&name, "in") ||
        fz__rules_tok_is(&name, "true") || fz__rules_tok_is(&name, "false"))
        return expected(cc, "a param name");
    if (fz_schema_find(cc->schema, name.p, name.n) >= 0)
        return fz__rules_err(cc->err, cc->file, name.line, name.col,
                             "param '%.*s' has the name of a value", (int)name.n, name.p);
    int prev = fz__rules_find_param(cc, name.p, name.n);
    if (prev >= 0)
        return fz__rules_err(cc->err, cc->file, name.line, name.col,
                             "param '%.*s' already defined at line %d", (int)name.n, name.p,
                             (int)cc->params[prev].val.tok.line);
    if ((r = next(cc))) return r;
    if (TOK->kind != FZ__TK_ASSIGN) return expected(cc, "'='");
    if ((r = next(cc))) return r;
    reset_expr(cc);
    int e = parse_sum(cc);
    if (e < 0) return e;
    if (fz__rules_grow((void **)&cc->params, &cc->capparams, cc->nparams + 1, sizeof *cc->params))
        return FZ_ENOMEM;
    fz__rules_param *p = &cc->params[cc->nparams];
    if ((r = fz__rules_const_val(cc, e, &p->val))) return r;
    p->p = name.p;
    p->n = name.n;
    p->val.tok.line = name.line; /* where the param is defined, for duplicates */
    cc->nparams++;
    return 0;
}

/* ------------------------------------------------------------------- rules */

enum { C_ON, C_WHEN, C_THEN, C_SCORE, C_PRIORITY, C_TYPOLOGY, C_ZH, C_EN, C__N };
static const char *const clause_names[] = {"on", "when", "then", "score", "priority", "typology",
                                           "reason zh", "reason en"};

static int clause_of(const fz__rules_tok *t) {
    for (int i = 0; i < C_ZH; i++)
        if (fz__rules_tok_is(t, clause_names[i])) return i;
    return fz__rules_tok_is(t, "reason") ? C_ZH : -1;
}

static int parse_on(fz__rules_cc *cc, fz_rule_info *ri) {
    static const char *const w[] = {"payer", "payee", "both"};
    for (int i = 0; i < 3; i++)
        if (fz__rules_tok_is(TOK, w[i])) {
            ri->on = (uint8_t)(i + 1); /* FZ_ON_PAYER, FZ_ON_PAYEE, FZ_ON_BOTH */
            return next(cc);
        }
    return expected(cc, "payer, payee or both");
}

static int parse_then(fz__rules_cc *cc, fz_rule_info *ri) {
    static const char *const w[] = {"alert", "verify", "hold", "block", "large_value"};
    int r;
    for (int i = 0; i < FZ_ACT__COUNT; i++)
        if (fz__rules_tok_is(TOK, w[i])) {
            ri->action = (uint8_t)i;
            if ((r = next(cc))) return r;
            if (i != FZ_ACT_LARGE_VALUE) return 0;
            char code[8];
            if (TOK->kind != FZ__TK_STR) return expected(cc, "a quoted CRCD code \"0501\"..\"0504\"");
            if (TOK->n != 6 || memcmp(TOK->p, "\"050", 4) != 0 || TOK->p[4] < '1' || TOK->p[4] > '4')
                return err_at(cc, TOK, "large_value code must be \"0501\", \"0502\", \"0503\" or \"0504\"");
            memcpy(code, TOK->p + 1, 4);
            ri->crcd = (uint16_t)(500 + (code[3] - '0'));
            return next(cc);
        }
    return expected(cc, "alert, verify, hold, block or large_value");
}

/* A whole number in [lo, hi], with an optional leading '-'. */
static int parse_int(fz__rules_cc *cc, const char *what, long lo, long hi, int32_t *out) {
    fz__rules_tok t = *TOK;
    int neg = 0, r;
    if (TOK->kind == FZ__TK_MINUS) {
        neg = 1;
        if ((r = next(cc))) return r;
    }
    int64_t v = neg ? -TOK->num : TOK->num;
    if (TOK->kind != FZ__TK_NUM || TOK->scale != 0 || v < lo || v > hi)
        return fz__rules_err(cc->err, cc->file, t.line, t.col,
                             "%s must be a whole number from %ld to %ld", what, lo, hi);
    *out = (int32_t)v;
    return next(cc);
}

static int parse_reason(fz__rules_cc *cc, fz_rule_info *ri, int lang) {
    int r;
    if (TOK->kind != FZ__TK_STR) return expected(cc, "a quoted reason");
    if (TOK->n <= 2) return err_at(cc, TOK, "empty reason");
    char *s = malloc(TOK->n);
    if (!s) return FZ_ENOMEM;
    fz__rules_str_decode(TOK, s);
    if (lang == C_ZH) ri->reason_zh = s;
    else ri->reason_en = s;
    if ((r = next(cc))) return r;
    return 0;
}

static int parse_clause(fz__rules_cc *cc, fz__rules_rule *rule, int c) {
    fz_rule_info *ri = &rule->info;
    int r;
    switch (c) {
    case C_ON: return parse_on(cc, ri);
    case C_WHEN: {
        reset_expr(cc);
        int e = parse_or(cc);
        if (e < 0) return e;
        return fz__rules_compile_when(cc, e, &rule->code_start, &rule->code_len);
    }
    case C_THEN: return parse_then(cc, ri);
    case C_SCORE: return parse_int(cc, "score", 0, 1000, &ri->score);
    case C_PRIORITY: return parse_int(cc, "priority", -1000000, 1000000, &ri->priority);
    case C_TYPOLOGY: return label(cc, "typology", ri->typology, sizeof ri->typology);
    default:
        if ((r = parse_reason(cc, ri, c))) return r;
        return 0;
    }
}

/* After "reason": which language; C_ZH or C_EN, or an error. */
static int reason_lang(fz__rules_cc *cc, int *c) {
    int r;
    if ((r = next(cc))) return r;
    if (fz__rules_tok_is(TOK, "zh")) *c = C_ZH;
    else if (fz__rules_tok_is(TOK, "en")) *c = C_EN;
    else return expected(cc, "zh or en after 'reason'");
    return 0;
}

static int check_id_unique(fz__rules_cc *cc, const fz__rules_tok *t, const char *id) {
    for (int i = 0; i < cc->nrules - 1; i++)
        if (strcmp(cc->rules[i].info.id, id) == 0)
            return fz__rules_err(cc->err, cc->file, t->line, t->col,
                                 "duplicate rule id '%s' (pack '%s', line %d)", id,
                                 cc->rules[i].info.pack, (int)cc->rules[i].info.line);
    return 0;
}

static int parse_rule(fz__rules_cc *cc) {
    fz__rules_tok kw = *TOK, idt;
    int r;
    if (cc->nrules >= FZ__MAX_RULES) return err_at(cc, &kw, "too many rules (at most 65535)");
    if (fz__rules_grow((void **)&cc->rules, &cc->caprules, cc->nrules + 1, sizeof *cc->rules))
        return FZ_ENOMEM;
    /* Pushed at once so that a failure frees its reasons with the others. */
    fz__rules_rule *rule = &cc->rules[cc->nrules++];
    memset(rule, 0, sizeof *rule);
    rule->order = cc->nrules - 1;
    rule->info.on = FZ_ON_BOTH;
    rule->info.line = kw.line;
    memcpy(rule->info.pack, cc->pack, sizeof rule->info.pack);
    if ((r = next(cc))) return r;
    idt = *TOK;
    if ((r = label(cc, "rule id", rule->info.id, sizeof rule->info.id))) return r;
    if ((r = check_id_unique(cc, &idt, rule->info.id))) return r;
    if (TOK->kind != FZ__TK_LBRACE) return expected(cc, "'{'");
    if ((r = next(cc))) return r;
    int seen[C__N] = {0};
    while (TOK->kind != FZ__TK_RBRACE) {
        fz__rules_tok ct = *TOK;
        int c = clause_of(TOK);
        if (c < 0) return expected(cc, "on, when, then, score, priority, typology, reason or '}'");
        if (c == C_ZH && (r = reason_lang(cc, &c))) return r;
        if (seen[c])
            return fz__rules_err(cc->err, cc->file, ct.line, ct.col, "duplicate '%s' in rule '%s'",
                                 clause_names[c], rule->info.id);
        seen[c] = 1;
        if ((r = next(cc)) || (r = parse_clause(cc, rule, c))) return r;
    }
    static const int need[] = {C_WHEN, C_THEN, C_ZH, C_EN};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!seen[need[i]])
            return fz__rules_err(cc->err, cc->file, kw.line, kw.col, "rule '%s' has no '%s'",
                                 rule->info.id, clause_names[need[i]]);
    return next(cc);
}

/* ------------------------------------------------------------------- packs */

static int append_ver(fz__rules_cc *cc, const char *s) {
    size_t n = strlen(s);
    if (cc->nver + n + 1 > cc->capver) {
        size_t cap = (cc->nver + n + 1) * 2;
        char *p = realloc(cc->ver, cap);
        if (!p) return FZ_ENOMEM;
        cc->ver = p;
        cc->capver = cap;
    }
    memcpy(cc->ver + cc->nver, s, n + 1);
    cc->nver += n;
    return 0;
}

static int parse_header(fz__rules_cc *cc) {
    char version[32];
    int r;
    if (!fz__rules_tok_is(TOK, "pack")) return expected(cc, "'pack \"name\" version \"...\"' first");
    if ((r = next(cc)) || (r = label(cc, "pack name", cc->pack, sizeof cc->pack))) return r;
    if (!fz__rules_tok_is(TOK, "version")) return expected(cc, "'version'");
    if ((r = next(cc)) || (r = label(cc, "version", version, sizeof version))) return r;
    if ((r = append_ver(cc, cc->pack)) || (r = append_ver(cc, "@")) ||
        (r = append_ver(cc, version)) || (r = append_ver(cc, " ")))
        return r;
    return 0;
}

int fz__rules_parse_pack(fz__rules_cc *cc, const fz_rules_src *src) {
    int r;
    cc->file = src->name ? src->name : "<rules>";
    cc->nparams = 0;
    fz__rules_lex_init(&cc->lx, cc->file, src->text, src->len, cc->err);
    if ((r = next(cc)) || (r = parse_header(cc))) return r;
    while (TOK->kind != FZ__TK_EOF) {
        if (fz__rules_tok_is(TOK, "param")) r = parse_param(cc);
        else if (fz__rules_tok_is(TOK, "rule")) r = parse_rule(cc);
        else r = expected(cc, "'param' or 'rule'");
        if (r) return r;
    }
    return 0;
}
