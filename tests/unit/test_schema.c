/* test_schema.c — rule-visible names: the schema, and the fz_txn enum names
 * that CHANNEL/KIND/PARTY values are written as. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fz_error.h"
#include "fz_schema.h"
#include "fz_txn.h"

static int find(const fz_schema *s, const char *name) {
    return fz_schema_find(s, name, strlen(name));
}

static void test_add_find(void **st) {
    (void)st;
    static fz_schema s;
    memset(&s, 0, sizeof s);
    assert_int_equal(fz_schema_add(&s, "amount", FZ_VT_MONEY, 0), 0);
    assert_int_equal(fz_schema_add(&s, "self.in.count_24h", FZ_VT_INT, 1000), 1);
    assert_int_equal(fz_schema_add(&s, "channel", FZ_VT_CHANNEL, 0), 2);
    assert_int_equal(s.n, 3);
    assert_int_equal(find(&s, "amount"), 0);
    assert_int_equal(find(&s, "self.in.count_24h"), 1);
    assert_int_equal(s.var[1].type, FZ_VT_INT);
    assert_int_equal(s.var[1].ceiling, 1000);
    assert_int_equal(find(&s, "amoun"), -1);    /* prefix */
    assert_int_equal(find(&s, "amounts"), -1);  /* extension */
    assert_int_equal(find(&s, "Amount"), -1);   /* names are case-sensitive */
    assert_int_equal(find(&s, ""), -1);
    /* a view: the first 6 bytes of "amount.usd" */
    assert_int_equal(fz_schema_find(&s, "amount.usd", 6), 0);
}

static void test_add_errors(void **st) {
    (void)st;
    static fz_schema s;
    memset(&s, 0, sizeof s);
    assert_int_equal(fz_schema_add(&s, "amount", FZ_VT_MONEY, 0), 0);
    assert_int_equal(fz_schema_add(&s, "amount", FZ_VT_INT, 0), FZ_EINVAL);
    assert_int_equal(fz_schema_add(&s, "", FZ_VT_INT, 0), FZ_EINVAL);
    assert_int_equal(fz_schema_add(&s, "x", FZ_VT__COUNT, 0), FZ_EINVAL);
    char name[FZ_VAR_NAME_MAX + 1];
    memset(name, 'a', FZ_VAR_NAME_MAX);
    name[FZ_VAR_NAME_MAX] = '\0';
    assert_int_equal(fz_schema_add(&s, name, FZ_VT_INT, 0), FZ_EINVAL); /* no room for NUL */
    name[FZ_VAR_NAME_MAX - 1] = '\0';
    assert_int_equal(fz_schema_add(&s, name, FZ_VT_INT, 0), 1);          /* 39 chars fit */
    assert_int_equal(find(&s, name), 1);
    assert_int_equal(s.n, 2);
    for (int i = s.n; i < FZ_SCHEMA_MAX; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "v%d", i);
        assert_int_equal(fz_schema_add(&s, nm, FZ_VT_BOOL, 0), i);
    }
    assert_int_equal(fz_schema_add(&s, "one_more", FZ_VT_BOOL, 0), FZ_EFULL);
    assert_int_equal(s.n, FZ_SCHEMA_MAX);
    assert_int_equal(find(&s, "v159"), 159);
}

static void test_vtype_names(void **st) {
    (void)st;
    assert_string_equal(fz_vtype_name(FZ_VT_BOOL), "bool");
    assert_string_equal(fz_vtype_name(FZ_VT_MONEY), "money");
    assert_string_equal(fz_vtype_name(FZ_VT_DURATION), "duration");
    assert_string_equal(fz_vtype_name(FZ_VT_DIR), "dir");
    for (unsigned t = 0; t < FZ_VT__COUNT; t++) assert_true(strlen(fz_vtype_name(t)) > 0);
    assert_non_null(fz_vtype_name(FZ_VT__COUNT));
    assert_non_null(fz_vtype_name(9999));
}

typedef int (*parse_fn)(const char *, size_t, uint8_t *);
typedef const char *(*name_fn)(unsigned);

/* Every name parses back to its value, in any case. */
static void roundtrip(name_fn name, parse_fn parse, unsigned count) {
    for (unsigned v = 0; v < count; v++) {
        const char *s = name(v);
        uint8_t out = 255;
        assert_int_equal(parse(s, strlen(s), &out), 0);
        assert_int_equal(out, v);
        char up[32];
        size_t n = strlen(s);
        for (size_t i = 0; i <= n; i++) up[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
        assert_int_equal(parse(up, n, &out), 0);
        assert_int_equal(out, v);
    }
}

static uint8_t parse_ok(parse_fn parse, const char *s) {
    uint8_t out = 255;
    assert_int_equal(parse(s, strlen(s), &out), 0);
    return out;
}

static void test_txn_names(void **st) {
    (void)st;
    roundtrip(fz_channel_name, fz_channel_parse, FZ_CH__COUNT);
    roundtrip(fz_kind_name, fz_kind_parse, FZ_KIND__COUNT);
    roundtrip(fz_party_name, fz_party_parse, FZ_PARTY__COUNT);
    assert_string_equal(fz_channel_name(FZ_CH_THIRD_PARTY), "third_party");
    assert_string_equal(fz_kind_name(FZ_KIND_CASH_WITHDRAWAL), "cash_withdrawal");
    assert_string_equal(fz_party_name(FZ_PARTY_ENTITY), "entity");
    assert_string_equal(fz_channel_name(99), "unknown");
    assert_string_equal(fz_kind_name(99), "other");
    assert_string_equal(fz_party_name(99), "unknown");
    assert_int_equal(parse_ok(fz_channel_parse, "third-party"), FZ_CH_THIRD_PARTY);
    assert_int_equal(parse_ok(fz_channel_parse, "Branch"), FZ_CH_COUNTER);
    assert_int_equal(parse_ok(fz_kind_parse, "Cash-Deposit"), FZ_KIND_CASH_DEPOSIT);
    assert_int_equal(parse_ok(fz_party_parse, "individual"), FZ_PARTY_NATURAL);
    assert_int_equal(parse_ok(fz_party_parse, "Person"), FZ_PARTY_NATURAL);
    assert_int_equal(parse_ok(fz_party_parse, "CORPORATE"), FZ_PARTY_ENTITY);
    assert_int_equal(parse_ok(fz_party_parse, "legal"), FZ_PARTY_ENTITY);
    uint8_t out = 77;
    assert_int_equal(fz_channel_parse("", 0, &out), FZ_ENOTFOUND);
    assert_int_equal(fz_channel_parse("atmx", 4, &out), FZ_ENOTFOUND);
    assert_int_equal(fz_channel_parse("at", 2, &out), FZ_ENOTFOUND);
    assert_int_equal(fz_kind_parse("cash", 4, &out), FZ_ENOTFOUND);
    assert_int_equal(fz_party_parse("nat", 3, &out), FZ_ENOTFOUND);
    assert_int_equal(out, 77);
    assert_int_equal(fz_channel_parse("atmx", 3, &out), 0); /* a view of "atm" */
    assert_int_equal(out, FZ_CH_ATM);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_find),
        cmocka_unit_test(test_add_errors),
        cmocka_unit_test(test_vtype_names),
        cmocka_unit_test(test_txn_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
