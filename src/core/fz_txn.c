/* fz_txn.c — names of the fz_txn.h enums, and their parsers. */
#include "fz_txn.h"

#include "fz_error.h"

typedef struct { const char *name; uint8_t value; } name_map;

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Case-insensitive; '-' and ' ' match '_' so "third-party" is "third_party". */
static int eq_name(const char *s, size_t n, const char *lit) {
    size_t i = 0;
    for (; i < n; i++) {
        int c = lower((unsigned char)s[i]);
        if (c == '-' || c == ' ') c = '_';
        if (lit[i] == '\0' || c != lit[i]) return 0;
    }
    return lit[i] == '\0';
}

static int lookup(const name_map *m, size_t count, const char *s, size_t n, uint8_t *out) {
    for (size_t i = 0; i < count; i++)
        if (eq_name(s, n, m[i].name)) {
            *out = m[i].value;
            return 0;
        }
    return FZ_ENOTFOUND;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Canonical names first, in enum order, so _name can index the same table. */
static const name_map channels[] = {
    {"unknown", FZ_CH_UNKNOWN}, {"counter", FZ_CH_COUNTER}, {"atm", FZ_CH_ATM},
    {"online", FZ_CH_ONLINE},   {"mobile", FZ_CH_MOBILE},   {"pos", FZ_CH_POS},
    {"third_party", FZ_CH_THIRD_PARTY},
    {"branch", FZ_CH_COUNTER},  {"teller", FZ_CH_COUNTER},  {"internet", FZ_CH_ONLINE},
    {"web", FZ_CH_ONLINE},      {"app", FZ_CH_MOBILE},      {"thirdparty", FZ_CH_THIRD_PARTY},
};

static const name_map kinds[] = {
    {"transfer", FZ_KIND_TRANSFER},
    {"payment", FZ_KIND_PAYMENT},
    {"cash_deposit", FZ_KIND_CASH_DEPOSIT},
    {"cash_withdrawal", FZ_KIND_CASH_WITHDRAWAL},
    {"cash_remittance", FZ_KIND_CASH_REMITTANCE},
    {"debit", FZ_KIND_DEBIT},
    {"other", FZ_KIND_OTHER},
    {"deposit", FZ_KIND_CASH_DEPOSIT},
    {"withdrawal", FZ_KIND_CASH_WITHDRAWAL},
    {"cash_in", FZ_KIND_CASH_DEPOSIT},
    {"cash_out", FZ_KIND_CASH_WITHDRAWAL},
};

static const name_map parties[] = {
    {"unknown", FZ_PARTY_UNKNOWN}, {"natural", FZ_PARTY_NATURAL}, {"entity", FZ_PARTY_ENTITY},
    {"individual", FZ_PARTY_NATURAL}, {"person", FZ_PARTY_NATURAL},
    {"corporate", FZ_PARTY_ENTITY},   {"legal", FZ_PARTY_ENTITY},
    {"company", FZ_PARTY_ENTITY},     {"organisation", FZ_PARTY_ENTITY},
    {"organization", FZ_PARTY_ENTITY},
};

const char *fz_channel_name(unsigned c) {
    return c < FZ_CH__COUNT ? channels[c].name : "unknown";
}
int fz_channel_parse(const char *s, size_t n, uint8_t *out) {
    return lookup(channels, COUNT(channels), s, n, out);
}

const char *fz_kind_name(unsigned k) { return k < FZ_KIND__COUNT ? kinds[k].name : "other"; }
int fz_kind_parse(const char *s, size_t n, uint8_t *out) {
    return lookup(kinds, COUNT(kinds), s, n, out);
}

const char *fz_party_name(unsigned p) {
    return p < FZ_PARTY__COUNT ? parties[p].name : "unknown";
}
int fz_party_parse(const char *s, size_t n, uint8_t *out) {
    return lookup(parties, COUNT(parties), s, n, out);
}
