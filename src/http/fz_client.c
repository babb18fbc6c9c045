/* fz_client.c — see fz_client.h. */
#include "fz_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct fz_client {
    int fd;
    struct sockaddr_in sa;
    char *token;
    char host[300];
    char *buf; /* the response as read: head, then body */
    size_t cap, len;
};

static int dial(fz_client *c, fz_error *err) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0) return fz_error_set(err, FZ_EIO, c->host, 0, 0, NULL, "socket: %s", strerror(errno));
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&c->sa, sizeof c->sa) < 0) {
        int e = errno;
        close(c->fd);
        c->fd = -1;
        return fz_error_set(err, FZ_EIO, c->host, 0, 0, NULL, "connect: %s", strerror(e));
    }
    return 0;
}

int fz_client_open(fz_client **out, const char *addr, const char *token, fz_error *err) {
    *out = NULL;
    const char *colon = strrchr(addr, ':');
    char host[256];
    if (!colon || (size_t)(colon - addr) >= sizeof host)
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "url", "'%s' is not HOST:PORT", addr);
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = 0;
    fz_client *c = calloc(1, sizeof *c);
    if (!c) return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    c->fd = -1;
    snprintf(c->host, sizeof c->host, "%s", addr);
    c->sa.sin_family = AF_INET;
    c->sa.sin_port = htons((uint16_t)atoi(colon + 1));
    if (inet_pton(AF_INET, strcmp(host, "localhost") ? host : "127.0.0.1", &c->sa.sin_addr) != 1) {
        free(c);
        return fz_error_set(err, FZ_EINVAL, NULL, 0, 0, "url", "'%s' is not an IPv4 address", host);
    }
    if (token && !(c->token = strdup(token))) {
        free(c);
        return fz_error_set(err, FZ_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    int rc = dial(c, err);
    if (rc) {
        fz_client_close(c);
        return rc;
    }
    *out = c;
    return 0;
}

void fz_client_close(fz_client *c) {
    if (!c) return;
    if (c->fd >= 0) close(c->fd);
    free(c->token);
    free(c->buf);
    free(c);
}

static int write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Read into buf until want bytes are there; -1 on EOF or error. */
static int read_until(fz_client *c, size_t want) {
    while (c->len < want) {
        if (c->cap < want + 1 || c->cap - c->len < 4096) {
            size_t cap = c->cap ? c->cap * 2 : 65536;
            while (cap < want + 4097) cap *= 2;
            char *b = realloc(c->buf, cap);
            if (!b) return -1;
            c->buf = b;
            c->cap = cap;
        }
        ssize_t k = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        c->len += (size_t)k;
    }
    return 0;
}

#define MAX_HEAD (64u << 10)
#define MAX_BODY (256u << 20)

/* Read one response: head up to the blank line, then Content-Length bytes.
 * A head without Content-Length, or larger than these limits, is an error:
 * fz_server always sends one, and nothing else is spoken to. */
static int read_response(fz_client *c, int *status, const char **body, size_t *n) {
    c->len = 0;
    char *end;
    for (size_t want = 1;; want = c->len + 1) {
        if (want > MAX_HEAD || read_until(c, want) < 0) return -1;
        c->buf[c->len] = 0;
        if ((end = strstr(c->buf, "\r\n\r\n"))) break;
    }
    size_t head = (size_t)(end - c->buf) + 4;
    if (sscanf(c->buf, "HTTP/1.%*d %d", status) != 1) return -1;
    int have_len = 0;
    size_t clen = 0;
    for (char *p = c->buf; p < end; p = strstr(p, "\r\n") + 2)
        if (!strncasecmp(p, "Content-Length:", 15)) clen = strtoull(p + 15, NULL, 10), have_len = 1;
    if (!have_len || clen > MAX_BODY || read_until(c, head + clen) < 0) return -1;
    c->buf[head + clen] = 0;
    *body = c->buf + head;
    *n = clen;
    return 0;
}

static int send_request(fz_client *c, const char *method, const char *path, const char *ctype, const char *body,
                        size_t len) {
    char head[1024];
    int hn = snprintf(head, sizeof head,
                      "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s%s%s\r\n", method,
                      path, c->host, ctype ? ctype : "application/json", len,
                      c->token ? "Authorization: Bearer " : "", c->token ? c->token : "", c->token ? "\r\n" : "");
    if (hn < 0 || (size_t)hn >= sizeof head) return -1;
    if (write_all(c->fd, head, (size_t)hn) || (len && write_all(c->fd, body, len))) return -1;
    return 0;
}

int fz_client_request(fz_client *c, const char *method, const char *path, const char *ctype, const char *body,
                      size_t len, int *status, const char **resp, size_t *n, fz_error *err) {
    for (int attempt = 0; attempt < 2; attempt++) {
        if (c->fd < 0 && dial(c, err)) return FZ_EIO;
        if (!send_request(c, method, path, ctype, body, len) && !read_response(c, status, resp, n)) return 0;
        close(c->fd);
        c->fd = -1;
        /* A request the server may have taken is only retried because the
         * API is idempotent by transaction id. */
    }
    return fz_error_set(err, FZ_EIO, c->host, 0, 0, NULL, "no answer to %s %s", method, path);
}
