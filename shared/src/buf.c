#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtdp/buf.h"
#include "rtdp/banned.h"

void rtdp_buf_init(struct rtdp_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void rtdp_buf_release(struct rtdp_buf *b)
{
	free(b->data);
	rtdp_buf_init(b, b->max);
}

char *rtdp_buf_detach(struct rtdp_buf *b, size_t *len)
{
	char *data = b->data;

	if (len)
		*len = b->len;
	if (!data)
		data = calloc(1, 1);
	rtdp_buf_init(b, b->max);
	return data;
}

static enum rtdp_rc grow(struct rtdp_buf *b, size_t extra)
{
	size_t want;
	char *bigger;

	if (extra > b->max || b->len > b->max - extra)
		return RTDP_ERR_LIMIT;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return RTDP_OK;
	if (b->cap > ((size_t)-1) / 2)
		return RTDP_ERR_LIMIT;
	if (want < b->cap * 2)
		want = b->cap * 2;
	if (want < 64)
		want = 64;
	bigger = realloc(b->data, want);
	if (!bigger)
		return RTDP_ERR_NOMEM;
	b->data = bigger;
	b->cap = want;
	return RTDP_OK;
}

enum rtdp_rc rtdp_buf_add(struct rtdp_buf *b, const void *data, size_t len)
{
	enum rtdp_rc rc = grow(b, len);

	if (rc != RTDP_OK)
		return rc;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return RTDP_OK;
}

enum rtdp_rc rtdp_buf_adds(struct rtdp_buf *b, const char *s)
{
	return rtdp_buf_add(b, s, strlen(s));
}

enum rtdp_rc rtdp_buf_vaddf(struct rtdp_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int need;
	enum rtdp_rc rc;

	va_copy(copy, ap);
	need = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (need < 0)
		return RTDP_ERR_INVALID;
	rc = grow(b, (size_t)need);
	if (rc != RTDP_OK)
		return rc;
	vsnprintf(b->data + b->len, (size_t)need + 1, fmt, ap);
	b->len += (size_t)need;
	return RTDP_OK;
}

enum rtdp_rc rtdp_buf_addf(struct rtdp_buf *b, const char *fmt, ...)
{
	va_list ap;
	enum rtdp_rc rc;

	va_start(ap, fmt);
	rc = rtdp_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}
