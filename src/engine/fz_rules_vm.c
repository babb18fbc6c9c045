/* fz_rules_vm.c — evaluate a compiled rule set over one side's values.
 *
 * The hot path: a switch loop over 16-byte instructions with one boolean
 * accumulator. No allocation, no lock, no call per node, no recursion, no
 * float; LIN sums are exact in __int128 (the compiler bounded them). */
#include "fz_rules_int.h"

#include <stdlib.h>
#include <string.h>

/* Value var, computed on first read (see fz_values). */
static __attribute__((noinline)) int64_t fill(fz_values *x, unsigned var) {
    x->have[var >> 6] |= 1ull << (var & 63);
    if (x->fill) x->v[var] = x->fill(x->ctx, (int)var);
    return x->v[var];
}

static inline int64_t val(fz_values *x, unsigned var) {
    if (__builtin_expect((x->have[var >> 6] >> (var & 63)) & 1, 1)) return x->v[var];
    return fill(x, var);
}

/* Out of line: most rules stop at their guard, and keeping this switch out
 * of the guard loop keeps that loop small. */
static __attribute__((noinline)) int run(const fz__rules_ins *pc, fz_values *v, int acc) {
    for (;;) {
        switch (pc->op) {
        case FZ__OP_EQ: acc = val(v, pc->var) == pc->k; pc++; break;
        case FZ__OP_NE: acc = val(v, pc->var) != pc->k; pc++; break;
        case FZ__OP_LT: acc = val(v, pc->var) < pc->k; pc++; break;
        case FZ__OP_LE: acc = val(v, pc->var) <= pc->k; pc++; break;
        case FZ__OP_GT: acc = val(v, pc->var) > pc->k; pc++; break;
        case FZ__OP_GE: acc = val(v, pc->var) >= pc->k; pc++; break;
        case FZ__OP_JZ: pc += acc ? 1 : pc->arg; break;
        case FZ__OP_JNZ: pc += acc ? pc->arg : 1; break;
        case FZ__OP_SET: acc = pc->k != 0; pc++; break;
        case FZ__OP_IN:
        case FZ__OP_NIN: {
            int64_t x = val(v, pc->var);
            int n = pc->arg, f = 0;
            for (int i = 1; i <= n; i++) f |= pc[i].k == x;
            acc = f ^ (pc->op == FZ__OP_NIN);
            pc += n + 1;
            break;
        }
        case FZ__OP_LIN: {
            __int128 s = pc->k;
            int n = pc->arg;
            for (int i = 1; i <= n; i++) s += (__int128)pc[i].k * val(v, pc[i].var);
            switch (pc->cmp) {
            case FZ__CMP_EQ: acc = s == 0; break;
            case FZ__CMP_NE: acc = s != 0; break;
            case FZ__CMP_LT: acc = s < 0; break;
            case FZ__CMP_LE: acc = s <= 0; break;
            case FZ__CMP_GT: acc = s > 0; break;
            default: acc = s >= 0; break;
            }
            pc += n + 1;
            break;
        }
        default: return acc; /* END */
        }
    }
}

/* The guard of a rule: its first instruction, when the rule cannot fire
 * unless that test holds, i.e. it is followed by END or by a JZ to END.
 * Returns 1 and fills e, or 0 when the rule has no such guard. */
static int guard_of(const fz__rules_ins *c, uint32_t len, fz__rules_entry *e) {
    if (len < 2) return 0;
    const fz__rules_ins *g = &c[0];
    /* the instruction after the guard: an IN list's values follow the IN */
    uint32_t next = (g->op == FZ__OP_IN || g->op == FZ__OP_NIN) ? 1 + (uint32_t)g->arg : 1;
    if (next >= len) return 0;
    const fz__rules_ins *nx = &c[next];
    int to_end = nx->op == FZ__OP_END ||
                 (nx->op == FZ__OP_JZ && next + (uint32_t)nx->arg == len - 1 && c[next + nx->arg].op == FZ__OP_END);
    if (!to_end) return 0;
    uint64_t k = (uint64_t)g->k, MIN = (uint64_t)INT64_MIN, MAX = (uint64_t)INT64_MAX;
    e->var = g->var;
    switch (g->op) {
    case FZ__OP_EQ: e->lo = k, e->span = 0; return 1;
    case FZ__OP_NE: e->lo = k, e->span = 0, e->neg = 1; return 1;
    case FZ__OP_GE: e->lo = k, e->span = MAX - k; return 1;
    case FZ__OP_LE: e->lo = MIN, e->span = k - MIN; return 1;
    case FZ__OP_GT:
        if (g->k == INT64_MAX) return 0;
        e->lo = k + 1, e->span = MAX - (k + 1);
        return 1;
    case FZ__OP_LT:
        if (g->k == INT64_MIN) return 0;
        e->lo = MIN, e->span = (k - 1) - MIN;
        return 1;
    case FZ__OP_IN:
    case FZ__OP_NIN:
        for (int i = 1; i <= g->arg; i++) {
            if (g[i].k < 0 || g[i].k > 63) return 0;
            e->lo |= 1ull << g[i].k;
        }
        e->mask = 1;
        e->neg = g->op == FZ__OP_NIN;
        return 1;
    default: return 0;
    }
}

/* Order of entries by guard, then rule (so a group keeps rule order). */
static int guard_cmp(const void *a, const void *b) {
    const fz__rules_entry *x = a, *y = b;
    if (x->var != y->var) return x->var < y->var ? -1 : 1;
    if (x->mask != y->mask) return x->mask < y->mask ? -1 : 1;
    if (x->neg != y->neg) return x->neg < y->neg ? -1 : 1;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    if (x->span != y->span) return x->span < y->span ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static int same_guard(const fz__rules_entry *x, const fz__rules_entry *y) {
    return x->var == y->var && x->mask == y->mask && x->neg == y->neg && x->lo == y->lo && x->span == y->span;
}

/* Sort side s's entries by guard and make a group of each run. */
static int group_guards(fz_ruleset *rs, int s) {
    int n = rs->nside[s];
    if (n > 1) qsort(rs->ent[s], (size_t)n, sizeof *rs->ent[s], guard_cmp);
    rs->grp[s] = calloc((size_t)n + 1, sizeof *rs->grp[s]);
    if (!rs->grp[s]) return FZ_ENOMEM;
    rs->ngrp[s] = 0;
    for (int i = 0; i < n; i++) {
        const fz__rules_entry *e = &rs->ent[s][i];
        fz__rules_group *g = rs->ngrp[s] ? &rs->grp[s][rs->ngrp[s] - 1] : NULL;
        if (g && same_guard(&rs->ent[s][g->first], e)) {
            g->n++;
            continue;
        }
        g = &rs->grp[s][rs->ngrp[s]++];
        *g = (fz__rules_group){e->var, e->mask, e->neg, (uint32_t)i, 1, e->lo, e->span};
    }
    return 0;
}

int fz__rules_guards(fz_ruleset *rs) {
    for (int s = 0; s < 2; s++) {
        rs->ent[s] = calloc((size_t)rs->nside[s] + 1, sizeof *rs->ent[s]);
        if (!rs->ent[s]) return FZ_ENOMEM;
        for (int i = 0; i < rs->nside[s]; i++) {
            int r = rs->side[s][i];
            uint32_t end = r + 1 < rs->nrules ? rs->start[r + 1] : rs->ncode;
            fz__rules_entry *e = &rs->ent[s][i];
            e->rule = (uint16_t)r;
            if (guard_of(rs->code + rs->start[r], end - rs->start[r], e)) {
                const fz__rules_ins *g = rs->code + rs->start[r];
                /* past the guard (and an IN's values): END or a JZ not taken */
                e->start = rs->start[r] + 1 + ((g->op == FZ__OP_IN || g->op == FZ__OP_NIN) ? (uint32_t)g->arg : 0);
            } else { /* always passes; the program decides */
                memset(e, 0, sizeof *e);
                e->rule = (uint16_t)r;
                e->lo = (uint64_t)INT64_MIN;
                e->span = UINT64_MAX;
                e->start = rs->start[r];
            }
        }
        int rc = group_guards(rs, s);
        if (rc) return rc;
    }
    return 0;
}

/* Record that rule fired: hits keeps the first `max` in rule order, as if the
 * rules had been evaluated in that order (groups are evaluated by guard). */
static void record(uint16_t *hits, int fired, int max, uint16_t rule) {
    int n = fired < max ? fired : max;
    if (n == max && (max == 0 || rule > hits[max - 1])) return;
    int i = n == max ? max - 1 : n;
    while (i > 0 && hits[i - 1] > rule) {
        hits[i] = hits[i - 1];
        i--;
    }
    hits[i] = rule;
}

int fz_rules_eval(const fz_ruleset *rs, int side, fz_values *vals, uint16_t *hits, int max) {
    if (!rs || !vals || (side != FZ_SIDE_PAYER && side != FZ_SIDE_PAYEE)) return 0;
    const fz__rules_group *g = rs->grp[side], *gend = g + rs->ngrp[side];
    const fz__rules_entry *ent = rs->ent[side];
    const fz__rules_ins *code = rs->code;
    int fired = 0;
    for (; g < gend; g++) {
        uint64_t x = (uint64_t)val(vals, g->var);
        int pass = g->mask ? (x < 64 && ((g->lo >> (x & 63)) & 1)) : x - g->lo <= g->span;
        if (!(pass ^ g->neg)) continue;
        for (const fz__rules_entry *e = ent + g->first, *end = e + g->n; e < end; e++)
            if (run(code + e->start, vals, 1)) record(hits, fired++, max, e->rule);
    }
    return fired;
}
