/* fz_grades.c — see fz_grades.h. */
#include "fz_grades.h"

#include <string.h>
#include <strings.h>

#include "fz_lines.h"

int fz_grade_parse(const char *s, size_t n, int *grade) {
    static const char *const names[] = {"low", "medium", "high", "highest"};
    if (n == 1 && s[0] >= '0' && s[0] <= '3') {
        *grade = s[0] - '0';
        return 0;
    }
    for (int i = 0; i < 4; i++)
        if (strlen(names[i]) == n && strncasecmp(s, names[i], n) == 0) {
            *grade = i;
            return 0;
        }
    return FZ_EPARSE;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* [b, e) of s trimmed of blanks. */
static void trim(const char *s, size_t *b, size_t *e) {
    while (*b < *e && is_blank(s[*b])) (*b)++;
    while (*e > *b && is_blank(s[*e - 1])) (*e)--;
}

static int grade_line(void *ctx, char *text, long line, const char *path, fz_error *err) {
    size_t n = strlen(text), cb = 0, ce, gb, ge = n;
    const char *comma = memchr(text, ',', n);
    size_t b = 0, e = n;
    trim(text, &b, &e);
    if (b == e) return 0; /* blank or comment */
    if (!comma)
        return fz_error_set(err, FZ_EPARSE, path, line, 0, "grade", "expected \"customer,grade\"");
    ce = (size_t)(comma - text);
    gb = ce + 1;
    trim(text, &cb, &ce);
    trim(text, &gb, &ge);
    if (line == 1 && ce - cb == 8 && strncmp(text + cb, "customer", 8) == 0) return 0; /* header */
    if (cb == ce) return fz_error_set(err, FZ_EPARSE, path, line, 1, "customer", "empty");
    int grade;
    if (fz_grade_parse(text + gb, ge - gb, &grade))
        return fz_error_set(err, FZ_EPARSE, path, line, (int)gb + 1, "grade",
                            "'%.*s' is not 0-3, low, medium, high or highest", (int)(ge - gb), text + gb);
    int rc = fz_engine_set_grade(ctx, text + cb, ce - cb, grade);
    return rc ? fz_error_set(err, rc, path, line, 0, "customer", "%s", fz_strerror(rc)) : 0;
}

int fz_grades_load(fz_engine *e, const char *path, fz_error *err) {
    return fz_lines_each(path, grade_line, e, err);
}
