/* fz_jsonw.h — the few pieces of JSON writing the hot writers need.
 *
 * Alerts and records are written at hundreds of thousands per second, where
 * building a jansson tree per line would cost more than scoring; these write
 * straight to a FILE. */
#ifndef FZ_JSONW_H
#define FZ_JSONW_H

#include <stddef.h>
#include <stdio.h>

/* Write s (n bytes of UTF-8) as a quoted JSON string, escaping quotes,
 * backslashes and control characters. */
void fz_jsonw_str(FILE *f, const char *s, size_t n);

/* Write s (n bytes) as one CSV field, quoted when it holds a comma, quote,
 * CR or LF (RFC 4180). */
void fz_csvw_field(FILE *f, const char *s, size_t n);

#endif
