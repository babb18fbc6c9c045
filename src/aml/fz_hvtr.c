/* fz_hvtr.c — see fz_hvtr.h.
 *
 * A file is a header, a list of units and a footer: a unit is one CATI
 * (customer and day, new reports), one TSDT (corrections) or one DTDT
 * (deletions). Units are rendered apart first, so a file can be cut at a
 * unit boundary before it passes max_xml and its header can count them. */
#include "fz_hvtr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_daytotals.h"
#include "fz_xmlw.h"
#include "fz_zip.h"

#define NA "@N"
#define UNIT_DEPTH 3

typedef struct unit {
    char *buf;
    size_t len;
    uint32_t records;
} unit;

typedef struct units {
    unit *v;
    size_t n, cap;
} units;

/* The shape of one kind of file. */
typedef struct kind_shape {
    char kind;
    const char *root, *list, *unit, *count;
    int mirs; /* RBIF carries MIRS (corrections) */
} kind_shape;

static const kind_shape shapes[] = {
    {'N', "HVTR", "CATIs", "CATI", "CTTN", 0},
    {'C', "CHTR", "TSDTs", "TSDT", "TSTN", 1},
    {'D', "DHTR", "DTDTs", "DTDT", "DTTN", 0},
};

static const kind_shape *shape_of(char kind) {
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        if (shapes[i].kind == kind) return &shapes[i];
    return NULL;
}

/* ---------- configuration and names ---------- */

static int all_alnum(const char *s) {
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))) return 0;
    return 1;
}

int fz_hvtr_config_check(const fz_hvtr_config *c, fz_error *err) {
    if (strlen(c->ricd) != FZ_HVTR_RICD_LEN || !all_alnum(c->ricd))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "RICD", "'%s' is not a 14-character institution code",
                            c->ricd);
    if (!all_alnum(c->finc)) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "FINC", "'%s': letters and digits only", c->finc);
    if (c->trcd[0] && (strlen(c->trcd) != 9 || !all_alnum(c->trcd)))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "TRCD", "'%s' is not 9 characters like CHN310000", c->trcd);
    return 0;
}

int fz_camlmac_file_name(char kind, const char *type, const char *ricd, int32_t report_day, uint32_t seq,
                         const char *ext, char *buf, size_t n) {
    char date[16];
    if (seq < 1 || seq > 99999999u || strlen(ricd) != FZ_HVTR_RICD_LEN || strlen(type) != 2) return FZ_EINVAL;
    if (fz_day_format(report_day, 1, date, sizeof date) != 8) return FZ_EINVAL;
    int w = snprintf(buf, n, "%c%s%s-%s-%08u.%s", kind, type, ricd, date, (unsigned)seq, ext);
    return w > 0 && (size_t)w < n ? 0 : FZ_EINVAL;
}

int fz_hvtr_file_name(char kind, const char *ricd, int32_t report_day, uint32_t seq, const char *ext, char *buf,
                      size_t n) {
    if (!shape_of(kind)) return FZ_EINVAL;
    return fz_camlmac_file_name(kind, "BH", ricd, report_day, seq, ext, buf, n);
}

int fz_hvtr_due(const fz_calendar *cal, int32_t day, int32_t *due) {
    return fz_calendar_add_working_days(cal, day, FZ_HVTR_DEADLINE_DAYS, due);
}

/* ---------- values ---------- */

static void text(fz_xmlw *w, const char *tag, fz_str s) { fz_xmlw_text(w, tag, s.p, s.n); }

static void na(fz_xmlw *w, const char *tag) { fz_xmlw_textz(w, tag, NA); }

static void day_text(fz_xmlw *w, const char *tag, int32_t day) {
    char d[16];
    fz_day_format(day, 1, d, sizeof d);
    fz_xmlw_textz(w, tag, d);
}

static void crcd_text(fz_xmlw *w, const char *tag, unsigned crcd) {
    char c[8];
    snprintf(c, sizeof c, "%04u", crcd);
    fz_xmlw_textz(w, tag, c);
}

/* TICD: the id, with -01 (receiving) or -02 (paying) when both sides are ours. */
static void ticd(const fz_hvtr_entry *e, char *buf, size_t n) {
    if (e->both_sides) snprintf(buf, n, "%.*s-%s", (int)e->txn_id.n, e->txn_id.p, e->dir == FZ_DIR_IN ? "01" : "02");
    else snprintf(buf, n, "%.*s", (int)e->txn_id.n, e->txn_id.p);
}

void fz_hvtr_tstm(fz_ms t, char out[16]) {
    char iso[40];
    fz_time_format(t + FZ_CN_OFFSET_MS, iso, sizeof iso); /* 2026-11-02T09:00:00.000Z, shifted */
    snprintf(out, 16, "%.4s%.2s%.2s%.2s%.2s%.2s", iso, iso + 5, iso + 8, iso + 11, iso + 14, iso + 17);
}

static int64_t rate_of(const fz_rates *r, fz_ccy c) {
    for (int i = 0; i < r->n; i++)
        if (r->ccy[i] == c) return r->usd_e8[i];
    return 0;
}

/* The amount in currency `to` (minor units of 2 digits), through USD rates.
 * Returns 0 or -1 when a rate is unknown or the result overflows. */
static int convert(const fz_rates *r, const fz_txn *t, fz_ccy to, int64_t *out) {
    fz_ccy from = t->currency ? t->currency : FZ_CCY_CNY;
    if (from == to) return (*out = t->amount), 0;
    int64_t rf = rate_of(r, from), rt = rate_of(r, to);
    if (rf <= 0 || rt <= 0) return -1;
    __int128 num = (__int128)t->amount * rf * 100, den = (__int128)rt;
    for (int d = fz_ccy_digits(from); d > 0; d--) den *= 10;
    __int128 q = (num + den / 2) / den;
    if (q > INT64_MAX || q < -INT64_MAX) return -1;
    *out = (int64_t)q;
    return 0;
}

static void money_text(fz_xmlw *w, const char *tag, int ok, int64_t v, int digits) {
    char buf[48];
    if (!ok) return na(w, tag);
    fz_money_format(v, digits, buf, sizeof buf);
    fz_xmlw_textz(w, tag, buf);
}

/* TSTP (spec §10.3): RMB 00 + cash 00 / non-cash 01 + instrument; foreign
 * currency 01 + 0001 cash or 0104 wire transfer. */
const char *fz_hvtr_tstp(const fz_txn *t) {
    int cash = fz_kind_is_cash(t->kind);
    if (t->currency && t->currency != FZ_CCY_CNY) return cash ? "010001" : "010104";
    if (t->kind == FZ_KIND_CASH_REMITTANCE) return "000031";
    if (cash) return t->channel == FZ_CH_ATM ? "000014" : "000030";
    if (t->kind == FZ_KIND_DEBIT) return "000133";
    switch (t->channel) {
    case FZ_CH_ONLINE: return "000120";
    case FZ_CH_MOBILE:
    case FZ_CH_THIRD_PARTY: return "000121";
    case FZ_CH_POS: return "000112";
    case FZ_CH_ATM: return "000114";
    case FZ_CH_COUNTER: return "000131";
    default: return "000151";
    }
}

const char *fz_hvtr_octt(unsigned ch) {
    switch (ch) {
    case FZ_CH_ONLINE:
    case FZ_CH_MOBILE: return "11";
    case FZ_CH_POS: return "12";
    case FZ_CH_ATM: return "15";
    case FZ_CH_THIRD_PARTY: return "99";
    default: return "";
    }
}

void fz_hvtr_ocec(const fz_txn *t, char *buf, size_t n) {
    fz_str ip = t->ip, dev = t->device;
    int online = t->channel == FZ_CH_ONLINE || t->channel == FZ_CH_MOBILE || t->channel == FZ_CH_THIRD_PARTY;
    if (!online) ip = (fz_str){0};
    if (!online && t->channel != FZ_CH_ATM && t->channel != FZ_CH_POS) dev = (fz_str){0};
    snprintf(buf, n, "%.*s%s%.*s", (int)ip.n, ip.p, ip.n && dev.n ? "@" : "", (int)dev.n, dev.p);
}

static void ocec(fz_xmlw *w, const fz_txn *t) {
    char buf[512];
    fz_hvtr_ocec(t, buf, sizeof buf);
    fz_xmlw_textz(w, "OCEC", buf);
}

/* ---------- one transaction (TSDT content) ---------- */

static void rini_atif_tbif(fz_xmlw *w, const fz_hvtr_config *c, const fz_hvtr_entry *e) {
    const fz_txn *t = e->t;
    fz_xmlw_open(w, "RINI", 0);
    fz_xmlw_textz(w, "FINC", c->finc);
    fz_xmlw_textz(w, "RLFC", "00");
    fz_xmlw_close(w, "RINI");
    fz_xmlw_open(w, "ATIF", 0);
    static const char *const atif_na[] = {"CATP", "CTAC", "OATM", "CBCT", "OCBT", "CBCN"};
    for (size_t i = 0; i < 6; i++) {
        if (i == 1) text(w, "CTAC", e->dir == FZ_DIR_IN ? t->payee_acct : t->payer_acct);
        else na(w, atif_na[i]);
    }
    fz_xmlw_close(w, "ATIF");
    fz_xmlw_open(w, "TBIF", 0);
    static const char *const tbif[] = {"TBNM", "TBIT", "OITP", "TBID", "TBNT"};
    for (size_t i = 0; i < 5; i++) na(w, tbif[i]);
    fz_xmlw_close(w, "TBIF");
}

static void tsif(fz_xmlw *w, const fz_hvtr_config *c, const fz_hvtr_entry *e, const fz_rates *rates) {
    const fz_txn *t = e->t;
    char buf[300];
    fz_xmlw_open(w, "TSIF", 0);
    fz_hvtr_tstm(t->time, buf);
    fz_xmlw_textz(w, "TSTM", buf);
    fz_xmlw_textz(w, "TRCD", c->trcd);
    ticd(e, buf, sizeof buf);
    fz_xmlw_textz(w, "TICD", buf);
    fz_xmlw_textz(w, "RPMT", e->both_sides ? "04" : NA); /* 04: inside the institution, matched by the id */
    text(w, "RPMN", e->both_sides ? e->txn_id : (fz_str){0});
    fz_xmlw_textz(w, "TSTP", fz_hvtr_tstp(t));
    fz_xmlw_textz(w, "OCTT", fz_hvtr_octt(t->channel));
    fz_xmlw_textz(w, "OOCT", t->channel == FZ_CH_THIRD_PARTY ? "第三方支付" : NA);
    ocec(w, t);
    na(w, "BPTC");
    na(w, "TSCT");
    fz_xmlw_textz(w, "TSDR", e->dir == FZ_DIR_IN ? "01" : "02");
    na(w, "CRPP");
    fz_xmlw_textz(w, "CRTP", fz_ccy_str(t->currency ? t->currency : FZ_CCY_CNY, buf));
    fz_ccy ccy = t->currency ? t->currency : FZ_CCY_CNY;
    money_text(w, "CRAT", 1, t->amount, fz_ccy_digits(ccy) > 3 ? 0 : fz_ccy_digits(ccy));
    int64_t v;
    int ok = !convert(rates, t, FZ_CCY_CNY, &v);
    money_text(w, "CRMB", ok, v, 2);
    ok = !convert(rates, t, FZ_CCY_USD, &v);
    money_text(w, "CUSD", ok, v, 2);
    fz_xmlw_close(w, "TSIF");
}

static void tcif(fz_xmlw *w, const fz_hvtr_entry *e) {
    const fz_txn *t = e->t;
    fz_str acct = e->dir == FZ_DIR_IN ? t->payer_acct : t->payee_acct;
    fz_str bank = e->dir == FZ_DIR_IN ? t->payer_bank : t->payee_bank;
    fz_xmlw_open(w, "TCIF", 0);
    na(w, "CFIN");
    fz_xmlw_textz(w, "CFCT", bank.n ? "99" : NA);
    text(w, "CFIC", bank);
    na(w, "CFRC");
    static const char *const party[] = {"TCNM", "TCIT", "OITP", "TCID", "TCAT"};
    for (size_t i = 0; i < 5; i++) na(w, party[i]);
    text(w, "TCAC", acct);
    fz_xmlw_close(w, "TCIF");
    fz_xmlw_open(w, "ROTFs", 0);
    fz_xmlw_text_seq(w, "ROTF", 1, NA, 2);
    fz_xmlw_close(w, "ROTFs");
}

static void tsdt_body(fz_xmlw *w, const fz_hvtr_config *c, const fz_hvtr_entry *e, const fz_rates *rates) {
    rini_atif_tbif(w, c, e);
    tsif(w, c, e, rates);
    tcif(w, e);
}

/* ---------- units ---------- */

static int cmp_str(fz_str a, fz_str b) {
    size_t n = a.n < b.n ? a.n : b.n;
    int r = n ? memcmp(a.p, b.p, n) : 0;
    return r ? r : (a.n > b.n) - (a.n < b.n);
}

static int by_key(const void *pa, const void *pb) {
    const fz_hvtr_entry *a = pa, *b = pb;
    int r = cmp_str(a->csnm, b->csnm);
    if (r) return r;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    if (a->crcd != b->crcd) return a->crcd < b->crcd ? -1 : 1;
    if (a->t && b->t && a->t->time != b->t->time) return a->t->time < b->t->time ? -1 : 1;
    if ((r = cmp_str(a->txn_id, b->txn_id))) return r;
    return (int)b->dir - (int)a->dir; /* in (01) before out (02) */
}

/* Same business key (CSNM, HTDT, CRCD, TICD). */
static int same_key(const fz_hvtr_entry *a, const fz_hvtr_entry *b) {
    return !cmp_str(a->csnm, b->csnm) && a->day == b->day && a->crcd == b->crcd && !cmp_str(a->txn_id, b->txn_id) &&
           (a->dir == b->dir || !a->both_sides);
}

typedef struct render {
    const fz_hvtr_config *c;
    const fz_rates *rates;
    fz_xmlw w;
    FILE *m;
    unit u;
} render;

static int unit_begin(render *r) {
    r->u = (unit){0};
    r->m = open_memstream(&r->u.buf, &r->u.len);
    if (!r->m) return FZ_ENOMEM;
    fz_xmlw_init(&r->w, r->m, NA);
    r->w.depth = UNIT_DEPTH;
    return 0;
}

static int unit_end(render *r, units *us) {
    if (fclose(r->m)) {
        free(r->u.buf);
        return FZ_ENOMEM;
    }
    if (us->n == us->cap) {
        size_t cap = us->cap ? us->cap * 2 : 64;
        unit *v = realloc(us->v, cap * sizeof *v);
        if (!v) {
            free(r->u.buf);
            return FZ_ENOMEM;
        }
        us->v = v;
        us->cap = cap;
    }
    us->v[us->n++] = r->u;
    return 0;
}

static void cbif(render *r, fz_str csnm, const fz_hvtr_customer *cu) {
    fz_xmlw *w = &r->w;
    fz_xmlw_open(w, "CBIF", 0);
    text(w, "CSNM", csnm);
    fz_xmlw_open(w, "CTNTs", 0);
    fz_xmlw_text_seq(w, "CTNT", 1, cu->nationality.p, cu->nationality.n);
    fz_xmlw_close(w, "CTNTs");
    text(w, "CTVC", cu->occupation);
    fz_xmlw_open(w, "CCIF", 0);
    static const char *const lists[][2] = {{"CCTLs", "CCTL"}, {"CATRs", "CTAR"}, {"CCEIs", "CCEI"}};
    const fz_str vals[3] = {cu->phone, cu->address, {0}};
    for (int i = 0; i < 3; i++) {
        fz_xmlw_open(w, lists[i][0], 0);
        fz_xmlw_text_seq(w, lists[i][1], 1, vals[i].p, vals[i].n);
        fz_xmlw_close(w, lists[i][0]);
    }
    fz_xmlw_close(w, "CCIF");
    fz_xmlw_close(w, "CBIF");
}

/* One HTCR: the entries e[0..n) of one CRCD, under one identity (CCIF). */
static void htcr(render *r, unsigned seqno, const fz_hvtr_entry *e, size_t n, const fz_hvtr_customer *cu) {
    fz_xmlw *w = &r->w;
    char count[16];
    fz_xmlw_open(w, "HTCR", seqno);
    crcd_text(w, "CRCD", e[0].crcd);
    snprintf(count, sizeof count, "%zu", n);
    fz_xmlw_textz(w, "TTNM", count);
    fz_xmlw_open(w, "CCIFs", 0);
    fz_xmlw_open(w, "CCIF", 1);
    text(w, "CTNM", cu->name);
    text(w, "CITP", cu->id_type);
    na(w, "OITP");
    text(w, "CTID", cu->id_number);
    fz_xmlw_open(w, "TSDTs", 0);
    for (size_t i = 0; i < n; i++) {
        fz_xmlw_open(w, "TSDT", (unsigned)i + 1);
        tsdt_body(w, r->c, &e[i], r->rates);
        fz_xmlw_close(w, "TSDT");
    }
    fz_xmlw_close(w, "TSDTs");
    fz_xmlw_close(w, "CCIF");
    fz_xmlw_close(w, "CCIFs");
    fz_xmlw_close(w, "HTCR");
}

/* One CATI: the entries e[0..n) of one customer and day. */
static int cati(render *r, const fz_hvtr_entry *e, size_t n, units *us) {
    fz_hvtr_customer cu = {0};
    if (r->c->customer && r->c->customer(r->c->customer_ctx, e[0].csnm, &cu)) memset(&cu, 0, sizeof cu);
    int rc = unit_begin(r);
    if (rc) return rc;
    cbif(r, e[0].csnm, &cu);
    day_text(&r->w, "HTDT", e[0].day);
    fz_xmlw_open(&r->w, "HTCRs", 0);
    unsigned seq = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && e[j].crcd == e[i].crcd; j++) {}
        htcr(r, ++seq, e + i, j - i, &cu);
    }
    fz_xmlw_close(&r->w, "HTCRs");
    r->u.records = (uint32_t)n;
    return unit_end(r, us);
}

/* Keys of a correction (the original record) or a deletion. */
static void keys(fz_xmlw *w, const fz_hvtr_entry *e, const char *const tags[4]) {
    char buf[300];
    text(w, tags[0], e->csnm);
    day_text(w, tags[1], e->day);
    crcd_text(w, tags[2], e->crcd);
    ticd(e, buf, sizeof buf);
    fz_xmlw_textz(w, tags[3], buf);
}

static int single(render *r, char kind, const fz_hvtr_entry *e, units *us) {
    static const char *const orig[4] = {"OCNM", "OTDT", "OTCD", "OTIC"};
    static const char *const key[4] = {"CSNM", "HTDT", "CRCD", "TICD"};
    int rc = unit_begin(r);
    if (rc) return rc;
    keys(&r->w, e, kind == 'C' ? orig : key);
    if (kind == 'C') tsdt_body(&r->w, r->c, e, r->rates);
    r->u.records = 1;
    return unit_end(r, us);
}

static int render_units(render *r, char kind, const fz_hvtr_entry *e, size_t n, units *us) {
    int rc = 0;
    for (size_t i = 0, j; i < n && !rc; i = j) {
        if (kind != 'N') {
            j = i + 1;
            rc = single(r, kind, &e[i], us);
            continue;
        }
        for (j = i + 1; j < n && !cmp_str(e[j].csnm, e[i].csnm) && e[j].day == e[i].day; j++) {}
        rc = cati(r, e + i, j - i, us);
    }
    return rc;
}

/* ---------- files ---------- */

static void header(fz_xmlw *w, const fz_hvtr_config *c, const kind_shape *s, const char *count) {
    fz_xmlw_decl(w);
    fz_xmlw_open(w, s->root, 0);
    fz_xmlw_open(w, "RBIF", 0);
    fz_xmlw_textz(w, "RICD", c->ricd);
    fz_xmlw_textz(w, s->count, count);
    if (s->mirs) na(w, "MIRS");
    fz_xmlw_close(w, "RBIF");
    fz_xmlw_open(w, s->list, 0);
}

/* Write units u[0..n) as one file. */
static int write_file(const fz_hvtr_config *c, const kind_shape *s, const unit *u, size_t n, const char *count,
                      const char *name, fz_report_files *out) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return FZ_ENOMEM;
    fz_xmlw w;
    fz_xmlw_init(&w, m, NA);
    header(&w, c, s, count);
    uint32_t records = 0;
    for (size_t i = 0; i < n; i++) {
        fz_xmlw_open(&w, s->unit, (unsigned)i + 1);
        fwrite(u[i].buf, 1, u[i].len, m);
        fz_xmlw_close(&w, s->unit);
        records += u[i].records;
    }
    fz_xmlw_close(&w, s->list);
    fz_xmlw_close(&w, s->root);
    if (fclose(m)) {
        free(buf);
        return FZ_ENOMEM;
    }
    return fz_report_files_add(out, name, (unsigned char *)buf, len, records);
}

static int next_name(char kind, const fz_hvtr_config *c, int32_t day, uint32_t *seq, const char *ext, char *name,
                     fz_error *err) {
    if (fz_hvtr_file_name(kind, c->ricd, day, *seq, ext, name, 48))
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "sequence", "%u is not 1..99999999 (or RICD, date bad)", *seq);
    (*seq)++;
    return 0;
}

/* Cut the units into files below max_xml and write them. */
static int write_files(const fz_hvtr_config *c, const kind_shape *s, const units *us, int32_t report_day,
                       uint32_t *seq, fz_report_files *out, fz_error *err) {
    size_t max = c->max_xml ? c->max_xml : FZ_HVTR_XML_MAX;
    int rc = 0;
    for (size_t i = 0, j; i < us->n && !rc; i = j) {
        size_t size = us->v[i].len;
        for (j = i + 1; j < us->n && size + us->v[j].len + 64 <= max; j++) size += us->v[j].len + 64;
        char name[48], count[16];
        snprintf(count, sizeof count, "%zu", j - i);
        if (!(rc = next_name(s->kind, c, report_day, seq, "XML", name, err)))
            rc = write_file(c, s, us->v + i, j - i, count, name, out);
        if (rc == FZ_ENOMEM) fz_error_set(err, rc, NULL, 0, 0, NULL, "out of memory");
    }
    return rc;
}

static void units_free(units *us) {
    for (size_t i = 0; i < us->n; i++) free(us->v[i].buf);
    free(us->v);
}

/* Drop entries that repeat a business key (after sorting). */
static size_t dedupe(fz_hvtr_entry *e, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || !same_key(&e[k - 1], &e[i])) e[k++] = e[i];
    return k;
}

int fz_hvtr_build(const fz_hvtr_config *c, char kind, fz_hvtr_entry *e, size_t n, int32_t report_day, uint32_t *seq,
                  fz_report_files *out, fz_error *err) {
    const kind_shape *s = shape_of(kind);
    if (!s) return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "kind", "'%c' is not N, C or D", kind);
    fz_rates builtin;
    if (!c->rates) fz_rates_default(&builtin);
    render r = {.c = c, .rates = c->rates ? c->rates : &builtin};
    if (n) qsort(e, n, sizeof *e, by_key);
    n = dedupe(e, n);
    units us = {0};
    int rc = render_units(&r, kind, e, n, &us);
    if (rc) fz_error_set(err, rc, NULL, 0, 0, NULL, "out of memory");
    else rc = write_files(c, s, &us, report_day, seq, out, err);
    units_free(&us);
    return rc;
}

int fz_hvtr_build_delete_day(const fz_hvtr_config *c, int32_t day, int32_t report_day, uint32_t *seq,
                             fz_report_files *out, fz_error *err) {
    const kind_shape *s = shape_of('D');
    render r = {.c = c};
    units us = {0};
    int rc = unit_begin(&r);
    if (!rc) {
        na(&r.w, "CSNM");
        day_text(&r.w, "HTDT", day);
        na(&r.w, "CRCD");
        na(&r.w, "TICD");
        r.u.records = 1;
        rc = unit_end(&r, &us);
    }
    char name[48];
    if (rc) fz_error_set(err, rc, NULL, 0, 0, NULL, "out of memory");
    else if (!(rc = next_name('D', c, report_day, seq, "XML", name, err)))
        rc = write_file(c, s, us.v, 1, NA, name, out); /* DTTN is @N in a batch deletion */
    units_free(&us);
    return rc;
}

/* ---------- bundles ---------- */

static int close_zip(fz_zip *z, const fz_hvtr_config *c, char kind, int32_t day, uint32_t *zseq, uint32_t files,
                     fz_report_files *out, fz_error *err) {
    const unsigned char *data;
    size_t len;
    char name[48];
    int rc = next_name(kind, c, day, zseq, "ZIP", name, err);
    if (rc) return rc;
    if (fz_zip_finish(z, &data, &len)) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    memcpy(copy, data, len);
    if (fz_report_files_add(out, name, copy, len, files)) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    return 0;
}

int fz_hvtr_bundle(const fz_hvtr_config *c, const fz_report_files *xml, char kind, int32_t report_day, uint32_t *zseq,
                   fz_ms mtime, fz_report_files *out, fz_error *err) {
    size_t limit = c->max_zip ? c->max_zip : FZ_HVTR_ZIP_MAX;
    fz_zip z;
    fz_zip_init(&z, mtime);
    uint32_t files = 0;
    int rc = 0;
    for (size_t i = 0; i < xml->n && !rc; i++) {
        const fz_report_file *f = &xml->v[i];
        rc = fz_zip_add(&z, f->name, f->data, f->len, limit);
        if (rc == FZ_EFULL && files) { /* full: close this bundle, start the next */
            rc = close_zip(&z, c, kind, report_day, zseq, files, out, err);
            fz_zip_free(&z);
            fz_zip_init(&z, mtime);
            files = 0;
            if (!rc) rc = fz_zip_add(&z, f->name, f->data, f->len, limit);
        }
        if (rc == FZ_EFULL) fz_error_set(err, rc, f->name, 0, 0, NULL, "alone exceeds the %zu-byte bundle limit", limit);
        else if (rc == FZ_ENOMEM || rc == FZ_EINVAL) fz_error_set(err, rc, f->name, 0, 0, NULL, "cannot add to a ZIP");
        files += !rc;
    }
    if (!rc && files) rc = close_zip(&z, c, kind, report_day, zseq, files, out, err);
    fz_zip_free(&z);
    return rc;
}
