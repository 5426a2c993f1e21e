#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube_blob.h"
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

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes into out (room for len * 3 / 4 bytes); returns the offset of a bad byte or -1. */
static long decode(const char *in, size_t len, unsigned char *out, size_t *outlen)
{
	unsigned long acc = 0;
	size_t i, n = 0, pad = 0, quad = 0;
	int v;

	*outlen = 0;
	for (i = 0; i < len; i++) {
		if (in[i] == '\r' || in[i] == '\n')
			continue;
		if (in[i] == '=' && quad >= 2) {
			pad++;
			v = 0;
		} else {
			v = b64_value((unsigned char)in[i]);
			if (v < 0 || pad)
				return (long)i;
		}
		acc = (acc << 6) | (unsigned long)v;
		if (++quad < 4)
			continue;
		out[n++] = (unsigned char)(acc >> 16);
		out[n++] = (unsigned char)(acc >> 8);
		out[n++] = (unsigned char)acc;
		n -= pad;
		quad = 0;
		acc = 0;
		if (pad)
			pad = 3; /* anything after the padding is an error */
	}
	if (quad)
		return (long)len;
	*outlen = n;
	return -1;
}

enum rtdp_rc kube_base64_decode(const char *in, size_t len, struct kube_blob *b,
                                struct rtdp_error *err)
{
	unsigned char *out = malloc(len / 4 * 3 + 4);
	size_t outlen = 0;
	long bad;

	if (!out)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	bad = decode(in, len, out, &outlen);
	if (bad >= 0) {
		wipe(out, len / 4 * 3 + 4);
		free(out);
		return rtdp_error_set(err, RTDP_ERR_INVALID, "invalid base64 at byte %ld", bad);
	}
	out[outlen] = '\0';
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
