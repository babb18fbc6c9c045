/* fz_progress.h — a one-line progress bar on a terminal.
 *
 * Draws "[#####.....] 45%  1.2M rows  850k rows/s  ETA 3s" on stderr, at most
 * ten times a second, and only when stderr is a terminal (never into logs). */
#ifndef FZ_PROGRESS_H
#define FZ_PROGRESS_H

#include <stdint.h>

typedef struct fz_progress {
    int enabled;
    const char *what;     /* "reading", "scoring" */
    double start, last;   /* seconds */
    uint64_t total;       /* units of work; 0 when unknown */
} fz_progress;

/* Start a bar for `what` over `total` units (bytes or rows). enabled = 0
 * forces it off; otherwise it is on when stderr is a terminal. */
void fz_progress_start(fz_progress *p, const char *what, uint64_t total, int enabled);

/* Report `done` units and `rows` rows so far; cheap enough to call every few
 * thousand rows. */
void fz_progress_update(fz_progress *p, uint64_t done, uint64_t rows);

/* Erase the bar. */
void fz_progress_end(fz_progress *p);

/* Monotonic seconds. */
double fz_now(void);

#endif
