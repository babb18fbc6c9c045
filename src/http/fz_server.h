/* fz_server.h — the HTTP server: libmicrohttpd on one thread.
 *
 * One thread does all HTTP work and owns the engine, so scoring takes no
 * lock; requests waiting for their commit are suspended, not parked on
 * threads. The route tables (fz_routes.h) say what runs; everything else
 * under / is a file of the web UI. */
#ifndef FZ_SERVER_H
#define FZ_SERVER_H

#include "fz_app.h"
#include "fz_error.h"

typedef struct fz_server fz_server;

#define FZ_HTTP_MAX_BODY (8u << 20)      /* a JSON request (evidence up to 4 MiB, base64) */
#define FZ_HTTP_MAX_RAW_BODY (64u << 20) /* a route that takes its own body (batches) */
#define FZ_HTTP_CONN_POOL (8u << 10)     /* libmicrohttpd's memory per connection: headers up to ~6 KiB */

/* Listen on addr ("127.0.0.1:8080", "0.0.0.0:80", "[::1]:8080") and serve
 * app from a new thread. Returns 0, FZ_EINVAL (bad address) or FZ_EIO
 * (cannot bind: the message says why). */
int fz_server_start(fz_server **out, fz_app *app, const char *addr, fz_error *err);

/* Stop listening and close every connection. */
void fz_server_stop(fz_server *s);

/* The route and role check, without HTTP (tests): fill rs for method and
 * path as the server would before calling the handler. Returns 1 when a
 * handler matched and is allowed (then rq->param is set), 0 when rs holds
 * the 401/403/404/405 answer. */
int fz_server_route(const char *method, const char *path, char *scratch, size_t n, fz_req *rq, fz_resp *rs,
                    const fz_route **out);

#endif
