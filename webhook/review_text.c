#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "review_text.h"
#include "rtdp/banned.h"

/*
 * The length of the valid UTF-8 sequence at s (at most n bytes), or 0 when
 * the bytes there are not one (overlong forms and surrogates included).
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char b = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		need = 1;
	else if (b >= 0xE0 && b <= 0xEF)
		need = 2;
	else if (b >= 0xF0 && b <= 0xF4)
		need = 3;
	else
		return 0;
	if (b == 0xE0)
		lo = 0xA0;
	else if (b == 0xED)
		hi = 0x9F;
	else if (b == 0xF0)
		lo = 0x90;
	else if (b == 0xF4)
		hi = 0x8F;
	if (n < need + 1 || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i <= need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	}
	return need + 1;
}

static int is_control(const unsigned char *s, size_t seq)
{
	if (seq == 1)
		return s[0] < 0x20 || s[0] == 0x7F;
	return seq == 2 && s[0] == 0xC2 && s[1] <= 0x9F; /* U+0080..U+009F */
}

/* Cuts text (len bytes) to at most max bytes on a character boundary, ending with "...". */
static void cut(char *text, size_t len, size_t max)
{
	size_t end = max - 3;

	if (len <= max)
		return;
	while (end > 0 && ((unsigned char)text[end] & 0xC0) == 0x80)
		end--;
	memcpy(text + end, "...", 4);
}

char *review_clean_text(const char *s, size_t len, size_t max)
{
	const unsigned char *in = (const unsigned char *)s;
	char *out = malloc(len + 4);
	size_t i = 0, o = 0;

	if (!out)
		return NULL;
	while (i < len) {
		size_t seq = utf8_len(in + i, len - i);

		if (seq == 0) {
			out[o++] = '?';
			i++;
			continue;
		}
		if (is_control(in + i, seq)) {
			out[o++] = ' ';
		} else {
			memcpy(out + o, in + i, seq);
			o += seq;
		}
		i += seq;
	}
	out[o] = '\0';
	cut(out, o, max < 4 ? 4 : max);
	return out;
}
