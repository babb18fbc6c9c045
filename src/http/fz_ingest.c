/* fz_ingest.c — score, log, answer once durable (fz_ingest.h).
 *
 * Threads: everything here runs on the HTTP thread except durable() and
 * tick(), which the event log's writer thread calls. The two share only the
 * list of waiting requests, under mu. A waiting request is suspended in
 * libmicrohttpd (no thread held); whoever takes it off the list resumes it,
 * and its later() callback then answers on the HTTP thread. */
#include "fz_ingest.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fz_alert_out.h"
#include "fz_app.h"
#include "fz_engine.h"
#include "fz_eventlog.h"
#include "fz_hash.h"
#include "fz_idmap.h"
#include "fz_exempt.h"
#include "fz_reader.h"
#include "fz_rules.h"

#define MAX_SINGLE_BODY (64 * 1024)

const int64_t fz_ingest_lat_bounds_us[11] = {50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000};

/* One answer of a request: ready text, or the id of a transaction seen
 * before whose stored decision is read once it is durable. */
typedef struct item {
    char *text;
    char *dup_id;
} item;

typedef struct waiter {
    struct waiter *next;
    void *conn;
    int64_t need_seq;   /* resume once this is durable; 0 when waiting on a hold */
    char *hold_txn;     /* resume when this transaction's hold resolves ... */
    int64_t deadline;   /* ... or at this wall time (ms) */
    int batch;
    uint64_t t0_us;
    size_t nitems, cap;
    item *items;
} waiter;

/* Suppressed (account, rule) pairs, chained from a small hash index. */
typedef struct supp {
    char *account, *rule;
    int64_t until;
    int next;
} supp;

#define SUPP_HASH 1024

struct fz_ingest {
    fz_app *app;
    fz_eventlog *log;
    fz_alert_out fmt;   /* reason texts, escaped once per rule */
    FILE *out;          /* a memory stream reused for every decision's JSON */
    char *out_buf;
    size_t out_len;
    int64_t next_seq;
    /* transaction ids seen: 64-bit hash -> seq; a repeat's answer is read from
     * the events row by its own id, so a hash collision is never answered
     * with another transaction's decision (fz_ingest.h: never scored twice) */
    fz_idmap ids;
    supp *sup;
    int nsup, capsup;
    int sup_head[SUPP_HASH];
    pthread_mutex_t mu; /* guards waiting and st */
    waiter *waiting;
    int closing;
    fz_ingest_stats st;
};

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A transaction id's 64-bit hash; never 0, which marks an empty slot. */
static uint64_t id_hash(const char *p, size_t n) {
    uint64_t h = fz_fnv64(FZ_FNV64_INIT, p, n);
    return h ? h : 1;
}

/* ---- suppressions ------------------------------------------------------ */

static unsigned supp_slot(const char *account, const char *rule) {
    return (unsigned)(fz_fnv64(id_hash(account, strlen(account)), rule, strlen(rule)) % SUPP_HASH);
}

int fz_ingest_suppress(fz_ingest *ig, const char *account, const char *rule, int64_t until_ms) {
    if (ig->nsup == ig->capsup) {
        int cap = ig->capsup ? ig->capsup * 2 : 64;
        supp *s = realloc(ig->sup, (size_t)cap * sizeof *s);
        if (!s) return FZ_ENOMEM;
        ig->sup = s;
        ig->capsup = cap;
    }
    supp *s = &ig->sup[ig->nsup];
    s->account = strdup(account);
    s->rule = strdup(rule);
    if (!s->account || !s->rule) {
        free(s->account);
        free(s->rule);
        return FZ_ENOMEM;
    }
    unsigned k = supp_slot(account, rule);
    s->until = until_ms;
    s->next = ig->sup_head[k];
    ig->sup_head[k] = ig->nsup++;
    return 0;
}

static int suppressed(const fz_ingest *ig, const char *account, const char *rule, int64_t now) {
    if (!ig->nsup) return 0;
    for (int i = ig->sup_head[supp_slot(account, rule)]; i >= 0; i = ig->sup[i].next)
        if (ig->sup[i].until > now && !strcmp(ig->sup[i].account, account) && !strcmp(ig->sup[i].rule, rule))
            return 1;
    return 0;
}

static int load_suppressions(fz_ingest *ig, fz_error *err) {
    static const char sql[] = "SELECT account, rule, until_ms FROM suppressions WHERE until_ms > ?";
    sqlite3_stmt *st = fz_db_stmt(ig->app->db, sql, err);
    if (!st) return FZ_EIO;
    sqlite3_bind_int64(st, 1, fz_db_now_ms());
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fz_ingest_suppress(ig, fz_db_col_text(st, 0, NULL), fz_db_col_text(st, 1, NULL),
                               sqlite3_column_int64(st, 2)))
            return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fz_db_fail(ig->app->db, rc, "read suppressions", err);
}

/* ---- waiting requests ------------------------------------------------- */

static void waiter_free(waiter *w) {
    if (!w) return;
    for (size_t i = 0; i < w->nitems; i++) {
        free(w->items[i].text);
        free(w->items[i].dup_id);
    }
    free(w->items);
    free(w->hold_txn);
    free(w);
}

static int waiter_add(waiter *w, char *text, const char *dup_id, size_t n) {
    if (w->nitems == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4;
        item *it = realloc(w->items, cap * sizeof *it);
        if (!it) return FZ_ENOMEM;
        w->items = it;
        w->cap = cap;
    }
    item *it = &w->items[w->nitems];
    it->text = text;
    it->dup_id = dup_id ? strndup(dup_id, n) : NULL;
    if (dup_id && !it->dup_id) return FZ_ENOMEM;
    w->nitems++;
    return 0;
}

/* Take off the list (under mu) and resume every waiter done() says is due. */
static void resume_if(fz_ingest *ig, int (*done)(const waiter *, const void *), const void *arg) {
    pthread_mutex_lock(&ig->mu);
    for (waiter **pp = &ig->waiting; *pp;) {
        waiter *w = *pp;
        if (ig->closing || done(w, arg)) {
            *pp = w->next;
            ig->st.waiting--;
            fz_http_resume(w->conn);
        } else {
            pp = &w->next;
        }
    }
    pthread_mutex_unlock(&ig->mu);
}

static int durable_done(const waiter *w, const void *arg) {
    return w->need_seq && w->need_seq <= *(const int64_t *)arg;
}
static int hold_done(const waiter *w, const void *arg) {
    return w->hold_txn && !strcmp(w->hold_txn, arg);
}
static int deadline_done(const waiter *w, const void *arg) {
    return w->hold_txn && w->deadline <= *(const int64_t *)arg;
}

static void on_durable(void *ctx, int64_t seq) { resume_if(ctx, durable_done, &seq); }

static void on_tick(void *ctx) {
    int64_t now = fz_db_now_ms();
    resume_if(ctx, deadline_done, &now);
}

void fz_ingest_hold_resolved(fz_ingest *ig, const char *txn_id, const char *status) {
    (void)status; /* the waiter reads the hold's row when it answers */
    resume_if(ig, hold_done, txn_id);
}

/* Park w until it is due. Returns 1 when it is due already (answer now). */
static int park(fz_ingest *ig, waiter *w) {
    pthread_mutex_lock(&ig->mu);
    int due = ig->closing || (w->need_seq && w->need_seq <= fz_eventlog_durable(ig->log));
    if (!due) {
        w->next = ig->waiting;
        ig->waiting = w;
        ig->st.waiting++;
    }
    pthread_mutex_unlock(&ig->mu);
    return due;
}

/* ---- answers ---------------------------------------------------------- */

/* The stored decision of txn_id, or NULL when there is none. Caller frees. */
static char *stored_decision(fz_ingest *ig, const char *id, size_t n) {
    static const char sql[] = "SELECT decision FROM events WHERE txn_id = ?";
    sqlite3_stmt *st = fz_db_stmt(ig->app->db, sql, NULL);
    if (!st) return NULL;
    fz_db_bind_text(st, 1, id, n);
    char *d = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) d = strdup(fz_db_col_text(st, 0, NULL));
    sqlite3_reset(st);
    return d;
}

/* A stored decision ("{...}", n bytes) as an answer: "{...,"duplicate":dup}"
 * (malloc), or NULL when out of memory. */
static char *answer_text(const char *decision, size_t n, int dup) {
    while (n && decision[n - 1] != '}') n--;
    const char *tail = dup ? ",\"duplicate\":true}" : ",\"duplicate\":false}";
    size_t nt = strlen(tail), body = n ? n - 1 : 0;
    char *a = malloc(body + nt + 1);
    if (!a) return NULL;
    memcpy(a, decision, body);
    memcpy(a + body, tail, nt + 1);
    return a;
}

/* An item's answer (malloc): its text, or the first decision of the id it
 * repeats. */
static char *item_text(fz_ingest *ig, item *it) {
    if (!it->dup_id) {
        char *t = it->text;
        it->text = NULL;
        return t;
    }
    char *d = stored_decision(ig, it->dup_id, strlen(it->dup_id));
    char *a = d ? answer_text(d, strlen(d), 1)
                : strdup("{\"error\":{\"status\":503,\"code\":\"unavailable\",\"message\":\"not yet stored\"}}");
    free(d);
    return a;
}

static void count_latency(fz_ingest *ig, uint64_t t0) {
    uint64_t us = now_us() - t0;
    int b = 0;
    while (b < 11 && (int64_t)us > fz_ingest_lat_bounds_us[b]) b++;
    pthread_mutex_lock(&ig->mu);
    ig->st.lat_us_bucket[b]++;
    pthread_mutex_unlock(&ig->mu);
}

/* Answer a scoring request: each item's text, a batch as {"results":[...]}. */
static int answer(fz_req *rq, fz_resp *rs, void *ctx) {
    waiter *w = ctx;
    fz_ingest *ig = rq->app->ingest;
    if (!rs) goto done; /* the connection closed while waiting */
    char *buf = NULL;
    size_t len = 0;
    if (!w->batch) { /* the common case: one answer, handed over as it is */
        buf = item_text(ig, &w->items[0]);
        len = buf ? strlen(buf) : 0;
    } else {
        FILE *f = open_memstream(&buf, &len);
        if (f) {
            fputs("{\"results\":[", f);
            for (size_t i = 0; i < w->nitems; i++) {
                char *t = item_text(ig, &w->items[i]);
                fprintf(f, "%s%s", i ? "," : "", t ? t : "null");
                free(t);
            }
            fputs("]}", f);
            fclose(f);
        }
    }
    if (!buf) {
        fz_resp_error(rs, 500, NULL, "out of memory");
        goto done;
    }
    rs->status = 200;
    rs->raw = buf;
    rs->raw_len = len;
    rs->ctype = "application/json";
    count_latency(ig, w->t0_us);
done:
    waiter_free(w);
    return 0;
}

/* ---- scoring ---------------------------------------------------------- */

static const char *acct_key(const fz_engine *e, uint32_t id, char *buf, size_t cap) {
    size_t n = 0;
    const char *k = id == UINT32_MAX ? "" : fz_engine_account_key(e, id, &n);
    if (n >= cap) n = cap - 1;
    memcpy(buf, k, n);
    buf[n] = 0;
    return buf;
}

/* Drop the hits an analyst suppressed on their account, as of now. */
static void apply_suppressions(fz_ingest *ig, fz_decision *d, const char *keys[2], int64_t now) {
    for (unsigned i = d->nhits; i-- > 0;) {
        const fz_rule_info *ri = fz_rules_info(d->rules, d->hits[i].rule);
        if (ri->action != FZ_ACT_LARGE_VALUE && suppressed(ig, keys[d->hits[i].side], ri->id, now))
            fz_decision_drop_hit(d, i);
    }
}

static void derive_alerts(fz_event *ev, const fz_decision *d) {
    for (unsigned i = 0; i < d->nhits && ev->nalerts < FZ_EVENT_MAX_ALERTS; i++) {
        const fz_rule_info *ri = fz_rules_info(d->rules, d->hits[i].rule);
        if (ri->action == FZ_ACT_LARGE_VALUE) continue;
        ev->alert[ev->nalerts].account = d->hits[i].side == FZ_SIDE_PAYER ? ev->payer : ev->payee;
        ev->alert[ev->nalerts].rule = ri->id;
        ev->alert[ev->nalerts++].score = ri->score;
    }
    if (d->model_hit && ev->nalerts < FZ_EVENT_MAX_ALERTS) {
        ev->alert[ev->nalerts].account = ev->payer;
        ev->alert[ev->nalerts].rule = "MODEL";
        ev->alert[ev->nalerts++].score = (int)(d->model_p * 1000.0f);
    }
}

/* The decision's large-value records, with their customers' keys (borrowed
 * from the engine until fz_event_new copies them). Returns how many. */
static int derive_lv(const fz_engine *e, const fz_decision *d, fz_event_lv lv[FZ_EVENT_MAX_LV]) {
    int n = 0;
    for (unsigned i = 0; i < d->nlv && n < FZ_EVENT_MAX_LV; i++, n++) {
        const fz_lv_hit *h = &d->lv[i];
        lv[n].customer = fz_engine_customer_key(e, h->cust, &lv[n].n_customer);
        lv[n].rule = d->rules ? fz_rules_info(d->rules, h->rule)->id : "";
        lv[n].day = h->day;
        lv[n].crcd = h->crcd;
        lv[n].dir = h->dir;
        lv[n].fx = h->fx;
    }
    return n;
}

/* Score t, queue its event, and return the answer text (malloc) through
 * *text. Returns 0 or FZ_ENOMEM. */
static int score_new(fz_ingest *ig, const fz_txn *t, fz_str raw, uint64_t h, char **text) {
    fz_engine *e = ig->app->engine;
    fz_decision d;
    int64_t recv = fz_db_now_ms();
    uint64_t t0 = now_us();
    int rc = fz_engine_score(e, t, &d);
    if (rc) return rc;
    char kp[300], ke[300];
    const char *keys[2] = {acct_key(e, d.payer, kp, sizeof kp), acct_key(e, d.payee, ke, sizeof ke)};
    apply_suppressions(ig, &d, keys, recv);
    int64_t seq = ig->next_seq++;

    /* The decision's JSON, written into the one reused memory stream. */
    rewind(ig->out);
    fz_alert_out_json(&ig->fmt, ig->out, t, t->id, &d);
    fprintf(ig->out, ",\"seq\":%lld}", (long long)seq);
    if (fflush(ig->out)) return FZ_ENOMEM;
    char ccy[4];
    fz_ccy_str(t->currency ? t->currency : FZ_CCY_CNY, ccy);
    fz_event_lv lv[FZ_EVENT_MAX_LV];
    int nlv = d.nlv ? derive_lv(e, &d, lv) : 0;
    fz_event *ev = fz_event_new(t->id.p, t->id.n, keys[0], keys[1], ccy, raw.p, raw.n, ig->out_buf, ig->out_len,
                                lv, nlv);
    char *ans = ev ? answer_text(ig->out_buf, ig->out_len, 0) : NULL;
    if (!ev || !ans || fz_idmap_put(&ig->ids, h, seq)) {
        fz_event_free(ev);
        free(ans);
        return FZ_ENOMEM;
    }
    ev->seq = seq;
    ev->txn_ms = t->time;
    ev->recv_ms = recv;
    ev->amount = t->amount;
    ev->outcome = d.outcome;
    ev->score = d.score;
    ev->hold = d.outcome == FZ_OUT_HOLD;
    ev->rules_version = d.rules ? fz_rules_version(d.rules) : "none";
    derive_alerts(ev, &d);
    fz_eventlog_append(ig->log, ev);
    ig->st.scored++;
    ig->st.outcomes[d.outcome & 3]++;
    ig->st.score_ns_total += (now_us() - t0) * 1000u;
    *text = ans;
    return 0;
}

/* One parsed transaction of a request: score it or point at its first
 * answer. Raises w->need_seq to what must be durable before answering. */
static int take(fz_ingest *ig, waiter *w, const fz_txn *t, fz_str raw) {
    uint64_t h = id_hash(t->id.p, t->id.n);
    int64_t seen = fz_idmap_get(&ig->ids, h);
    if (seen) {
        ig->st.duplicates++;
        if (seen > w->need_seq) w->need_seq = seen;
        return waiter_add(w, NULL, t->id.p, t->id.n);
    }
    char *text;
    int rc = score_new(ig, t, raw, h, &text);
    if (rc) return rc;
    if (ig->next_seq - 1 > w->need_seq) w->need_seq = ig->next_seq - 1;
    rc = waiter_add(w, text, NULL, 0);
    if (rc) free(text);
    return rc;
}

/* A bad line of a batch, answered in place as the error a single request
 * would get (fz_resp_from_error shapes both). */
static char *reject_text(const fz_error *err) {
    fz_resp tmp = {0};
    fz_resp_from_error(&tmp, err);
    char *buf = json_dumps(tmp.json, JSON_COMPACT);
    json_decref(tmp.json);
    return buf;
}

/* Score every transaction of a JSON-lines body into w. A bad line becomes a
 * 400 item in a batch; in a single request it is the whole answer. */
static int take_all(fz_ingest *ig, waiter *w, const char *name, const char *body, size_t len, fz_error *err) {
    fz_read_opts o = {.format = FZ_FMT_JSONL};
    fz_reader *r;
    int rc = fz_reader_open_mem(&r, name, body, len, &o, err);
    if (rc) return rc;
    fz_txn t;
    while ((rc = fz_reader_next(r, &t, err)) != 0) {
        if (rc == 1 && ig->app->exempt) fz_exempt_apply(ig->app->exempt, &t);
        if (rc == 1 && t.id.n == 0)
            rc = fz_error_set(err, FZ_EREJECT, name, (long)t.src_line, 0, "id",
                              "is required: the transaction id makes retries safe");
        if (rc == 1) rc = take(ig, w, &t, fz_reader_line(r));
        else if (rc == FZ_EREJECT) {
            ig->st.rejected++;
            if (!w->batch) break;
            char *text = reject_text(err);
            rc = text ? waiter_add(w, text, NULL, 0) : FZ_ENOMEM;
        }
        if (rc < 0) break;
    }
    fz_reader_close(r);
    return rc;
}

static int post(fz_req *rq, fz_resp *rs, int batch) {
    fz_ingest *ig = rq->app->ingest;
    if (ig->closing) return fz_resp_error(rs, 503, NULL, "shutting down");
    waiter *w = calloc(1, sizeof *w);
    if (!w) return fz_resp_error(rs, 500, NULL, "out of memory");
    w->conn = rq->conn;
    w->batch = batch;
    w->t0_us = now_us();
    char *copy = NULL;
    const char *body = rq->body;
    if (!batch && (memchr(body, '\n', rq->body_len) || memchr(body, '\r', rq->body_len))) {
        /* one object, pretty-printed: a JSON line of it */
        if (!(copy = strndup(rq->body, rq->body_len))) return waiter_free(w), fz_resp_error(rs, 500, NULL, "out of memory");
        for (char *p = copy; *p; p++)
            if (*p == '\n' || *p == '\r') *p = ' ';
        body = copy;
    }
    fz_error err;
    fz_error_clear(&err);
    int rc = take_all(ig, w, "request", body, rq->body_len, &err);
    free(copy);
    if (rc < 0 || (!batch && w->nitems != 1)) {
        if (!batch && rc >= 0 && w->nitems == 0 && !err.code)
            fz_error_set(&err, FZ_EINVAL, "request", 0, 0, NULL, "no transaction in the body");
        waiter_free(w);
        return fz_resp_from_error(rs, &err);
    }
    if (park(ig, w)) return answer(rq, rs, w);
    return fz_req_suspend(rq, rs, answer, w);
}

int fz_ingest_post(fz_req *rq, fz_resp *rs) {
    if (rq->body_len > MAX_SINGLE_BODY)
        return fz_resp_error(rs, 413, NULL, "a transaction is at most %d bytes", MAX_SINGLE_BODY);
    return post(rq, rs, 0);
}

int fz_ingest_post_batch(fz_req *rq, fz_resp *rs) { return post(rq, rs, 1); }

/* ---- reading a transaction back, and waiting for its hold ------------- */

static int get_answer(fz_req *rq, fz_resp *rs, void *ctx) {
    waiter *w = ctx;
    static const char sql[] =
        "SELECT e.decision, h.id, h.status, h.verification, h.note, h.resolved_by, h.resolved_ms"
        " FROM events e LEFT JOIN holds h ON h.seq = e.seq WHERE e.txn_id = ?";
    if (!rs) goto done;
    fz_error err;
    sqlite3_stmt *st = fz_db_stmt(rq->app->db, sql, &err);
    if (!st) {
        fz_resp_from_error(rs, &err);
        goto done;
    }
    fz_db_bind_text(st, 1, rq->param[0], strlen(rq->param[0]));
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        fz_resp_error(rs, 404, "id", "no transaction %s", rq->param[0]);
        goto done;
    }
    json_t *dec = json_loads(fz_db_col_text(st, 0, NULL), 0, NULL);
    json_t *hold = json_null();
    if (sqlite3_column_type(st, 1) != SQLITE_NULL)
        hold = json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:o?}", "id", (json_int_t)sqlite3_column_int64(st, 1), "status",
                         fz_db_col_text(st, 2, NULL), "verification", (const char *)sqlite3_column_text(st, 3),
                         "note", (const char *)sqlite3_column_text(st, 4), "resolved_by",
                         (const char *)sqlite3_column_text(st, 5), "resolved_ms",
                         sqlite3_column_type(st, 6) == SQLITE_NULL ? (json_t *)NULL
                                                                   : json_integer(sqlite3_column_int64(st, 6)));
    sqlite3_reset(st);
    fz_resp_json(rs, 200, json_pack("{s:s,s:o,s:o}", "txn_id", rq->param[0], "decision", dec ? dec : json_null(),
                                    "hold", hold ? hold : json_null()));
done:
    waiter_free(w);
    return 0;
}

/* Whether txn_id's hold is still pending. */
static int hold_pending(fz_db *db, const char *txn_id) {
    static const char sql[] = "SELECT 1 FROM holds WHERE txn_id = ? AND status = 'pending'";
    sqlite3_stmt *st = fz_db_stmt(db, sql, NULL);
    if (!st) return 0;
    fz_db_bind_text(st, 1, txn_id, strlen(txn_id));
    int pending = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return pending;
}

int fz_ingest_get(fz_req *rq, fz_resp *rs) {
    fz_ingest *ig = rq->app->ingest;
    int64_t wait;
    fz_error err;
    if (fz_req_query_int(rq, "wait", 0, 0, 300, &wait, &err)) return fz_resp_from_error(rs, &err);
    waiter *w = calloc(1, sizeof *w);
    if (!w) return fz_resp_error(rs, 500, NULL, "out of memory");
    w->conn = rq->conn;
    if (!wait || !rq->conn || ig->closing || !hold_pending(rq->app->db, rq->param[0]))
        return get_answer(rq, rs, w);
    if (!(w->hold_txn = strdup(rq->param[0]))) return waiter_free(w), fz_resp_error(rs, 500, NULL, "out of memory");
    w->deadline = fz_db_now_ms() + wait * 1000;
    int rc = fz_req_suspend(rq, rs, get_answer, w);
    if (!rc) park(ig, w);
    return rc;
}

/* ---- open, replay, close ---------------------------------------------- */

/* Score one chunk of stored transactions (JSON lines) to rebuild state. */
static int replay_chunk(fz_ingest *ig, const char *buf, size_t n, fz_error *err) {
    fz_read_opts o = {.format = FZ_FMT_JSONL};
    fz_reader *r;
    int rc = fz_reader_open_mem(&r, "event log", buf, n, &o, err);
    if (rc) return rc;
    fz_txn t;
    fz_decision d;
    while ((rc = fz_reader_next(r, &t, err)) == 1) {
        if (ig->app->exempt) fz_exempt_apply(ig->app->exempt, &t);
        if ((rc = fz_engine_score(ig->app->engine, &t, &d)) != 0) break;
        ig->st.replayed++;
    }
    fz_reader_close(r);
    return rc;
}

#define REPLAY_CHUNK (32u << 20)

/* Every stored event after snap_seq through the engine, in seq order (the
 * snapshot holds the effect of those before); every id remembered. */
static int replay(fz_ingest *ig, int64_t snap_seq, int progress, fz_error *err) {
    static const char sql[] = "SELECT seq, txn_id, txn, outcome FROM events ORDER BY seq";
    sqlite3_stmt *st = fz_db_stmt(ig->app->db, sql, err);
    if (!st) return FZ_EIO;
    char *buf = malloc(REPLAY_CHUNK);
    if (!buf) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    size_t n = 0;
    int rc = 0, s;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        size_t nid, nt;
        const char *id = fz_db_col_text(st, 1, &nid);
        if (fz_idmap_put(&ig->ids, id_hash(id, nid), seq))
            rc = fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        const char *txt = fz_db_col_text(st, 2, &nt);
        ig->st.scored++; /* the totals count what the log holds, across restarts */
        ig->st.outcomes[sqlite3_column_int(st, 3) & 3]++;
        if (n + nt + 1 > REPLAY_CHUNK && n) {
            rc = rc ? rc : replay_chunk(ig, buf, n, err);
            n = 0;
            if (progress) fprintf(stderr, "\rfanzha: replaying the event log: %llu events", (unsigned long long)ig->st.replayed);
        }
        if (nt + 1 > REPLAY_CHUNK) rc = fz_error_set(err, FZ_ERANGE, NULL, 0, 0, "txn", "event %lld too large", (long long)seq);
        if (rc) break;
        ig->next_seq = seq + 1;
        if (seq <= snap_seq) continue;
        memcpy(buf + n, txt, nt);
        buf[n + nt] = '\n';
        n += nt + 1;
    }
    if (!rc && n) rc = replay_chunk(ig, buf, n, err);
    sqlite3_reset(st);
    free(buf);
    if (progress && ig->st.replayed)
        fprintf(stderr, "\rfanzha: replayed %llu events from the event log\n", (unsigned long long)ig->st.replayed);
    return rc < 0 ? rc : 0;
}

int fz_ingest_open(fz_ingest **out, fz_app *app, const char *path, int64_t snap_seq, int commit_batch,
                   int progress, fz_error *err) {
    *out = NULL;
    fz_ingest *ig = calloc(1, sizeof *ig);
    if (!ig) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ig->app = app;
    ig->next_seq = 1;
    memset(ig->sup_head, 0xff, sizeof ig->sup_head);
    pthread_mutex_init(&ig->mu, NULL);
    if (!(ig->out = open_memstream(&ig->out_buf, &ig->out_len))) {
        free(ig);
        return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    int rc = replay(ig, snap_seq, progress, err);
    if (!rc) rc = load_suppressions(ig, err);
    if (!rc) rc = fz_eventlog_open(&ig->log, path, commit_batch, on_durable, ig, err);
    if (!rc) fz_db_autocheckpoint_off(app->db); /* the log's writer checkpoints, alone (fz_eventlog.h) */
    if (rc) {
        fz_ingest_close(ig);
        return rc;
    }
    fz_eventlog_set_tick(ig->log, 200, on_tick);
    *out = ig;
    return 0;
}

void fz_ingest_quiesce(fz_ingest *ig) {
    if (!ig || !ig->log) return;
    fz_eventlog_close(ig->log); /* writes what is queued; answers its waiters */
    ig->log = NULL;
    pthread_mutex_lock(&ig->mu);
    ig->closing = 1;
    pthread_mutex_unlock(&ig->mu);
    int64_t none = 0;
    resume_if(ig, durable_done, &none); /* closing: every waiter goes */
}

void fz_ingest_close(fz_ingest *ig) {
    if (!ig) return;
    fz_ingest_quiesce(ig);
    for (int i = 0; i < ig->nsup; i++) {
        free(ig->sup[i].account);
        free(ig->sup[i].rule);
    }
    free(ig->sup);
    fz_idmap_free(&ig->ids);
    fclose(ig->out);
    free(ig->out_buf);
    fz_alert_out_close(&ig->fmt, NULL);
    pthread_mutex_destroy(&ig->mu);
    free(ig);
}

void fz_ingest_stats_get(fz_ingest *ig, fz_ingest_stats *s) {
    pthread_mutex_lock(&ig->mu);
    *s = ig->st;
    pthread_mutex_unlock(&ig->mu);
    s->next_seq = ig->next_seq;
    if (ig->log) {
        fz_eventlog_stats ls;
        fz_eventlog_stats_get(ig->log, &ls);
        s->durable_seq = fz_eventlog_durable(ig->log);
        s->events = ls.events;
        s->commits = ls.commits;
        s->failed_commits = ls.failed_commits;
        s->max_batch = ls.max_batch;
        s->commit_us_total = ls.commit_us_total;
        s->checkpoints = ls.checkpoints;
        s->checkpointed_frames = ls.checkpointed_frames;
    }
}

/* ---- snapshots ---------------------------------------------------------- */

#define SNAP_TAG "FZSEQ001"

int fz_ingest_snapshot_load(fz_engine *e, const char *path, int64_t *seq, fz_error *err) {
    *seq = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return fz_error_set(err, FZ_ENOTFOUND, path, 0, 0, NULL, "no snapshot");
    char tag[8];
    int64_t s = 0;
    int rc = fread(tag, 8, 1, f) == 1 && !memcmp(tag, SNAP_TAG, 8) && fread(&s, sizeof s, 1, f) == 1
                 ? fz_engine_load(e, f, err)
                 : fz_error_set(err, FZ_EFORMAT, path, 0, 0, NULL, "not a Fanzha snapshot");
    fclose(f);
    if (!rc) *seq = s;
    return rc;
}

/* Write to path.tmp, fsync, rename over path, fsync the folder: a crash
 * leaves the old snapshot or the new one, never half of one. */
static int write_snapshot(const fz_engine *e, const char *path, int64_t seq, fz_error *err) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) return fz_error_set(err, FZ_EIO, tmp, 0, 0, NULL, "cannot create: %s", strerror(errno));
    int rc = fwrite(SNAP_TAG, 8, 1, f) == 1 && fwrite(&seq, sizeof seq, 1, f) == 1 ? fz_engine_save(e, f, err)
                                                                                    : FZ_EIO;
    if (fflush(f) || fsync(fileno(f))) rc = rc ? rc : FZ_EIO;
    if (fclose(f)) rc = rc ? rc : FZ_EIO;
    if (!rc && rename(tmp, path)) rc = FZ_EIO;
    if (rc) {
        unlink(tmp);
        return err && err->code ? rc : fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    }
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) fsync(dfd), close(dfd);
    return 0;
}

int fz_ingest_snapshot(fz_ingest *ig, const char *path, int64_t *seq, fz_error *err) {
    /* Only what is durable may be in a snapshot: a crash must never leave the
     * state ahead of the log. Nothing is scored while this thread waits. */
    int64_t last = ig->next_seq - 1;
    while (ig->log && fz_eventlog_durable(ig->log) < last) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    *seq = last;
    return write_snapshot(ig->app->engine, path, last, err);
}
