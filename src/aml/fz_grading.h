/* fz_grading.h — customers' money-laundering risk grading after
 * 银发〔2013〕2号 (DOMAIN.md §2, docs/kyc.md): the model, pure and in memory.
 *
 * Four factor groups — customer characteristics, geography, business and
 * products, industry and occupation — each of factors whose values carry
 * points 0..100. A group scores the weighted mean of its factors that apply
 * to the customer; the total is the weighted mean of the groups, 0..100,
 * and thresholds turn it into a grade 0 low, 1 medium, 2 high, 3 highest.
 * Four facts grade a customer highest directly, whatever the score: a
 * watch-list hit on the customer, a controller or a beneficial owner; a
 * foreign politically exposed person (or relative); repeated suspicious
 * transaction reports; refused due diligence. Weights, points, thresholds,
 * and the review interval of each grade come from a configuration file (rules/risk-grading.conf). */
#ifndef FZ_GRADING_H
#define FZ_GRADING_H

#include <stdint.h>

#include "fz_error.h"

enum { FZ_GRADE_LOW, FZ_GRADE_MEDIUM, FZ_GRADE_HIGH, FZ_GRADE_HIGHEST, FZ_NGRADES };
enum { FZ_GG_CUSTOMER, FZ_GG_GEOGRAPHY, FZ_GG_BUSINESS, FZ_GG_INDUSTRY, FZ_NGROUPS };

/* The direct-to-highest triggers, as bits of fz_grading_result.direct. */
enum {
    FZ_DIRECT_WATCHLIST = 1,   /* customer, controller or beneficial owner on the watch list */
    FZ_DIRECT_FOREIGN_PEP = 2, /* pep "foreign" or "foreign_relative" */
    FZ_DIRECT_REPEATED_STR = 4,/* at least direct.repeated_str suspicious reports */
    FZ_DIRECT_CDD_REFUSED = 8  /* cdd "refused" */
};

/* What grading looks at. Strings may be NULL (unknown). */
typedef struct fz_grading_subject {
    const char *kind;        /* "natural" or "entity" */
    const char *id_type, *id_number;
    const char *nationality; /* ISO 3166-1 code */
    const char *occupation;  /* natural persons */
    const char *industry;    /* entities (GB/T 4754 section letter or code) */
    const char *channel;     /* onboarding channel: counter, online, agent, other */
    const char *pep;         /* none, domestic, foreign, foreign_relative, intl_org */
    const char *cdd;         /* done, pending, refused */
    int32_t birth_day;       /* birth or founding date, days since 1970-01-01; INT32_MIN unknown */
    int cash_intensive, cross_border, agent; /* 0 or 1 */
    int owners;              /* beneficial owners and controllers on record */
    int watch_hits;          /* watch-list hits on the customer and its owners and controllers */
    int strs;                /* suspicious transaction reports on record */
    int alerts;              /* alerts on the customer's accounts in the look-back */
    int cases;               /* confirmed cases (closed as fraud) on its accounts */
    int media, judicial;     /* adverse media reports, judicial inquiries on record */
} fz_grading_subject;

/* Clear s to "nothing known" (birth_day INT32_MIN, the rest 0/NULL). */
void fz_grading_subject_init(fz_grading_subject *s);

#define FZ_GRADING_MAX_REASONS 8

/* One reason: a direct trigger (points -1, factor "direct.<name>") or a
 * factor that scored (factor "group.factor", its value and points). */
typedef struct fz_grading_reason {
    char factor[40];
    char value[40];
    int points;
} fz_grading_reason;

/* A factor is a reason when its value scores at least this many points. */
#define FZ_GRADING_REASON_POINTS 50

/* The direct triggers and the factors that scored at least
 * FZ_GRADING_REASON_POINTS, most points first, at most
 * FZ_GRADING_MAX_REASONS. */
typedef struct fz_grading_result {
    int grade;               /* FZ_GRADE_* */
    int score;               /* 0..100 */
    int group[FZ_NGROUPS];   /* each group's score 0..100, -1 when no factor applied */
    unsigned direct;         /* FZ_DIRECT_* bits */
    int nreasons;
    fz_grading_reason reason[FZ_GRADING_MAX_REASONS]; /* direct triggers first, then factors by points */
} fz_grading_result;

typedef struct fz_grading fz_grading;

/* Load a configuration file. Errors name "path:line: field: reason" (an
 * unknown key, a value out of range, thresholds out of order, review
 * intervals that break the 6-month / 2x rule). Returns 0, FZ_EPARSE,
 * FZ_EINVAL, FZ_EIO or FZ_ENOMEM. */
int fz_grading_load(fz_grading **out, const char *path, fz_error *err);

/* The same from text in memory (name is used in errors). */
int fz_grading_load_mem(fz_grading **out, const char *name, const char *text, fz_error *err);
void fz_grading_free(fz_grading *g);

/* Grade s as of today_day (days since 1970-01-01, Asia/Shanghai; ages are
 * reckoned from it). Pure: no I/O, no allocation. */
void fz_grading_grade(const fz_grading *g, const fz_grading_subject *s, int32_t today_day, fz_grading_result *r);

/* Months between reviews of a customer of grade (config review.*). */
int fz_grading_review_months(const fz_grading *g, int grade);

/* When a customer graded at now_ms, of grade, is next due: now plus the
 * grade's review interval in calendar months (Asia/Shanghai; the 31st
 * becomes the month's last day). */
int64_t fz_grading_next_review(const fz_grading *g, int grade, int64_t now_ms);

/* Days back that alerts count for (behaviour.lookback_days). */
int fz_grading_lookback_days(const fz_grading *g);

/* The grade's name: low, medium, high, highest. */
const char *fz_grading_grade_name(int grade);

/* The name of one direct trigger bit: watchlist, foreign_pep,
 * repeated_str, cdd_refused. */
const char *fz_grading_direct_name(unsigned bit);

/* The points a factor ("group.factor") gives value (its "*" entry when value
 * has none, 0 when neither), for tests and the naive benchmark baseline. */
int fz_grading_points(const fz_grading *g, const char *factor, const char *value);

#endif
