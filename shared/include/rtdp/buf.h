/*
 * A growable byte buffer with a hard size cap (after git's strbuf). data is
 * always NUL-terminated once anything was appended; an empty buffer's data may
 * be NULL. Every append fails with RTDP_ERR_LIMIT instead of growing past max.
 */
#ifndef RTDP_BUF_H
#define RTDP_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "rtdp/error.h"

struct rtdp_buf {
	char *data; /* owned; NULL until the first append */
	size_t len; /* bytes used, excluding the terminating NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* largest len allowed */
};

/* An empty buffer that will refuse to grow past max bytes. Cannot fail. */
void rtdp_buf_init(struct rtdp_buf *b, size_t max);
/* Frees the contents; the buffer is empty and reusable afterwards. */
void rtdp_buf_release(struct rtdp_buf *b);
/*
 * Hands the data over to the caller (free() it); the buffer becomes empty.
 * Returns an empty string for an empty buffer, NULL only when out of memory.
 */
char *rtdp_buf_detach(struct rtdp_buf *b, size_t *len);

enum rtdp_rc rtdp_buf_add(struct rtdp_buf *b, const void *data, size_t len);
enum rtdp_rc rtdp_buf_adds(struct rtdp_buf *b, const char *s);
enum rtdp_rc rtdp_buf_addf(struct rtdp_buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
enum rtdp_rc rtdp_buf_vaddf(struct rtdp_buf *b, const char *fmt, va_list ap);

#endif
