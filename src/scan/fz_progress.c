/* fz_progress.c — see fz_progress.h. */
#include "fz_progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double fz_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void fz_progress_start(fz_progress *p, const char *what, uint64_t total, int enabled) {
    p->enabled = enabled && isatty(2);
    p->what = what;
    p->start = p->last = fz_now();
    p->total = total;
}

static void human(double v, char *buf, size_t n) {
    if (v >= 1e6) snprintf(buf, n, "%.2fM", v / 1e6);
    else if (v >= 1e3) snprintf(buf, n, "%.1fk", v / 1e3);
    else snprintf(buf, n, "%.0f", v);
}

void fz_progress_update(fz_progress *p, uint64_t done, uint64_t rows) {
    if (!p->enabled) return;
    double now = fz_now();
    if (now - p->last < 0.1) return;
    p->last = now;
    double el = now - p->start, frac = p->total ? (double)done / (double)p->total : 0.0;
    if (frac > 1.0) frac = 1.0;
    char bar[21], nrows[16], rate[16];
    for (int i = 0; i < 20; i++) bar[i] = i < (int)(frac * 20) ? '#' : '.';
    bar[20] = '\0';
    human((double)rows, nrows, sizeof nrows);
    human(el > 0 ? (double)rows / el : 0.0, rate, sizeof rate);
    double eta = frac > 0.0 ? el / frac - el : 0.0;
    fprintf(stderr, "\r%-8s [%s] %3.0f%%  %s rows  %s rows/s  ETA %.0fs   ", p->what, bar, frac * 100,
            nrows, rate, eta);
}

void fz_progress_end(fz_progress *p) {
    if (p->enabled) fprintf(stderr, "\r%70s\r", "");
}
