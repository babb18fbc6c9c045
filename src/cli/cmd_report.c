/* cmd_report.c — `fanzha report large-value`: the regulator's large-value
 * report files (fz_hvtr.h) from transaction files, and their deadlines. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fz_calendar.h"
#include "fz_cli.h"
#include "fz_cli_util.h"
#include "fz_exempt.h"
#include "fz_hvtr.h"
#include "fz_lvreport.h"
#include "fz_scan.h"

static void usage(FILE *f) {
    fputs("usage: fanzha report large-value --ricd CODE [options] FILE...\n"
          "       fanzha report large-value --ricd CODE --kind D --delete-day YYYY-MM-DD [options]\n"
          "Score transaction files as fanzha scan does and write the large-value report\n"
          "files of the CAMLMAC interface spec (XML and ZIP bundles of at most 5 MB),\n"
          "then print each record day's reporting deadline (5 working days).\n\n"
          "  --ricd CODE        the reporting institution's 14-character code (RICD)\n"
          "  -o, --out DIR      output folder (default fanzha-reports)\n"
          "  --date YYYY-MM-DD  the report (submission) date (default: today, Asia/Shanghai)\n"
          "  --kind N|C|D       new reports, corrections or deletions (default N)\n"
          "  --seq N            first file sequence number of the day (default 1)\n"
          "  --zip-seq N        first bundle sequence number of the day (default 1)\n"
          "  --from/--to DATE   only records of these transaction days (inclusive)\n"
          "  --delete-day DATE  with --kind D: delete every report of that transaction day\n"
          "  --finc CODE        the branch code (FINC); --trcd CODE where transactions happen (TRCD)\n"
          "  --exempt FILE      large-value exemptions (fz_exempt.h; docs/reports.md)\n"
          "  --calendar FILE    working-day calendar (default: the shipped rules/calendar-cn.txt)\n"
          "  -r, --rules FILE   rule packs (default: the shipped packs)\n"
          "  --bank CODE        the reporting bank: records only for its accounts\n"
          "  --rates FILE       currency rates, 'CODE USD-per-unit' lines\n"
          "  --max-xml BYTES    split XML files above this size (default 4 MiB)\n"
          "  --max-zip BYTES    bundle size limit (default 5000000)\n",
          f);
}

typedef struct rargs {
    fz_scan_opts o;
    fz_hvtr_config hc;
    const char *rules[FZ_CLI_MAX_RULES];
    char rulebuf[FZ_CLI_MAX_RULES][4096];
    const char *out, *calendar, *exempt;
    char kind;
    uint32_t seq, zseq;
    int32_t date, from, to, delete_day;
    fz_rates rates;
} rargs;

/* What the scan hook collects and the writer needs. */
typedef struct job {
    rargs *a;
    fz_calendar *cal;
    fz_lvreport_opts lo;
    fz_lvreport r;
} job;

static int parse_day(const char *s, const char *field, int32_t *out, fz_error *err) {
    if (fz_day_parse(s, strlen(s), out))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "'%s' is not a date YYYY-MM-DD", s);
    return 0;
}

static int parse_u32(const char *s, const char *field, uint32_t max, uint32_t *out, fz_error *err) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '-' || !*s || *end || errno || v < 1 || v > max)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "'%s' is not a number 1..%u", s, max);
    *out = (uint32_t)v;
    return 0;
}

static int copy_opt(char *dst, size_t n, const char *v, const char *field, fz_error *err) {
    if (strlen(v) >= n) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, field, "'%s' is too long", v);
    strcpy(dst, v);
    return 0;
}

static int option(rargs *a, int c, const char *v, fz_error *err) {
    uint32_t u = 0;
    int rc = 0;
    switch (c) {
    case 'o': a->out = v; break;
    case 'r': rc = fz_cli_add_rule(a->rules, &a->o.nrules, v, err); break;
    case 'I': rc = copy_opt(a->hc.ricd, sizeof a->hc.ricd, v, "--ricd", err); break;
    case 'F': rc = copy_opt(a->hc.finc, sizeof a->hc.finc, v, "--finc", err); break;
    case 'T': rc = copy_opt(a->hc.trcd, sizeof a->hc.trcd, v, "--trcd", err); break;
    case 'K': rc = copy_opt(a->o.engine.home_bank, sizeof a->o.engine.home_bank, v, "--bank", err); break;
    case 'D': rc = parse_day(v, "--date", &a->date, err); break;
    case 'a': rc = parse_day(v, "--from", &a->from, err); break;
    case 'b': rc = parse_day(v, "--to", &a->to, err); break;
    case 'X': rc = parse_day(v, "--delete-day", &a->delete_day, err); break;
    case 'S': rc = parse_u32(v, "--seq", 99999999u, &a->seq, err); break;
    case 'Z': rc = parse_u32(v, "--zip-seq", 99999999u, &a->zseq, err); break;
    case 'x': rc = parse_u32(v, "--max-xml", UINT32_MAX, &u, err), a->hc.max_xml = u; break;
    case 'z': rc = parse_u32(v, "--max-zip", UINT32_MAX, &u, err), a->hc.max_zip = u; break;
    case 'k':
        if ((v[0] != 'N' && v[0] != 'C' && v[0] != 'D') || v[1])
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--kind", "'%s' is not N, C or D", v);
        a->kind = v[0];
        break;
    case 'c': a->calendar = v; break;
    case 'e': a->exempt = v; break;
    case 'R': rc = fz_rates_load(&a->o.engine.rates, v, err); break;
    default: return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "unknown option (see --help)");
    }
    return rc;
}

static int parse_args(int argc, char **argv, rargs *a, fz_error *err) {
    static const struct option longopts[] = {
        {"out", required_argument, 0, 'o'},      {"rules", required_argument, 0, 'r'},
        {"ricd", required_argument, 0, 'I'},     {"finc", required_argument, 0, 'F'},
        {"trcd", required_argument, 0, 'T'},     {"bank", required_argument, 0, 'K'},
        {"date", required_argument, 0, 'D'},     {"from", required_argument, 0, 'a'},
        {"to", required_argument, 0, 'b'},       {"delete-day", required_argument, 0, 'X'},
        {"seq", required_argument, 0, 'S'},      {"zip-seq", required_argument, 0, 'Z'},
        {"max-xml", required_argument, 0, 'x'},  {"max-zip", required_argument, 0, 'z'},
        {"kind", required_argument, 0, 'k'},     {"calendar", required_argument, 0, 'c'},
        {"exempt", required_argument, 0, 'e'},   {"rates", required_argument, 0, 'R'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:r:h", longopts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            exit(0);
        }
        if ((rc = option(a, c, optarg, err))) return rc;
    }
    a->o.files = (const char *const *)argv + optind;
    a->o.nfiles = argc - optind;
    if ((rc = fz_hvtr_config_check(&a->hc, err))) return rc;
    if (a->delete_day != INT32_MIN && a->kind != 'D')
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "--delete-day", "needs --kind D");
    if (a->delete_day == INT32_MIN && a->o.nfiles == 0)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, NULL, "no input files (see --help)");
    return 0;
}

/* ---------- from the scan's records to files ---------- */

static fz_str cust_key(void *ctx, uint32_t cust) {
    size_t n;
    const char *p = fz_engine_customer_key(((const fz_scan_lv *)ctx)->engine, cust, &n);
    return (fz_str){p, (uint32_t)n};
}

static const fz_txn *row(void *ctx, size_t k) {
    const fz_scan_lv *v = ctx;
    return v->row(v->scan, k);
}

static fz_str txn_id(void *ctx, size_t k) {
    const fz_scan_lv *v = ctx;
    return v->id(v->scan, k);
}

static int both_home(void *ctx, const fz_txn *t) {
    const fz_engine *e = ((const fz_scan_lv *)ctx)->engine;
    return t->payer_acct.n && t->payee_acct.n && fz_engine_is_home(e, t->payer_bank) &&
           fz_engine_is_home(e, t->payee_bank);
}

static int on_lv(void *ctx, const fz_scan_lv *v, fz_error *err) {
    job *j = ctx;
    fz_lvreport_src src = {v->book, cust_key, row, txn_id, both_home, (void *)v};
    return fz_lvreport_add(&j->lo, &src, &j->r, err);
}

/* ---------- output ---------- */

static void print_board(job *j) {
    char day[16], due[16];
    for (size_t i = 0; i < j->r.ndays; i++) {
        fz_lv_deadline d;
        fz_day_format(j->r.days[i], 0, day, sizeof day);
        if (fz_lvreport_deadline(j->cal, j->r.days[i], j->a->date, &d)) {
            printf("deadline  %s: none within ten years (calendar?)\n", day);
            continue;
        }
        fz_day_format(d.due, 0, due, sizeof due);
        const char *prov = d.provisional ? " (provisional: calendar year not known)" : "";
        if (d.left > 0) printf("deadline  %s: due %s, %lld working days left%s\n", day, due, (long long)d.left, prov);
        else if (d.due == j->a->date) printf("deadline  %s: due %s, today%s\n", day, due, prov);
        else printf("deadline  %s: due %s, OVERDUE by %lld working days%s\n", day, due, (long long)-d.left, prov);
    }
}

static void print_files(const char *what, const fz_report_files *f) {
    for (size_t i = 0; i < f->n; i++)
        printf("%-9s %s  %s %u, %zu bytes\n", what, f->v[i].name, what[0] == 'f' ? "transactions" : "files",
               f->v[i].records, f->v[i].len);
}

static int finish(job *j, fz_error *err) {
    rargs *a = j->a;
    if (mkdir(a->out, 0777) && errno != EEXIST)
        return fz_error_set(err, FZ_EIO, a->out, 0, 0, NULL, "cannot create directory: %s", strerror(errno));
    int rc = fz_lvreport_finish(&j->lo, &j->r, err);
    if (!rc) rc = fz_report_files_save(&j->r.xml, a->out, err);
    if (!rc) rc = fz_report_files_save(&j->r.zip, a->out, err);
    if (rc) return rc;
    printf("records   %llu large-value records\n", (unsigned long long)j->r.records);
    print_files("file", &j->r.xml);
    print_files("bundle", &j->r.zip);
    print_board(j);
    return 0;
}

static int load_config(rargs *a, job *j, fz_exempt **ex, fz_error *err) {
    char path[4096];
    int rc = fz_calendar_new(&j->cal);
    if (rc) return fz_error_set(err, rc, NULL, 0, 0, NULL, "out of memory");
    if (!a->calendar && !fz_cli_shipped_file("calendar-cn.txt", path)) a->calendar = path;
    if (!a->calendar) fputs("fanzha report: warning: no calendar-cn.txt found: deadlines count weekends only\n", stderr);
    if (a->calendar && (rc = fz_calendar_load(j->cal, a->calendar, err))) return rc;
    if (a->exempt && (rc = fz_exempt_load(ex, a->exempt, err))) return rc;
    a->o.exempt = *ex;
    a->hc.rates = &a->o.engine.rates;
    if (!a->o.nrules) a->o.nrules = fz_cli_default_rules(NULL, a->rulebuf, a->rules, FZ_CLI_MAX_RULES);
    a->o.rules = a->rules;
    return 0;
}

static void defaults(rargs *a) {
    memset(a, 0, sizeof *a);
    fz_engine_config_default(&a->o.engine);
    a->out = "fanzha-reports"; /* the scan itself writes nothing (o.out_dir NULL) */
    a->kind = 'N';
    a->seq = a->zseq = 1;
    a->date = fz_time_cn_day((fz_ms)time(NULL) * 1000);
    a->from = INT32_MIN + 1;
    a->to = INT32_MAX;
    a->delete_day = INT32_MIN;
}

static int large_value(int argc, char **argv, fz_error *err) {
    static rargs a; /* large (rule path buffers): not on the stack */
    defaults(&a);
    job j = {.a = &a};
    fz_exempt *ex = NULL;
    int rc = parse_args(argc, argv, &a, err);
    if (!rc) rc = load_config(&a, &j, &ex, err);
    j.lo = (fz_lvreport_opts){&a.hc, a.kind, a.date, a.from, a.to, a.seq, a.zseq};
    if (!rc && a.delete_day != INT32_MIN)
        rc = fz_hvtr_build_delete_day(&a.hc, a.delete_day, a.date, &j.lo.seq, &j.r.xml, err);
    else if (!rc) {
        a.o.hooks = (fz_scan_hooks){0, NULL, NULL, &j, on_lv};
        fz_scan_result r;
        rc = fz_scan_run(&a.o, &r, err);
        fz_scan_result_free(&r);
    }
    if (!rc) rc = finish(&j, err);
    fz_lvreport_free(&j.r);
    fz_calendar_free(j.cal);
    fz_exempt_free(ex);
    return rc;
}

int fz_cmd_report(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "large-value")) {
        usage(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
        return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
    }
    fz_error err;
    fz_error_clear(&err);
    int rc = large_value(argc - 1, argv + 1, &err);
    if (rc) fz_cli_error("report large-value", &err);
    return rc == 0 ? 0 : rc == FZ_EREJECT ? 1 : 2;
}
