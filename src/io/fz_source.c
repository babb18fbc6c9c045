/* fz_source.c — see fz_source.h. */
#include "fz_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

int fz__source_is_gzip(const char *data, size_t n) {
    return n >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b;
}

static void source_zero(fz__source *s) {
    s->data = "";
    s->size = 0;
    s->map = NULL;
    s->map_len = 0;
    s->heap = NULL;
}

void fz__source_free(fz__source *s) {
    if (s->map) munmap(s->map, s->map_len);
    free(s->heap);
    source_zero(s);
}

static int io_error(fz_error *err, const char *path, const char *what, int e) {
    return fz_error_set(err, FZ_EIO, path, 0, 0, NULL, "%s: %s", what, strerror(e));
}

/* Grow *buf (capacity *cap) to at least need bytes, by doubling. */
static int grow(char **buf, size_t *cap, size_t need) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64 * 1024;
    while (c < need) {
        if (c > SIZE_MAX / 2) return FZ_ENOMEM;
        c *= 2;
    }
    char *p = realloc(*buf, c);
    if (!p) return FZ_ENOMEM;
    *buf = p;
    *cap = c;
    return 0;
}

/* Inflate one or more concatenated gzip members (gzip allows several, and
 * `cat a.gz b.gz` makes such files) into a heap buffer. */
static int inflate_all(fz__source *s, const char *name, const unsigned char *in, size_t n,
                       fz_error *err) {
    char *out = NULL;
    size_t cap = 0, len = 0;
    /* The trailer's ISIZE is the size mod 2^32 of the last member: a good
     * first guess that usually avoids any realloc. */
    size_t guess = n >= 4 ? ((size_t)in[n - 4] | (size_t)in[n - 3] << 8 |
                             (size_t)in[n - 2] << 16 | (size_t)in[n - 1] << 24) : 0;
    if (guess < n) guess = n * 4;
    /* ISIZE is the file's word, not a fact: deflate expands at most ~1032:1,
     * so a larger claim is damage (or malice), not a reason to allocate. */
    if (n <= SIZE_MAX / 1032 && guess > n * 1032) guess = n * 1032;
    if (grow(&out, &cap, guess + 1) != 0) return fz_error_set(err, FZ_ENOMEM, name, 0, 0, NULL, "out of memory");
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK) {
        free(out);
        return fz_error_set(err, FZ_ENOMEM, name, 0, 0, NULL, "zlib init failed");
    }
    size_t off = 0;
    int rc;
    for (;;) {
        /* avail_in/avail_out are uInt: hand zlib at most 1 GiB at a time. */
        size_t chunk = n - off < (1u << 30) ? n - off : (1u << 30);
        z.next_in = (unsigned char *)(uintptr_t)(in + off);
        z.avail_in = (uInt)chunk;
        if (len == cap && grow(&out, &cap, cap + 1) != 0) { rc = Z_MEM_ERROR; break; }
        size_t room = cap - len < (1u << 30) ? cap - len : (1u << 30);
        z.next_out = (unsigned char *)out + len;
        z.avail_out = (uInt)room;
        rc = inflate(&z, Z_NO_FLUSH);
        len += room - z.avail_out;
        off += chunk - z.avail_in;
        if (rc == Z_STREAM_END) {
            /* Another member may follow; trailing zero padding is tolerated. */
            while (off < n && in[off] == 0) off++;
            if (off >= n) break;
            if (inflateReset(&z) != Z_OK) { rc = Z_DATA_ERROR; break; }
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) break;
        if (z.avail_out == 0) continue;              /* output full: grow, go on */
        if (rc == Z_OK && off < n) continue;         /* next input slice */
        rc = Z_BUF_ERROR;                            /* input ended mid-stream */
        break;
    }
    const char *zmsg = z.msg;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        if (rc == Z_MEM_ERROR) return fz_error_set(err, FZ_ENOMEM, name, 0, 0, NULL, "out of memory");
        return fz_error_set(err, FZ_EIO, name, 0, 0, NULL, "gzip data is damaged: %s",
                            rc == Z_BUF_ERROR ? "truncated" : (zmsg ? zmsg : "inflate failed"));
    }
    s->heap = out;
    s->data = out;
    s->size = len;
    return 0;
}

/* Read a non-seekable stream (pipe, terminal) to its end. */
static int read_all(int fd, const char *path, char **buf, size_t *len, fz_error *err) {
    size_t cap = 0;
    *buf = NULL;
    *len = 0;
    for (;;) {
        if (grow(buf, &cap, *len + 64 * 1024) != 0) {
            free(*buf);
            return fz_error_set(err, FZ_ENOMEM, path, 0, 0, NULL, "out of memory");
        }
        ssize_t r = read(fd, *buf + *len, cap - *len);
        if (r == 0) return 0;
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            free(*buf);
            return io_error(err, path, "read", e);
        }
        *len += (size_t)r;
    }
}

/* Plain data in place, or inflated gzip replacing it. */
static int finish(fz__source *s, const char *name, fz_error *err) {
    if (!fz__source_is_gzip(s->data, s->size)) return 0;
    fz__source raw = *s;
    source_zero(s);
    int rc = inflate_all(s, name, (const unsigned char *)raw.data, raw.size, err);
    fz__source_free(&raw);
    return rc;
}

static int load_fd(fz__source *s, int fd, const char *path, fz_error *err) {
    struct stat st;
    if (fstat(fd, &st) != 0) return io_error(err, path, "stat", errno);
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            /* One pass front to back: let the kernel read ahead aggressively. */
            madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
            s->map = m;
            s->map_len = (size_t)st.st_size;
            s->data = m;
            s->size = (size_t)st.st_size;
            return 0;
        }
    }
    if (S_ISDIR(st.st_mode)) return io_error(err, path, "open", EISDIR);
    char *buf;
    size_t len;
    int rc = read_all(fd, path, &buf, &len, err);
    if (rc != 0) return rc;
    s->heap = buf;
    s->data = buf;
    s->size = len;
    return 0;
}

int fz__source_load(fz__source *s, const char *path, fz_error *err) {
    source_zero(s);
    int is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error(err, path, "open", errno);
    int rc = load_fd(s, fd, path, err);
    if (!is_stdin) close(fd);
    if (rc == 0) rc = finish(s, path, err);
    if (rc != 0) fz__source_free(s);
    return rc;
}

int fz__source_mem(fz__source *s, const char *name, const char *data, size_t n, fz_error *err) {
    source_zero(s);
    s->data = n ? data : "";
    s->size = n;
    int rc = finish(s, name, err);
    if (rc != 0) fz__source_free(s);
    return rc;
}
