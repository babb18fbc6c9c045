/* fz_exempt.c — see fz_exempt.h. Rules are few: a linear match. */
#include "fz_exempt.h"

#include <stdlib.h>
#include <string.h>

#include "fz_rules.h"

enum { EX_ACCOUNT, EX_CUSTOMER, EX_SAME };

typedef struct ex_rule {
    int category, what;
    char *value;
    uint32_t n;
} ex_rule;

struct fz_exempt {
    ex_rule *r;
    size_t n;
};

void fz_exempt_free(fz_exempt *x) {
    if (!x) return;
    for (size_t i = 0; i < x->n; i++) free(x->r[i].value);
    free(x->r);
    free(x);
}

static int eq(fz_str s, const ex_rule *r) { return s.n == r->n && s.n && !memcmp(s.p, r->value, s.n); }

int fz_exempt_match(const fz_exempt *x, const fz_txn *t) {
    for (size_t i = 0; i < x->n; i++) {
        const ex_rule *r = &x->r[i];
        int hit = r->what == EX_ACCOUNT    ? eq(t->payer_acct, r) || eq(t->payee_acct, r)
                  : r->what == EX_CUSTOMER ? eq(t->payer_cust, r) || eq(t->payee_cust, r)
                                           : t->payer_cust.n && fz_str_eq(t->payer_cust, t->payee_cust);
        if (hit) return r->category;
    }
    return 0;
}

int fz_exempt_apply(const fz_exempt *x, fz_txn *t) {
    int c = fz_exempt_match(x, t);
    if (c) t->flags |= FZ_TXN_EXEMPT;
    return c;
}

static int add_rule(fz_exempt *x, int category, int what, const char *v, fz_error *err, const char *path, long line) {
    ex_rule *r = realloc(x->r, (x->n + 1) * sizeof *r);
    if (!r) return fz_error_set(err, FZ_ENOMEM, path, line, 0, NULL, "out of memory");
    x->r = r;
    char *copy = strdup(v ? v : "");
    if (!copy) return fz_error_set(err, FZ_ENOMEM, path, line, 0, NULL, "out of memory");
    x->r[x->n++] = (ex_rule){category, what, copy, (uint32_t)strlen(copy)};
    return 0;
}

static int parse_line(fz_exempt *x, char *s, const char *path, long line, fz_error *err) {
    char *hash = strchr(s, '#');
    if (hash) *hash = '\0';
    char *save, *cat = strtok_r(s, " \t\r\n", &save);
    if (!cat) return 0;
    char *what = strtok_r(NULL, " \t\r\n", &save), *value = strtok_r(NULL, " \t\r\n", &save);
    if (cat[0] < '1' || cat[0] > '9' || cat[1])
        return fz_error_set(err, FZ_EPARSE, path, line, 0, "category", "'%s' is not an exemption number 1-9", cat);
    int w = !what ? -1 : !strcmp(what, "account") ? EX_ACCOUNT : !strcmp(what, "customer") ? EX_CUSTOMER
                     : !strcmp(what, "same-customer") ? EX_SAME : -1;
    if (w < 0) return fz_error_set(err, FZ_EPARSE, path, line, 0, "match", "want account, customer or same-customer");
    if ((w == EX_SAME) != !value)
        return fz_error_set(err, FZ_EPARSE, path, line, 0, "value", w == EX_SAME ? "same-customer takes no value" : "missing");
    if (strtok_r(NULL, " \t\r\n", &save)) return fz_error_set(err, FZ_EPARSE, path, line, 0, "value", "one value only");
    return add_rule(x, cat[0] - '0', w, value, err, path, line);
}

/* Reads the whole file (no line-length limit); a NUL byte is an error. */
int fz_exempt_load(fz_exempt **out, const char *path, fz_error *err) {
    char *text, *t;
    size_t n;
    int rc = fz_rules_read_file(path, &text, &n, err);
    if (rc) return rc;
    fz_exempt *x = calloc(1, sizeof *x);
    if (!x || !(t = realloc(text, n + 1))) rc = fz_error_set(err, FZ_ENOMEM, path, 0, 0, NULL, "out of memory");
    else text = t; /* room for the last line's terminator */
    long line = 0;
    for (char *p = text, *end = text + n; !rc && p < end; p++) {
        char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        *e = '\0';
        line++;
        if (strlen(p) != (size_t)(e - p)) rc = fz_error_set(err, FZ_EPARSE, path, line, 0, NULL, "NUL byte");
        else rc = parse_line(x, p, path, line, err);
        p = e;
    }
    free(text);
    if (rc) {
        fz_exempt_free(x);
        return rc;
    }
    *out = x;
    return 0;
}
