/* fz_idcheck.h — checking identity document numbers.
 *
 * A resident ID (居民身份证号码, GB 11643-1999) is 17 digits — a 6-digit
 * address code, the birth date YYYYMMDD, a 3-digit sequence (odd: male) —
 * and a check character: weights 2^(17-i) mod 11 over the first 17 digits,
 * the sum mod 11 picks "10X98765432". A unified social credit code
 * (统一社会信用代码, GB 32100-2015) is 18 characters of
 * "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z): registering
 * authority, entity type, a 6-digit division code, the 9-character
 * organisation code, and a check character: weights 3^i mod 31 over the
 * first 17, check = 31 - sum mod 31 (31 is 0).
 *
 * Each check returns 0, or FZ_EINVAL with a short English reason in why
 * (a static string) for the caller's "field: reason". */
#ifndef FZ_IDCHECK_H
#define FZ_IDCHECK_H

#include <stddef.h>
#include <stdint.h>

/* A resident ID of n bytes: 18 characters, digits but the last (a digit or
 * X, upper case), a real birth date not after today_day (days since
 * 1970-01-01, Asia/Shanghai; < 0: no upper bound) and the right check
 * character. */
int fz_idcheck_resident(const char *s, size_t n, int32_t today_day, const char **why);

/* The check character a resident ID's first 17 digits call for. */
char fz_idcheck_resident_char(const char *first17);

/* A unified social credit code of n bytes, with the right check character. */
int fz_idcheck_uscc(const char *s, size_t n, const char **why);

/* The check character a USCC's first 17 characters call for, or 0 when one
 * of them is outside the alphabet. */
char fz_idcheck_uscc_char(const char *first17);

/* Any other document (passport, permits, other): 4 to 32 characters of
 * A-Z, 0-9 and '-'. */
int fz_idcheck_other(const char *s, size_t n, const char **why);

/* Check s as an id of type id_type ("resident_id", "uscc", anything else
 * is fz_idcheck_other). */
int fz_idcheck(const char *id_type, const char *s, size_t n, int32_t today_day, const char **why);

/* The birth date of a valid resident ID as days since 1970-01-01. */
int32_t fz_idcheck_resident_birth(const char *s);

/* A date "YYYY-MM-DD" of n bytes (a real one) as days since 1970-01-01
 * into *day. Returns 0 or FZ_EINVAL. */
int fz_date_parse(const char *s, size_t n, int32_t *day);

#endif
