/* fz_zip.c — see fz_zip.h. Written from PKWARE's APPNOTE.TXT §4.3. */
#include "fz_zip.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fz_error.h"

#define ZIP_LOCAL_SIG 0x04034b50u
#define ZIP_CENTRAL_SIG 0x02014b50u
#define ZIP_END_SIG 0x06054b50u
#define ZIP_LOCAL_FIXED 30u
#define ZIP_CENTRAL_FIXED 46u
#define ZIP_END_FIXED 22u
#define ZIP_VERSION 20u /* 2.0: deflate */

void fz_zip_init(fz_zip *z, fz_ms mtime) {
    memset(z, 0, sizeof *z);
    int64_t y, day = fz_time_cn_day(mtime); /* Shanghai local time: DOS times have no zone */
    int64_t sec = (mtime + FZ_CN_OFFSET_MS - day * FZ_MS_PER_DAY) / 1000;
    unsigned m, d;
    fz_civil_from_days(day, &y, &m, &d);
    if (y < 1980) y = 1980, m = 1, d = 1, sec = 0; /* DOS dates start in 1980 */
    if (y > 2107) y = 2107;
    z->dos_date = (uint16_t)(((y - 1980) << 9) | (m << 5) | d);
    z->dos_time = (uint16_t)(((sec / 3600) << 11) | (((sec / 60) % 60) << 5) | ((sec % 60) / 2));
}

void fz_zip_free(fz_zip *z) {
    free(z->data);
    free(z->dir);
    memset(z, 0, sizeof *z);
}

static int reserve(unsigned char **p, size_t *cap, size_t need) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 4096;
    while (c < need) c *= 2;
    unsigned char *q = realloc(*p, c);
    if (!q) return FZ_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

static unsigned char *put16(unsigned char *p, unsigned v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    return p + 2;
}

static unsigned char *put32(unsigned char *p, uint32_t v) {
    p = put16(p, v & 0xffff);
    return put16(p, v >> 16);
}

size_t fz_zip_size(const fz_zip *z) { return z->len + z->dlen + ZIP_END_FIXED; }

/* Raw deflate of data into *out (malloc'd); returns its size, or 0 when it
 * does not pay (or fails): then the entry is stored. */
static size_t deflate_raw(const void *data, size_t n, unsigned char **out) {
    z_stream s;
    memset(&s, 0, sizeof s);
    *out = NULL;
    if (n == 0 || deflateInit2(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    size_t bound = deflateBound(&s, (uLong)n);
    *out = malloc(bound);
    size_t got = 0;
    if (*out) {
        s.next_in = (Bytef *)(uintptr_t)data;
        s.avail_in = (uInt)n;
        s.next_out = *out;
        s.avail_out = (uInt)bound;
        if (deflate(&s, Z_FINISH) == Z_STREAM_END && s.total_out < n) got = s.total_out;
    }
    deflateEnd(&s);
    if (!got) {
        free(*out);
        *out = NULL;
    }
    return got;
}

/* The fields local and central headers share, from "version needed" on. */
static unsigned char *common(unsigned char *p, const fz_zip *z, unsigned method, uint32_t crc, size_t csize,
                             size_t n, size_t nlen) {
    p = put16(p, ZIP_VERSION);
    p = put16(p, 0); /* flags */
    p = put16(p, method);
    p = put16(p, z->dos_time);
    p = put16(p, z->dos_date);
    p = put32(p, crc);
    p = put32(p, (uint32_t)csize);
    p = put32(p, (uint32_t)n);
    p = put16(p, (unsigned)nlen);
    return put16(p, 0); /* extra field length */
}

static int append(fz_zip *z, const char *name, size_t nlen, unsigned method, uint32_t crc, const unsigned char *body,
                  size_t csize, size_t n) {
    if (reserve(&z->data, &z->cap, z->len + ZIP_LOCAL_FIXED + nlen + csize) ||
        reserve(&z->dir, &z->dcap, z->dlen + ZIP_CENTRAL_FIXED + nlen))
        return FZ_ENOMEM;
    size_t offset = z->len;
    unsigned char *p = put32(z->data + z->len, ZIP_LOCAL_SIG);
    p = common(p, z, method, crc, csize, n, nlen);
    memcpy(p, name, nlen);
    if (csize) memcpy(p + nlen, body, csize);
    z->len += ZIP_LOCAL_FIXED + nlen + csize;
    unsigned char *c = put32(z->dir + z->dlen, ZIP_CENTRAL_SIG);
    c = put16(c, ZIP_VERSION); /* version made by: MS-DOS attributes */
    c = common(c, z, method, crc, csize, n, nlen);
    c = put16(c, 0);           /* comment length */
    c = put16(c, 0);           /* disk number start */
    c = put16(c, 0);           /* internal attributes */
    c = put32(c, 0);           /* external attributes */
    c = put32(c, (uint32_t)offset);
    memcpy(c, name, nlen);
    z->dlen += ZIP_CENTRAL_FIXED + nlen;
    z->count++;
    return 0;
}

int fz_zip_add(fz_zip *z, const char *name, const void *data, size_t n, size_t limit) {
    size_t nlen = strlen(name);
    if (!nlen || nlen > 255 || z->count >= 0xffff || n > 0xfffffffful) return FZ_EINVAL;
    unsigned char *packed;
    size_t csize = deflate_raw(data, n, &packed);
    unsigned method = csize ? 8 : 0;
    if (!csize) csize = n;
    size_t grow = ZIP_LOCAL_FIXED + ZIP_CENTRAL_FIXED + 2 * nlen + csize;
    int rc = 0;
    if (limit && fz_zip_size(z) + grow > limit) rc = FZ_EFULL;
    else if (z->len + grow > 0xfffffffful) rc = FZ_EINVAL;
    uint32_t crc = (uint32_t)crc32(0L, Z_NULL, 0);
    if (!rc) crc = (uint32_t)crc32(crc, (const Bytef *)data, (uInt)n);
    if (!rc) rc = append(z, name, nlen, method, crc, method ? packed : (const unsigned char *)data, csize, n);
    free(packed);
    return rc;
}

int fz_zip_finish(fz_zip *z, const unsigned char **out, size_t *n) {
    if (reserve(&z->data, &z->cap, fz_zip_size(z))) return FZ_ENOMEM;
    size_t dir_offset = z->len;
    if (z->dlen) memcpy(z->data + z->len, z->dir, z->dlen);
    unsigned char *p = put32(z->data + z->len + z->dlen, ZIP_END_SIG);
    p = put16(p, 0);
    p = put16(p, 0);
    p = put16(p, z->count);
    p = put16(p, z->count);
    p = put32(p, (uint32_t)z->dlen);
    p = put32(p, (uint32_t)dir_offset);
    put16(p, 0); /* comment length */
    z->len += z->dlen + ZIP_END_FIXED;
    z->dlen = 0;
    *out = z->data;
    *n = z->len;
    return 0;
}
