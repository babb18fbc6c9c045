/* fz_routes.h — every route table, one per routes file; each ends with an
 * entry whose method is NULL. The server tries the tables in this order. */
#ifndef FZ_ROUTES_H
#define FZ_ROUTES_H

#include "fz_http.h"

extern const fz_route fz_routes_txn[];   /* fz_routes_txn.c: scoring, /healthz, /metrics */
extern const fz_route fz_routes_cases[]; /* fz_routes_cases.c: alerts, cases, holds, audit */
extern const fz_route fz_routes_admin[]; /* fz_routes_admin.c: tokens, rules, customers, accounts */
extern const fz_route fz_routes_str[];   /* fz_routes_str.c: suspicious-transaction reports */
extern const fz_route fz_routes_kyc[];   /* fz_routes_kyc.c: customer history, grading, watch list */

extern const fz_route fz_routes_reports[]; /* fz_routes_reports.c: large-value records, deadlines, report files */

/* All tables, NULL-terminated. */
extern const fz_route *const fz_route_tables[];

/* Every route as an OpenAPI 3.0 document: paths, methods, summaries, the
 * roles allowed (x-fanzha-roles) and bearer security. Generated from the
 * tables so docs/openapi.json cannot drift (`fanzha serve --openapi`). */
json_t *fz_routes_openapi(void);

#endif
