/* fz_schema.c — see fz_schema.h. Schemas are built once at startup and names
 * resolved once per rule load, so linear search is the right tool. */
#include "fz_schema.h"

#include <string.h>

#include "fz_error.h"

int fz_schema_add(fz_schema *s, const char *name, fz_vtype type, int64_t ceiling) {
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n >= FZ_VAR_NAME_MAX || (unsigned)type >= FZ_VT__COUNT) return FZ_EINVAL;
    if (fz_schema_find(s, name, n) >= 0) return FZ_EINVAL;
    if (s->n >= FZ_SCHEMA_MAX) return FZ_EFULL;
    fz_var *v = &s->var[s->n];
    memset(v->name, 0, sizeof v->name);
    memcpy(v->name, name, n);
    v->type = (uint8_t)type;
    v->ceiling = ceiling;
    return s->n++;
}

int fz_schema_find(const fz_schema *s, const char *name, size_t n) {
    if (n >= FZ_VAR_NAME_MAX) return -1;
    for (int i = 0; i < s->n; i++)
        if (memcmp(s->var[i].name, name, n) == 0 && s->var[i].name[n] == '\0') return i;
    return -1;
}

const char *fz_vtype_name(unsigned t) {
    static const char *const names[FZ_VT__COUNT] = {
        "bool", "int", "money", "duration", "channel", "kind", "party", "ccy", "dir",
    };
    return t < FZ_VT__COUNT ? names[t] : "unknown";
}
