/* test_reader.c — every input format, rejects, gzip, round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "fz_native.h"
#include "fz_reader.h"

#define FIX "tests/fixtures/io/"
#define MAXREC 16

/* All records and reject messages of one input; the reader stays open so
 * the records' views stay valid. */
typedef struct {
    fz_reader *r;
    int n, nrej;
    fz_txn t[MAXREC];
    char rej[MAXREC][300];
    int order[2 * MAXREC]; /* 1 = record, 0 = reject, in file order */
} got;

static void drain(got *g) {
    fz_error err;
    fz_txn t;
    int rc, k = 0;
    while ((rc = fz_reader_next(g->r, &t, &err)) != 0) {
        assert_true(rc == 1 || rc == FZ_EREJECT);
        assert_true(k < 2 * MAXREC);
        if (rc == 1) {
            assert_true(g->n < MAXREC);
            g->t[g->n++] = t;
        } else {
            assert_true(g->nrej < MAXREC);
            assert_int_equal(err.code, FZ_EREJECT);
            fz_error_format(&err, g->rej[g->nrej++], sizeof g->rej[0]);
        }
        g->order[k++] = rc == 1;
    }
}

static got *read_path(const char *path, const fz_read_opts *opts) {
    got *g = calloc(1, sizeof *g);
    fz_error err;
    int rc = fz_reader_open(&g->r, path, opts, &err);
    if (rc != 0) {
        char buf[400];
        fz_error_format(&err, buf, sizeof buf);
        fail_msg("open %s: %s", path, buf);
    }
    drain(g);
    return g;
}

static got *read_mem(const char *text, const fz_read_opts *opts) {
    got *g = calloc(1, sizeof *g);
    fz_error err;
    int rc = fz_reader_open_mem(&g->r, "mem", text, strlen(text), opts, &err);
    if (rc != 0) {
        char buf[400];
        fz_error_format(&err, buf, sizeof buf);
        fail_msg("open mem: %s", buf);
    }
    drain(g);
    return g;
}

static void got_free(got *g) {
    fz_reader_close(g->r);
    free(g);
}

static void str_is(fz_str s, const char *want) {
    if (s.n != strlen(want) || memcmp(s.p, want, s.n) != 0)
        fail_msg("got '%.*s', want '%s'", (int)s.n, s.p, want);
}

static fz_ms ms(const char *iso) {
    fz_ms t;
    assert_int_equal(fz_time_parse(iso, strlen(iso), &t), 0);
    return t;
}

/* An open that must fail; returns the formatted error. */
static int open_fails(const char *text, const fz_read_opts *opts, char *buf, size_t n) {
    fz_reader *r = (fz_reader *)1;
    fz_error err;
    int rc = fz_reader_open_mem(&r, "bad.csv", text, strlen(text), opts, &err);
    assert_true(rc < 0);
    assert_null(r);
    fz_error_format(&err, buf, n);
    return rc;
}

/* ---- formats ---------------------------------------------------------- */

static void test_format_names(void **state) {
    (void)state;
    for (int f = 0; f < FZ_FMT__COUNT; f++) {
        fz_format back;
        assert_int_equal(fz_format_parse(fz_format_name((fz_format)f), &back), 0);
        assert_int_equal(back, f);
    }
    fz_format x;
    assert_int_equal(fz_format_parse("IBM-Patterns", &x), 0);
    assert_int_equal(x, FZ_FMT_IBM_PATTERNS);
    assert_int_equal(fz_format_parse("xml", &x), FZ_ENOTFOUND);
}

static void test_native_crlf_quoted(void **state) {
    (void)state;
    got *g = read_path(FIX "native_crlf.csv", NULL);
    assert_int_equal(fz_reader_format(g->r), FZ_FMT_NATIVE_CSV);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->nrej, 0);
    fz_txn *a = &g->t[0], *b = &g->t[1], *c = &g->t[2];
    str_is(a->id, "t1");
    assert_int_equal(a->time, ms("2017-01-01T00:00:00Z"));
    assert_int_equal(a->amount, 123456);
    assert_int_equal(a->currency, FZ_CCY_CNY);
    assert_int_equal(a->channel, FZ_CH_ONLINE);
    assert_int_equal(a->payer_party, FZ_PARTY_NATURAL);
    assert_int_equal(a->label, 1);
    assert_int_equal(a->group, 7);
    str_is(a->typology, "fan_in");
    assert_int_equal(a->src_line, 2);
    str_is(b->payer_acct, "A \"quoted\", acct");
    str_is(b->payee_acct, "multi\r\nline");
    assert_int_equal(b->time, 1483228800000LL);
    assert_int_equal(b->amount, 100000);
    assert_int_equal(b->currency, FZ_CCY('U', 'S', 'D'));
    assert_int_equal(b->kind, FZ_KIND_PAYMENT);
    assert_int_equal(b->flags & FZ_TXN_CROSS_BORDER, FZ_TXN_CROSS_BORDER);
    assert_int_equal(b->payer_party, FZ_PARTY_ENTITY);
    assert_int_equal(b->label, 0);
    assert_int_equal(b->group, -1);
    assert_int_equal(b->typology.n, 0);
    assert_int_equal(b->src_line, 3);
    assert_int_equal(c->src_line, 5); /* the quoted line break counted */
    assert_int_equal(c->amount, 50000000); /* XBT: 8 decimals */
    assert_int_equal(c->kind, FZ_KIND_CASH_DEPOSIT);
    assert_int_equal(c->label, -1);
    assert_int_equal(c->flags, 0);
    assert_int_equal(fz_reader_pos(g->r), fz_reader_size(g->r));
    got_free(g);
}

static void test_native_rejects(void **state) {
    (void)state;
    got *g = read_path(FIX "native_bad.csv", NULL);
    static const char *const want[] = {
        FIX "native_bad.csv:3: time: not an ISO 8601 time or epoch milliseconds: '2017-13-01T00:00:00Z'",
        FIX "native_bad.csv:4: amount: not a decimal amount with at most 2 decimals: '12.345'",
        FIX "native_bad.csv:5: label: not empty, 0 or 1: '2'",
        FIX "native_bad.csv:6: payer_acct: missing (only a cash deposit or remittance may lack it)",
        FIX "native_bad.csv:7: payer_bal_after: missing while payer_bal_before is given",
        FIX "native_bad.csv:8: 3 fields, expected 7",
        FIX "native_bad.csv:9: text after a closing quote",
        FIX "native_bad.csv:10: empty line",
        FIX "native_bad.csv:11: amount: negative: '-1.00'",
    };
    assert_int_equal(g->nrej, 9);
    for (int i = 0; i < 9; i++) assert_string_equal(g->rej[i], want[i]);
    assert_int_equal(g->n, 2); /* the trailing blank line is no reject */
    fz_txn *t = &g->t[1];
    assert_int_equal(t->src_line, 12);
    assert_int_equal(t->flags, FZ_TXN_HAS_PAYER_BAL);
    assert_int_equal(t->payer_bal_before, 10000);
    assert_int_equal(t->payer_bal_after, 9300);
    got_free(g);
}

static void test_reject_line_text(void **state) {
    (void)state;
    fz_reader *r;
    fz_error err;
    const char *text = "time,payer_acct,payee_acct,amount\n2017-01-01,A,B,x\n";
    assert_int_equal(fz_reader_open_mem(&r, "m", text, strlen(text), NULL, &err), 0);
    fz_txn t;
    assert_int_equal(fz_reader_next(r, &t, &err), FZ_EREJECT);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "amount");
    str_is(fz_reader_line(r), "2017-01-01,A,B,x");
    assert_int_equal(fz_reader_next(r, &t, &err), 0);
    fz_reader_close(r);
}

static void test_header_errors(void **state) {
    (void)state;
    char buf[400];
    assert_int_equal(open_fails("time,payer_acct,payee_acct,ammount,colour\n", NULL, buf, sizeof buf), FZ_EFORMAT);
    assert_string_equal(buf, "bad.csv:1: native header: unknown columns: 'ammount', 'colour'");
    assert_int_equal(open_fails("time,payer_acct,amount,amount\n", NULL, buf, sizeof buf), FZ_EFORMAT);
    assert_string_equal(buf, "bad.csv:1: native header: duplicate columns: 'amount'");
    assert_int_equal(open_fails("time,payer_acct\n", NULL, buf, sizeof buf), FZ_EFORMAT);
    assert_string_equal(buf, "bad.csv:1: native header: missing required columns: 'payee_acct', 'amount'");
    assert_int_equal(open_fails("a,b,c\n1,2,3\n", NULL, buf, sizeof buf), FZ_EFORMAT);
    assert_string_equal(buf, "bad.csv:1: header matches no known format (native, jsonl, ibm, ibm-patterns, "
                             "amlsim, paysim): 'a,b,c'");
    assert_int_equal(open_fails("", NULL, buf, sizeof buf), FZ_EFORMAT);
    assert_string_equal(buf, "bad.csv: empty file: no header line");
    fz_read_opts o = {.format = FZ_FMT_PAYSIM};
    assert_int_equal(open_fails("time,payer_acct,payee_acct,amount\n", &o, buf, sizeof buf), FZ_EFORMAT);
    assert_string_equal(buf, "bad.csv:1: header is not a paysim header: 'time,payer_acct,payee_acct,amount'");
}

static void test_missing_file(void **state) {
    (void)state;
    fz_reader *r;
    fz_error err;
    assert_int_equal(fz_reader_open(&r, FIX "no-such-file.csv", NULL, &err), FZ_EIO);
    char buf[400];
    fz_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, FIX "no-such-file.csv: open: No such file or directory");
}

static void test_jsonl(void **state) {
    (void)state;
    got *g = read_path(FIX "sample.jsonl", NULL);
    assert_int_equal(fz_reader_format(g->r), FZ_FMT_JSONL);
    assert_int_equal(g->n, 3);
    fz_txn *a = &g->t[0], *b = &g->t[1], *c = &g->t[2];
    assert_int_equal(a->amount, 123456);
    assert_int_equal(a->label, 1);
    assert_int_equal(a->group, 3);
    str_is(a->typology, "fan_in");
    str_is(b->id, "j2");
    str_is(b->payer_acct, "A \"q\" \xc3\xa9");
    assert_int_equal(b->amount, 1250); /* a JSON number */
    assert_int_equal(b->time, 1483228800000LL);
    assert_int_equal(b->label, -1);
    assert_int_equal(b->flags, FZ_TXN_CROSS_BORDER);
    assert_int_equal(b->channel, FZ_CH_MOBILE);
    assert_int_equal(c->currency, FZ_CCY('X', 'B', 'T'));
    assert_int_equal(c->amount, 1);
    assert_int_equal(c->payer_bal_after, 99999999);
    assert_int_equal(c->src_line, 7);
    static const char *const want[] = {
        FIX "sample.jsonl:3: colour: unknown field",
        FIX "sample.jsonl:4: not valid JSON: '{' expected: a JSON object (column 1)",
        FIX "sample.jsonl:5: not valid JSON: '{' expected: a JSON object (column 1)",
        FIX "sample.jsonl:6: amount: not a decimal amount with at most 2 decimals: '1.234'",
    };
    assert_int_equal(g->nrej, 4);
    for (int i = 0; i < 4; i++) assert_string_equal(g->rej[i], want[i]);
    got_free(g);
}

static void test_ibm(void **state) {
    (void)state;
    got *g = read_path(FIX "ibm.csv", NULL);
    assert_int_equal(fz_reader_format(g->r), FZ_FMT_IBM);
    assert_int_equal(g->n, 9);
    fz_txn *t = g->t;
    assert_int_equal(t[0].time, ms("2022-09-01T00:20:00Z"));
    str_is(t[0].payer_acct, "010,8000EBD30");
    str_is(t[0].payer_bank, "010");
    assert_int_equal(t[0].kind, FZ_KIND_OTHER);           /* Reinvestment */
    assert_int_equal(t[1].channel, FZ_CH_COUNTER);        /* Cheque */
    assert_int_equal(t[1].kind, FZ_KIND_TRANSFER);
    assert_int_equal(t[1].amount, 1);
    str_is(t[1].payee_acct, "001,8000F5340");
    assert_ptr_equal(t[1].payee_bank.p, t[1].payee_acct.p); /* a view, no copy */
    assert_int_equal(t[3].currency, FZ_CCY('E', 'U', 'R'));
    assert_int_equal(t[3].channel, FZ_CH_ONLINE);         /* ACH */
    assert_int_equal(t[3].label, 1);
    assert_int_equal(t[4].currency, FZ_CCY('J', 'P', 'Y'));
    assert_int_equal(t[4].amount, 100000000);             /* yen with cents */
    assert_int_equal(t[4].kind, FZ_KIND_CASH_REMITTANCE); /* Cash */
    assert_int_equal(t[5].currency, FZ_CCY_USD);          /* paid, not received */
    assert_int_equal(t[5].amount, 150);
    assert_int_equal(t[5].flags, FZ_TXN_CROSS_BORDER);
    assert_int_equal(t[6].flags, FZ_TXN_CROSS_BORDER);
    assert_int_equal(t[0].flags, 0);
    assert_int_equal(t[7].channel, FZ_CH_POS);            /* Credit Card */
    assert_int_equal(t[7].kind, FZ_KIND_PAYMENT);
    str_is(t[8].payer_acct, "021,800149B00"); /* quoted fields: a copy */
    str_is(t[8].payee_acct, "020,80014A9E0");
    assert_int_equal(t[8].src_line, 12);
    for (int i = 0; i < g->n; i++) {
        assert_int_equal(t[i].id.n, 0);
        assert_int_equal(t[i].group, -1);
    }
    assert_int_equal(g->nrej, 2);
    assert_string_equal(g->rej[0], FIX "ibm.csv:10: Payment Format: unknown payment format 'Carrier Pigeon'");
    assert_string_equal(g->rej[1], FIX "ibm.csv:11: Receiving Currency: unknown currency 'Zorkmid'");
    got_free(g);
}

static void test_ibm_patterns(void **state) {
    (void)state;
    got *g = read_path(FIX "ibm_patterns.txt", NULL);
    assert_int_equal(fz_reader_format(g->r), FZ_FMT_IBM_PATTERNS);
    assert_int_equal(g->n, 4);
    str_is(g->t[0].typology, "FAN-IN");
    assert_int_equal(g->t[0].group, 0);
    assert_int_equal(g->t[1].group, 0);
    str_is(g->t[2].typology, "CYCLE"); /* ":  Max 12 hops" dropped */
    assert_int_equal(g->t[2].group, 1);
    assert_int_equal(g->t[2].currency, FZ_CCY_CNY);
    str_is(g->t[3].typology, "STACK");
    assert_int_equal(g->t[3].group, 2);
    for (int i = 0; i < 4; i++) assert_int_equal(g->t[i].label, 1);
    assert_int_equal(g->nrej, 3);
    assert_string_equal(g->rej[0], FIX "ibm_patterns.txt:10: transaction outside a BEGIN/END LAUNDERING ATTEMPT block");
    assert_string_equal(g->rej[1], FIX "ibm_patterns.txt:11: END without a BEGIN");
    assert_string_equal(g->rej[2], FIX "ibm_patterns.txt:13: end of file inside attempt 2 (STACK): no END line");
    got_free(g);
}

static void test_amlsim(void **state) {
    (void)state;
    got *g = read_path(FIX "amlsim.csv", NULL);
    assert_int_equal(fz_reader_format(g->r), FZ_FMT_AMLSIM);
    assert_int_equal(g->n, 3);
    fz_txn *t = g->t;
    str_is(t[0].id, "1");
    str_is(t[0].payer_acct, "2397");
    str_is(t[0].payee_bank, "bank_a");
    assert_int_equal(t[0].amount, 13551);
    assert_int_equal(t[0].currency, FZ_CCY_CNY);
    assert_int_equal(t[0].channel, FZ_CH_UNKNOWN);
    assert_int_equal(t[0].label, 0);
    assert_int_equal(t[0].group, -1);
    assert_int_equal(t[0].typology.n, 0);
    assert_int_equal(t[1].label, 1);
    assert_int_equal(t[1].group, 17);
    str_is(t[1].typology, "fan_in");
    assert_int_equal(t[2].label, 0); /* a decoy: typology on a label-0 row */
    str_is(t[2].typology, "cycle");
    assert_int_equal(t[2].time, ms("2017-01-02T00:00:00Z"));
    assert_int_equal(g->nrej, 1);
    assert_string_equal(g->rej[0], FIX "amlsim.csv:5: base_amt: not a decimal amount with at most 2 decimals: '5x8.15'");
    got_free(g);
    fz_read_opts o = {.currency = FZ_CCY_USD};
    g = read_path(FIX "amlsim.csv", &o);
    assert_int_equal(g->t[0].currency, FZ_CCY_USD);
    got_free(g);
}

static void test_paysim(void **state) {
    (void)state;
    got *g = read_path(FIX "paysim.csv", NULL);
    assert_int_equal(fz_reader_format(g->r), FZ_FMT_PAYSIM);
    assert_int_equal(g->n, 5);
    fz_txn *t = g->t;
    const fz_ms epoch = ms("2020-01-01T00:00:00Z");
    /* TRANSFER: nameOrig pays nameDest; both balances move. */
    assert_int_equal(t[0].time, epoch);
    assert_int_equal(t[0].kind, FZ_KIND_TRANSFER);
    str_is(t[0].payer_acct, "C3575379183");
    str_is(t[0].payee_acct, "CC9973131758");
    assert_int_equal(t[0].flags, FZ_TXN_HAS_PAYER_BAL | FZ_TXN_HAS_PAYEE_BAL);
    assert_int_equal(t[0].payer_bal_before - t[0].payer_bal_after, t[0].amount);
    assert_int_equal(t[0].payee_bal_after - t[0].payee_bal_before, t[0].amount);
    assert_int_equal(t[0].label, 1);
    assert_int_equal(t[0].channel, FZ_CH_MOBILE);
    /* CASH_OUT: cash out of nameOrig; the agent's balance is not tracked. */
    assert_int_equal(t[1].kind, FZ_KIND_CASH_WITHDRAWAL);
    str_is(t[1].payer_acct, "CC9973131758");
    assert_int_equal(t[1].flags, FZ_TXN_HAS_PAYER_BAL);
    assert_int_equal(t[1].payer_bal_before - t[1].payer_bal_after, t[1].amount);
    /* CASH_IN: cash into nameOrig, so nameOrig is the payee. */
    assert_int_equal(t[2].time, epoch + FZ_MS_PER_HOUR);
    assert_int_equal(t[2].kind, FZ_KIND_CASH_DEPOSIT);
    str_is(t[2].payer_acct, "M7685478401");
    str_is(t[2].payee_acct, "C2767319811");
    assert_int_equal(t[2].flags, FZ_TXN_HAS_PAYEE_BAL);
    assert_int_equal(t[2].payee_bal_before, 1842413);
    assert_int_equal(t[2].payee_bal_after, 33585645);
    /* PaySim's own rounding: the balance rises by amount within a cent. */
    assert_true(llabs(t[2].payee_bal_after - t[2].payee_bal_before - t[2].amount) <= 1);
    assert_int_equal(t[3].kind, FZ_KIND_PAYMENT);
    assert_int_equal(t[3].payee_bal_after - t[3].payee_bal_before, t[3].amount);
    assert_int_equal(t[4].kind, FZ_KIND_DEBIT);
    assert_int_equal(t[4].flags, FZ_TXN_HAS_PAYER_BAL);
    assert_int_equal(t[4].payer_bal_before - t[4].payer_bal_after, t[4].amount);
    assert_int_equal(g->nrej, 1);
    assert_string_equal(g->rej[0], FIX "paysim.csv:7: action: unknown action 'REFUND'");
    got_free(g);
    fz_read_opts o = {.hide_balances = 1};
    g = read_path(FIX "paysim.csv", &o);
    for (int i = 0; i < g->n; i++) assert_int_equal(g->t[i].flags, 0);
    got_free(g);
}

static void test_forced_format_and_bom(void **state) {
    (void)state;
    fz_read_opts o = {.format = FZ_FMT_JSONL, .file_index = 3};
    got *g = read_mem("\xEF\xBB\xBF{\"time\":\"2017-01-01\",\"payer_acct\":\"a\",\"payee_acct\":\"b\",\"amount\":\"1\"}\n", &o);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->t[0].src_file, 3);
    assert_int_equal(g->t[0].amount, 100);
    got_free(g);
    o.format = FZ_FMT_JSONL;
    g = read_mem("", &o); /* an empty JSON lines file is just empty */
    assert_int_equal(g->n + g->nrej, 0);
    got_free(g);
}

static void test_time_range(void **state) {
    (void)state;
    /* Epoch ms whose year has five digits could not be written back. */
    got *g = read_mem("time,payer_acct,payee_acct,amount\n99999999999999999,A,B,1\n-62135596800000,A,B,1\n", NULL);
    assert_int_equal(g->nrej, 1);
    assert_string_equal(g->rej[0], "mem:2: time: out of range (years 0001-9999): '99999999999999999'");
    assert_int_equal(g->n, 1);
    assert_int_equal(g->t[0].time, -62135596800000LL); /* 0001-01-01 is fine */
    got_free(g);
}

static void test_json_writer_text(void **state) {
    (void)state;
    fz_txn t;
    memset(&t, 0, sizeof t);
    t.time = 1483228800000LL;
    t.payer_acct = FZ_STR_LIT("A\"1");
    t.payee_acct = FZ_STR_LIT("B\xff");
    t.amount = 123456;
    t.currency = FZ_CCY_CNY;
    t.kind = FZ_KIND_CASH_DEPOSIT;
    t.channel = FZ_CH_COUNTER;
    t.label = -1;
    t.group = -1;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(fz_native_write_json(f, &t), 0);
    assert_int_equal(fz_native_write_row(f, &t), 0);
    fclose(f);
    assert_string_equal(buf,
                        "{\"time\":\"2017-01-01T00:00:00.000Z\",\"payer_acct\":\"A\\\"1\",\"payee_acct\":\"B\\u00ff\","
                        "\"amount\":\"1234.56\",\"currency\":\"CNY\",\"channel\":\"counter\",\"kind\":\"cash_deposit\","
                        "\"cross_border\":false,\"label\":null}\n"
                        ",2017-01-01T00:00:00.000Z,\"A\"\"1\",,,,B\xff,,,,1234.56,CNY,counter,cash_deposit,0,,,,,,,,,,0\n");
    free(buf);
}

/* ---- gzip and pipes ---------------------------------------------------- */

static char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    *n = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

/* gzip `n` bytes into path, as `members` concatenated gzip members. */
static void write_gz(const char *path, const char *data, size_t n, int members) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    size_t per = n / (size_t)members;
    for (int m = 0; m < members; m++) {
        size_t len = m == members - 1 ? n - per * (size_t)m : per;
        uLongf cap = compressBound(len) + 64;
        unsigned char *out = malloc(cap);
        z_stream z = {0};
        assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
        z.next_in = (unsigned char *)(uintptr_t)(data + per * (size_t)m);
        z.avail_in = (uInt)len;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        fwrite(out, 1, cap - z.avail_out, f);
        deflateEnd(&z);
        free(out);
    }
    fclose(f);
}

static void test_gzip(void **state) {
    (void)state;
    size_t n;
    char *plain = slurp(FIX "amlsim.csv", &n);
    char path[] = "/tmp/fz_test_gz_XXXXXX"; /* no .gz suffix: the magic decides */
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    for (int members = 1; members <= 3; members += 2) {
        write_gz(path, plain, n, members);
        got *g = read_path(path, NULL);
        assert_int_equal(fz_reader_format(g->r), FZ_FMT_AMLSIM);
        assert_int_equal(g->n, 3);
        assert_int_equal(g->nrej, 1);
        assert_int_equal(fz_reader_size(g->r), n);
        str_is(g->t[1].typology, "fan_in");
        got_free(g);
    }
    /* A cut-off file is a fatal I/O error, not a short read. */
    FILE *f = fopen(path, "rb");
    unsigned char gz[4096];
    size_t gn = fread(gz, 1, sizeof gz, f);
    fclose(f);
    assert_true(truncate(path, (off_t)(gn - 10)) == 0);
    fz_reader *r;
    fz_error err;
    assert_int_equal(fz_reader_open(&r, path, NULL, &err), FZ_EIO);
    char buf[400];
    fz_error_format(&err, buf, sizeof buf);
    char want[400];
    snprintf(want, sizeof want, "%s: gzip data is damaged: truncated", path);
    assert_string_equal(buf, want);
    unlink(path);
    free(plain);
}

static void test_stdin_pipe(void **state) {
    (void)state;
    size_t n;
    char *plain = slurp(FIX "paysim.csv", &n);
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], plain, n), (ssize_t)n); /* fits the pipe buffer */
    close(p[1]);
    int saved = dup(0);
    dup2(p[0], 0);
    close(p[0]);
    got *g = read_path("-", NULL);
    dup2(saved, 0);
    close(saved);
    assert_int_equal(fz_reader_format(g->r), FZ_FMT_PAYSIM);
    assert_int_equal(g->n, 5);
    got_free(g);
    free(plain);
}

/* ---- round trips -------------------------------------------------------- */

static void same_str(fz_str a, fz_str b) {
    if (!fz_str_eq(a, b)) fail_msg("'%.*s' != '%.*s'", (int)a.n, a.p, (int)b.n, b.p);
}

static void same_txn(const fz_txn *a, const fz_txn *b) {
    same_str(a->id, b->id);
    assert_int_equal(a->time, b->time);
    same_str(a->payer_acct, b->payer_acct);
    same_str(a->payer_bank, b->payer_bank);
    same_str(a->payer_cust, b->payer_cust);
    same_str(a->payee_acct, b->payee_acct);
    same_str(a->payee_bank, b->payee_bank);
    same_str(a->payee_cust, b->payee_cust);
    assert_int_equal(a->amount, b->amount);
    assert_int_equal(a->currency, b->currency);
    assert_int_equal(a->channel, b->channel);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->payer_party, b->payer_party);
    assert_int_equal(a->payee_party, b->payee_party);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->label, b->label);
    same_str(a->typology, b->typology);
    assert_int_equal(a->group, b->group);
    same_str(a->device, b->device);
    same_str(a->ip, b->ip);
    if (a->flags & FZ_TXN_HAS_PAYER_BAL) {
        assert_int_equal(a->payer_bal_before, b->payer_bal_before);
        assert_int_equal(a->payer_bal_after, b->payer_bal_after);
    }
    if (a->flags & FZ_TXN_HAS_PAYEE_BAL) {
        assert_int_equal(a->payee_bal_before, b->payee_bal_before);
        assert_int_equal(a->payee_bal_after, b->payee_bal_after);
    }
}

/* Every fixture's records, written out and read back, come back equal. */
static void round_trip(int json) {
    static const char *const files[] = {FIX "native_crlf.csv", FIX "sample.jsonl", FIX "ibm.csv",
                                        FIX "ibm_patterns.txt", FIX "amlsim.csv", FIX "paysim.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        got *g = read_path(files[i], NULL);
        /* Exercise what the fixtures lack: customers, device, ip, odd text. */
        g->t[0].payer_cust = FZ_STR_LIT("cust,1");
        g->t[0].payee_cust = FZ_STR_LIT("c\"2");
        g->t[0].device = FZ_STR_LIT("dev\n\t\x01");
        g->t[0].ip = FZ_STR_LIT("10.0.0.1");
        g->t[0].payee_party = FZ_PARTY_ENTITY;
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!json) assert_int_equal(fz_native_write_header(f), 0);
        for (int k = 0; k < g->n; k++)
            assert_int_equal(json ? fz_native_write_json(f, &g->t[k]) : fz_native_write_row(f, &g->t[k]), 0);
        fclose(f);
        got *back = read_mem(buf, NULL);
        assert_int_equal(fz_reader_format(back->r), json ? FZ_FMT_JSONL : FZ_FMT_NATIVE_CSV);
        assert_int_equal(back->nrej, 0);
        assert_int_equal(back->n, g->n);
        for (int k = 0; k < g->n; k++) same_txn(&g->t[k], &back->t[k]);
        got_free(back);
        got_free(g);
        free(buf);
    }
}

static void test_round_trip_csv(void **state) {
    (void)state;
    round_trip(0);
}

static void test_round_trip_json(void **state) {
    (void)state;
    round_trip(1);
}

static void test_native_header_order(void **state) {
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fz_native_write_header(f);
    fclose(f);
    assert_string_equal(buf, "id,time,payer_acct,payer_bank,payer_cust,payer_party,payee_acct,payee_bank,"
                             "payee_cust,payee_party,amount,currency,channel,kind,cross_border,device,ip,"
                             "payer_bal_before,payer_bal_after,payee_bal_before,payee_bal_after,label,"
                             "typology,group,exempt\n");
    free(buf);
}

/* ---- real data ---------------------------------------------------------- */

static void test_amlsim_12k(void **state) {
    (void)state;
    const char *path = "../shared/data/amlsim-12k/transactions.csv.gz";
    if (access(path, R_OK) != 0) skip();
    fz_reader *r;
    fz_error err;
    assert_int_equal(fz_reader_open(&r, path, NULL, &err), 0);
    assert_int_equal(fz_reader_format(r), FZ_FMT_AMLSIM);
    fz_txn t;
    long rows = 0, rejects = 0, pos = 0;
    int rc;
    while ((rc = fz_reader_next(r, &t, &err)) != 0) {
        assert_true(rc == 1 || rc == FZ_EREJECT);
        if (rc == 1) {
            rows++;
            pos += t.label == 1;
        } else rejects++;
    }
    assert_int_equal(rows, 200084);
    assert_int_equal(rejects, 0);
    assert_int_equal(pos, 1452);
    fz_reader_close(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_native_crlf_quoted),
        cmocka_unit_test(test_native_rejects),
        cmocka_unit_test(test_reject_line_text),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_ibm),
        cmocka_unit_test(test_ibm_patterns),
        cmocka_unit_test(test_amlsim),
        cmocka_unit_test(test_paysim),
        cmocka_unit_test(test_forced_format_and_bom),
        cmocka_unit_test(test_time_range),
        cmocka_unit_test(test_json_writer_text),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_stdin_pipe),
        cmocka_unit_test(test_native_header_order),
        cmocka_unit_test(test_round_trip_csv),
        cmocka_unit_test(test_round_trip_json),
        cmocka_unit_test(test_amlsim_12k),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
