/* fz_str_xml.c — the BSTR file of a suspicious report (fz_str_xml in
 * fz_str.h): the element tree of spec §4.3.2 in its order, every field
 * present, "@N" for what is unknown or does not apply (§9.7 note 4),
 * written with the shared XML writer (fz_xmlw.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_str.h"
#include "fz_xmlw.h"

#define NA "@N"

static const char *member(const json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* <tag> with o[k], "@N" when empty. */
static void put(fz_xmlw *w, const char *tag, const json_t *o, const char *k) { fz_xmlw_textz(w, tag, member(o, k)); }

static void na(fz_xmlw *w, const char *const *tags, size_t n) {
    for (size_t i = 0; i < n; i++) fz_xmlw_textz(w, tags[i], NA);
}

/* <list><tag seqno=1>..</tag>...</list> of the strings in a; one "@N" when empty. */
static void seq_list(fz_xmlw *w, const char *list, const char *tag, const json_t *a) {
    fz_xmlw_open(w, list, 0);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) fz_xmlw_text_seq(w, tag, (unsigned)i + 1, json_string_value(v), json_string_length(v));
    if (!json_array_size(a)) fz_xmlw_text_seq(w, tag, 1, NA, 2);
    fz_xmlw_close(w, list);
}

static void count(fz_xmlw *w, const char *tag, size_t n) {
    char buf[24];
    snprintf(buf, sizeof buf, "%zu", n);
    fz_xmlw_textz(w, tag, buf);
}

/* ---------- RBIF ---------- */

static void rbif(fz_xmlw *w, const fz_str_config *c, const json_t *r) {
    char torp[8];
    snprintf(torp, sizeof torp, "%lld", (long long)json_integer_value(json_object_get(r, "torp")));
    fz_xmlw_open(w, "RBIF", 0);
    fz_xmlw_textz(w, "RICD", c->ricd);
    fz_xmlw_textz(w, "RPNC", c->rpnc[0] ? c->rpnc : c->finc);
    put(w, "DETR", r, "detr");
    fz_xmlw_textz(w, "TORP", torp);
    put(w, "ORXN", r, "orxn");
    put(w, "DORP", r, "dorp");
    put(w, "ODRP", r, "odrp");
    put(w, "TPTR", r, "tptr");
    put(w, "OTPR", r, "otpr");
    put(w, "STCB", r, "stcb");
    put(w, "AOSP", r, "aosp");
    seq_list(w, "TOSCs", "TOSC", json_object_get(r, "tosc"));
    seq_list(w, "STCRs", "STCR", json_object_get(r, "stcr"));
    count(w, "SETN", json_array_size(json_object_get(r, "subjects")));
    count(w, "STNM", json_array_size(json_object_get(r, "transactions")));
    put(w, "RPNM", r, "rpnm");
    put(w, "MIRS", r, "mirs");
    fz_xmlw_close(w, "RBIF");
}

/* ---------- SEIFs: the subjects ---------- */

static void srif(fz_xmlw *w, const json_t *s) {
    const json_t *rep = json_object_get(s, "legal_rep"), *ctl = json_object_get(s, "controller");
    fz_xmlw_open(w, "SRIF", 0);
    put(w, "SRNM", rep, "name");
    put(w, "SRIT", rep, "id_type");
    fz_xmlw_textz(w, "ORIT", NA);
    put(w, "SRID", rep, "id_number");
    put(w, "SCNM", ctl, "name");
    put(w, "SCIT", ctl, "id_type");
    fz_xmlw_textz(w, "OCIT", NA);
    put(w, "SCID", ctl, "id_number");
    fz_xmlw_close(w, "SRIF");
}

static void seif(fz_xmlw *w, unsigned seq, const json_t *s) {
    fz_xmlw_open(w, "SEIF", seq);
    put(w, "CSNM", s, "csnm");
    put(w, "SEVC", s, "occupation");
    fz_xmlw_open(w, "SIIFs", 0);
    fz_xmlw_open(w, "SIIF", 1);
    put(w, "SENM", s, "name");
    put(w, "SETP", s, "id_type");
    fz_xmlw_textz(w, "OITP", NA);
    put(w, "SEID", s, "id_number");
    fz_xmlw_close(w, "SIIF");
    fz_xmlw_close(w, "SIIFs");
    seq_list(w, "STNTs", "STNT", json_object_get(s, "nationalities"));
    fz_xmlw_open(w, "SCIF", 0);
    seq_list(w, "SCTLs", "SCTL", json_object_get(s, "phones"));
    seq_list(w, "SEARs", "SEAR", json_object_get(s, "addresses"));
    seq_list(w, "SEEIs", "SEEI", json_object_get(s, "contacts"));
    fz_xmlw_close(w, "SCIF");
    srif(w, s);
    fz_xmlw_close(w, "SEIF");
}

/* ---------- STIFs: the transactions ---------- */

static void party(fz_xmlw *w, const json_t *t, const fz_str_config *c) {
    fz_xmlw_open(w, "RINI", 0);
    fz_xmlw_textz(w, "FINC", c->finc);
    fz_xmlw_textz(w, "RLFC", "00");
    fz_xmlw_close(w, "RINI");
    fz_xmlw_open(w, "CIIF", 0);
    put(w, "CTNM", t, "name");
    put(w, "CITP", t, "id_type");
    fz_xmlw_textz(w, "OITP", NA);
    put(w, "CTID", t, "id_number");
    put(w, "CSNM", t, "csnm");
    fz_xmlw_close(w, "CIIF");
    fz_xmlw_open(w, "ATIF", 0);
    fz_xmlw_textz(w, "CATP", NA);
    put(w, "CTAC", t, "account");
    put(w, "OATM", t, "oatm");
    put(w, "CATM", t, "catm");
    static const char *const card[] = {"CBCT", "OCBT", "CBCN"};
    na(w, card, 3);
    fz_xmlw_close(w, "ATIF");
    fz_xmlw_open(w, "TBIF", 0);
    static const char *const agent[] = {"TBNM", "TBIT", "OITP", "TBID", "TBNT"};
    na(w, agent, 5);
    fz_xmlw_close(w, "TBIF");
}

static void tsif(fz_xmlw *w, const json_t *t, const fz_str_config *c) {
    fz_xmlw_open(w, "TSIF", 0);
    put(w, "TSTM", t, "tstm");
    fz_xmlw_textz(w, "TRCD", c->trcd);
    put(w, "TICD", t, "ticd");
    put(w, "RPMT", t, "rpmt");
    put(w, "RPMN", t, "rpmn");
    put(w, "TSTP", t, "tstp");
    put(w, "OCTT", t, "octt");
    put(w, "OOCT", t, "ooct");
    put(w, "OCEC", t, "ocec");
    static const char *const codes[] = {"BPTC", "TSCT"};
    na(w, codes, 2);
    put(w, "TSDR", t, "tsdr");
    put(w, "CRSP", t, "crsp");
    put(w, "CRTP", t, "currency");
    put(w, "CRAT", t, "crat");
    fz_xmlw_close(w, "TSIF");
}

static void tcif(fz_xmlw *w, const json_t *t) {
    fz_xmlw_open(w, "TCIF", 0);
    fz_xmlw_textz(w, "CFIN", NA);
    fz_xmlw_textz(w, "CFCT", *member(t, "counterparty_bank") ? "99" : NA);
    put(w, "CFIC", t, "counterparty_bank");
    static const char *const who[] = {"CFRC", "TCNM", "TCIT", "OITP", "TCID", "TCAT"};
    na(w, who, 6);
    put(w, "TCAC", t, "counterparty_account");
    fz_xmlw_close(w, "TCIF");
    fz_xmlw_open(w, "ROTFs", 0);
    fz_xmlw_text_seq(w, "ROTF", 1, NA, 2);
    fz_xmlw_close(w, "ROTFs");
}

static void stif(fz_xmlw *w, unsigned seq, const json_t *t, const fz_str_config *c) {
    fz_xmlw_open(w, "STIF", seq);
    party(w, t, c);
    tsif(w, t, c);
    tcif(w, t);
    fz_xmlw_close(w, "STIF");
}

int fz_str_xml(const fz_str_config *c, const json_t *r, char **out, size_t *n, fz_error *err) {
    *out = NULL;
    *n = 0;
    if (strlen(c->ricd) != 14)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "ricd", "the institution code (RICD) is not configured: fanzha serve --ricd");
    FILE *f = open_memstream(out, n);
    if (!f) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    fz_xmlw w;
    fz_xmlw_init(&w, f, NA);
    fz_xmlw_decl(&w);
    fz_xmlw_open(&w, "BSTR", 0);
    rbif(&w, c, r);
    size_t i;
    json_t *x;
    fz_xmlw_open(&w, "SEIFs", 0);
    json_array_foreach(json_object_get(r, "subjects"), i, x) seif(&w, (unsigned)i + 1, x);
    fz_xmlw_close(&w, "SEIFs");
    fz_xmlw_open(&w, "STIFs", 0);
    json_array_foreach(json_object_get(r, "transactions"), i, x) stif(&w, (unsigned)i + 1, x, c);
    fz_xmlw_close(&w, "STIFs");
    fz_xmlw_close(&w, "BSTR");
    if (fclose(f)) {
        free(*out);
        *out = NULL;
        return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    return 0;
}
