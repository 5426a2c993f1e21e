#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_scalar.h"
#include "rtdp/banned.h"

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

static int is_one_of(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && memcmp(*words, s, len) == 0)
			return 1;
	return 0;
}

static const char *const null_words[] = {"~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                         "True", "TRUE", "on",  "On",  "ON",  NULL};
static const char *const false_words[] = {"n",     "N",     "no",  "No",  "NO",  "false",
                                          "False", "FALSE", "off", "Off", "OFF", NULL};

/* Copies s without underscores into out (at most 63 bytes); 0 when too long. */
static int strip_underscores(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '_')
			continue;
		if (n + 1 >= outsz)
			return 0;
		out[n++] = s[i];
	}
	out[n] = '\0';
	return n > 0;
}

static int digits_in_base(const char *s, int base)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		int d = isdigit((unsigned char)*s)    ? *s - '0'
		        : isxdigit((unsigned char)*s) ? tolower((unsigned char)*s) - 'a' + 10
		                                      : 99;
		if (d >= base)
			return 0;
	}
	return 1;
}

/* Go's strconv.ParseInt(s, 0, 64) over an underscore-free string. */
static int parse_int(const char *text, double *out)
{
	const char *s = text;
	int neg = 0, base = 10;
	unsigned long long v;
	char *end;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, s += 2;
	else if (s[0] == '0' && s[1])
		base = 8, s += 1;
	if (!digits_in_base(s, base))
		return 0;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > 9223372036854775808ULL || (!neg && v == 9223372036854775808ULL))
		return 0;
	*out = neg ? -(double)v : (double)v;
	return 1;
}

/* go-yaml v2's float pattern: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int parse_float(const char *text, double *out)
{
	const char *s = text;
	int mantissa = 0;

	if (*s == '+' || *s == '-')
		s++;
	while (isdigit((unsigned char)*s))
		s++, mantissa = 1;
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s))
			s++, mantissa = 1;
	}
	if (!mantissa)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s)
		return 0;
	*out = strtod(text, NULL);
	return isfinite(*out);
}

static int is_special_float(const char *s, size_t len)
{
	static const char *const words[] = {".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf",
	                                    "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
	                                    ".NaN",  ".NAN",  NULL};
	return is_one_of(s, len, words);
}

enum yaml_scalar_kind yaml_scalar_resolve(const char *s, size_t len, double *number, int *truth)
{
	char text[64];

	if (len == 0 || is_one_of(s, len, null_words))
		return YAML_SCALAR_NULL;
	if (is_one_of(s, len, true_words) || is_one_of(s, len, false_words)) {
		*truth = is_one_of(s, len, true_words);
		return YAML_SCALAR_BOOL;
	}
	if (is_special_float(s, len))
		return YAML_SCALAR_NOT_JSON;
	if (!(isdigit((unsigned char)s[0]) || s[0] == '-' || s[0] == '+' || s[0] == '.'))
		return YAML_SCALAR_STRING;
	if (!strip_underscores(s, len, text, sizeof(text)))
		return YAML_SCALAR_STRING;
	if (parse_int(text, number))
		return YAML_SCALAR_INT;
	if (parse_float(text, number))
		return YAML_SCALAR_FLOAT;
	return YAML_SCALAR_STRING;
}

static cJSON *resolved_as(enum yaml_scalar_kind want, const char *s, size_t len)
{
	double number = 0;
	int truth = 0;
	enum yaml_scalar_kind got = yaml_scalar_resolve(s, len, &number, &truth);

	if (want == YAML_SCALAR_FLOAT && got == YAML_SCALAR_INT)
		got = YAML_SCALAR_FLOAT;
	if (got != want)
		return NULL;
	switch (got) {
	case YAML_SCALAR_NULL:
		return cJSON_CreateNull();
	case YAML_SCALAR_BOOL:
		return cJSON_CreateBool(truth);
	case YAML_SCALAR_INT:
	case YAML_SCALAR_FLOAT:
		return cJSON_CreateNumber(number);
	case YAML_SCALAR_STRING:
	case YAML_SCALAR_NOT_JSON:
		break;
	}
	return NULL;
}

static cJSON *string_node(const char *s, size_t len)
{
	char *copy = malloc(len + 1);
	cJSON *node;

	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	node = cJSON_CreateString(copy);
	free(copy);
	return node;
}

cJSON *yaml_scalar_tagged(const char *tag, const char *s, size_t len, int *bad_tag)
{
	const char *name;

	*bad_tag = 0;
	if (strcmp(tag, "!") == 0)
		return string_node(s, len);
	if (strncmp(tag, YAML_TAG_PREFIX, strlen(YAML_TAG_PREFIX)) != 0) {
		*bad_tag = 1;
		return NULL;
	}
	name = tag + strlen(YAML_TAG_PREFIX);
	if (strcmp(name, "str") == 0 || strcmp(name, "binary") == 0 ||
	    strcmp(name, "timestamp") == 0)
		return string_node(s, len);
	if (strcmp(name, "int") == 0)
		return resolved_as(YAML_SCALAR_INT, s, len);
	if (strcmp(name, "float") == 0)
		return resolved_as(YAML_SCALAR_FLOAT, s, len);
	if (strcmp(name, "bool") == 0)
		return resolved_as(YAML_SCALAR_BOOL, s, len);
	if (strcmp(name, "null") == 0)
		return resolved_as(YAML_SCALAR_NULL, s, len);
	*bad_tag = 1;
	return NULL;
}
