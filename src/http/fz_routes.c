/* fz_routes.c — the route tables, in the order the server tries them. */
#include "fz_routes.h"

const fz_route *const fz_route_tables[] = {
    fz_routes_txn,
    fz_routes_cases,
    fz_routes_admin,
    fz_routes_kyc,
    NULL,
};
