/* fuzz_jsonl.c — JSON lines through the reader, plus the native CSV round
 * trip of what it yields. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_read_opts o = {.format = FZ_FMT_JSONL};
    return fuzz_read(data, size, &o);
}
