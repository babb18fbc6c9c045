/* fz_kyc.h — customers and accounts (KYC basics): create, read, change and
 * list them, each field checked, each change audited with the fields'
 * values before and after.
 *
 * A record is a JSON object whose members are the table's columns
 * (docs/kyc.md lists them with their limits and checks): a customer has
 * id, kind, name, id_type, id_number (a resident ID's check digit and a
 * USCC's check character are verified), nationality, occupation, industry,
 * address, phone, birth_date, pep, channel, cdd, cash_intensive,
 * cross_border, agent, owners (beneficial owners and controllers), identity,
 * onboarded_ms, grade and data, and the grading's graded_ms, grade_score and
 * review_due_ms; an account has id, customer_id, class, opened_ms,
 * closed_ms and data; both also carry created_ms and updated_ms, which the
 * store sets. "data" is a free JSON object. A customer's grade is the
 * ML-risk grade the rules read as cust.grade and an account's class is
 * acct.class, so a change reaches the engine too.
 *
 * Every change of a customer is in its history (customer_history): create,
 * import, update (with the changes), reidentify (key identity data —
 * kind, name, id_type, id_number, nationality, birth_date — changed: the
 * customer's identity becomes "pending" and it is due for grading at once),
 * and the triggers grading counts (fz_review.h).
 *
 * Every error that is the caller's fault is FZ_EINVAL with err->field naming
 * the member; a record that exists already is FZ_EFULL (409), one that does
 * not is FZ_ENOTFOUND. */
#ifndef FZ_KYC_H
#define FZ_KYC_H

#include <jansson.h>

#include "fz_db.h"
#include "fz_engine.h"
#include "fz_http.h"

/* A new customer is graded within this many working days of onboarding. */
#define FZ_KYC_ONBOARD_WORKING_DAYS 10

typedef enum fz_kyc_kind { FZ_KYC_CUSTOMER, FZ_KYC_ACCOUNT } fz_kyc_kind;

/* Create a record from body (a JSON object; id required, other members
 * optional with their defaults) on behalf of who, auditing
 * "customer.create" / "account.create". engine (may be NULL) learns a
 * customer's grade. *out gets the record as stored. */
int fz_kyc_create(fz_db *db, fz_engine *engine, fz_kyc_kind kind, const fz_principal *who, const json_t *body,
                  json_t **out, fz_error *err);

/* The record id as a new JSON object, or FZ_ENOTFOUND. */
int fz_kyc_get(fz_db *db, fz_kyc_kind kind, const char *id, json_t **out, fz_error *err);

/* Check body as fz_kyc_create does and insert it inside the caller's
 * transaction, with a history entry "import" by actor but no audit entry
 * (the importer audits the whole file). FZ_EINVAL names the field, FZ_EFULL
 * is an id taken. */
int fz_kyc_insert(fz_db *db, fz_kyc_kind kind, const char *actor, const json_t *body, fz_error *err);

/* The JSON value of field name of kind written as text (a CSV cell of n
 * bytes): an integer field takes digits (a time field also any time
 * fz_time_parse reads), owners and data take JSON, the rest the text. The
 * value is not checked yet (fz_kyc_insert does). FZ_ENOTFOUND when kind
 * has no such field, FZ_EINVAL naming it when the text cannot be that
 * type. */
int fz_kyc_field_json(fz_kyc_kind kind, const char *name, const char *text, size_t n, json_t **v, fz_error *err);

/* Change the members body names (null clears an optional one; id cannot
 * change) and audit "customer.update" / "account.update" with
 * {"changes": {field: {"before", "after"}}} for each field whose value
 * changed. A body that changes nothing writes nothing. *out gets the record
 * after. A change of a customer's key identity data sets *reidentified
 * (may be NULL): the caller re-grades it (trigger identity_change). A
 * change of the grade by hand is in the grade history as trigger
 * "manual". */
int fz_kyc_update(fz_db *db, fz_engine *engine, fz_kyc_kind kind, const fz_principal *who, const char *id,
                  const json_t *body, json_t **out, int *reidentified, fz_error *err);

/* Append an entry to customer id's history (inside the caller's transaction,
 * if any): event and detail (borrowed, NULL for {}). Returns 0 or FZ_EIO. */
int fz_kyc_history_add(fz_db *db, const char *id, const char *actor, const char *event, const json_t *detail,
                       fz_error *err);

/* Customer id's history, newest first: {"items": [{id, at_ms, actor, event,
 * detail}], "total"}. FZ_ENOTFOUND for an unknown customer. */
int fz_kyc_history(fz_db *db, const char *id, json_t **out, fz_error *err);

/* One page of customers in id order: {"items": [...], "total": N (every
 * match), "limit", "offset"}, optionally only those whose name starts with
 * name_prefix (NULL: any) and those of grade (-1: any). */
int fz_kyc_list_customers(fz_db *db, const char *name_prefix, int grade, int64_t limit, int64_t offset,
                          json_t **out, fz_error *err);

/* Tell the engine every stored customer's grade, under its id and its
 * accounts' keys, and every account's class (at server start). */
int fz_kyc_load_grades(fz_db *db, fz_engine *engine, fz_error *err);

#endif
