/* fz_acctkyc.h — internal to the engine: what KYC tells it about accounts.
 *
 * An account's class (Ⅰ/Ⅱ/Ⅲ类户, 银发〔2016〕261号) and, for class II and III
 * accounts, their outflow in the current Asia/Shanghai calendar year, so
 * rules can enforce the classes' day and year limits (rules/limits.rules).
 * A side table by dense account id, apart from the per-account blocks:
 * empty until a class is set, and an account beyond it is class I. */
#ifndef FZ_ACCTKYC_H
#define FZ_ACCTKYC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fz_error.h"
#include "fz_time.h"

typedef struct fz_acct_kyc {
    int64_t out_day;  /* fen (CNY equivalent) paid out on day */
    int64_t out_year; /* and in year */
    int32_t day, year;
    uint8_t cls;      /* 1..3; 0: not set (class I) */
} fz_acct_kyc;

typedef struct fz_acct_kycs {
    fz_acct_kyc *a;
    size_t cap;
} fz_acct_kycs;

/* Set account id's class (1..3). Returns 0 or FZ_ENOMEM. */
static inline int fz_acct_kyc_set(fz_acct_kycs *k, size_t id, int cls) {
    if (id >= k->cap) {
        size_t cap = k->cap ? k->cap : 1024;
        while (cap <= id) cap *= 2;
        fz_acct_kyc *a = realloc(k->a, cap * sizeof *a);
        if (!a) return FZ_ENOMEM;
        memset(a + k->cap, 0, (cap - k->cap) * sizeof *a);
        k->a = a;
        k->cap = cap;
    }
    k->a[id].cls = (uint8_t)cls;
    return 0;
}

static inline int fz_acct_kyc_class(const fz_acct_kycs *k, int64_t id) {
    return id >= 0 && (size_t)id < k->cap && k->a[id].cls ? k->a[id].cls : 1;
}

/* The Asia/Shanghai calendar year of t. */
static inline int32_t fz_acct_kyc_year(int64_t t) {
    int64_t y;
    unsigned m, d;
    fz_civil_from_days(fz_time_cn_day(t), &y, &m, &d);
    return (int32_t)y;
}

/* Count amount paid out at t by a class II or III account. */
static inline void fz_acct_kyc_add_out(fz_acct_kycs *k, int64_t id, int64_t t, int64_t amount) {
    if (id < 0 || (size_t)id >= k->cap || k->a[id].cls < 2) return;
    fz_acct_kyc *a = &k->a[id];
    int32_t d = fz_time_cn_day(t);
    if (a->day != d) {
        int32_t y = fz_acct_kyc_year(t);
        if (a->year != y) a->year = y, a->out_year = 0;
        a->day = d, a->out_day = 0;
    }
    a->out_day += amount;
    a->out_year += amount;
}

/* Today's (year 0) or this year's (year 1) outflow of account id as of t;
 * 0 for class I. */
static inline int64_t fz_acct_kyc_out(const fz_acct_kycs *k, int64_t id, int64_t t, int year) {
    if (id < 0 || (size_t)id >= k->cap || k->a[id].cls < 2) return 0;
    const fz_acct_kyc *a = &k->a[id];
    if (!year) return a->day == fz_time_cn_day(t) ? a->out_day : 0;
    return a->year == fz_acct_kyc_year(t) ? a->out_year : 0;
}

#endif
