/* fz_review.h — grading the customers in the store (docs/kyc.md): one on a
 * trigger, all of them (or those due) in one pass, the due list, the grade
 * history, and telling the engine.
 *
 * Grading reads the facts fz_grading.h names from the store: the customer's
 * fields, its owners and controllers, watch-list hits on any of them,
 * suspicious reports (those filed through Fanzha naming it as a subject,
 * fz_strdb.h, plus those recorded as the trigger "str", e.g. filed before
 * Fanzha), adverse media and judicial inquiries recorded as triggers in
 * customer_history, alerts on its accounts in the look-back and cases on
 * them closed as fraud. Each grading sets the customer's grade, score, graded_ms and
 * review_due_ms (now plus the grade's review interval), appends a
 * grade_history entry with the trigger and reasons, and audits. */
#ifndef FZ_REVIEW_H
#define FZ_REVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "fz_db.h"
#include "fz_engine.h"
#include "fz_grading.h"
#include "fz_http.h"

/* One grade_history entry. */
typedef struct fz_review_entry {
    const char *customer, *actor;
    const char *trigger;     /* see fz_review_trigger_ok */
    int prev_grade;          /* -1: never graded */
    int grade, score;
    int64_t at_ms, next_review_ms;
    const char *reasons;     /* a JSON array as text */
} fz_review_entry;

/* Append e to grade_history (inside the caller's transaction, if any).
 * Returns 0 or FZ_EIO. */
int fz_review_record(fz_db *db, const fz_review_entry *e, fz_error *err);

/* 1 if t is a trigger a request may name: onboarding (a new customer),
 * review (the periodic re-review),
 * identity_change, judicial (a judicial inquiry), media (adverse media),
 * str (a suspicious transaction report filed), alerts, case (behaviour
 * the engine saw). judicial, media and str are recorded in the customer's
 * history and count from then on. */
int fz_review_trigger_ok(const char *t);

/* Record trigger (with note, may be NULL) and grade customer id now on
 * behalf of who, auditing "customer.regrade"; engine (may be NULL) learns
 * the grade. *out gets the grade_history entry made. FZ_EINVAL names
 * "trigger"; FZ_ENOTFOUND for an unknown customer. */
int fz_review_customer(fz_db *db, fz_engine *engine, const fz_grading *g, const fz_principal *who, const char *id,
                       const char *trigger, const char *note, json_t **out, fz_error *err);

typedef struct fz_review_stats {
    int64_t graded;                /* customers graded */
    int64_t changed;               /* whose grade changed */
    int64_t by_grade[FZ_NGRADES];  /* how many now have each grade */
    int64_t direct;                /* graded highest by a direct trigger */
} fz_review_stats;

/* Grade every customer (due_only: those with review_due_ms <= now_ms) in
 * one transaction as of now_ms, trigger "review" (or "onboarding" for a
 * customer never graded), with one audit entry "customers.grade". */
int fz_review_all(fz_db *db, fz_engine *engine, const fz_grading *g, const fz_principal *who, int due_only,
                  int64_t now_ms, fz_review_stats *st, fz_error *err);

/* The due list: customers whose review_due_ms <= until_ms, soonest first,
 * as {"items": [{id, name, kind, grade, graded_ms, review_due_ms, identity,
 * why}], "total", "limit", "offset"}; why is "reidentify" (key identity
 * data changed), "onboarding" (never graded: due within 10 working days of
 * onboarding) or "review" (the grade's interval is up). */
int fz_review_due(fz_db *db, int64_t until_ms, int64_t limit, int64_t offset, json_t **out, fz_error *err);

/* A customer's grade history, newest first, as {"items": [...], "total"}.
 * FZ_ENOTFOUND for an unknown customer. */
int fz_review_history(fz_db *db, const char *id, json_t **out, fz_error *err);

/* Tell engine customer's grade: under its id and under each of its
 * accounts' keys (transactions that name no customer are graded by their
 * account). */
int fz_review_tell_engine(fz_db *db, fz_engine *engine, const char *customer, int grade, fz_error *err);

#endif
