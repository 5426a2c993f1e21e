#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "rtdp/yaml_emit.h"
#include "yaml_scalar.h"
#include "rtdp/banned.h"

/* A plain scalar would read back as this same string. */
static int plain_is_safe(const char *s)
{
	double number;
	int truth;
	size_t len = strlen(s);

	if (len == 0 || yaml_scalar_resolve(s, len, &number, &truth) != YAML_SCALAR_STRING)
		return 0;
	if (strchr("-?:,[]{}#&*!|>'\"%@`~ ", s[0]) || isspace((unsigned char)s[len - 1]))
		return 0;
	if (strstr(s, ": ") || strstr(s, " #") || s[len - 1] == ':')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static enum rtdp_rc quoted(struct rtdp_buf *out, const char *s)
{
	enum rtdp_rc rc = rtdp_buf_add(out, "\"", 1);

	for (; rc == RTDP_OK && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc = rtdp_buf_addf(out, "\\%c", c);
		else if (c == '\n')
			rc = rtdp_buf_adds(out, "\\n");
		else if (c == '\t')
			rc = rtdp_buf_adds(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			rc = rtdp_buf_addf(out, "\\x%02x", c);
		else
			rc = rtdp_buf_add(out, s, 1);
	}
	return rc == RTDP_OK ? rtdp_buf_add(out, "\"", 1) : rc;
}

static enum rtdp_rc scalar(struct rtdp_buf *out, const cJSON *n)
{
	if (cJSON_IsString(n))
		return plain_is_safe(n->valuestring) ? rtdp_buf_adds(out, n->valuestring)
		                                     : quoted(out, n->valuestring);
	if (cJSON_IsNumber(n))
		return n->valuedouble == (double)(long long)n->valuedouble
		               ? rtdp_buf_addf(out, "%lld", (long long)n->valuedouble)
		               : rtdp_buf_addf(out, "%.17g", n->valuedouble);
	if (cJSON_IsBool(n))
		return rtdp_buf_adds(out, cJSON_IsTrue(n) ? "true" : "false");
	if (cJSON_IsRaw(n))
		return rtdp_buf_adds(out, n->valuestring);
	return rtdp_buf_adds(out, "null");
}

static int is_empty_collection(const cJSON *n)
{
	return (cJSON_IsObject(n) || cJSON_IsArray(n)) && !n->child;
}

static enum rtdp_rc indent(struct rtdp_buf *out, int level)
{
	enum rtdp_rc rc = RTDP_OK;

	while (rc == RTDP_OK && level-- > 0)
		rc = rtdp_buf_add(out, "  ", 2);
	return rc;
}

static enum rtdp_rc node(struct rtdp_buf *out, const cJSON *n, int level, int inline_first);

/* After "key:" or "-": a scalar or an empty collection stays on the line. */
static enum rtdp_rc value_after(struct rtdp_buf *out, const cJSON *v, int level, int in_list)
{
	enum rtdp_rc rc;

	if (is_empty_collection(v))
		return rtdp_buf_adds(out, cJSON_IsArray(v) ? " []\n" : " {}\n");
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v)) {
		rc = rtdp_buf_add(out, " ", 1);
		if (rc == RTDP_OK)
			rc = scalar(out, v);
		return rc == RTDP_OK ? rtdp_buf_add(out, "\n", 1) : rc;
	}
	if (in_list && cJSON_IsObject(v)) { /* "- key: value" */
		rc = rtdp_buf_add(out, " ", 1);
		return rc == RTDP_OK ? node(out, v, level + 1, 1) : rc;
	}
	rc = rtdp_buf_add(out, "\n", 1);
	/* kubectl indents a list under a key at the key's own level */
	return rc == RTDP_OK ? node(out, v, cJSON_IsArray(v) && !in_list ? level : level + 1, 0)
	                     : rc;
}

static enum rtdp_rc node(struct rtdp_buf *out, const cJSON *n, int level, int inline_first)
{
	const cJSON *c;
	enum rtdp_rc rc = RTDP_OK;

	for (c = n->child; rc == RTDP_OK && c; c = c->next) {
		if (!(inline_first && c == n->child))
			rc = indent(out, level);
		if (rc != RTDP_OK)
			break;
		if (cJSON_IsObject(n)) {
			if (plain_is_safe(c->string))
				rc = rtdp_buf_addf(out, "%s:", c->string);
			else if ((rc = quoted(out, c->string)) == RTDP_OK)
				rc = rtdp_buf_add(out, ":", 1);
			if (rc == RTDP_OK)
				rc = value_after(out, c, level, 0);
		} else {
			rc = rtdp_buf_add(out, "-", 1);
			if (rc == RTDP_OK)
				rc = value_after(out, c, level, 1);
		}
	}
	return rc;
}

enum rtdp_rc rtdp_yaml_emit(const cJSON *n, struct rtdp_buf *out)
{
	enum rtdp_rc rc;

	if (is_empty_collection(n))
		return rtdp_buf_adds(out, cJSON_IsArray(n) ? "[]\n" : "{}\n");
	if (cJSON_IsObject(n) || cJSON_IsArray(n))
		return node(out, n, 0, 0);
	rc = scalar(out, n);
	return rc == RTDP_OK ? rtdp_buf_add(out, "\n", 1) : rc;
}
