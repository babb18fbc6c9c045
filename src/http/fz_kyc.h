/* fz_kyc.h — customers and accounts (KYC basics): create, read, change and
 * list them, each field checked, each change audited with the fields'
 * values before and after.
 *
 * A record is a JSON object whose members are the table's columns
 * (docs/api.md lists them with their limits): a customer has id, kind,
 * name, id_type, id_number, grade and data; an account has id, customer_id,
 * class, opened_ms, closed_ms and data; both also carry created_ms and
 * updated_ms, which the store sets. "data" is a free JSON object for the
 * fields issue 5 will name. A customer's grade is the ML-risk grade the
 * rules read as cust.grade, so a change reaches the engine too.
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

typedef enum fz_kyc_kind { FZ_KYC_CUSTOMER, FZ_KYC_ACCOUNT } fz_kyc_kind;

/* Create a record from body (a JSON object; id required, other members
 * optional with their defaults) on behalf of who, auditing
 * "customer.create" / "account.create". engine (may be NULL) learns a
 * customer's grade. *out gets the record as stored. */
int fz_kyc_create(fz_db *db, fz_engine *engine, fz_kyc_kind kind, const fz_principal *who, const json_t *body,
                  json_t **out, fz_error *err);

/* The record id as a new JSON object, or FZ_ENOTFOUND. */
int fz_kyc_get(fz_db *db, fz_kyc_kind kind, const char *id, json_t **out, fz_error *err);

/* Change the members body names (null clears an optional one; id cannot
 * change) and audit "customer.update" / "account.update" with
 * {"changes": {field: {"before", "after"}}} for each field whose value
 * changed. A body that changes nothing writes nothing. *out gets the record
 * after. */
int fz_kyc_update(fz_db *db, fz_engine *engine, fz_kyc_kind kind, const fz_principal *who, const char *id,
                  const json_t *body, json_t **out, fz_error *err);

/* Customers in id order after `after` (NULL: from the first), at most limit,
 * optionally only those whose name starts with name_prefix and those of
 * grade (-1: any), as a new JSON array. */
int fz_kyc_list_customers(fz_db *db, const char *name_prefix, int grade, const char *after, int limit,
                          json_t **out, fz_error *err);

/* Tell the engine every stored customer's grade (at server start). */
int fz_kyc_load_grades(fz_db *db, fz_engine *engine, fz_error *err);

#endif
