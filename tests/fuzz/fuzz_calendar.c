/* fuzz_calendar.c — the working-day calendar file parser (fz_calendar.h).
 * Any text must parse or be rejected with a line, never crash; a rejected
 * file leaves the calendar as it was; and on whatever loads, stepping n
 * working days forward and counting them back must agree. */
#include <stdint.h>
#include <stdlib.h>

#include "fz_calendar.h"
#include "fz_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_calendar *c;
    if (fz_calendar_new(&c)) return 0;
    fz_error err;
    const int32_t probe = (int32_t)fz_days_from_civil(2026, 10, 10); /* a Saturday: off before loading */
    if (fz_calendar_load_mem(c, "fuzz", (const char *)data, size, &err) != 0) {
        if (err.code != FZ_ENOMEM && err.line <= 0 && !err.field[0]) abort(); /* a reject says where */
        if (fz_calendar_is_working_day(c, probe)) abort();
    } else {
        for (int n = 0; n <= 12; n += 3) {
            int32_t due;
            if (fz_calendar_add_working_days(c, probe, n, &due)) continue;
            if (fz_calendar_working_days_between(c, probe, due) != n) abort();
        }
    }
    fz_calendar_free(c);
    return 0;
}
