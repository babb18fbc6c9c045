/* fz_lv.c — see fz_lv.h. */
#include "fz_lv.h"

#include <stdlib.h>
#include <string.h>

#include "fz_daytotals.h"
#include "fz_error.h"
#include "fz_jsonw.h"
#include "fz_time.h"

typedef struct lv_rec {
    fz_lv_hit h;
    int64_t total;
    uint32_t next;   /* next record of the same (customer, day), or UINT32_MAX */
    uint32_t first;  /* first attached entry, or UINT32_MAX */
    uint32_t last;
    uint32_t count;
} lv_rec;

typedef struct lv_entry {
    uint32_t txn;
    uint32_t next;
} lv_entry;

struct fz_lv_book {
    lv_rec *rec;
    size_t nrec, caprec;
    lv_entry *ent;
    size_t nent, capent;
    uint32_t *slot;  /* (customer, day) -> first record, open addressing */
    size_t nslot;
};

int fz_lv_book_new(fz_lv_book **out) {
    *out = calloc(1, sizeof **out);
    return *out ? 0 : FZ_ENOMEM;
}

void fz_lv_book_free(fz_lv_book *b) {
    if (!b) return;
    free(b->rec);
    free(b->ent);
    free(b->slot);
    free(b);
}

static int grow(void **p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap * 2 : 256;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) return FZ_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

int fz_lv_book_add(fz_lv_book *b, const fz_lv_hit *h) {
    if (grow((void **)&b->rec, &b->caprec, b->nrec + 1, sizeof *b->rec)) return FZ_ENOMEM;
    b->rec[b->nrec++] = (lv_rec){*h, 0, UINT32_MAX, UINT32_MAX, UINT32_MAX, 0};
    return 0;
}

uint64_t fz_lv_book_count(const fz_lv_book *b) { return b->nrec; }

static size_t hash_key(uint32_t cust, int32_t day, size_t mask) {
    uint64_t k = ((uint64_t)cust << 32) ^ (uint32_t)day;
    k *= 0x9E3779B97F4A7C15ull;
    return (size_t)(k >> 32) & mask;
}

int fz_lv_book_index(fz_lv_book *b) {
    size_t n = 16;
    while (n < b->nrec * 2) n *= 2;
    free(b->slot);
    b->slot = malloc(n * sizeof *b->slot);
    if (!b->slot) return FZ_ENOMEM;
    memset(b->slot, 0xff, n * sizeof *b->slot);
    b->nslot = n;
    for (size_t i = 0; i < b->nrec; i++) {
        lv_rec *r = &b->rec[i];
        size_t s = hash_key(r->h.cust, r->h.day, n - 1);
        for (;; s = (s + 1) & (n - 1)) {
            uint32_t j = b->slot[s];
            if (j == UINT32_MAX) {
                b->slot[s] = (uint32_t)i;
                break;
            }
            if (b->rec[j].h.cust == r->h.cust && b->rec[j].h.day == r->h.day) {
                r->next = b->rec[j].next; /* chain behind the first record of the key */
                b->rec[j].next = (uint32_t)i;
                break;
            }
        }
    }
    return 0;
}

/* Whether a transaction of categories `cats` (fz_lv_categories) counts
 * toward a record of crcd. */
static int counts_for(unsigned crcd, unsigned cats) {
    switch (crcd) {
    case 501: return (cats >> FZ_LV_CASH) & 1;
    case 502: return (cats & ((1u << FZ_LV_TRANSFER_DOM) | (1u << FZ_LV_TRANSFER_XB))) != 0;
    case 503: return (cats >> FZ_LV_TRANSFER_DOM) & 1;
    default: return (cats >> FZ_LV_TRANSFER_XB) & 1; /* 504 */
    }
}

int fz_lv_book_offer(fz_lv_book *b, uint32_t txn, uint32_t cust, int32_t day, int dir, int fx, unsigned cats,
                     int64_t amount) {
    if (!b->nslot) return 0;
    size_t s = hash_key(cust, day, b->nslot - 1);
    uint32_t j;
    for (;; s = (s + 1) & (b->nslot - 1)) {
        j = b->slot[s];
        if (j == UINT32_MAX) return 0;
        if (b->rec[j].h.cust == cust && b->rec[j].h.day == day) break;
    }
    for (; j != UINT32_MAX; j = b->rec[j].next) {
        lv_rec *r = &b->rec[j];
        if (r->h.dir != dir || r->h.fx != fx || !counts_for(r->h.crcd, cats)) continue;
        if (grow((void **)&b->ent, &b->capent, b->nent + 1, sizeof *b->ent)) return FZ_ENOMEM;
        b->ent[b->nent] = (lv_entry){txn, UINT32_MAX};
        if (r->first == UINT32_MAX) r->first = (uint32_t)b->nent;
        else b->ent[r->last].next = (uint32_t)b->nent;
        r->last = (uint32_t)b->nent++;
        r->count++;
        r->total += amount;
    }
    return 0;
}

int fz_lv_book_offer_txn(fz_lv_book *b, uint32_t txn, const fz_txn *t, const uint32_t cust[2],
                         const fz_rates *rates) {
    if (t->flags & FZ_TXN_EXEMPT) return 0;
    int fx = t->currency && t->currency != FZ_CCY_CNY;
    int64_t amount = t->amount;
    if (fx && fz_rates_to_usd_cents(rates, t->currency, t->amount, &amount)) return 0;
    unsigned cats = fz_lv_categories(t->kind, t->flags);
    int32_t day = fz_time_cn_day(t->time);
    for (int side = 0; side < 2; side++)
        if (cust[side] != UINT32_MAX &&
            fz_lv_book_offer(b, txn, cust[side], day, side == 0 ? FZ_DIR_OUT : FZ_DIR_IN, fx, cats, amount))
            return FZ_ENOMEM;
    return 0;
}

uint32_t fz_lv_book_get(const fz_lv_book *b, size_t i, fz_lv_record *out, uint32_t *txns, uint32_t max) {
    const lv_rec *r = &b->rec[i];
    *out = (fz_lv_record){r->h, r->total, r->count};
    uint32_t k = 0;
    for (uint32_t e = r->first; e != UINT32_MAX && k < max; e = b->ent[e].next) txns[k++] = b->ent[e].txn;
    return r->count;
}

int fz_lv_book_write_csv(const fz_lv_book *b, FILE *f, fz_lv_name_fn cust_key, fz_lv_name_fn txn_id,
                         void *ctx) {
    fputs("customer,date,crcd,direction,basis,total,count,txn_ids\n", f);
    for (size_t i = 0; i < b->nrec; i++) {
        const lv_rec *r = &b->rec[i];
        char date[16], total[40];
        fz_day_format(r->h.day, 0, date, sizeof date);
        fz_money_format(r->total, 2, total, sizeof total);
        fz_str c = cust_key(ctx, r->h.cust);
        fz_csvw_field(f, c.p, c.n);
        fprintf(f, ",%s,%04u,%s,%s,%s,%u,", date, (unsigned)r->h.crcd, r->h.dir == FZ_DIR_IN ? "in" : "out",
                r->h.fx ? "USD" : "CNY", total, r->count);
        /* the ids joined by '|', as one CSV field (quoted if an id needs it) */
        char *ids = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&ids, &len);
        if (!m) return FZ_ENOMEM;
        for (uint32_t e = r->first, k = 0; e != UINT32_MAX; e = b->ent[e].next, k++) {
            fz_str id = txn_id(ctx, b->ent[e].txn);
            if (k) putc('|', m);
            fwrite(id.p, 1, id.n, m);
        }
        if (fclose(m)) {
            free(ids);
            return FZ_ENOMEM;
        }
        fz_csvw_field(f, ids, len);
        free(ids);
        putc('\n', f);
    }
    return ferror(f) ? FZ_EIO : 0;
}
