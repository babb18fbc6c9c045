/* fz_rules_int.h — internals shared by the rule-language files:
 * fz_rules_lex.c (tokens), fz_rules_parse.c (grammar -> AST, packs, rules),
 * fz_rules_compile.c (type check, constant folding, code emission),
 * fz_rules_vm.c (evaluation) and fz_rules.c (the public entry points).
 * Nothing here is part of the public interface (fz_rules.h is). */
#ifndef FZ_RULES_INT_H
#define FZ_RULES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "fz_error.h"
#include "fz_rules.h"
#include "fz_schema.h"

/* ---------------------------------------------------------------- tokens */

enum {
    FZ__TK_EOF = 0,
    FZ__TK_NAME,   /* word or dotted name: amount, self.in.sum_24h, CNY, rule */
    FZ__TK_NUM,    /* exact decimal: num / 10^scale */
    FZ__TK_DUR,    /* 30s 15m 1h 365d, in num milliseconds */
    FZ__TK_STR,    /* "..." (p/n span the quotes; decode with fz__rules_str_decode) */
    FZ__TK_LBRACE, FZ__TK_RBRACE, FZ__TK_LPAREN, FZ__TK_RPAREN, FZ__TK_COMMA,
    FZ__TK_ASSIGN, /* = */
    FZ__TK_EQ, FZ__TK_NE, FZ__TK_LT, FZ__TK_LE, FZ__TK_GT, FZ__TK_GE,
    FZ__TK_PLUS, FZ__TK_MINUS, FZ__TK_STAR, FZ__TK_SLASH,
    FZ__TK__COUNT
};

typedef struct fz__rules_tok {
    int kind;
    const char *p;   /* the token's source text */
    uint32_t n;
    int32_t line, col; /* 1-based; col counts UTF-8 code points */
    int64_t num;     /* NUM: mantissa; DUR: milliseconds */
    int scale;       /* NUM: digits after the decimal point */
} fz__rules_tok;

typedef struct fz__rules_lex {
    const char *file;
    const char *p, *end;
    int32_t line, col;
    fz__rules_tok tok; /* the current token */
    fz_error *err;
} fz__rules_lex;

void fz__rules_lex_init(fz__rules_lex *lx, const char *file, const char *text, size_t len,
                        fz_error *err);
/* Advance to the next token. Returns 0 or FZ_EPARSE (err filled). */
int fz__rules_lex_next(fz__rules_lex *lx);
/* Decode a STR token (escapes resolved) into out, which needs t->n bytes;
 * NUL-terminates and returns the length. */
size_t fz__rules_str_decode(const fz__rules_tok *t, char *out);
/* Whether t is the NAME word (exact, case-sensitive). */
int fz__rules_tok_is(const fz__rules_tok *t, const char *word);
/* A short description of t for messages: "'foo'", "end of file". */
void fz__rules_tok_desc(const fz__rules_tok *t, char *buf, size_t n);
/* fz_error_set(err, FZ_EPARSE, file, line, col, NULL, fmt...). */
int fz__rules_err(fz_error *err, const char *file, int32_t line, int32_t col, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));

/* ------------------------------------------------------------ program */

/* One instruction: 16 bytes. A rule is a run of these ending in END; jumps
 * are relative (pc += arg), so a rule's code can be moved as a block. The
 * VM keeps a single boolean accumulator: comparisons set it, JZ/JNZ give
 * short-circuit and/or, END returns it. */
enum {
    FZ__OP_END = 0, /* return acc */
    FZ__OP_SET,     /* acc = k */
    FZ__OP_JZ,      /* if !acc: pc += arg */
    FZ__OP_JNZ,     /* if acc: pc += arg */
    FZ__OP_EQ,      /* acc = vals[var] == k, and so on */
    FZ__OP_NE,
    FZ__OP_LT,
    FZ__OP_LE,
    FZ__OP_GT,
    FZ__OP_GE,
    FZ__OP_IN,      /* acc = vals[var] is one of the k of the next arg DATA */
    FZ__OP_NIN,     /* negation of IN */
    FZ__OP_LIN,     /* acc = (k + sum coef*vals[var] over the next arg DATA) cmp 0,
                       in __int128; cmp is an FZ__CMP_* */
    FZ__OP_DATA,    /* operand of IN / LIN, never executed */
    FZ__OP__COUNT
};

enum { FZ__CMP_EQ = 0, FZ__CMP_NE, FZ__CMP_LT, FZ__CMP_LE, FZ__CMP_GT, FZ__CMP_GE };

typedef struct fz__rules_ins {
    uint8_t op;
    uint8_t cmp;
    uint16_t var;
    int32_t arg;
    int64_t k;
} fz__rules_ins;

/* One rule on one side, as the evaluation loop sees it: a guard that must
 * hold for the rule to fire (the first test of its top-level and-chain,
 * reduced to a branch-free range or bit-mask test), and where to go on when
 * it does. Most rules fail their guard, so most cost one load and compare
 * and no dispatch. A rule with no usable guard gets one that always passes. */
typedef struct fz__rules_entry {
    uint16_t var;
    uint8_t mask;   /* 1: pass = bit v of lo (v in 0..63); 0: pass = (u64)(v - lo) <= span */
    uint8_t neg;    /* pass is inverted */
    uint16_t rule;
    uint16_t pad;
    uint32_t start; /* code index to run from, with acc = 1, when the guard passes */
    uint32_t pad2;
    uint64_t lo, span;
} fz__rules_entry;

/* Entries with the same guard, evaluated as one: the guard is tested once
 * for all of them (e.g. the limit rules that all start with
 * `channel in (online, mobile)`). */
typedef struct fz__rules_group {
    uint16_t var;
    uint8_t mask, neg; /* as in fz__rules_entry */
    uint32_t first, n; /* its entries: ent[side][first .. first + n) */
    uint64_t lo, span;
} fz__rules_group;

struct fz_ruleset {
    int nrules;
    fz_rule_info *info;      /* in rule order (priority desc, then source order) */
    uint32_t *start;         /* rule i's code begins at code[start[i]] */
    fz__rules_ins *code;
    uint32_t ncode;
    uint16_t *side[2];       /* rules looking at each side, in rule order */
    int nside[2];
    fz__rules_entry *ent[2]; /* the same, with guards, sorted by guard (fz__rules_guards) */
    fz__rules_group *grp[2]; /* runs of ent[] with one guard */
    int ngrp[2];
    int nvars;               /* schema size at compile time */
    uint8_t uses[FZ_SCHEMA_MAX];
    char *version;
};

/* --------------------------------------------------- compile-time state */

/* A typed compile-time value: a linear form (sum c[i]*var[i] + k) / d with
 * d > 0, exact in __int128. kind says whether it still waits for a type from
 * the other operand (a bare number or an enum word). */
enum { FZ__VK_NUM = 0, FZ__VK_TYPED, FZ__VK_WORD };
#define FZ__LIN_MAX 8

typedef struct fz__rules_val {
    int kind;
    int type;               /* fz_vtype, for TYPED */
    int n;
    uint16_t var[FZ__LIN_MAX];
    __int128 c[FZ__LIN_MAX];
    __int128 k, d;
    fz__rules_tok tok;      /* where it starts, and a WORD's text */
} fz__rules_val;

/* AST node kinds. */
enum {
    FZ__N_NUM = 0, FZ__N_DUR, FZ__N_NAME, FZ__N_NEG,
    FZ__N_ADD, FZ__N_SUB, FZ__N_MUL, FZ__N_DIV,
    FZ__N_CMP,  /* op = FZ__CMP_* */
    FZ__N_IN,   /* a = value, b = first item (items chained by next); op = 1 for "not in" */
    FZ__N_AND, FZ__N_OR, FZ__N_NOT
};

typedef struct fz__rules_node {
    uint8_t kind, op;
    int8_t cst;      /* after checking a condition: -1 run time, 0/1 constant */
    uint8_t lop;     /* leaf: FZ__OP_EQ..GE, IN, LIN */
    uint16_t h;      /* height of the subtree, bounded so checking may recurse */
    int32_t a, b, next;
    fz__rules_tok tok;
    uint16_t var;    /* leaf operands */
    uint8_t cmp;
    int32_t ld, ln;  /* leaf data in cc->ldata: IN constants, or LIN (var, coef) pairs */
    int64_t k;
} fz__rules_node;

typedef struct fz__rules_param {
    const char *p;
    uint32_t n;
    fz__rules_val val;
} fz__rules_param;

typedef struct fz__rules_rule {
    fz_rule_info info;       /* reason_zh/en malloc'ed */
    int order;               /* source order across all packs */
    uint32_t code_start, code_len;
} fz__rules_rule;

#define FZ__MAX_DEPTH 64   /* nesting of parentheses, 'not' and unary '-' */
#define FZ__MAX_HEIGHT 256 /* height of an expression tree (long and-chains) */
#define FZ__MAX_RULES 65535

typedef struct fz__rules_cc {
    const fz_schema *schema;
    fz_error *err;
    fz__rules_lex lx;
    const char *file;
    char pack[48];
    fz__rules_param *params;
    int nparams, capparams;
    fz__rules_node *nodes;
    int nnodes, capnodes, depth;
    int64_t *ldata;
    int nldata, capldata;
    fz__rules_ins *code;
    int ncode, capcode;
    fz__rules_rule *rules;
    int nrules, caprules;
    uint8_t uses[FZ_SCHEMA_MAX];
    char *ver;               /* "name@version name@version " so far */
    size_t nver, capver;
} fz__rules_cc;

/* Grow *v (elements of size sz) to hold at least need; returns 0 or FZ_ENOMEM. */
int fz__rules_grow(void **v, int *cap, int need, size_t sz);

/* Fill rs->ent[] from rs->side[] and the code. Returns 0 or FZ_ENOMEM. */
int fz__rules_guards(fz_ruleset *rs);

/* Parse and compile one pack into cc (rules, code, params). */
int fz__rules_parse_pack(fz__rules_cc *cc, const fz_rules_src *src);

/* The index of param p (n bytes) of the current pack, or -1. */
int fz__rules_find_param(const fz__rules_cc *cc, const char *p, uint32_t n);

/* Check a param's value node, which must be constant, into *out. */
int fz__rules_const_val(fz__rules_cc *cc, int node, fz__rules_val *out);

/* Check the condition rooted at node and append its program (ending in END)
 * to cc->code; *start and *len say where. */
int fz__rules_compile_when(fz__rules_cc *cc, int node, uint32_t *start, uint32_t *len);

#endif
