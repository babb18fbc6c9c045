/* fuzz_rules.c — libFuzzer target: compile arbitrary text as rule packs
 * against the engine's schema and evaluate whatever compiles.
 *
 * Build and run: see "Fuzzing" in docs/rules.md (clang -fsanitize=fuzzer,
 * address,undefined over the core sources, fz_schema.c and fz_rules*.c).
 *
 * A NUL byte in the input splits it into two packs, so cross-pack checks
 * (duplicate ids, hashing) are reached too. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fz_rules.h"
#include "fz_schema.h"

static void build_schema(fz_schema *s) {
    static const char *const labels[] = {"1h", "24h", "7d", "30d"};
    static const char *const dirs[] = {"in", "out"};
    static const char *const cats[] = {"cash", "transfer_dom", "transfer_xb", "transfer"};
    static const struct { const char *name; fz_vtype t; } base[] = {
        {"amount", FZ_VT_MONEY}, {"amount_usd", FZ_VT_MONEY}, {"currency", FZ_VT_CCY},
        {"fx", FZ_VT_BOOL}, {"channel", FZ_VT_CHANNEL}, {"kind", FZ_VT_KIND},
        {"cash", FZ_VT_BOOL}, {"cross_border", FZ_VT_BOOL}, {"hour", FZ_VT_INT},
        {"dir", FZ_VT_DIR}, {"self.new", FZ_VT_BOOL}, {"self.age", FZ_VT_DURATION},
        {"self.idle", FZ_VT_DURATION}, {"self.party", FZ_VT_PARTY},
        {"self.has_balance", FZ_VT_BOOL}, {"self.balance", FZ_VT_MONEY},
        {"self.balance_before", FZ_VT_MONEY}, {"other.new", FZ_VT_BOOL},
        {"other.age", FZ_VT_DURATION}, {"other.idle", FZ_VT_DURATION},
        {"other.party", FZ_VT_PARTY}, {"cust.grade", FZ_VT_INT}, {"cust.party", FZ_VT_PARTY},
    };
    char name[FZ_VAR_NAME_MAX];
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) fz_schema_add(s, base[i].name, base[i].t, 0);
    for (int d = 0; d < 2; d++)
        for (int w = 0; w < 4; w++) {
            snprintf(name, sizeof name, "self.%s.count_%s", dirs[d], labels[w]);
            fz_schema_add(s, name, FZ_VT_INT, 0);
            snprintf(name, sizeof name, "self.%s.sum_%s", dirs[d], labels[w]);
            fz_schema_add(s, name, FZ_VT_MONEY, 0);
            snprintf(name, sizeof name, "self.%s.distinct_%s", dirs[d], labels[w]);
            fz_schema_add(s, name, FZ_VT_INT, 9);
        }
    fz_schema_add(s, "day.count", FZ_VT_INT, 65535);
    for (int c = 0; c < 4; c++) {
        snprintf(name, sizeof name, "day.%s.cny", cats[c]);
        fz_schema_add(s, name, FZ_VT_MONEY, 0);
        snprintf(name, sizeof name, "day.%s.usd", cats[c]);
        fz_schema_add(s, name, FZ_VT_MONEY, 4294967295LL);
    }
    fz_schema_add(s, "day.channel_out", FZ_VT_MONEY, 4294967295LL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static fz_schema schema;
    static int ready;
    if (!ready) {
        build_schema(&schema);
        ready = 1;
    }
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    fz_rules_src srcs[2] = {{"a.rules", text, size}, {"b.rules", NULL, 0}};
    int n = 1;
    if (nul) {
        srcs[0].len = (size_t)(nul - text);
        srcs[1].text = nul + 1;
        srcs[1].len = size - srcs[0].len - 1;
        n = 2;
    }
    fz_ruleset *rs = NULL;
    fz_error err;
    fz_error_clear(&err);
    int r = fz_rules_compile(&rs, srcs, n, &schema, &err);
    if (r == 0) {
        /* Extreme and ordinary values, so LIN sums hit their bounds. */
        static fz_values vals;
        uint16_t hits[16];
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < FZ_SCHEMA_MAX; i++)
                vals.v[i] = pass == 0 ? INT64_MAX : pass == 1 ? INT64_MIN : (int64_t)(i * 7919) - 300;
            for (int side = 0; side < 2; side++) {
                memset(vals.have, 0xff, sizeof vals.have);
                fz_rules_eval(rs, side, &vals, hits, 16);
            }
        }
        for (int i = 0; i < fz_rules_count(rs); i++) {
            const fz_rule_info *ri = fz_rules_info(rs, i);
            if (!ri || !ri->reason_zh || !ri->reason_en) __builtin_trap();
        }
        (void)fz_rules_version(rs);
        fz_rules_free(rs);
    } else {
        char buf[512];
        fz_error_format(&err, buf, sizeof buf);
        if (rs) __builtin_trap();
    }
    return 0;
}
