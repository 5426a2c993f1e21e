#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_path.h"
#include "rtdp/banned.h"

void jpath_init(struct jpath *p)
{
	p->ptr[0] = '\0';
	p->len = 0;
}

static void put(struct jpath *p, char c)
{
	if (p->len + 1 < JPATH_MAX) {
		p->ptr[p->len++] = c;
		p->ptr[p->len] = '\0';
	}
}

size_t jpath_push(struct jpath *p, const char *key)
{
	size_t old = p->len;

	put(p, '/');
	for (; *key; key++) {
		if (*key == '~') {
			put(p, '~');
			put(p, '0');
		} else if (*key == '/') {
			put(p, '~');
			put(p, '1');
		} else {
			put(p, *key);
		}
	}
	return old;
}

size_t jpath_push_index(struct jpath *p, int index)
{
	char digits[16];

	snprintf(digits, sizeof(digits), "%d", index);
	return jpath_push(p, digits);
}

void jpath_pop(struct jpath *p, size_t old_len)
{
	p->len = old_len;
	p->ptr[old_len] = '\0';
}

/* Decodes the segment starting at *s (after its '/') into key; advances *s. */
static int next_segment(const char **s, char *key, size_t n)
{
	size_t k = 0;
	const char *c = *s;

	for (; *c && *c != '/'; c++) {
		char ch = *c;

		if (ch == '~') {
			if (c[1] != '0' && c[1] != '1')
				return 0;
			ch = *++c == '0' ? '~' : '/';
		}
		if (k + 1 >= n)
			return 0;
		key[k++] = ch;
	}
	key[k] = '\0';
	*s = c;
	return 1;
}

static const cJSON *child_of(const cJSON *node, const char *key)
{
	char *end;
	long i;

	if (cJSON_IsObject(node))
		return cJSON_GetObjectItemCaseSensitive(node, key);
	if (!cJSON_IsArray(node) || !isdigit((unsigned char)key[0]) || (key[0] == '0' && key[1]))
		return NULL;
	i = strtol(key, &end, 10);
	if (*end || i > 1000000)
		return NULL;
	return cJSON_GetArrayItem(node, (int)i);
}

const cJSON *json_pointer_get(const cJSON *root, const char *pointer, const cJSON **deepest)
{
	char key[JPATH_MAX];
	const cJSON *node = root;
	const char *s = pointer;

	if (deepest)
		*deepest = root;
	while (node && *s) {
		if (*s != '/')
			return NULL;
		s++;
		if (!next_segment(&s, key, sizeof(key)))
			return NULL;
		node = child_of(node, key);
		if (node && deepest)
			*deepest = node;
	}
	return node;
}

static int is_identifier(const char *key)
{
	if (!*key || isdigit((unsigned char)*key))
		return 0;
	for (; *key; key++)
		if (!isalnum((unsigned char)*key) && *key != '_' && *key != '-')
			return 0;
	return 1;
}

static int all_digits(const char *key)
{
	if (!*key)
		return 0;
	for (; *key; key++)
		if (!isdigit((unsigned char)*key))
			return 0;
	return 1;
}

void json_pointer_to_field_path(const char *pointer, char *out, size_t n)
{
	char key[JPATH_MAX];
	const char *s = pointer;
	size_t used = 0;
	int w;

	if (n == 0)
		return;
	out[0] = '\0';
	while (*s == '/') {
		s++;
		if (!next_segment(&s, key, sizeof(key)))
			return;
		if (all_digits(key) || !is_identifier(key))
			w = snprintf(out + used, n - used, "[%s]", key);
		else
			w = snprintf(out + used, n - used, "%s%s", used ? "." : "", key);
		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
	}
}
