/* test_snapshot.c — an engine saved after some transactions and loaded into
 * a new engine scores the rest exactly as the original does: same
 * decisions, same state digest. A snapshot of another configuration, or a
 * damaged one, is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fz_engine.h"
#include "fz_reader.h"

#define DAY "tests/fixtures/scan/small.csv"

static fz_engine *engine(const char *windows) {
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    fz_error err;
    if (windows) assert_int_equal(fz_engine_config_windows(&cfg, windows, &err), 0);
    fz_engine *e;
    assert_int_equal(fz_engine_new(&e, &cfg, &err), 0);
    return e;
}

/* The shipped packs and the graph patterns: the engines keep the graph. */
static fz_ruleset *packs(fz_engine *e) {
    static const char *const paths[] = {"rules/pboc-large-value.rules", "rules/typologies.rules",
                                        "rules/limits.rules", "rules/patterns.rules"};
    fz_ruleset *rs;
    fz_error err;
    assert_int_equal(fz_rules_load(&rs, paths, 4, fz_engine_schema(e), &err), 0);
    return rs;
}

static void save_load_continue(void **state) {
    (void)state;
    fz_read_opts o = {0};
    fz_reader *r;
    fz_error err;
    assert_int_equal(fz_reader_open(&r, DAY, &o, &err), 0);
    fz_engine *a = engine(NULL), *b = engine(NULL);
    fz_ruleset *rs = packs(a);
    assert_int_equal(fz_engine_set_rules(a, rs), 0);
    assert_int_equal(fz_engine_set_rules(b, rs), 0);
    fz_txn t;
    fz_decision da, db;
    int n = 0, rc;
    FILE *f = tmpfile();
    while ((rc = fz_reader_next(r, &t, &err)) != 0) {
        if (rc != 1) continue; /* the fixture's deliberate rejects */
        assert_int_equal(fz_engine_score(a, &t, &da), 0);
        if (++n == 5) { /* save mid-stream, load into b */
            assert_int_equal(fz_engine_save(a, f, &err), 0);
            rewind(f);
            assert_int_equal(fz_engine_load(b, f, &err), 0);
            assert_true(fz_engine_digest(a) == fz_engine_digest(b));
        } else if (n > 5) {
            assert_int_equal(fz_engine_score(b, &t, &db), 0);
            assert_int_equal(da.outcome, db.outcome);
            assert_int_equal(da.score, db.score);
        }
    }
    assert_true(n > 8);
    assert_true(fz_engine_digest(a) == fz_engine_digest(b));
    /* another configuration refuses it; so does a cut file */
    fz_engine *c = engine("1h,7d");
    rewind(f);
    assert_int_equal(fz_engine_load(c, f, &err), FZ_EFORMAT);
    fz_engine *d = engine(NULL);
    FILE *g = tmpfile();
    char buf[64];
    rewind(f);
    assert_int_equal(fread(buf, 1, sizeof buf, f), sizeof buf);
    fwrite(buf, 1, sizeof buf, g);
    rewind(g);
    assert_int_equal(fz_engine_load(d, g, &err), FZ_EFORMAT);
    /* a whole file whose last table (customer keys or named customers) points
     * out of range is refused, not scored from */
    fz_engine *d2 = engine(NULL);
    FILE *h = tmpfile();
    long len;
    rewind(f);
    for (int ch; (ch = fgetc(f)) != EOF;) fputc(ch, h);
    len = ftell(h);
    assert_true(len > 8);
    fseek(h, len - 8, SEEK_SET);
    static const unsigned char bad[8] = {0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f};
    assert_int_equal(fwrite(bad, 1, sizeof bad, h), sizeof bad);
    rewind(h);
    assert_int_equal(fz_engine_load(d2, h, &err), FZ_EFORMAT);
    fclose(h);
    fz_engine_free(d2);
    /* and an engine with state will not load over it */
    rewind(f);
    assert_int_equal(fz_engine_load(a, f, &err), FZ_EINVAL);
    fclose(f);
    fclose(g);
    fz_engine_free(a);
    fz_engine_free(b);
    fz_engine_free(c);
    fz_engine_free(d);
    fz_rules_free(rs);
    fz_reader_close(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(save_load_continue)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
