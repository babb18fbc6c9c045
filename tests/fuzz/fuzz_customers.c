/* fuzz_customers.c — the customer CSV importer (both formats) and the
 * risk-grading run over whatever it imported, in an in-memory store. An
 * import must never crash; when it succeeds, every row is imported or
 * rejected, and the customers table holds exactly what it says it
 * imported; grading them must never crash either. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fz_grading.h"
#include "fz_kyc_import.h"
#include "fz_review.h"

static fz_db *db;
static fz_grading *g;
static const fz_principal who = {.role = FZ_ROLE_ADMIN, .name = "fuzz"};

static const char CONF[] = "customer.weight = 40\ncustomer.id_type.weight = 10\ncustomer.id_type.* = 50\n"
                           "geography.weight = 30\ngeography.nationality.weight = 10\ngeography.nationality.KP = 100\n"
                           "industry.weight = 30\nindustry.occupation.weight = 10\nindustry.industry.weight = 10\n"
                           "industry.industry.K = 80\nbusiness.weight = 10\nbusiness.cash.weight = 10\n";

static int64_t customers(void) {
    sqlite3_stmt *st;
    sqlite3_prepare_v2(fz_db_sqlite(db), "SELECT count(*) FROM customers", -1, &st, NULL);
    sqlite3_step(st);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_error err;
    if (!db && (fz_db_open(&db, ":memory:", &err) || fz_grading_load_mem(&g, "fuzz", CONF, &err))) abort();
    if (fz_db_exec(db,
                   "DELETE FROM accounts; DELETE FROM customers; DELETE FROM customer_history;"
                   " DELETE FROM customer_reviews; DELETE FROM grade_history; DELETE FROM audit",
                   &err))
        abort();
    fz_kyc_import_opts o = {size & 1, NULL, NULL};
    fz_kyc_import_stats st;
    int rc = fz_kyc_import_mem(db, &who, "fuzz.csv", (const char *)data, size, &o, &st, &err);
    if (rc == 0) {
        if (st.rows != st.imported + st.rejected || customers() != st.imported) {
            fprintf(stderr, "rows %lld imported %lld rejected %lld customers %lld\n", (long long)st.rows,
                    (long long)st.imported, (long long)st.rejected, (long long)customers());
            abort();
        }
        fz_review_stats rs;
        if (fz_review_all(db, NULL, g, &who, 0, 1795000000000LL, &rs, &err) || rs.graded != st.imported) abort();
    } else if (customers() != 0) {
        abort(); /* a failed import leaves nothing behind */
    }
    return 0;
}
