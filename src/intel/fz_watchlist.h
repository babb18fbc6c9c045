/* fz_watchlist.h — the screening watch list (sanctions, police-designated
 * card sellers, internal blacklists): entries in the store, and an
 * in-memory set to screen many names and ID numbers fast.
 *
 * An entry names a person or entity by name, ID number or both. A name
 * matches after normalising (ASCII letters upper-cased; spaces, '.', ',',
 * '-' and the middle dot '·' dropped), an ID number exactly (upper-cased).
 * Fuzzy name screening is not done here. */
#ifndef FZ_WATCHLIST_H
#define FZ_WATCHLIST_H

#include <jansson.h>
#include <stdint.h>

#include "fz_db.h"
#include "fz_error.h"
#include "fz_http.h"

/* Add an entry on behalf of who (audited "watchlist.add"). name or
 * id_number may be NULL, not both; list names the source ("" allowed).
 * FZ_EINVAL names the field. Returns 0 with *id set. */
int fz_watchlist_add(fz_db *db, const fz_principal *who, const char *name, const char *id_number, const char *list,
                     const char *note, int64_t *id, fz_error *err);

/* Every entry as {"items": [...], "total": N}, oldest first. */
int fz_watchlist_list(fz_db *db, json_t **out, fz_error *err);

typedef struct fz_watchset fz_watchset;

/* The whole list from the store, in memory. */
int fz_watchset_load(fz_watchset **out, fz_db *db, fz_error *err);
void fz_watchset_free(fz_watchset *w);

/* Add one name and/or ID number (either may be NULL) to a set (tests,
 * files). Returns 0 or FZ_ENOMEM. */
int fz_watchset_add(fz_watchset *w, const char *name, const char *id_number);

/* An empty set. */
int fz_watchset_new(fz_watchset **out);

/* 1 if name or id_number (either may be NULL) is on the list. */
int fz_watchset_hit(const fz_watchset *w, const char *name, const char *id_number);

#endif
