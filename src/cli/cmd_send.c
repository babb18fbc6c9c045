/* cmd_send.c — `fanzha send`: feed a transaction file to a running server,
 * one POST /v1/transactions each, as a channel would.
 *
 * For backfills, demos and the crash test: every transaction the server
 * acknowledged is written to --acks as "id<TAB>outcome" right after its
 * answer, so what the server promised can be checked against its store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fz_cli.h"
#include "fz_cli_util.h"
#include "fz_client.h"
#include "fz_native.h"
#include "fz_reader.h"

typedef struct send_opts {
    const char *url, *token, *acks, *file;
    double rate;   /* transactions per second; 0 = as fast as answered */
    long limit;    /* stop after this many; 0 = all */
    long burst;    /* send this many first without the rate limit */
    int quiet;
} send_opts;

static void usage(FILE *f) {
    fputs("usage: fanzha send [--url HOST:PORT] [--token T] [--rate N] [--burst N] [--limit N] [--acks FILE] [--quiet] FILE\n"
          "  --url    the server (default 127.0.0.1:8080)\n"
          "  --token  an ingest token (default $FANZHA_TOKEN)\n"
          "  --rate   at most N transactions per second (default: as fast as answered)\n"
          "  --burst  send the first N as fast as answered, then keep to --rate\n"
          "  --acks   append 'id<TAB>outcome' for each acknowledged transaction\n"
          "FILE is any format `fanzha scan` reads. Exit 0 when every transaction was answered.\n",
          f);
}

static int parse_args(int argc, char **argv, send_opts *o) {
    *o = (send_opts){"127.0.0.1:8080", getenv("FANZHA_TOKEN"), NULL, NULL, 0, 0, 0, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--url") && more) o->url = argv[++i];
        else if (!strcmp(a, "--token") && more) o->token = argv[++i];
        else if (!strcmp(a, "--acks") && more) o->acks = argv[++i];
        else if ((!strcmp(a, "--rate") || !strcmp(a, "--limit") || !strcmp(a, "--burst")) && more) {
            fz_error err;
            double x;
            if (fz_cli_number(argv[++i], a, 0, 1e12, a[2] != 'r', &x, &err))
                return fz_cli_error("send", &err), usage(stderr), 2;
            if (a[2] == 'r') o->rate = x;
            else *(a[2] == 'l' ? &o->limit : &o->burst) = (long)x;
        }
        else if (!strcmp(a, "--quiet")) o->quiet = 1;
        else if (!strcmp(a, "--help")) return usage(stdout), 1;
        else if (a[0] != '-' && !o->file) o->file = a;
        else return fprintf(stderr, "fanzha send: unknown or incomplete option '%s'\n", a), usage(stderr), 2;
    }
    if (!o->file) return usage(stderr), 2;
    if (!strncmp(o->url, "http://", 7)) o->url += 7;
    return 0;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The "outcome" member of an answer, or "?". */
static const char *outcome_of(const char *body, char *buf, size_t n) {
    const char *p = strstr(body, "\"outcome\":\"");
    if (!p) return "?";
    p += 11;
    size_t k = 0;
    while (p[k] && p[k] != '"' && k + 1 < n) k++;
    memcpy(buf, p, k);
    buf[k] = 0;
    return buf;
}

typedef struct tally {
    long sent, acked, rejected, failed;
} tally;

static int send_one(fz_client *c, const fz_txn *t, FILE *acks, tally *ty, fz_error *err) {
    char *json = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&json, &n);
    if (!m) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    fz_native_write_json(m, t);
    fclose(m);
    int status;
    const char *resp;
    size_t rn;
    int rc = fz_client_request(c, "POST", "/v1/transactions", "application/json", json, n, &status, &resp, &rn, err);
    free(json);
    ty->sent++;
    if (rc) return rc;
    if (status == 200) {
        char out[16];
        ty->acked++;
        if (acks) fprintf(acks, "%.*s\t%s\n", (int)t->id.n, t->id.p, outcome_of(resp, out, sizeof out)), fflush(acks);
    } else if (status == 400) {
        ty->rejected++;
        fprintf(stderr, "fanzha send: line %u: %.*s\n", t->src_line, (int)rn, resp);
    } else {
        ty->failed++;
        fprintf(stderr, "fanzha send: line %u: HTTP %d %.*s\n", t->src_line, status, (int)rn, resp);
        if (status == 401 || status == 403) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "token", "refused (HTTP %d)", status);
    }
    return 0;
}

int fz_cmd_send(int argc, char **argv) {
    send_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    fz_error err;
    fz_read_opts ro = {0};
    fz_reader *r = NULL;
    fz_client *c = NULL;
    FILE *acks = NULL;
    if ((rc = fz_reader_open(&r, o.file, &ro, &err)) || (rc = fz_client_open(&c, o.url, o.token, &err))) goto out;
    if (o.acks && !(acks = fopen(o.acks, "a"))) {
        rc = fz_error_set(&err, FZ_EIO, o.acks, 0, 0, NULL, "cannot open");
        goto out;
    }
    tally ty = {0};
    double t0 = now_s(), t_start = t0;
    fz_txn t;
    while ((rc = fz_reader_next(r, &t, &err)) != 0) {
        if (rc == FZ_EREJECT) {
            fz_cli_error("send", &err);
            ty.rejected++;
            continue;
        }
        if (rc < 0 || (rc = send_one(c, &t, acks, &ty, &err)) != 0) break;
        if (o.rate > 0 && ty.sent > o.burst) {
            double due = t0 + (double)(ty.sent - o.burst) / o.rate, now = now_s();
            if (due > now) nanosleep(&(struct timespec){(time_t)(due - now), (long)((due - now - (double)(time_t)(due - now)) * 1e9)}, NULL);
        }
        if (ty.sent == o.burst) t0 = now_s(); /* the rate counts from the end of the burst */
        if (!o.quiet && ty.sent % 1000 == 0)
            fprintf(stderr, "\rfanzha send: %ld sent, %ld acknowledged", ty.sent, ty.acked);
        if (o.limit && ty.sent >= o.limit) break;
    }
    double secs = now_s() - t_start;
    if (!o.quiet || rc < 0)
        fprintf(stderr, "\rfanzha send: %ld sent, %ld acknowledged, %ld rejected, %ld failed in %.1f s (%.0f/s)\n",
                ty.sent, ty.acked, ty.rejected, ty.failed, secs, secs > 0 ? (double)ty.sent / secs : 0.0);
    if (rc >= 0 && ty.failed) rc = FZ_EIO, fz_error_set(&err, FZ_EIO, NULL, 0, 0, NULL, "%ld transactions failed", ty.failed);
out:
    if (rc < 0) fz_cli_error("send", &err);
    if (acks) fclose(acks);
    fz_client_close(c);
    fz_reader_close(r);
    return rc < 0 ? 1 : 0;
}
