/* fz_schema.h — the named values a rule can read.
 *
 * The engine publishes a schema (which names exist, their types); the rule
 * compiler resolves every name in a rule to an index in it once, at load; at
 * run time the engine fills an int64 array indexed the same way for one side
 * of a transaction (the payer's or the payee's view) and the rule VM reads
 * it. Names and meanings are documented in docs/rules.md. */
#ifndef FZ_SCHEMA_H
#define FZ_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

/* Value types. Every value is carried as an int64:
 *   BOOL 0/1; INT a count; MONEY minor units (fen, or USD cents for *.usd);
 *   DURATION milliseconds; CHANNEL/KIND/PARTY the fz_txn.h enum values;
 *   CCY an fz_ccy; DIR 0 = out (self pays), 1 = in (self receives). */
typedef enum fz_vtype {
    FZ_VT_BOOL = 0,
    FZ_VT_INT,
    FZ_VT_MONEY,
    FZ_VT_DURATION,
    FZ_VT_CHANNEL,
    FZ_VT_KIND,
    FZ_VT_PARTY,
    FZ_VT_CCY,
    FZ_VT_DIR,
    FZ_VT__COUNT
} fz_vtype;

#define FZ_SCHEMA_MAX 160
#define FZ_VAR_NAME_MAX 40

typedef struct fz_var {
    char name[FZ_VAR_NAME_MAX]; /* "amount", "self.in.count_24h", "day.cash.cny" */
    uint8_t type;               /* fz_vtype */
    int64_t ceiling;            /* > 0: the value saturates here, so a rule may
                                   only compare it with constants below this */
} fz_var;

typedef struct fz_schema {
    int n;
    fz_var var[FZ_SCHEMA_MAX];
} fz_schema;

/* Append a variable. Returns its index, or FZ_EFULL / FZ_EINVAL (name too
 * long or already present). */
int fz_schema_add(fz_schema *s, const char *name, fz_vtype type, int64_t ceiling);

/* The index of name (n bytes) or -1. */
int fz_schema_find(const fz_schema *s, const char *name, size_t n);

/* Name of a value type ("money", "duration"...). */
const char *fz_vtype_name(unsigned t);

#endif
