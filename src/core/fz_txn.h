/* fz_txn.h — the one canonical transaction record.
 *
 * Every input format maps to fz_txn at the edge (src/io/) and nowhere else;
 * the engine, the scanner and every writer see only this. Text fields are
 * views (pointer + length, not NUL-terminated) into a buffer the producer
 * owns: a reader's record lives until the reader is closed. An empty view
 * (n == 0) means "not known". See docs/formats.md. */
#ifndef FZ_TXN_H
#define FZ_TXN_H

#include <stddef.h>
#include <stdint.h>

#include "fz_money.h"
#include "fz_time.h"

typedef struct fz_str {
    const char *p;
    uint32_t n;
} fz_str;

#define FZ_STR_LIT(s) ((fz_str){(s), (uint32_t)(sizeof(s) - 1)})

/* How the customer reached the bank. */
typedef enum fz_channel {
    FZ_CH_UNKNOWN = 0,
    FZ_CH_COUNTER,     /* branch counter */
    FZ_CH_ATM,
    FZ_CH_ONLINE,      /* internet banking */
    FZ_CH_MOBILE,      /* mobile banking app */
    FZ_CH_POS,
    FZ_CH_THIRD_PARTY, /* third-party payment (Alipay, WeChat Pay, UnionPay QR...) */
    FZ_CH__COUNT
} fz_channel;

/* What the transaction is. Cash kinds drive CRCD 0501. */
typedef enum fz_kind {
    FZ_KIND_TRANSFER = 0,    /* account to account */
    FZ_KIND_PAYMENT,         /* to a merchant */
    FZ_KIND_CASH_DEPOSIT,
    FZ_KIND_CASH_WITHDRAWAL,
    FZ_KIND_CASH_REMITTANCE, /* cash paid in for remittance, or remittance paid out in cash */
    FZ_KIND_DEBIT,           /* a direct debit pulled by the payee */
    FZ_KIND_OTHER,
    FZ_KIND__COUNT
} fz_kind;

/* Whether a party is a natural person or an entity (legal person, other
 * organisation, individual business): it picks CRCD 0502 vs 0503/0504. */
typedef enum fz_party {
    FZ_PARTY_UNKNOWN = 0, /* treated as natural */
    FZ_PARTY_NATURAL,
    FZ_PARTY_ENTITY,
    FZ_PARTY__COUNT
} fz_party;

/* fz_txn.flags */
#define FZ_TXN_CROSS_BORDER 0x01u   /* one side is outside mainland China */
#define FZ_TXN_HAS_PAYER_BAL 0x02u  /* payer_bal_before/after are known */
#define FZ_TXN_HAS_PAYEE_BAL 0x04u  /* payee_bal_before/after are known */
#define FZ_TXN_EXEMPT 0x08u         /* a large-value exemption (DOMAIN.md §1) applies */

typedef struct fz_txn {
    fz_str id;             /* unique per source */
    fz_ms time;            /* ms UTC */
    fz_str payer_acct, payer_bank; /* money leaves payer_acct ... */
    fz_str payee_acct, payee_bank; /* ... and arrives at payee_acct */
    fz_str payer_cust, payee_cust; /* customer ids; empty = the account is its own customer */
    fz_money amount;       /* > 0 for a real movement; minor units of currency */
    fz_ccy currency;
    uint8_t channel;       /* fz_channel */
    uint8_t kind;          /* fz_kind */
    uint8_t payer_party;   /* fz_party */
    uint8_t payee_party;   /* fz_party */
    uint8_t flags;         /* FZ_TXN_* */
    int8_t label;          /* -1 unknown, 0 legitimate, 1 fraud or laundering */
    fz_str typology;       /* typology of the labelled pattern ("fan_in", "task_scam"...)
                              or empty; on a label-0 row it marks a decoy of that shape */
    int32_t group;         /* labelled pattern instance (AMLSim alert_id, IBM attempt), -1 none */
    fz_str device;         /* device id, empty if unknown */
    fz_str ip;             /* IP address, empty if unknown */
    fz_money payer_bal_before, payer_bal_after; /* valid with FZ_TXN_HAS_PAYER_BAL */
    fz_money payee_bal_before, payee_bal_after; /* valid with FZ_TXN_HAS_PAYEE_BAL */
    uint32_t src_line;     /* line in the source file, for reports and errors */
    uint16_t src_file;     /* index of the source file in a multi-file scan */
} fz_txn;

/* Cash kinds: deposit, withdrawal, remittance. */
static inline int fz_kind_is_cash(unsigned k) {
    return k == FZ_KIND_CASH_DEPOSIT || k == FZ_KIND_CASH_WITHDRAWAL || k == FZ_KIND_CASH_REMITTANCE;
}

/* Names as written in files, rules and JSON: "online", "cash_deposit",
 * "natural"... Each _name returns a static string for a valid value and
 * "unknown"/"other" otherwise; each _parse takes the name (case-insensitive)
 * and returns 0 or FZ_ENOTFOUND. */
const char *fz_channel_name(unsigned c);
int fz_channel_parse(const char *s, size_t n, uint8_t *out);
const char *fz_kind_name(unsigned k);
int fz_kind_parse(const char *s, size_t n, uint8_t *out);
const char *fz_party_name(unsigned p);
int fz_party_parse(const char *s, size_t n, uint8_t *out);

/* Byte-wise equality of two views. */
static inline int fz_str_eq(fz_str a, fz_str b) {
    if (a.n != b.n) return 0;
    for (uint32_t i = 0; i < a.n; i++)
        if (a.p[i] != b.p[i]) return 0;
    return 1;
}

#endif
