/* fuzz_csv.c — CSV input (native, and whatever header detection finds)
 * through the reader, plus the native CSV round trip. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_read_opts o = {.format = FZ_FMT_AUTO};
    /* Detection must never pick JSON lines or patterns for these seeds, but
     * mutated inputs may; either way nothing may crash. */
    return fuzz_read(data, size, &o);
}
