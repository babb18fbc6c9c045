/* fz_lines.h — read a small line-based configuration file.
 *
 * Rates, risk grades and similar files are "one entry per line, '#' starts a
 * comment". This is the one loop that reads them, so every such file gets
 * the same handling of comments, long lines, read errors and messages that
 * name file and line. */
#ifndef FZ_LINES_H
#define FZ_LINES_H

#include "fz_error.h"

#define FZ_LINES_MAX 1024 /* longest line, newline included */

/* The handler of one line: its text with any comment cut off and the newline
 * kept (it may be blank), and its 1-based number. Returns 0 to go on, or a
 * negative FZ_E* (with err filled) to stop. */
typedef int (*fz_lines_fn)(void *ctx, char *text, long line, const char *path, fz_error *err);

/* Call fn for each line of path. Stops at the first error: the handler's,
 * a line longer than FZ_LINES_MAX ("path:line: line too long"), or an
 * open/read error (FZ_EIO naming path). Returns 0 or that error. */
int fz_lines_each(const char *path, fz_lines_fn fn, void *ctx, fz_error *err);

#endif
