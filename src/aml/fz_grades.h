/* fz_grades.h — customers' money-laundering risk grades from a file.
 *
 * Until Fanzha grades customers itself, a bank brings the grades its KYC
 * system gave: one "customer,grade" per line, grade 0-3 or low, medium,
 * high, highest; '#' starts a comment; a first line "customer,grade" is a
 * header. Rules read the grade as cust.grade (limits per grade). */
#ifndef FZ_GRADES_H
#define FZ_GRADES_H

#include "fz_engine.h"
#include "fz_error.h"

/* Parse a grade: "0".."3" or a name (any case). Returns 0 or FZ_EPARSE. */
int fz_grade_parse(const char *s, size_t n, int *grade);

/* Set the grades of path's customers in e. The first bad line stops the load
 * with "path:line:col: field: reason" (the grades before it are set).
 * Returns 0, FZ_EPARSE, FZ_EIO or FZ_ENOMEM. */
int fz_grades_load(fz_engine *e, const char *path, fz_error *err);

#endif
