/* cmd_gen.c — `fanzha gen`: write a synthetic, labelled bank as native CSV. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_cli.h"
#include "fz_error.h"
#include "fz_gen.h"
#include "fz_native.h"
#include "fz_time.h"

static const char USAGE[] =
    "usage: fanzha gen [options]\n"
    "Write a synthetic, labelled day (or more) of a Chinese bank as native CSV.\n"
    "  --seed N          random seed (default 1); same seed, same bytes\n"
    "  --customers N     ordinary customers (default 2000; case actors come on top)\n"
    "  --days N          days to generate (default 1)\n"
    "  --start DATE      first day, YYYY-MM-DD, Asia/Shanghai (default 2026-11-02)\n"
    "  -o FILE           output file (default stdout)\n"
    "  --help            this text\n"
    "Injected, labelled cases: large_cash (label 0), structuring, task_scam,\n"
    "safe_account, mule_passthrough, disperse_concentrate, concentrate_disperse,\n"
    "dormant_wake (label 1). A summary goes to stderr.\n";

static int parse_num(const char *s, int64_t lo, int64_t hi, int64_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return FZ_EINVAL;
    *out = v;
    return 0;
}

/* Strictly YYYY-MM-DD, checked by a round trip through the calendar. */
static int parse_date(const char *s, int32_t *day) {
    unsigned y, m, d;
    int n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3 || n != 10) return FZ_EINVAL;
    if (y < 1971 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return FZ_EINVAL;
    int64_t days = fz_days_from_civil(y, m, d), yy;
    unsigned mm, dd;
    fz_civil_from_days(days, &yy, &mm, &dd);
    if (yy != (int64_t)y || mm != m || dd != d) return FZ_EINVAL;
    *day = (int32_t)days;
    return 0;
}

typedef struct opts {
    fz_gen_config cfg;
    const char *out;
} opts;

/* Returns 0 to run, 1 for --help, -1 after printing a usage error. */
static int parse_args(int argc, char **argv, opts *o) {
    fz_gen_config_default(&o->cfg);
    o->out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int64_t n = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 1;
        int takes = !strcmp(a, "--seed") || !strcmp(a, "--customers") || !strcmp(a, "--days") ||
                    !strcmp(a, "--start") || !strcmp(a, "-o");
        if (!takes) {
            fprintf(stderr, "fanzha gen: unknown option '%s'\n%s", a, USAGE);
            return -1;
        }
        if (!v) {
            fprintf(stderr, "fanzha gen: %s needs a value\n", a);
            return -1;
        }
        i++;
        int bad = 0;
        if (!strcmp(a, "--seed")) {
            bad = parse_num(v, 0, INT64_MAX, &n);
            o->cfg.seed = (uint64_t)n;
        } else if (!strcmp(a, "--customers")) {
            bad = parse_num(v, 20, 5000000, &n);
            o->cfg.customers = (int32_t)n;
        } else if (!strcmp(a, "--days")) {
            bad = parse_num(v, 1, 3660, &n);
            o->cfg.days = (int32_t)n;
        } else if (!strcmp(a, "--start")) {
            bad = parse_date(v, &o->cfg.start_day);
        } else {
            o->out = v;
        }
        if (bad) {
            fprintf(stderr, "fanzha gen: bad value '%s' for %s\n", v, a);
            return -1;
        }
    }
    return 0;
}

static int sink(const fz_txn *t, void *ctx) { return fz_native_write_row(ctx, t); }

static void summary(const opts *o, const fz_gen_stats *st) {
    char day[16];
    fz_day_format(o->cfg.start_day, 0, day, sizeof day);
    fprintf(stderr, "fanzha gen: %llu rows (%llu label 1, %llu background, %u at 49999.99) over %d day(s) from %s, seed %llu;",
            (unsigned long long)st->rows, (unsigned long long)st->positives, (unsigned long long)st->normal,
            st->edge_rows, o->cfg.days, day, (unsigned long long)o->cfg.seed);
    for (int c = 0; c < FZ_GEN_CASE__COUNT; c++)
        fprintf(stderr, " %s %u/%llu", fz_gen_case_name(c), st->case_groups[c], (unsigned long long)st->case_rows[c]);
    fprintf(stderr, " (instances/rows)\n");
}

int fz_cmd_gen(int argc, char **argv) {
    opts o;
    int p = parse_args(argc, argv, &o);
    if (p) {
        if (p > 0) fputs(USAGE, stdout);
        return p > 0 ? 0 : 2;
    }
    FILE *f = o.out ? fopen(o.out, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "fanzha gen: %s: %s\n", o.out, strerror(errno));
        return 2;
    }
    static char buf[1 << 16];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fz_gen_stats st;
    int rc = fz_native_write_header(f);
    if (!rc) rc = fz_gen_run(&o.cfg, sink, f, &st);
    int crc = f == stdout ? fflush(f) : fclose(f);
    if (!rc && crc) rc = FZ_EIO;
    if (rc) {
        fprintf(stderr, "fanzha gen: %s%s%s\n", fz_strerror(rc), o.out ? ": " : "", o.out ? o.out : "");
        return 2;
    }
    summary(&o, &st);
    return 0;
}
