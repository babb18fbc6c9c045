/* fz_idcheck.c — see fz_idcheck.h. */
#include "fz_idcheck.h"

#include <string.h>

#include "fz_error.h"
#include "fz_time.h"

static const char USCC_ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int fail(const char **why, const char *msg) {
    if (why) *why = msg;
    return FZ_EINVAL;
}

static int all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* Days of the civil date of 8 digits YYYYMMDD, or INT32_MIN when not real. */
static int32_t ymd_day(const char *s, size_t year_len, int sep) {
    int64_t y = 0;
    unsigned m, d;
    for (size_t i = 0; i < year_len; i++) y = y * 10 + (s[i] - '0');
    const char *p = s + year_len + sep;
    m = (unsigned)((p[0] - '0') * 10 + (p[1] - '0'));
    p += 2 + sep;
    d = (unsigned)((p[0] - '0') * 10 + (p[1] - '0'));
    if (y < 1800 || m < 1 || m > 12 || d < 1 || d > 31) return INT32_MIN;
    int64_t day = fz_days_from_civil(y, m, d);
    int64_t ry;
    unsigned rm, rd;
    fz_civil_from_days(day, &ry, &rm, &rd);
    return ry == y && rm == m && rd == d ? (int32_t)day : INT32_MIN;
}

char fz_idcheck_resident_char(const char *first17) {
    static const char map[] = "10X98765432";
    unsigned sum = 0, w = 1;
    for (int i = 16; i >= 0; i--) { /* weight 2^(17-i) mod 11, i from the right */
        w = (w * 2) % 11;
        sum += (unsigned)(first17[i] - '0') * w;
    }
    return map[sum % 11];
}

int32_t fz_idcheck_resident_birth(const char *s) { return ymd_day(s + 6, 4, 0); }

int fz_idcheck_resident(const char *s, size_t n, int32_t today_day, const char **why) {
    if (n != 18) return fail(why, "a resident ID has 18 characters");
    if (!all_digits(s, 17) || !((s[17] >= '0' && s[17] <= '9') || s[17] == 'X'))
        return fail(why, "a resident ID is 17 digits and a digit or X");
    int32_t birth = fz_idcheck_resident_birth(s);
    if (birth == INT32_MIN || (today_day >= 0 && birth > today_day))
        return fail(why, "the birth date in the resident ID is not a real past date");
    if (fz_idcheck_resident_char(s) != s[17]) return fail(why, "the check character is wrong (GB 11643)");
    return 0;
}

static int uscc_value(char c) {
    const char *p = c ? strchr(USCC_ALPHABET, c) : NULL;
    return p ? (int)(p - USCC_ALPHABET) : -1;
}

char fz_idcheck_uscc_char(const char *first17) {
    unsigned sum = 0, w = 1;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(first17[i]);
        if (v < 0) return 0;
        sum += (unsigned)v * w;
        w = (w * 3) % 31;
    }
    return USCC_ALPHABET[(31 - sum % 31) % 31];
}

int fz_idcheck_uscc(const char *s, size_t n, const char **why) {
    if (n != 18) return fail(why, "a unified social credit code has 18 characters");
    for (size_t i = 0; i < n; i++)
        if (uscc_value(s[i]) < 0) return fail(why, "a unified social credit code is 0-9 and A-Y without I, O, S, V, Z");
    if (!all_digits(s + 2, 6)) return fail(why, "characters 3 to 8 of a unified social credit code are digits");
    if (fz_idcheck_uscc_char(s) != s[17]) return fail(why, "the check character is wrong (GB 32100)");
    return 0;
}

int fz_idcheck_other(const char *s, size_t n, const char **why) {
    if (n < 4 || n > 32) return fail(why, "must have 4 to 32 characters");
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return fail(why, "must be A-Z, 0-9 and '-'");
    return 0;
}

int fz_idcheck(const char *id_type, const char *s, size_t n, int32_t today_day, const char **why) {
    if (!strcmp(id_type, "resident_id")) return fz_idcheck_resident(s, n, today_day, why);
    if (!strcmp(id_type, "uscc")) return fz_idcheck_uscc(s, n, why);
    return fz_idcheck_other(s, n, why);
}

int fz_date_parse(const char *s, size_t n, int32_t *day) {
    if (n != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2) ||
        !all_digits(s + 8, 2))
        return FZ_EINVAL;
    int32_t d = ymd_day(s, 4, 1);
    if (d == INT32_MIN) return FZ_EINVAL;
    *day = d;
    return 0;
}
