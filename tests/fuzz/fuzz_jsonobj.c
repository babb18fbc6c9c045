/* fuzz_jsonobj.c — the flat JSON object scanner against jansson.
 *
 * Differential: on any input, the scanner must accept exactly the objects
 * jansson accepts (except where jansson refuses a number too large for a
 * C integer or double, which the scanner leaves to the field parsers, and
 * nesting deeper than the scanner's limit, and a NUL byte between tokens,
 * which jansson skips and RFC 8259 does not allow), and every top-level string it
 * decodes must equal jansson's value for that key. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fz_jsonobj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int deep(const uint8_t *d, size_t n) {
    size_t open = 0;
    for (size_t i = 0; i < n; i++) open += d[i] == '[' || d[i] == '{';
    return open >= 30;
}

static void same_strings(const fz_jmember *m, int n, json_t *o) {
    if (json_object_size(o) != (size_t)n) return; /* duplicate keys: jansson keeps the last */
    for (int i = 0; i < n; i++) {
        char *k = malloc(m[i].key.n + 1), *v = NULL;
        k[fz_jsonobj_unescape(m[i].key, k)] = 0;
        json_t *jv = json_object_get(o, k);
        if (!jv) abort();
        if (m[i].val.type == FZ_JV_STRING) {
            v = malloc(m[i].val.n + 1);
            size_t len = fz_jsonobj_unescape(m[i].val, v);
            if (!json_is_string(jv) || json_string_length(jv) != len || memcmp(json_string_value(jv), v, len)) abort();
        } else if ((m[i].val.type == FZ_JV_NESTED) != (json_is_object(jv) || json_is_array(jv))) {
            abort();
        }
        free(k);
        free(v);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_jmember m[64];
    size_t col;
    const char *why;
    int n = fz_jsonobj_scan((const char *)data, size, m, 64, &col, &why);
    json_error_t je;
    json_t *o = json_loadb((const char *)data, size, 0, &je);
    int theirs = o && json_is_object(o);
    if (n >= 0 && !theirs && o == NULL && !strstr(je.text, "too big") && !strstr(je.text, "overflow") &&
        !strstr(je.text, "maximum"))
        abort(); /* we accepted what jansson refuses */
    if (n < 0 && theirs && !deep(data, size) && !memchr(data, 0, size)) abort(); /* we refused a valid object */
    if (n < 0 && (col < 1 || col > size + 1 || !why)) abort();
    if (n >= 0 && n <= 64 && theirs) same_strings(m, n, o);
    json_decref(o);
    return 0;
}
