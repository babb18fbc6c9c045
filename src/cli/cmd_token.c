/* cmd_token.c — `fanzha token`: make, list and revoke API tokens in the
 * store, as the server's token routes do (fz_tokens.h), audited with the
 * actor "cli". Safe while the server runs: SQLite serialises the writers and
 * the server finds new tokens, and stops honouring revoked ones, by itself
 * (fz_auth.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_cli.h"
#include "fz_cli_util.h"
#include "fz_time.h"
#include "fz_tokens.h"

/* Whoever runs the command on the server's machine acts as an administrator:
 * access to the database file is the authority here. */
static const fz_principal cli_actor = {.role = FZ_ROLE_ADMIN, .name = "cli"};

static void usage(FILE *f) {
    fputs("usage: fanzha token create --role ROLE [--name NAME] [--db PATH]\n"
          "           print a new token (shown only this once); ROLE is ingest, analyst,\n"
          "           supervisor or admin; NAME defaults to ROLE\n"
          "       fanzha token list [--db PATH]      id, name, role, created, revoked (never the secret)\n"
          "       fanzha token revoke ID [--db PATH]\n"
          "--db defaults to fanzha.db\n",
          f);
}

typedef struct opts {
    const char *role, *name, *db, *id;
} opts;

/* Options after the action; one bare argument is the id. Returns 0 or 2. */
static int parse(int argc, char **argv, opts *o) {
    *o = (opts){.db = "fanzha.db"};
    for (int i = 2; i < argc; i++) {
        const char **dst = !strcmp(argv[i], "--role")   ? &o->role
                           : !strcmp(argv[i], "--name") ? &o->name
                           : !strcmp(argv[i], "--db")   ? &o->db
                                                        : NULL;
        if (dst && i + 1 < argc)
            *dst = argv[++i];
        else if (!dst && argv[i][0] != '-' && !o->id)
            o->id = argv[i];
        else
            return 2;
    }
    return 0;
}

static int create(fz_auth *a, fz_db *db, const opts *o, fz_error *err) {
    int role = fz_role_parse(o->role);
    if (!role)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--role",
                            "must be ingest, analyst, supervisor or admin");
    char token[FZ_TOKEN_LEN + 1];
    int64_t id;
    int rc = fz_tokens_create(a, db, &cli_actor, role, o->name ? o->name : o->role, token, &id, err);
    if (rc) return rc;
    printf("%s\n", token);
    fprintf(stderr, "fanzha token: token %lld (%s) made; it is not shown again\n", (long long)id, o->role);
    return 0;
}

static const char *time_text(const json_t *ms, char buf[32]) {
    if (!json_is_integer(ms)) return "-";
    fz_time_format(json_integer_value(ms), buf, 32);
    return buf;
}

static int list(fz_db *db, fz_error *err) {
    json_t *a;
    int rc = fz_tokens_list(db, &a, err);
    if (rc) return rc;
    printf("%-6s %-24s %-10s %-24s %s\n", "id", "name", "role", "created", "revoked");
    size_t i;
    json_t *t;
    json_array_foreach(a, i, t) {
        char c[32], r[32];
        printf("%-6lld %-24s %-10s %-24s %s\n", (long long)json_integer_value(json_object_get(t, "id")),
               json_string_value(json_object_get(t, "name")), json_string_value(json_object_get(t, "role")),
               time_text(json_object_get(t, "created_ms"), c),
               time_text(json_object_get(t, "revoked_ms"), r));
    }
    json_decref(a);
    return 0;
}

static int revoke(fz_auth *a, fz_db *db, const char *arg, fz_error *err) {
    char *end;
    long long id = arg ? strtoll(arg, &end, 10) : 0;
    if (!arg || !*arg || *end || id <= 0)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "ID", "give the token's id (fanzha token list)");
    return fz_tokens_revoke(a, db, &cli_actor, id, err);
}

int fz_cmd_token(int argc, char **argv) {
    opts o;
    if (argc < 2 || !strcmp(argv[1], "--help") || parse(argc, argv, &o)) {
        int help = argc >= 2 && !strcmp(argv[1], "--help");
        usage(help ? stdout : stderr);
        return help ? 0 : 2;
    }
    const char *act = argv[1];
    if (strcmp(act, "create") && strcmp(act, "list") && strcmp(act, "revoke")) {
        usage(stderr);
        return 2;
    }
    fz_error err;
    fz_db *db = NULL;
    fz_auth *a = NULL;
    int rc = fz_db_open(&db, o.db, &err);
    if (!rc) rc = fz_auth_open(&a, db, &err);
    if (!rc)
        rc = !strcmp(act, "create") ? create(a, db, &o, &err)
             : !strcmp(act, "list") ? list(db, &err)
                                    : revoke(a, db, o.id, &err);
    if (rc) fz_cli_error("token", &err);
    fz_auth_close(a);
    fz_db_close(db);
    return rc ? 2 : 0;
}
