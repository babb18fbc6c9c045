/* fz_db_int.h — internal to src/store: the schema steps fz_db_open applies.
 * Step i (0-based) takes a file from version i to version i + 1. */
#ifndef FZ_DB_INT_H
#define FZ_DB_INT_H

#include "fz_db.h"

extern const char *const fz__db_steps[];
extern const int fz__db_nsteps;

#endif
