/* fz_routes_admin.c — the routes of tokens, rule sets, customers and
 * accounts (docs/api.md, "Administration"). Each handler reads the request,
 * calls the module that does the work (fz_tokens, fz_rulebook, fz_kyc) and
 * turns its answer or error into the response. */
#include <stdio.h>
#include <string.h>

#include "fz_app.h"
#include "fz_casedb.h"
#include "fz_kyc.h"
#include "fz_review.h"
#include "fz_routes.h"
#include "fz_rulebook.h"
#include "fz_tokens.h"

#define MAX_NOTE 500

/* The body as a JSON object, or a 400 in rs (then NULL). */
static const json_t *body_object(fz_req *rq, fz_resp *rs) {
    if (json_is_object(rq->json)) return rq->json;
    fz_resp_error(rs, 400, NULL, "the body must be a JSON object");
    return NULL;
}

/* The route's ":id" as a positive integer. */
static int param_id(const fz_req *rq, int64_t *id, fz_error *err) { return fz_req_path_id(rq, 0, "id", id, err); }

/* A whole list (not paged) in the shape of every list: items and total. */
static json_t *items(json_t *a) {
    return json_pack("{s:o, s:I}", "items", a, "total", (json_int_t)json_array_size(a));
}

/* ---- tokens -------------------------------------------------------------- */

static int token_create(fz_req *rq, fz_resp *rs) {
    const json_t *b = body_object(rq, rs);
    if (!b) return 0;
    const char *role_s, *name;
    fz_error err;
    int rc = fz_json_str(b, "role", 1, 16, &role_s, &err);
    if (!rc) rc = fz_json_str(b, "name", 0, 63, &name, &err);
    int role = rc ? 0 : fz_role_parse(role_s);
    if (!rc && !role)
        rc =
            fz_error_set(&err, FZ_EINVAL, NULL, 0, 0, "role", "must be ingest, analyst, supervisor or admin");
    char token[FZ_TOKEN_LEN + 1];
    int64_t id = 0;
    if (!rc)
        rc = fz_tokens_create(rq->app->auth, rq->app->db, &rq->who, role, name ? name : role_s, token, &id,
                              &err);
    json_t *out = rc ? NULL
                     : json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "token", token, "role", role_s,
                                 "name", name ? name : role_s);
    return fz_resp_reply(rs, rc, 201, out, &err);
}

static int token_list(fz_req *rq, fz_resp *rs) {
    json_t *a;
    fz_error err;
    int rc = fz_tokens_list(rq->app->db, &a, &err);
    return fz_resp_reply(rs, rc, 200, rc ? NULL : items(a), &err);
}

static int token_revoke(fz_req *rq, fz_resp *rs) {
    int64_t id = 0;
    fz_error err;
    int rc = param_id(rq, &id, &err);
    if (!rc) rc = fz_tokens_revoke(rq->app->auth, rq->app->db, &rq->who, id, &err);
    json_t *out = rc ? NULL : json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1);
    return fz_resp_reply(rs, rc, 200, out, &err);
}

/* ---- rule sets ----------------------------------------------------------- */

static json_t *rule_json(const fz_rule_info *r) {
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:{s:s, s:s}}", "id", r->id, "pack", r->pack, "action",
                  fz_rules_action_name(r->action), "on", fz_rules_on_name(r->on), "score", (int)r->score,
                  "priority", (int)r->priority, "reason", "zh", r->reason_zh, "en", r->reason_en);
    if (o && r->typology[0]) json_object_set_new(o, "typology", json_string(r->typology));
    if (o && r->crcd) json_object_set_new(o, "crcd", json_sprintf("%04u", (unsigned)r->crcd));
    return o;
}

static int rules_active(fz_req *rq, fz_resp *rs) {
    int64_t id = 0;
    const fz_ruleset *set = fz_rulebook_active(rq->app->rules, &id);
    json_t *rules = json_array();
    for (int i = 0; rules && i < fz_rules_count(set); i++)
        json_array_append_new(rules, rule_json(fz_rules_info(set, i)));
    return fz_resp_json(
        rs, 200,
        json_pack("{s:I, s:s, s:o}", "id", (json_int_t)id, "version", fz_rules_version(set), "rules", rules));
}

static int rules_versions(fz_req *rq, fz_resp *rs) {
    json_t *a;
    fz_error err;
    int rc = fz_rulebook_list(rq->app->rules, &a, &err);
    return fz_resp_reply(rs, rc, 200, rc ? NULL : items(a), &err);
}

static int rules_version(fz_req *rq, fz_resp *rs) {
    int64_t id = 0;
    json_t *v = NULL;
    fz_error err;
    int rc = param_id(rq, &id, &err);
    if (!rc) rc = fz_rulebook_get(rq->app->rules, id, &v, &err);
    return fz_resp_reply(rs, rc, 200, v, &err);
}

/* body.packs[i].member, a string; err names "packs[i].member". */
static int pack_member(const json_t *p, int i, const char *member, size_t max, const char **out,
                       fz_error *err) {
    int rc = fz_json_str(p, member, 1, max, out, err);
    if (rc) snprintf(err->field, sizeof err->field, "packs[%d].%s", i, member);
    return rc;
}

static int packs_of_body(const json_t *b, fz_rules_src *packs, int *n, fz_error *err) {
    json_t *a = json_object_get(b, "packs");
    if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > FZ_RULEBOOK_MAX_PACKS)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "packs", "must be a list of 1 to %d {name, text}",
                            FZ_RULEBOOK_MAX_PACKS);
    *n = (int)json_array_size(a);
    for (int i = 0; i < *n; i++) {
        json_t *p = json_array_get(a, (size_t)i);
        int rc = pack_member(p, i, "name", FZ_RULEBOOK_MAX_NAME - 1, &packs[i].name, err);
        if (!rc) rc = pack_member(p, i, "text", FZ_RULEBOOK_MAX_TEXT, &packs[i].text, err);
        if (rc) return rc;
        packs[i].len = json_string_length(json_object_get(p, "text"));
    }
    return 0;
}

/* A compile error also says where, for an editor to point at it. */
static int rules_error(fz_resp *rs, const fz_error *err) {
    fz_resp_from_error(rs, err);
    json_t *e = json_object_get(rs->json, "error");
    if (err->file[0] && err->line) {
        json_object_set_new(e, "pack", json_string(err->file));
        json_object_set_new(e, "line", json_integer(err->line));
        json_object_set_new(e, "col", json_integer(err->col));
    }
    return 0;
}

static int rules_upload(fz_req *rq, fz_resp *rs) {
    const json_t *b = body_object(rq, rs);
    if (!b) return 0;
    fz_rules_src packs[FZ_RULEBOOK_MAX_PACKS];
    int n = 0;
    const char *note = NULL;
    int64_t id = 0;
    fz_error err;
    int rc = packs_of_body(b, packs, &n, &err);
    if (!rc) rc = fz_json_str(b, "note", 0, MAX_NOTE, &note, &err);
    if (!rc) rc = fz_rulebook_upload(rq->app->rules, &rq->who, packs, n, note, &id, &err);
    if (rc) return rules_error(rs, &err);
    const fz_ruleset *set = fz_rulebook_active(rq->app->rules, NULL);
    return fz_resp_json(rs, 201,
                        json_pack("{s:I, s:s, s:i}", "id", (json_int_t)id, "version", fz_rules_version(set),
                                  "rules", fz_rules_count(set)));
}

static int rules_activate(fz_req *rq, fz_resp *rs) {
    int64_t id = 0;
    fz_error err;
    int rc = param_id(rq, &id, &err);
    if (!rc) rc = fz_rulebook_activate(rq->app->rules, &rq->who, id, &err);
    if (rc) return rules_error(rs, &err);
    return fz_resp_json(rs, 200,
                        json_pack("{s:I, s:s}", "id", (json_int_t)id, "version",
                                  fz_rules_version(fz_rulebook_active(rq->app->rules, NULL))));
}

/* ---- customers and accounts ---------------------------------------------- */

/* Grade a customer the request just created or re-identified (when the
 * server has a grading model), and answer the record as it then is. */
static int grade_now(fz_req *rq, fz_resp *rs, int status, json_t *rec, const char *trigger) {
    const char *id = json_string_value(json_object_get(rec, "id"));
    json_t *entry = NULL, *after = NULL;
    fz_error err;
    int rc = fz_review_customer(rq->app->db, rq->app->engine, rq->app->grading, &rq->who, id, trigger, NULL, &entry,
                                &err);
    if (!rc) rc = fz_kyc_get(rq->app->db, FZ_KYC_CUSTOMER, id, &after, &err);
    json_decref(entry);
    json_decref(rec);
    return fz_resp_reply(rs, rc, status, after, &err);
}

static int kyc_create(fz_req *rq, fz_resp *rs, fz_kyc_kind kind) {
    const json_t *b = body_object(rq, rs);
    if (!b) return 0;
    json_t *rec;
    fz_error err;
    int rc = fz_kyc_create(rq->app->db, rq->app->engine, kind, &rq->who, b, &rec, &err);
    if (!rc && kind == FZ_KYC_CUSTOMER && rq->app->grading) return grade_now(rq, rs, 201, rec, "onboarding");
    return fz_resp_reply(rs, rc, 201, rec, &err);
}

static int kyc_get(fz_req *rq, fz_resp *rs, fz_kyc_kind kind) {
    json_t *rec;
    fz_error err;
    int rc = fz_kyc_get(rq->app->db, kind, rq->param[0], &rec, &err);
    return fz_resp_reply(rs, rc, 200, rec, &err);
}

static int kyc_update(fz_req *rq, fz_resp *rs, fz_kyc_kind kind) {
    const json_t *b = body_object(rq, rs);
    if (!b) return 0;
    json_t *rec;
    fz_error err;
    int reid = 0;
    int rc = fz_kyc_update(rq->app->db, rq->app->engine, kind, &rq->who, rq->param[0], b, &rec, &reid, &err);
    if (!rc && reid && rq->app->grading) return grade_now(rq, rs, 200, rec, "identity_change");
    return fz_resp_reply(rs, rc, 200, rec, &err);
}

static int customer_create(fz_req *rq, fz_resp *rs) { return kyc_create(rq, rs, FZ_KYC_CUSTOMER); }
static int customer_get(fz_req *rq, fz_resp *rs) { return kyc_get(rq, rs, FZ_KYC_CUSTOMER); }
static int customer_update(fz_req *rq, fz_resp *rs) { return kyc_update(rq, rs, FZ_KYC_CUSTOMER); }
static int account_create(fz_req *rq, fz_resp *rs) { return kyc_create(rq, rs, FZ_KYC_ACCOUNT); }
static int account_get(fz_req *rq, fz_resp *rs) { return kyc_get(rq, rs, FZ_KYC_ACCOUNT); }
static int account_update(fz_req *rq, fz_resp *rs) { return kyc_update(rq, rs, FZ_KYC_ACCOUNT); }

static int customer_list(fz_req *rq, fz_resp *rs) {
    int64_t grade, limit, offset;
    json_t *page = NULL;
    fz_error err;
    int rc = fz_req_query_int(rq, "grade", -1, 0, 3, &grade, &err);
    if (!rc) rc = fz_req_query_int(rq, "limit", FZ_PAGE_DEFAULT, 1, FZ_PAGE_MAX, &limit, &err);
    if (!rc) rc = fz_req_query_int(rq, "offset", 0, 0, INT64_MAX, &offset, &err);
    if (!rc)
        rc = fz_kyc_list_customers(rq->app->db, fz_req_query(rq, "name"), (int)grade, limit, offset, &page,
                                   &err);
    return fz_resp_reply(rs, rc, 200, page, &err);
}

/* Who the caller's token belongs to: the web UI shows only the actions the
 * role may take. */
static int me(fz_req *rq, fz_resp *rs) {
    return fz_resp_json(rs, 200, json_pack("{s:I,s:s,s:s}", "token_id", (json_int_t)rq->who.token_id, "name",
                                           rq->who.name, "role", fz_role_name(rq->who.role)));
}

const fz_route fz_routes_admin[] = {
    {"GET", "/v1/me", FZ_ROLES_ANY, me, "the caller's token name and role", 0},
    {"POST", "/v1/tokens", FZ_ROLE_ADMIN, token_create, "make an API token (shown once)", 0},
    {"GET", "/v1/tokens", FZ_ROLE_ADMIN, token_list, "list API tokens (never their secrets)", 0},
    {"POST", "/v1/tokens/:id/revoke", FZ_ROLE_ADMIN, token_revoke, "revoke an API token", 0},
    {"GET", "/v1/rules", FZ_ROLES_STAFF, rules_active, "the active rule set and its rules", 0},
    {"GET", "/v1/rules/versions", FZ_ROLES_STAFF, rules_versions, "every rule-set version", 0},
    {"GET", "/v1/rules/versions/:id", FZ_ROLES_STAFF, rules_version, "one rule-set version with its packs", 0},
    {"POST", "/v1/rules", FZ_ROLES_SENIOR, rules_upload, "upload rule packs as a new active version", 0},
    {"POST", "/v1/rules/versions/:id/activate", FZ_ROLES_SENIOR, rules_activate,
     "make a version active again", 0},
    {"POST", "/v1/customers", FZ_ROLES_STAFF, customer_create, "create a customer", 0},
    {"GET", "/v1/customers", FZ_ROLES_STAFF, customer_list, "a page of customers, by name prefix and grade", 0},
    {"GET", "/v1/customers/:id", FZ_ROLES_STAFF, customer_get, "one customer", 0},
    {"PATCH", "/v1/customers/:id", FZ_ROLES_STAFF, customer_update, "change a customer's fields", 0},
    {"POST", "/v1/accounts", FZ_ROLES_STAFF, account_create, "create an account", 0},
    {"GET", "/v1/accounts/:id", FZ_ROLES_STAFF, account_get, "one account", 0},
    {"PATCH", "/v1/accounts/:id", FZ_ROLES_STAFF, account_update, "change an account's fields", 0},
    {NULL, NULL, 0, NULL, NULL, 0},
};
