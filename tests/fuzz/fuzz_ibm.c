/* fuzz_ibm.c — IBM AML CSV and IBM patterns files through the reader: the
 * first byte picks the format, the rest is the file. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    fz_read_opts o = {.format = (data[0] & 1) ? FZ_FMT_IBM_PATTERNS : FZ_FMT_IBM};
    return fuzz_read(data + 1, size - 1, &o);
}
