/* fz_routes.c — the route tables, in the order the server tries them. */
#include "fz_routes.h"

#include <stdio.h>

const fz_route *const fz_route_tables[] = {
    fz_routes_txn,
    fz_routes_cases,
    fz_routes_admin,
    fz_routes_str,
    fz_routes_kyc,
    fz_routes_reports,
    NULL,
};

/* "/v1/cases/:id" -> "/v1/cases/{id}", and its parameters. */
static json_t *openapi_path(const char *pattern, char *out, size_t n) {
    json_t *params = json_array();
    size_t k = 0;
    for (const char *p = pattern; *p && k + 2 < n;) {
        if (*p != ':') {
            out[k++] = *p++;
            continue;
        }
        const char *name = ++p;
        while (*p && *p != '/') p++;
        k += (size_t)snprintf(out + k, n - k, "{%.*s}", (int)(p - name), name);
        json_array_append_new(params, json_pack("{s:s%,s:s,s:b,s:{s:s}}", "name", name, (size_t)(p - name), "in",
                                                "path", "required", 1, "schema", "type", "string"));
        if (k >= n) k = n - 1;
    }
    out[k] = 0;
    return params;
}

static json_t *openapi_op(const fz_route *r) {
    json_t *roles = json_array();
    for (int b = 1; b <= FZ_ROLE_ADMIN; b <<= 1)
        if (r->roles & b) json_array_append_new(roles, json_string(fz_role_name(b)));
    char path[256];
    json_t *op = json_pack("{s:s,s:o,s:o,s:{s:{s:s}}}", "summary", r->summary, "x-fanzha-roles", roles, "parameters",
                           openapi_path(r->pattern, path, sizeof path), "responses", "200", "description", "OK");
    if (r->roles != FZ_ROLES_PUBLIC) json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearer"));
    return op;
}

json_t *fz_routes_openapi(void) {
    json_t *paths = json_object();
    for (const fz_route *const *t = fz_route_tables; *t; t++)
        for (const fz_route *r = *t; r->method; r++) {
            char path[256], method[8];
            json_decref(openapi_path(r->pattern, path, sizeof path));
            size_t i = 0;
            for (; r->method[i] && i < sizeof method - 1; i++) method[i] = (char)(r->method[i] | 0x20);
            method[i] = 0;
            json_t *item = json_object_get(paths, path);
            if (!item) json_object_set_new(paths, path, item = json_object());
            json_object_set_new(item, method, openapi_op(r));
        }
    return json_pack("{s:s,s:{s:s,s:s},s:o,s:{s:{s:{s:s,s:s}}}}", "openapi", "3.0.3", "info", "title", "Fanzha API",
                     "version", "1", "paths", paths, "components", "securitySchemes", "bearer", "type", "http",
                     "scheme", "bearer");
}

