/* fz_server.c — libmicrohttpd glue: bodies, tokens, routes, files (fz_server.h). */
#include "fz_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fz_auth.h"
#include "fz_routes.h"

struct fz_server {
    struct MHD_Daemon *d;
    fz_app *app;
};

/* One request's state across libmicrohttpd's calls. */
typedef struct conn {
    const fz_route *route; /* matched on the first call, NULL for a file */
    int wrong_method;      /* no route, but the path exists under another method */
    char path[1024];       /* the URL path, split in place into route params */
    char *body;
    size_t len, cap, limit;
    int too_big;
    int have_req;          /* rq is set up (the handler ran, perhaps suspended) */
    fz_req rq;
    fz_resp rs;
} conn;

/* ---- routing ------------------------------------------------------------ */

/* Does path match pattern? Captures ":x" segments into rq->param (pointers
 * into path, whose '/' are then cut to NULs: path must be scratch). */
static int match(const char *pattern, char *path, fz_req *rq) {
    const char *p = pattern;
    char *s = path;
    char *cut[FZ_HTTP_MAX_PARAMS];
    int n = 0;
    while (*p && *s) {
        if (*p == ':') {
            if (n == FZ_HTTP_MAX_PARAMS || *s == '/') return 0;
            rq->param[n] = s;
            while (*s && *s != '/') s++;
            cut[n++] = s;
            while (*p && *p != '/') p++;
        } else if (*p++ != *s++) {
            return 0;
        }
    }
    if (*p || *s) return 0;
    for (int i = 0; i < n; i++) *cut[i] = 0; /* "/v1/cases/7" -> param "7" */
    rq->nparams = n;
    return 1;
}

/* The route for method and path: *out, or NULL with *wrong_method set when
 * the path exists under another method. */
static const fz_route *find_route(const char *method, const char *path, char *scratch, size_t n, fz_req *rq,
                                  int *wrong_method) {
    *wrong_method = 0;
    for (const fz_route *const *t = fz_route_tables; *t; t++)
        for (const fz_route *r = *t; r->method; r++) {
            snprintf(scratch, n, "%s", path);
            if (!match(r->pattern, scratch, rq)) continue;
            if (!strcmp(r->method, method)) return r;
            *wrong_method = 1;
        }
    return NULL;
}

/* The answer for a request whose route lookup gave r (NULL: none, with
 * wrong_method set when the path exists under another method): 1 when the
 * caller may run it, else 0 with rs holding the 401/403/404/405. */
static int admit(const fz_route *r, int wrong_method, const char *method, const char *path, const fz_req *rq,
                 fz_resp *rs) {
    if (!r) {
        if (wrong_method) return fz_resp_error(rs, 405, NULL, "%s is not allowed on %s", method, path), 0;
        return fz_resp_error(rs, 404, NULL, "no route %s %s", method, path), 0;
    }
    if (r->roles == FZ_ROLES_PUBLIC) return 1;
    if (!rq->who.role) return fz_resp_error(rs, 401, NULL, "a valid API token is required (Authorization: Bearer ...)"), 0;
    if (!(r->roles & rq->who.role))
        return fz_resp_error(rs, 403, NULL, "role %s may not %s %s", fz_role_name(rq->who.role), method, path), 0;
    return 1;
}

int fz_server_route(const char *method, const char *path, char *scratch, size_t n, fz_req *rq, fz_resp *rs,
                    const fz_route **out) {
    int wrong;
    *out = find_route(method, path, scratch, n, rq, &wrong);
    return admit(*out, wrong, method, path, rq, rs);
}

/* ---- sending ------------------------------------------------------------ */

static enum MHD_Result send_resp(fz_app *app, struct MHD_Connection *c, fz_resp *rs) {
    char *text = rs->raw;
    size_t len = rs->raw_len;
    const char *ctype = rs->ctype ? rs->ctype : "application/json";
    if (!text) {
        text = json_dumps(rs->json ? rs->json : json_object(), JSON_COMPACT);
        len = text ? strlen(text) : 0;
        ctype = "application/json";
    }
    rs->raw = NULL;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", ctype);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (strncmp(ctype, "application/json", 16) && strncmp(ctype, "text/plain", 10))
        MHD_add_response_header(r, "Content-Disposition", "attachment"); /* evidence: never rendered here */
    int st = rs->status ? rs->status : 500;
    app->http_status[st / 100 < 6 ? st / 100 : 5]++;
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)st, r);
    MHD_destroy_response(r);
    return ok;
}

static const char *mime_of(const char *path) {
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".json", "application/json"},
        {".ico", "image/x-icon"},              {".yaml", "text/yaml; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(dot, map[i][0])) return map[i][1];
    return "application/octet-stream";
}

/* A file of the web UI: "/" is index.html; no "..", no hidden files. */
static enum MHD_Result send_file(fz_app *app, struct MHD_Connection *c, const char *url) {
    fz_resp rs = {0};
    char path[1024];
    if (!strcmp(url, "/")) url = "/index.html";
    if (strstr(url, "/.") || strlen(url) + strlen(app->web_root) + 2 > sizeof path) {
        fz_resp_error(&rs, 404, NULL, "no such file");
        enum MHD_Result ok = send_resp(app, c, &rs);
        json_decref(rs.json);
        return ok;
    }
    snprintf(path, sizeof path, "%s%s", app->web_root, url);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        if (fd >= 0) close(fd);
        fz_resp_error(&rs, 404, NULL, "no such file: %s", url);
        enum MHD_Result ok = send_resp(app, c, &rs);
        json_decref(rs.json);
        return ok;
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", mime_of(path));
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    app->http_status[2]++;
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- the request -------------------------------------------------------- */

static void authenticate(fz_app *app, struct MHD_Connection *c, fz_principal *who) {
    memset(who, 0, sizeof *who);
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) || !app->auth) return;
    h += 7;
    while (*h == ' ') h++;
    if (fz_auth_check(app->auth, h, strlen(h), who)) memset(who, 0, sizeof *who);
}

static int append_body(conn *cn, const char *data, size_t n) {
    if (cn->too_big || cn->len + n > cn->limit) {
        cn->too_big = 1;
        return 0;
    }
    if (cn->len + n + 1 > cn->cap) {
        size_t cap = cn->cap ? cn->cap : 4096;
        while (cap < cn->len + n + 1) cap *= 2;
        char *b = realloc(cn->body, cap);
        if (!b) return -1;
        cn->body = b;
        cn->cap = cap;
    }
    memcpy(cn->body + cn->len, data, n);
    cn->len += n;
    cn->body[cn->len] = 0;
    return 0;
}

/* Parse a JSON body for a route that wants one; 0, or rs holds the 400. */
static int parse_body(conn *cn, fz_resp *rs) {
    if (!cn->len || cn->route->raw_body) return 0;
    json_error_t je;
    cn->rq.json = json_loadb(cn->body, cn->len, 0, &je);
    if (!cn->rq.json)
        return fz_resp_error(rs, 400, "body", "invalid JSON at line %d column %d: %s", je.line, je.column, je.text),
               -1;
    if (!json_is_object(cn->rq.json)) return fz_resp_error(rs, 400, "body", "must be a JSON object"), -1;
    return 0;
}

/* First call: find the route (to size the body limit) and who is calling. */
static void begin(fz_server *s, conn *cn, struct MHD_Connection *c, const char *url, const char *method) {
    fz_req *rq = &cn->rq;
    rq->app = s->app;
    rq->conn = c;
    rq->method = method;
    rq->path = url;
    authenticate(s->app, c, &rq->who);
    cn->route = find_route(method, url, cn->path, sizeof cn->path, rq, &cn->wrong_method);
    cn->limit = cn->route && cn->route->raw_body ? FZ_HTTP_MAX_RAW_BODY : FZ_HTTP_MAX_BODY;
}

static enum MHD_Result finish(fz_server *s, conn *cn, struct MHD_Connection *c, const char *url, const char *method) {
    fz_req *rq = &cn->rq;
    fz_resp *rs = &cn->rs;
    if (cn->have_req) { /* resumed: the handler's later part answers */
        struct fz_resp_later *l = rq->later;
        rq->later = NULL;
        l->fn(rq, rs, l->ctx);
        free(l);
        return send_resp(s->app, c, rs);
    }
    cn->have_req = 1;
    if (cn->too_big) {
        fz_resp_error(rs, 413, "body", "larger than %zu bytes", cn->limit);
        return send_resp(s->app, c, rs);
    }
    if (!cn->route && !strcmp(method, "GET") && strncmp(url, "/v1/", 4)) return send_file(s->app, c, url);
    /* the route was found on the first call (its body limit depends on it) */
    const fz_route *r = cn->route;
    if (!admit(r, cn->wrong_method, method, url, rq, rs)) return send_resp(s->app, c, rs);
    rq->body = cn->body ? cn->body : "";
    rq->body_len = cn->len;
    if (parse_body(cn, rs) == 0 && r->fn(rq, rs) != 0 && !rq->later)
        fz_resp_error(rs, 500, NULL, "internal error in %s %s", method, r->pattern);
    if (rq->later) return MHD_YES; /* suspended; answered after resume */
    return send_resp(s->app, c, rs);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *data, size_t *size, void **ctx) {
    (void)version;
    fz_server *s = cls;
    conn *cn = *ctx;
    if (!cn) {
        if (!(cn = calloc(1, sizeof *cn))) return MHD_NO;
        *ctx = cn;
        begin(s, cn, c, url, method);
        return MHD_YES;
    }
    if (*size) {
        if (append_body(cn, data, *size) < 0) return MHD_NO;
        *size = 0;
        return MHD_YES;
    }
    return finish(s, cn, c, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode why) {
    (void)cls, (void)c, (void)why;
    conn *cn = *ctx;
    if (!cn) return;
    if (cn->rq.later) { /* never resumed: let the handler release its state */
        cn->rq.later->fn(&cn->rq, NULL, cn->rq.later->ctx);
        free(cn->rq.later);
    }
    json_decref(cn->rq.json);
    json_decref(cn->rs.json);
    free(cn->rs.raw);
    free(cn->body);
    free(cn);
    *ctx = NULL;
}

/* ---- start and stop ----------------------------------------------------- */

static int parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len, fz_error *err) {
    char host[256];
    const char *colon = strrchr(addr, ':');
    if (!colon || colon == addr || (size_t)(colon - addr) >= sizeof host)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "listen", "'%s' is not ADDR:PORT", addr);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "listen", "bad port in '%s'", addr);
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = 0;
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    size_t hn = strlen(host);
    if (host[0] == '[' && hn > 2 && host[hn - 1] == ']') {
        host[hn - 1] = 0;
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "listen", "bad IPv6 address in '%s'", addr);
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *len = sizeof *a6;
        return 0;
    }
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "listen", "bad IPv4 address in '%s'", addr);
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *len = sizeof *a4;
    return 0;
}

int fz_server_start(fz_server **out, fz_app *app, const char *addr, fz_error *err) {
    *out = NULL;
    struct sockaddr_storage ss;
    socklen_t slen;
    int rc = parse_addr(addr, &ss, &slen, err);
    if (rc) return rc;
    fz_server *s = calloc(1, sizeof *s);
    if (!s) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    s->app = app;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_TURBO | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
                            (unsigned)330, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
                            /* a restart after a crash binds again at once */
                            MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
                            /* libmicrohttpd clears a connection's pool for every request: a small
                             * pool (headers, read buffer; bodies stream to on_request) keeps that
                             * cheap. 32 KiB by default cost ~30,000 instructions a request. */
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)FZ_HTTP_CONN_POOL, MHD_OPTION_END);
    if (!s->d) {
        free(s);
        return fz_error_set(err, FZ_EIO, NULL, 0, 0, "listen", "cannot listen on %s (in use, or not this host's?)",
                            addr);
    }
    *out = s;
    return 0;
}

void fz_server_stop(fz_server *s) {
    if (!s) return;
    MHD_stop_daemon(s->d);
    free(s);
}
