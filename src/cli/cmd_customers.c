/* cmd_customers.c — `fanzha customers`: import a customer base, grade the
 * customers, list those due for review (docs/kyc.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fz_cli.h"
#include "fz_cli_util.h"
#include "fz_db.h"
#include "fz_grading.h"
#include "fz_kyc_import.h"
#include "fz_review.h"
#include "fz_time.h"

static const fz_principal cli_actor = {.role = FZ_ROLE_ADMIN, .name = "cli"};

typedef struct opts {
    const char *db, *file, *grading, *until, *rejects;
    int strict, all;
    long limit;
} opts;

static void usage(FILE *f) {
    fputs("usage: fanzha customers import FILE [--db PATH] [--strict] [--rejects FILE]\n"
          "       fanzha customers grade [--db PATH] [--grading FILE] [--all]\n"
          "       fanzha customers due [--db PATH] [--until TIME] [--limit N]\n"
          "  import   customers from Fanzha's customer CSV or AMLSim's accounts.csv (.gz read\n"
          "           directly); a bad row is reported as file:line: field: reason and counted\n"
          "           (--strict: the first one stops the import, nothing is imported, exit 1;\n"
          "           --rejects FILE: the bad rows' reasons and text go there, not to stderr)\n"
          "  grade    grade the customers due (new ones, those whose review is due, those\n"
          "           re-identified); --all: every customer. The model is --grading or the\n"
          "           shipped risk-grading.conf\n"
          "  due      the re-review due list as of --until (default now): id, grade, due, why\n"
          "--db defaults to fanzha.db. See docs/kyc.md.\n",
          f);
}

static int parse(int argc, char **argv, opts *o) {
    *o = (opts){"fanzha.db", NULL, NULL, NULL, NULL, 0, 0, 100};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--db")        ? &o->db
                            : !strcmp(a, "--grading") ? &o->grading
                            : !strcmp(a, "--until")   ? &o->until
                            : !strcmp(a, "--rejects") ? &o->rejects
                                                      : NULL;
        if (slot && i + 1 < argc) *slot = argv[++i];
        else if (!strcmp(a, "--strict")) o->strict = 1;
        else if (!strcmp(a, "--all")) o->all = 1;
        else if (!strcmp(a, "--limit") && i + 1 < argc) {
            char *end;
            const char *v = argv[++i];
            o->limit = strtol(v, &end, 10);
            if (!*v || *end || o->limit < 1)
                return fprintf(stderr, "fanzha customers: --limit: not a positive count: %s\n", v), 2;
        }
        else if (a[0] != '-' && !o->file) o->file = a;
        else return fprintf(stderr, "fanzha customers: unknown or incomplete option '%s'\n", a), usage(stderr), 2;
    }
    return 0;
}

static void print_reject(void *ctx, const fz_error *e, const char *raw, size_t n) {
    char msg[512];
    fz_error_format(e, msg, sizeof msg);
    FILE *f = ctx ? ctx : stderr;
    if (ctx) fprintf(f, "%s\t%.*s\n", msg, (int)n, raw);
    else fprintf(f, "%s\n", msg);
}

static int do_import(fz_db *db, const opts *o, fz_error *err) {
    if (!o->file) return usage(stderr), 2;
    FILE *rej = o->rejects ? fopen(o->rejects, "w") : NULL;
    if (o->rejects && !rej) return fprintf(stderr, "fanzha customers: cannot write %s\n", o->rejects), 2;
    fz_kyc_import_opts io = {o->strict, print_reject, rej};
    fz_kyc_import_stats st;
    int rc = fz_kyc_import(db, &cli_actor, o->file, &io, &st, err);
    if (rej) fclose(rej);
    if (rc && rc != FZ_EREJECT) return fz_cli_error("customers", err), 2;
    if (rc) printf("%s: stopped at the first bad row (--strict): nothing imported\n", o->file);
    else
        printf("%s (%s): %lld rows, %lld imported, %lld rejected\n", o->file, st.format, (long long)st.rows,
               (long long)st.imported, (long long)st.rejected);
    return rc ? 1 : 0;
}

static int do_grade(fz_db *db, const opts *o, fz_error *err) {
    char path[4096];
    fz_grading *g = NULL;
    if (!o->grading && fz_cli_rules_file("risk-grading.conf", path))
        return fprintf(stderr, "fanzha customers: no risk-grading.conf found (--grading FILE)\n"), 2;
    int rc = fz_grading_load(&g, o->grading ? o->grading : path, err);
    fz_review_stats st;
    if (!rc) rc = fz_review_all(db, NULL, g, &cli_actor, !o->all, fz_db_now_ms(), &st, err);
    fz_grading_free(g);
    if (rc) return fz_cli_error("customers", err), 2;
    printf("graded %lld customers (%lld changed grade, %lld highest by a direct trigger):"
           " low %lld, medium %lld, high %lld, highest %lld\n",
           (long long)st.graded, (long long)st.changed, (long long)st.direct, (long long)st.by_grade[0],
           (long long)st.by_grade[1], (long long)st.by_grade[2], (long long)st.by_grade[3]);
    return 0;
}

static int do_due(fz_db *db, const opts *o, fz_error *err) {
    int64_t until = fz_db_now_ms();
    if (o->until && fz_time_parse(o->until, strlen(o->until), &until))
        return fprintf(stderr, "fanzha customers: --until: not a time: %s\n", o->until), 2;
    json_t *l;
    if (fz_review_due(db, until, o->limit, 0, &l, err)) return fz_cli_error("customers", err), 2;
    size_t i;
    json_t *it;
    printf("id\tgrade\treview_due\twhy\n");
    json_array_foreach(json_object_get(l, "items"), i, it) {
        char t[40];
        fz_time_format(json_integer_value(json_object_get(it, "review_due_ms")), t, sizeof t);
        printf("%s\t%s\t%s\t%s\n", json_string_value(json_object_get(it, "id")),
               fz_grading_grade_name((int)json_integer_value(json_object_get(it, "grade"))), t,
               json_string_value(json_object_get(it, "why")));
    }
    printf("%lld due\n", (long long)json_integer_value(json_object_get(l, "total")));
    json_decref(l);
    return 0;
}

int fz_cmd_customers(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    opts o;
    int rc = parse(argc, argv, &o);
    if (rc) return rc;
    int (*run)(fz_db *, const opts *, fz_error *) = !strcmp(argv[1], "import") ? do_import
                                                    : !strcmp(argv[1], "grade") ? do_grade
                                                    : !strcmp(argv[1], "due")   ? do_due
                                                                                : NULL;
    if (!run) return fprintf(stderr, "fanzha customers: unknown action '%s'\n", argv[1]), usage(stderr), 2;
    if (strcmp(argv[1], "import") && access(o.db, F_OK))
        return fprintf(stderr, "fanzha customers: %s: no such database\n", o.db), 2;
    fz_db *db;
    fz_error err;
    if (fz_db_open(&db, o.db, &err)) return fz_cli_error("customers", &err), 2;
    rc = run(db, &o, &err);
    fz_db_close(db);
    return rc;
}
