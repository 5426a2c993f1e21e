#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rtdp/io.h"
#include "rtdp/json_patch.h"
#include "rtdp/banned.h"

const char *fixture_path(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", RTDP_FIXTURES, rel);
	return path;
}

char *fixture_read(const char *rel, size_t *len)
{
	struct rtdp_error err;
	char *bytes = NULL;
	enum rtdp_rc rc;

	rtdp_error_init(&err);
	rc = rtdp_read_file(fixture_path(rel), 64u << 20, &bytes, len, &err);
	if (rc != RTDP_OK)
		fail_msg("reading fixture %s: %s", rel, err.msg);
	return bytes;
}

cJSON *yaml_doc(const char *text)
{
	struct rtdp_limits lim;
	struct rtdp_error err;
	cJSON *out = NULL;

	rtdp_limits_default(&lim);
	rtdp_error_init(&err);
	if (rtdp_yaml_parse_one("<test>", text, strlen(text), &lim, &out, &err) != RTDP_OK)
		fail_msg("yaml_doc: %s\n%s", err.msg, text);
	return out;
}

cJSON *json_doc(const char *text)
{
	cJSON *j = cJSON_ParseWithLength(text, strlen(text));

	if (!j)
		fail_msg("json_doc: cannot parse %s", text);
	return j;
}

void load_fixture(struct rtdp_object_set *set, const char *rel)
{
	struct rtdp_limits lim;
	struct rtdp_error err;

	rtdp_limits_default(&lim);
	rtdp_error_init(&err);
	if (rtdp_manifest_load_path(set, fixture_path(rel), false, &lim, &err) != RTDP_OK)
		fail_msg("loading %s: %s", rel, err.msg);
}

struct rtdp_policy *policy_default(void)
{
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;

	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_default(&p, &err), RTDP_OK);
	return p;
}

struct rtdp_policy *policy_text(const char *yaml)
{
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;

	rtdp_error_init(&err);
	if (rtdp_policy_parse("test-policy", yaml, strlen(yaml), &p, &err) != RTDP_OK)
		fail_msg("policy_text: %s\n%s", err.msg, yaml);
	return p;
}

const struct rtdp_finding *finding_of(const struct rtdp_verdict *v, const char *rule,
                                      const char *pointer)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		if (strcmp(v->findings[i].rule, rule) == 0 &&
		    (!pointer || strcmp(v->findings[i].pointer, pointer) == 0))
			return &v->findings[i];
	return NULL;
}

void check_error(enum rtdp_rc rc, const struct rtdp_error *err, enum rtdp_rc want, ...)
{
	const char *needle;
	va_list ap;

	if (rc != want)
		fail_msg("rc %d (%s), want %d (%s); message: %s", rc, rtdp_rc_name(rc), want,
		         rtdp_rc_name(want), err->msg);
	if (err->rc != want)
		fail_msg("err->rc %d, want %d; message: %s", err->rc, want, err->msg);
	va_start(ap, want);
	while ((needle = va_arg(ap, const char *)))
		if (!strstr(err->msg, needle)) {
			va_end(ap);
			fail_msg("message \"%s\" lacks \"%s\"", err->msg, needle);
		}
	va_end(ap);
}

void dump_verdict(const char *what, const struct rtdp_verdict *v)
{
	char *patch = v->patch ? cJSON_PrintUnformatted(v->patch) : NULL;
	size_t i;

	fprintf(stderr, "%s: in_scope=%d, %zu findings, patch %s\n", what, v->in_scope, v->len,
	        patch ? patch : "(none)");
	for (i = 0; i < v->len; i++)
		fprintf(stderr, "  %s %s %s fixed=%d: %s\n", v->findings[i].rule,
		        rtdp_action_name(v->findings[i].action), v->findings[i].pointer,
		        v->findings[i].fixed, v->findings[i].message);
	free(patch);
}

static void evaluate(const struct rtdp_policy *p, const cJSON *const *objects, size_t n,
                     bool single, bool selected, struct rtdp_verdict *v)
{
	struct rtdp_error err;
	size_t i;

	rtdp_error_init(&err);
	for (i = 0; i < n; i++)
		rtdp_verdict_init(&v[i]);
	if (!single) {
		assert_int_equal(rtdp_policy_eval_set(p, objects, n, v, &err), RTDP_OK);
		return;
	}
	for (i = 0; i < n; i++) {
		struct rtdp_eval_input in = {objects[i], NULL, selected};

		assert_int_equal(rtdp_policy_eval(p, &in, &v[i], &err), RTDP_OK);
	}
}

static void check_ops(const cJSON *patch)
{
	const cJSON *op;

	for (op = patch ? patch->child : NULL; op; op = op->next) {
		const cJSON *path = cJSON_GetObjectItemCaseSensitive(op, "path");

		assert_true(cJSON_IsString(path));
		if (strncmp(path->valuestring, "/spec/selector", 14) == 0)
			fail_msg("an operation touches the immutable selector: %s",
			         path->valuestring);
	}
}

size_t check_idempotent(const struct rtdp_policy *p, const cJSON *const *objects, size_t n,
                        bool single, bool selected)
{
	struct rtdp_verdict *first = calloc(n ? n : 1, sizeof(*first));
	struct rtdp_verdict *second = calloc(n ? n : 1, sizeof(*second));
	cJSON **patched = calloc(n ? n : 1, sizeof(*patched));
	struct rtdp_error err;
	size_t i, j, ops = 0;

	assert_non_null(first);
	assert_non_null(second);
	assert_non_null(patched);
	evaluate(p, objects, n, single, selected, first);
	for (i = 0; i < n; i++) {
		patched[i] = cJSON_Duplicate(objects[i], 1);
		if (!first[i].patch)
			continue;
		check_ops(first[i].patch);
		ops += (size_t)cJSON_GetArraySize(first[i].patch);
		rtdp_error_init(&err);
		if (rtdp_json_patch_apply(&patched[i], first[i].patch, &err) != RTDP_OK) {
			dump_verdict("first", &first[i]);
			fail_msg("object %zu: the engine's patch does not apply: %s", i, err.msg);
		}
	}
	evaluate(p, (const cJSON *const *)patched, n, single, selected, second);
	for (i = 0; i < n; i++) {
		if (second[i].patch && cJSON_GetArraySize(second[i].patch) != 0) {
			dump_verdict("first", &first[i]);
			dump_verdict("second", &second[i]);
			fail_msg("object %zu: the patch is not idempotent", i);
		}
		for (j = 0; j < first[i].len; j++) {
			const struct rtdp_finding *f = &first[i].findings[j];

			if (f->fixed && finding_of(&second[i], f->rule, f->pointer)) {
				dump_verdict("second", &second[i]);
				fail_msg("object %zu: %s at %s was marked fixed but is still found",
				         i, f->rule, f->pointer);
			}
		}
	}
	for (i = 0; i < n; i++) {
		rtdp_verdict_release(&first[i]);
		rtdp_verdict_release(&second[i]);
		cJSON_Delete(patched[i]);
	}
	free(first);
	free(second);
	free(patched);
	return ops;
}
