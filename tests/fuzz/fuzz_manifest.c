/*
 * libFuzzer harness: the manifest loader (YAML from `kubectl rtdp validate -f`)
 * and, on what it accepts, the whole offline engine. Besides the sanitizers it
 * checks the engine's promises, and aborts when one breaks:
 *   - an error names the stream and says something;
 *   - every in-scope verdict carries a patch that applies (rtdp_json_patch_apply),
 *     never touches /spec/selector, and is idempotent: evaluating the patched
 *     objects again gives empty patches and none of the fixed findings;
 *   - rtdp_object_line gives a line inside the input for every finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtdp/json_patch.h"
#include "rtdp/manifest.h"
#include "rtdp/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NAME "fuzz.yaml"

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_manifest: broken promise: %s\n", what);
		abort();
	}
}

static const struct rtdp_policy *policy(void)
{
	static struct rtdp_policy *p;
	struct rtdp_error err;

	if (!p) {
		rtdp_error_init(&err);
		check(rtdp_policy_default(&p, &err) == RTDP_OK, "the default policy loads");
	}
	return p;
}

static int has_finding(const struct rtdp_verdict *v, const struct rtdp_finding *f)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		if (strcmp(v->findings[i].rule, f->rule) == 0 &&
		    strcmp(v->findings[i].pointer, f->pointer) == 0)
			return 1;
	return 0;
}

/*
 * The lines of the input as YAML counts them (an upper bound): \n, \r (\r\n
 * counts twice here), NEL (C2 85), LINE and PARAGRAPH SEPARATOR (E2 80 A8/A9).
 */
static int count_lines(const uint8_t *data, size_t size)
{
	int lines = 1;
	size_t i;

	for (i = 0; i < size; i++) {
		lines += data[i] == '\n' || data[i] == '\r';
		lines += i + 1 < size && data[i] == 0xC2 && data[i + 1] == 0x85;
		lines += i + 2 < size && data[i] == 0xE2 && data[i + 1] == 0x80 &&
		         (data[i + 2] == 0xA8 || data[i + 2] == 0xA9);
	}
	return lines;
}

static void check_patch(const cJSON *patch)
{
	const cJSON *op;

	check(cJSON_IsArray(patch), "an in-scope verdict has a patch array");
	for (op = patch->child; op; op = op->next) {
		const cJSON *path = cJSON_GetObjectItemCaseSensitive(op, "path");

		check(cJSON_IsString(path), "every operation has a path");
		check(strncmp(path->valuestring, "/spec/selector", 14) != 0,
		      "no operation touches the selector");
	}
}

static void evaluate(const struct rtdp_object_set *set, const cJSON **objects, const uint8_t *data,
                     size_t size)
{
	size_t n = set->len, i, j;
	struct rtdp_verdict *first = calloc(n, sizeof(*first));
	struct rtdp_verdict *second = calloc(n, sizeof(*second));
	cJSON **patched = calloc(n, sizeof(*patched));
	int lines = count_lines(data, size);
	struct rtdp_error err;

	check(first && second && patched, "allocation");
	rtdp_error_init(&err);
	check(rtdp_policy_eval_set(policy(), objects, n, first, &err) == RTDP_OK,
	      "eval_set succeeds");
	for (i = 0; i < n; i++) {
		patched[i] = cJSON_Duplicate(objects[i], 1);
		check(patched[i] != NULL, "allocation");
		for (j = 0; j < first[i].len; j++) {
			int line = rtdp_object_line(&set->items[i], first[i].findings[j].pointer);

			check(line >= 1 && line <= lines, "a finding's line is inside the input");
		}
		if (!first[i].in_scope)
			continue;
		check_patch(first[i].patch);
		rtdp_error_init(&err);
		if (rtdp_json_patch_apply(&patched[i], first[i].patch, &err) != RTDP_OK) {
			fprintf(stderr, "%s\n", err.msg);
			check(0, "the engine's patch applies");
		}
	}
	rtdp_error_init(&err);
	check(rtdp_policy_eval_set(policy(), (const cJSON *const *)patched, n, second, &err) ==
	              RTDP_OK,
	      "eval_set of the patched objects succeeds");
	for (i = 0; i < n; i++) {
		if (second[i].patch && cJSON_GetArraySize(second[i].patch) != 0) {
			char *p1 = cJSON_PrintUnformatted(first[i].patch);
			char *p2 = cJSON_PrintUnformatted(second[i].patch);

			fprintf(stderr, "first patch: %s\nsecond patch: %s\n", p1, p2);
			check(0, "the patch is idempotent");
		}
		for (j = 0; j < first[i].len; j++)
			check(!first[i].findings[j].fixed ||
			              !has_finding(&second[i], &first[i].findings[j]),
			      "a fixed finding is gone after the patch");
	}
	for (i = 0; i < n; i++) {
		rtdp_verdict_release(&first[i]);
		rtdp_verdict_release(&second[i]);
		cJSON_Delete(patched[i]);
	}
	free(first);
	free(second);
	free(patched);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtdp_object_set set;
	struct rtdp_limits lim;
	struct rtdp_error err;
	const cJSON **objects;
	cJSON *one = NULL;
	size_t i;
	enum rtdp_rc rc;

	rtdp_limits_default(&lim);
	lim.max_bytes = 1u << 20;
	lim.max_nodes = 20000; /* keeps each input fast; the default is 200000 */
	lim.max_documents = 1000;
	rtdp_object_set_init(&set);
	rtdp_error_init(&err);
	rc = rtdp_manifest_parse(&set, FUZZ_NAME, (const char *)data, size, &lim, &err);
	if (rc != RTDP_OK) {
		check(err.rc == rc, "the error code is recorded");
		check(strncmp(err.msg, "'" FUZZ_NAME "': ", strlen(FUZZ_NAME) + 4) == 0,
		      "an error names the stream");
		check(set.len == 0, "an error appends nothing");
	} else if (set.len > 0) {
		objects = calloc(set.len, sizeof(*objects));
		check(objects != NULL, "allocation");
		for (i = 0; i < set.len; i++) {
			check(cJSON_IsObject(set.items[i].json), "every object is a mapping");
			objects[i] = set.items[i].json;
		}
		evaluate(&set, objects, data, size);
		free(objects);
	}
	rtdp_object_set_release(&set);

	rtdp_error_init(&err);
	if (rtdp_yaml_parse_one(FUZZ_NAME, (const char *)data, size, &lim, &one, &err) == RTDP_OK)
		check(cJSON_IsObject(one), "parse_one gives a mapping");
	else
		check(one == NULL, "parse_one gives nothing on error");
	cJSON_Delete(one);
	return 0;
}
