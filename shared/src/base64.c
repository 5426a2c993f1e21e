#include <stdint.h>
#include <stdlib.h>

#include "rtdp/base64.h"
#include "rtdp/banned.h"

char *rtdp_base64_encode(const void *data, size_t len)
{
	static const char abc[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *in = data;
	char *out, *p;
	size_t i;

	if (len > (SIZE_MAX - 1) / 4 * 3 - 3)
		return NULL;
	out = malloc((len + 2) / 3 * 4 + 1);
	if (!out)
		return NULL;
	p = out;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		*p++ = abc[v >> 18];
		*p++ = abc[(v >> 12) & 63];
		*p++ = abc[(v >> 6) & 63];
		*p++ = abc[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0);

		*p++ = abc[v >> 18];
		*p++ = abc[(v >> 12) & 63];
		*p++ = i + 1 < len ? abc[(v >> 6) & 63] : '=';
		*p++ = '=';
	}
	*p = '\0';
	return out;
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
static long decode_into(const char *in, size_t len, unsigned char *out, size_t *outlen)
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

static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

long rtdp_base64_decode(const char *in, size_t len, unsigned char **out, size_t *outlen)
{
	size_t room = len / 4 * 3 + 4;
	long bad;

	*outlen = 0;
	*out = malloc(room);
	if (!*out)
		return -2;
	bad = decode_into(in, len, *out, outlen);
	if (bad >= 0) {
		wipe(*out, room);
		free(*out);
		*out = NULL;
		*outlen = 0;
		return bad;
	}
	(*out)[*outlen] = '\0';
	return -1;
}
