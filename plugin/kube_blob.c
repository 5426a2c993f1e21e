#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube_blob.h"
#include "rtdp/base64.h"
#include "rtdp/io.h"
#include "rtdp/banned.h"

void kube_blob_init(struct kube_blob *b)
{
	b->data = NULL;
	b->len = 0;
}

static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

void kube_blob_release(struct kube_blob *b)
{
	if (b->data) {
		wipe(b->data, b->len);
		free(b->data);
	}
	kube_blob_init(b);
}

void kube_free_secret(char *s)
{
	if (!s)
		return;
	wipe(s, strlen(s));
	free(s);
}

enum rtdp_rc kube_blob_set(struct kube_blob *b, const void *data, size_t len,
                           struct rtdp_error *err)
{
	unsigned char *copy = malloc(len + 1);

	if (!copy)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	kube_blob_release(b);
	b->data = copy;
	b->len = len;
	return RTDP_OK;
}

enum rtdp_rc kube_blob_read_file(struct kube_blob *b, const char *path, size_t max,
                                 struct rtdp_error *err)
{
	char *bytes = NULL;
	size_t len = 0;
	enum rtdp_rc rc = rtdp_read_file(path, max, &bytes, &len, err);

	if (rc != RTDP_OK)
		return rc;
	kube_blob_release(b);
	b->data = (unsigned char *)bytes;
	b->len = len;
	return RTDP_OK;
}

enum rtdp_rc kube_base64_decode(const char *in, size_t len, struct kube_blob *b,
                                struct rtdp_error *err)
{
	unsigned char *out = NULL;
	size_t outlen = 0;
	long bad = rtdp_base64_decode(in, len, &out, &outlen);

	if (bad == -2)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	if (bad >= 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "invalid base64 at byte %ld", bad);
	kube_blob_release(b);
	b->data = out;
	b->len = outlen;
	return RTDP_OK;
}

char *kube_base64_encode(const unsigned char *in, size_t len)
{
	static const char alphabet[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out, *p;
	size_t i;
	unsigned long acc;

	if (len > ((size_t)-1) / 2)
		return NULL;
	out = malloc((len + 2) / 3 * 4 + 1);
	if (!out)
		return NULL;
	p = out;
	for (i = 0; i < len; i += 3) {
		acc = (unsigned long)in[i] << 16;
		if (i + 1 < len)
			acc |= (unsigned long)in[i + 1] << 8;
		if (i + 2 < len)
			acc |= in[i + 2];
		*p++ = alphabet[(acc >> 18) & 63];
		*p++ = alphabet[(acc >> 12) & 63];
		*p++ = i + 1 < len ? alphabet[(acc >> 6) & 63] : '=';
		*p++ = i + 2 < len ? alphabet[acc & 63] : '=';
	}
	*p = '\0';
	return out;
}
