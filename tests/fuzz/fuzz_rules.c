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

#include "fz_engine.h"
#include "fz_rules.h"
#include "fz_schema.h"

/* The schema the engine publishes with its default windows. */
static void build_schema(fz_schema *s) {
    fz_engine_config cfg;
    fz_engine_config_default(&cfg);
    fz_engine *e;
    fz_error err;
    if (fz_engine_new(&e, &cfg, &err) != 0) __builtin_trap();
    *s = *fz_engine_schema(e);
    fz_engine_free(e);
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
