/* fz_client.h — a minimal HTTP/1.1 client over one keep-alive connection.
 *
 * For `fanzha send` (feeding a server from a file) and the tests: it speaks
 * just what fz_server answers (Content-Length bodies, no chunking). Blocking
 * I/O; one request at a time. */
#ifndef FZ_CLIENT_H
#define FZ_CLIENT_H

#include <stddef.h>

#include "fz_error.h"

typedef struct fz_client fz_client;

/* Connect to "host:port" (IPv4 dotted or "localhost"). Returns 0, FZ_EINVAL
 * or FZ_EIO. token may be NULL (no Authorization header); it is copied. */
int fz_client_open(fz_client **out, const char *addr, const char *token, fz_error *err);
void fz_client_close(fz_client *c);

/* Send one request (body may be NULL) and read the answer: its status into
 * *status and its body into the client's buffer (*resp, *n; valid until the
 * next call). Reconnects once if the server closed the idle connection.
 * Returns 0 or FZ_EIO. */
int fz_client_request(fz_client *c, const char *method, const char *path, const char *ctype, const char *body,
                      size_t len, int *status, const char **resp, size_t *n, fz_error *err);

#endif
