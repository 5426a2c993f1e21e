/*
 * The JSON Patch corners of the engine's own patches (docs/ADMISSION.md): ~1
 * escaping, missing maps created whole, right JSON types, never the selector,
 * and idempotence: for every fixture, the patch applies, and re-evaluating the
 * patched object gives an empty patch and none of the fixed findings.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rtdp/json_patch.h"
#include "rtdp/banned.h"

#define HEADER "apiVersion: rtdp.io/v1alpha1\nkind: Policy\n"

static cJSON *rule_fixture(const char *name, const char *patch)
{
	char rel[256], *bytes;
	size_t len;
	cJSON *obj, *ops;
	struct rtdp_error err;

	snprintf(rel, sizeof(rel), "manifests/rules/%s.yaml", name);
	bytes = fixture_read(rel, &len);
	obj = yaml_doc(bytes);
	free(bytes);
	if (patch) {
		ops = json_doc(patch);
		rtdp_error_init(&err);
		if (rtdp_json_patch_apply(&obj, ops, &err) != RTDP_OK)
			fail_msg("%s", err.msg);
		cJSON_Delete(ops);
	}
	return obj;
}

/* Evaluates obj alone; the verdict is the caller's to release. */
static void eval_one(const struct rtdp_policy *p, const cJSON *obj, bool selected,
                     struct rtdp_verdict *v)
{
	struct rtdp_eval_input in = {obj, NULL, selected};
	struct rtdp_error err;

	rtdp_verdict_init(v);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_eval(p, &in, v, &err), RTDP_OK);
	assert_true(v->in_scope);
	assert_true(cJSON_IsArray(v->patch));
}

static const char *op_field(const cJSON *op, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* The operations whose path starts with prefix. */
static int ops_under(const cJSON *patch, const char *prefix)
{
	const cJSON *op;
	int n = 0;

	for (op = patch->child; op; op = op->next)
		n += strncmp(op_field(op, "path"), prefix, strlen(prefix)) == 0;
	return n;
}

static const cJSON *op_at(const cJSON *patch, const char *path)
{
	const cJSON *op;

	for (op = patch->child; op; op = op->next)
		if (strcmp(op_field(op, "path"), path) == 0)
			return op;
	return NULL;
}

static void assert_all_strings(const cJSON *map, int count)
{
	const cJSON *kv;

	assert_true(cJSON_IsObject(map));
	assert_int_equal(cJSON_GetArraySize(map), count);
	for (kv = map->child; kv; kv = kv->next)
		if (!cJSON_IsString(kv))
			fail_msg("label %s is not a string", kv->string);
}

static void test_label_keys_are_escaped(void **state)
{
	struct rtdp_policy *p = policy_text(
	        HEADER
	        "spec:\n  labels:\n    deployment: [rtdp.io/pipeline, \"example.com/a~b\", plain]\n"
	        "    podTemplate: []\n    managedBy: rtdp\n");
	cJSON *obj = rule_fixture(
	        "deployment",
	        "[{\"op\":\"remove\",\"path\":\"/metadata/labels/rtdp.io~1pipeline\"}]");
	struct rtdp_verdict v;
	const cJSON *op;

	(void)state;
	eval_one(p, obj, true, &v);
	/* rtdp.io/pipeline, example.com/a~b and plain are missing; only the first has a value */
	op = op_at(v.patch, "/metadata/labels/rtdp.io~1pipeline");
	assert_non_null(op);
	assert_string_equal(op_field(op, "op"), "add");
	assert_string_equal(cJSON_GetObjectItem(op, "value")->valuestring, "demo");
	assert_int_equal(cJSON_GetArraySize(v.patch), 1);
	assert_non_null(finding_of(&v, "labels-required", "/metadata/labels/example.com~1a~0b"));
	assert_non_null(finding_of(&v, "labels-required", "/metadata/labels/plain"));
	assert_string_equal(
	        finding_of(&v, "labels-required", "/metadata/labels/example.com~1a~0b")->path,
	        "metadata.labels[example.com/a~b]");
	check_idempotent(p, (const cJSON *const *)&obj, 1, true, true);
	rtdp_verdict_release(&v);
	cJSON_Delete(obj);
	rtdp_policy_free(p);
}

static void test_missing_labels_map_is_one_add(void **state)
{
	struct rtdp_policy *p = policy_default();
	cJSON *obj = rule_fixture("deployment",
	                          "[{\"op\":\"remove\",\"path\":\"/metadata/labels\"},"
	                          "{\"op\":\"remove\",\"path\":\"/spec/template/metadata\"}]");
	struct rtdp_verdict v;
	const cJSON *op, *labels;

	(void)state;
	eval_one(p, obj, true, &v);
	/* metadata.labels absent: one add of the whole map, and nothing below it */
	assert_int_equal(ops_under(v.patch, "/metadata/labels"), 1);
	op = op_at(v.patch, "/metadata/labels");
	assert_non_null(op);
	assert_string_equal(op_field(op, "op"), "add");
	labels = cJSON_GetObjectItem(op, "value");
	assert_all_strings(labels, 7);
	assert_string_equal(cJSON_GetObjectItem(labels, "app.kubernetes.io/name")->valuestring,
	                    "demo-worker");
	assert_string_equal(cJSON_GetObjectItem(labels, "app.kubernetes.io/component")->valuestring,
	                    "worker");
	assert_string_equal(cJSON_GetObjectItem(labels, "app.kubernetes.io/version")->valuestring,
	                    "2.1.0");
	assert_string_equal(cJSON_GetObjectItem(labels, "rtdp.io/pipeline")->valuestring, "demo");
	/* spec.template.metadata absent: one add that creates it with its labels */
	assert_int_equal(ops_under(v.patch, "/spec/template/metadata"), 1);
	op = op_at(v.patch, "/spec/template/metadata");
	assert_non_null(op);
	assert_string_equal(op_field(op, "op"), "add");
	labels = cJSON_GetObjectItem(cJSON_GetObjectItem(op, "value"), "labels");
	assert_all_strings(labels, 7);
	/* the template takes the selector's values */
	assert_string_equal(cJSON_GetObjectItem(labels, "app.kubernetes.io/instance")->valuestring,
	                    "demo");
	assert_int_equal(cJSON_GetArraySize(v.patch), 2);
	assert_int_equal(v.len, 14);
	check_idempotent(p, (const cJSON *const *)&obj, 1, true, true);
	rtdp_verdict_release(&v);
	cJSON_Delete(obj);
	rtdp_policy_free(p);
}

static void test_null_maps_are_replaced_whole(void **state)
{
	struct rtdp_policy *p = policy_default();
	struct rtdp_object_set set;
	struct rtdp_verdict v;
	const cJSON *op, *res;

	(void)state;
	rtdp_object_set_init(&set);
	load_fixture(&set, "manifests/engine/labels-null.yaml");
	eval_one(p, set.items[0].json, true, &v);
	op = op_at(v.patch, "/metadata/labels");
	assert_non_null(op);
	assert_string_equal(op_field(op, "op"), "replace"); /* labels: null exists */
	assert_all_strings(cJSON_GetObjectItem(op, "value"), 7);
	assert_int_equal(ops_under(v.patch, "/metadata/labels"), 1);
	op = op_at(v.patch, "/spec/template/metadata");
	assert_non_null(op);
	assert_string_equal(op_field(op, "op"), "replace");
	assert_int_equal(ops_under(v.patch, "/spec/template/metadata"), 1);
	op = op_at(v.patch, "/spec/replicas");
	assert_non_null(op);
	assert_string_equal(op_field(op, "op"), "replace");
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(op, "value")));
	assert_int_equal(cJSON_GetObjectItem(op, "value")->valueint, 3);
	/* resources: null becomes one map with requests and limits */
	op = op_at(v.patch, "/spec/template/spec/containers/0/resources");
	assert_non_null(op);
	assert_string_equal(op_field(op, "op"), "replace");
	res = cJSON_GetObjectItem(op, "value");
	assert_all_strings(cJSON_GetObjectItem(res, "requests"), 2);
	assert_all_strings(cJSON_GetObjectItem(res, "limits"), 2);
	assert_int_equal(ops_under(v.patch, "/spec/template/spec/containers/0/resources"), 1);
	assert_int_equal(cJSON_GetArraySize(v.patch), 4);
	check_idempotent(p, (const cJSON *const *)&set.items[0].json, 1, true, true);
	rtdp_verdict_release(&v);
	rtdp_object_set_release(&set);
	rtdp_policy_free(p);
}

static void test_existing_maps_get_one_add_per_key(void **state)
{
	struct rtdp_policy *p = policy_default();
	cJSON *obj = rule_fixture(
	        "deployment",
	        "[{\"op\":\"remove\",\"path\":\"/metadata/labels/app.kubernetes.io~1name\"},"
	        "{\"op\":\"remove\",\"path\":\"/metadata/labels/app.kubernetes.io~1part-of\"},"
	        "{\"op\":\"remove\",\"path\":\"/spec/template/spec/containers/0/resources/"
	        "limits\"}]");
	struct rtdp_verdict v;
	const cJSON *op;

	(void)state;
	eval_one(p, obj, false, &v);
	assert_string_equal(
	        op_field(op_at(v.patch, "/metadata/labels/app.kubernetes.io~1name"), "op"), "add");
	assert_string_equal(
	        op_field(op_at(v.patch, "/metadata/labels/app.kubernetes.io~1part-of"), "op"),
	        "add");
	op = op_at(v.patch, "/spec/template/spec/containers/0/resources/limits");
	assert_non_null(op);
	assert_all_strings(cJSON_GetObjectItem(op, "value"), 2);
	assert_int_equal(cJSON_GetArraySize(v.patch), 3);
	check_idempotent(p, (const cJSON *const *)&obj, 1, true, false);
	rtdp_verdict_release(&v);
	cJSON_Delete(obj);
	rtdp_policy_free(p);
}

static void test_right_json_types(void **state)
{
	struct rtdp_policy *p = policy_text(HEADER "spec:\n  replicas: {raiseScale: true}\n");
	cJSON *obj = rule_fixture("deployment",
	                          "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1},"
	                          "{\"op\":\"remove\",\"path\":\"/spec/template/spec/containers/0/"
	                          "resources/requests/cpu\"},"
	                          "{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/"
	                          "resources/limits/cpu\",\"value\":2}]");
	cJSON *scale = rule_fixture("scale", NULL);
	struct rtdp_verdict v;
	const cJSON *op, *value;

	(void)state;
	eval_one(p, obj, false, &v);
	op = op_at(v.patch, "/spec/replicas");
	assert_string_equal(op_field(op, "op"), "replace");
	value = cJSON_GetObjectItem(op, "value");
	assert_true(cJSON_IsNumber(value));
	assert_true(value->valuedouble == 3.0);
	/* a request is a quantity string even when the container's limit is a number */
	op = op_at(v.patch, "/spec/template/spec/containers/0/resources/requests/cpu");
	assert_true(cJSON_IsString(cJSON_GetObjectItem(op, "value")));
	assert_string_equal(cJSON_GetObjectItem(op, "value")->valuestring, "100m");
	rtdp_verdict_release(&v);

	eval_one(p, scale, true, &v);
	assert_int_equal(cJSON_GetArraySize(v.patch), 1);
	op = op_at(v.patch, "/spec/replicas");
	assert_string_equal(op_field(op, "op"), "replace");
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(op, "value")));
	assert_int_equal(cJSON_GetObjectItem(op, "value")->valueint, 3);
	check_idempotent(p, (const cJSON *const *)&scale, 1, true, true);
	rtdp_verdict_release(&v);
	cJSON_Delete(scale);
	cJSON_Delete(obj);
	rtdp_policy_free(p);
}

static void test_clamped_defaults_are_what_the_container_set(void **state)
{
	struct rtdp_policy *p = policy_default();
	cJSON *obj = rule_fixture(
	        "deployment",
	        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/resources\","
	        "\"value\":{\"limits\":{\"cpu\":\"50m\"},\"requests\":{\"memory\":\"1Gi\"}}}]");
	struct rtdp_verdict v;

	(void)state;
	eval_one(p, obj, false, &v);
	assert_string_equal(
	        cJSON_GetObjectItem(
	                op_at(v.patch, "/spec/template/spec/containers/0/resources/requests/cpu"),
	                "value")
	                ->valuestring,
	        "50m");
	assert_string_equal(
	        cJSON_GetObjectItem(
	                op_at(v.patch, "/spec/template/spec/containers/0/resources/limits/memory"),
	                "value")
	                ->valuestring,
	        "1Gi");
	assert_int_equal(cJSON_GetArraySize(v.patch), 2);
	check_idempotent(p, (const cJSON *const *)&obj, 1, true, false);
	rtdp_verdict_release(&v);
	cJSON_Delete(obj);
	rtdp_policy_free(p);
}

static void test_selector_is_never_patched(void **state)
{
	struct rtdp_policy *p = policy_default();
	cJSON *obj =
	        rule_fixture("deployment", "[{\"op\":\"remove\",\"path\":\"/spec/selector\"},"
	                                   "{\"op\":\"replace\",\"path\":\"/spec/template/metadata/"
	                                   "labels/app.kubernetes.io~1name\",\"value\":\"x\"}]");
	struct rtdp_verdict v;

	(void)state;
	eval_one(p, obj, false, &v);
	assert_int_equal(ops_under(v.patch, "/spec/selector"), 0);
	assert_non_null(finding_of(&v, "labels-selector", "/spec/selector"));
	rtdp_verdict_release(&v);
	cJSON_Delete(obj);
	obj = rule_fixture("deployment", "[{\"op\":\"replace\",\"path\":\"/spec/selector/"
	                                 "matchLabels/app.kubernetes.io~1name\",\"value\":\"y\"}]");
	eval_one(p, obj, false, &v);
	assert_int_equal(ops_under(v.patch, "/spec/selector"), 0);
	assert_int_equal(cJSON_GetArraySize(v.patch), 0);
	assert_false(finding_of(&v, "labels-selector", NULL)->fixed);
	rtdp_verdict_release(&v);
	cJSON_Delete(obj);
	rtdp_policy_free(p);
}

static void test_patched_objects_pass_the_fixed_findings(void **state)
{
	struct rtdp_policy *p = policy_default();
	struct rtdp_object_set set;
	struct rtdp_verdict *first, *second;
	cJSON **patched;
	const cJSON **objects;
	struct rtdp_error err;
	size_t i, j, fixed = 0, unfixed = 0, left = 0;

	(void)state;
	rtdp_object_set_init(&set);
	load_fixture(&set, "manifests/engine/broken-pipeline.yaml");
	first = calloc(set.len, sizeof(*first));
	second = calloc(set.len, sizeof(*second));
	patched = calloc(set.len, sizeof(*patched));
	objects = calloc(set.len, sizeof(*objects));
	for (i = 0; i < set.len; i++)
		objects[i] = set.items[i].json;
	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_eval_set(p, objects, set.len, first, &err), RTDP_OK);
	for (i = 0; i < set.len; i++) {
		patched[i] = cJSON_Duplicate(objects[i], 1);
		if (first[i].patch)
			assert_int_equal(rtdp_json_patch_apply(&patched[i], first[i].patch, &err),
			                 RTDP_OK);
		for (j = 0; j < first[i].len; j++) {
			fixed += first[i].findings[j].fixed;
			unfixed += !first[i].findings[j].fixed;
		}
	}
	assert_true(fixed >= 30);
	assert_true(unfixed >= 8);
	assert_int_equal(
	        rtdp_policy_eval_set(p, (const cJSON *const *)patched, set.len, second, &err),
	        RTDP_OK);
	for (i = 0; i < set.len; i++) {
		for (j = 0; j < second[i].len; j++) {
			const struct rtdp_finding *f = &second[i].findings[j], *before;

			assert_false(f->fixed);
			before = finding_of(&first[i], f->rule, f->pointer);
			if (before) {
				assert_false(before->fixed);
				left++;
				continue;
			}
			/*
			 * The one new finding: once the template carries the selector's labels,
			 * the Service selects the Deployment, and its targetPort "http" names no
			 * port of it (the container's port is unnamed).
			 */
			assert_string_equal(f->rule, "service-target-port");
			assert_string_equal(f->pointer, "/spec/ports/0/targetPort");
			assert_non_null(strstr(f->message, "(ingest-reader)"));
		}
		assert_int_equal(cJSON_GetArraySize(second[i].patch), 0);
	}
	/* what is left is exactly what the first evaluation could not fix */
	assert_int_equal(left, unfixed);
	for (i = 0; i < set.len; i++) {
		rtdp_verdict_release(&first[i]);
		rtdp_verdict_release(&second[i]);
		cJSON_Delete(patched[i]);
	}
	free(first);
	free(second);
	free(patched);
	free(objects);
	rtdp_object_set_release(&set);
	rtdp_policy_free(p);
}

static const char *const policies[] = {NULL, "policy/full.yaml", "policy/warn-all.yaml"};

static struct rtdp_policy *load_policy(const char *rel)
{
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;

	if (!rel)
		return policy_default();
	rtdp_error_init(&err);
	if (rtdp_policy_load_file(fixture_path(rel), &p, &err) != RTDP_OK)
		fail_msg("%s", err.msg);
	return p;
}

/* Every fixture file of dir, as a set and one by one (selected and not), under each policy. */
static size_t idempotent_dir(const char *dir)
{
	struct rtdp_object_set set;
	struct rtdp_limits lim;
	struct rtdp_error err;
	const cJSON **objects;
	size_t i, k, ops = 0;

	rtdp_limits_default(&lim);
	rtdp_object_set_init(&set);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_manifest_load_path(&set, fixture_path(dir), true, &lim, &err),
	                 RTDP_OK);
	assert_true(set.len > 0);
	objects = calloc(set.len, sizeof(*objects));
	for (i = 0; i < set.len; i++)
		objects[i] = set.items[i].json;
	for (k = 0; k < sizeof(policies) / sizeof(policies[0]); k++) {
		struct rtdp_policy *p = load_policy(policies[k]);

		ops += check_idempotent(p, objects, set.len, false, false);
		ops += check_idempotent(p, objects, set.len, true, false);
		ops += check_idempotent(p, objects, set.len, true, true);
		rtdp_policy_free(p);
	}
	free(objects);
	rtdp_object_set_release(&set);
	return ops;
}

static void test_every_fixture_is_idempotent(void **state)
{
	(void)state;
	assert_true(idempotent_dir("manifests/engine") > 50);
	assert_true(idempotent_dir("manifests/rules") > 0);
	idempotent_dir("manifests/loader/dir");
	idempotent_dir("manifests/loader/nested.yaml");
	idempotent_dir("../../manifests/sample-pipeline");
}

static void test_valid_objects_get_an_empty_patch(void **state)
{
	struct rtdp_policy *p = policy_default();
	cJSON *obj = rule_fixture("deployment", NULL);
	struct rtdp_verdict v;
	char *text;

	(void)state;
	eval_one(p, obj, false, &v);
	text = cJSON_PrintUnformatted(v.patch);
	assert_string_equal(text, "[]");
	free(text);
	rtdp_verdict_release(&v);
	cJSON_Delete(obj);
	rtdp_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_label_keys_are_escaped),
	        cmocka_unit_test(test_missing_labels_map_is_one_add),
	        cmocka_unit_test(test_null_maps_are_replaced_whole),
	        cmocka_unit_test(test_existing_maps_get_one_add_per_key),
	        cmocka_unit_test(test_right_json_types),
	        cmocka_unit_test(test_clamped_defaults_are_what_the_container_set),
	        cmocka_unit_test(test_selector_is_never_patched),
	        cmocka_unit_test(test_patched_objects_pass_the_fixed_findings),
	        cmocka_unit_test(test_every_fixture_is_idempotent),
	        cmocka_unit_test(test_valid_objects_get_an_empty_patch),
	};

	return cmocka_run_group_tests_name("engine_patch", tests, NULL, NULL);
}
