#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rtdp/base64.h"

#include "review_util.h"

char *tu_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

int tu_write(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	size_t n;

	if (!f)
		return -1;
	n = fwrite(data, 1, len, f);
	return (fclose(f) == 0 && n == len) ? 0 : -1;
}

unsigned char *tu_base64_decode(const char *s, size_t *len)
{
	unsigned char *out = NULL;

	return rtdp_base64_decode(s, strlen(s), &out, len) == -1 ? out : NULL;
}

char *tu_review(const char *uid, const char *op, const char *ns, const char *sub, const char *kind,
                const char *object, bool dry_run)
{
	const char *fmt = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
	                  "\"request\":{\"uid\":\"%s\",\"kind\":{\"group\":\"\",\"version\":\"v1\","
	                  "\"kind\":\"%s\"},\"operation\":\"%s\",\"namespace\":\"%s\","
	                  "\"subResource\":\"%s\",\"dryRun\":%s,\"userInfo\":{\"username\":\"t\"},"
	                  "\"object\":%s}}";
	size_t size = strlen(fmt) + strlen(uid) + strlen(kind) + strlen(op) + strlen(ns) +
	              strlen(sub) + strlen(object) + 8;
	char *buf = malloc(size);

	assert_non_null(buf);
	snprintf(buf, size, fmt, uid, kind, op, ns, sub, dry_run ? "true" : "false", object);
	return buf;
}

cJSON *tu_handle(const struct rtdp_policy *p, enum review_endpoint ep, const char *body,
                 struct review_outcome *o)
{
	struct rtdp_error err;

	rtdp_error_init(&err);
	review_outcome_init(o);
	assert_int_equal(review_handle(p, ep, body, strlen(body), o, &err), RTDP_OK);
	assert_non_null(o->body);
	assert_int_equal(strlen(o->body), o->body_len);
	return cJSON_Parse(o->body);
}

cJSON *tu_patch(const cJSON *answer)
{
	const cJSON *resp = cJSON_GetObjectItemCaseSensitive(answer, "response");
	const cJSON *patch = cJSON_GetObjectItemCaseSensitive(resp, "patch");
	unsigned char *raw;
	size_t len = 0;
	cJSON *parsed;

	if (!cJSON_IsString(patch))
		return NULL;
	raw = tu_base64_decode(patch->valuestring, &len);
	assert_non_null(raw);
	parsed = cJSON_ParseWithLength((const char *)raw, len);
	free(raw);
	assert_non_null(parsed);
	return parsed;
}

struct rtdp_policy *tu_policy(const char *yaml)
{
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;

	rtdp_error_init(&err);
	if (!yaml)
		assert_int_equal(rtdp_policy_default(&p, &err), RTDP_OK);
	else if (rtdp_policy_parse("test-policy", yaml, strlen(yaml), &p, &err) != RTDP_OK)
		fail_msg("policy: %s", err.msg);
	return p;
}
