/* fuzz_config.c — the small configuration parsers: currency rates files,
 * risk-grades files and window lists. The first byte picks the parser; the
 * rest is the text. A parse must never crash, and a rejected rates file must
 * leave the table as it was. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fz_engine.h"
#include "fz_grades.h"
#include "fz_money.h"

/* The text as a file (these parsers read files), named /proc/self/fd/N. */
static int as_file(const uint8_t *data, size_t size, char *path, size_t n) {
    int fd = memfd_create("fuzz", 0);
    if (fd < 0) return -1;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return -1;
    }
    snprintf(path, n, "/proc/self/fd/%d", fd);
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int which = data[0] % 3;
    data++, size--;
    fz_error err;
    if (which == 2) { /* window list: a NUL-terminated string */
        char *s = malloc(size + 1);
        memcpy(s, data, size);
        s[size] = '\0';
        fz_engine_config cfg;
        fz_engine_config_default(&cfg);
        if (fz_engine_config_windows(&cfg, s, &err) == 0) {
            fz_engine *e;
            if (fz_engine_new(&e, &cfg, &err) == 0) fz_engine_free(e);
        }
        free(s);
        return 0;
    }
    char path[64];
    int fd = as_file(data, size, path, sizeof path);
    if (fd < 0) return 0;
    if (which == 0) {
        fz_rates r, before;
        fz_rates_default(&r);
        before = r;
        if (fz_rates_load(&r, path, &err) != 0 && memcmp(&r, &before, sizeof r) != 0) __builtin_trap();
    } else {
        fz_engine_config cfg;
        fz_engine_config_default(&cfg);
        fz_engine *e;
        if (fz_engine_new(&e, &cfg, &err) == 0) {
            fz_grades_load(e, path, &err);
            fz_engine_free(e);
        }
    }
    close(fd);
    return 0;
}
