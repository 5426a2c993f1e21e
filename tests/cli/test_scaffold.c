/* The scaffold: the seed by default, every object clean under the policy, checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rtdp/buf.h"
#include "rtdp/manifest.h"
#include "rtdp/policy.h"
#include "rtdp/yaml_emit.h"
#include "scaffold.h"

static const cJSON *get(const cJSON *o, const char *a, const char *b, const char *c)
{
	o = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		o = cJSON_GetObjectItemCaseSensitive(o, b);
	if (c)
		o = cJSON_GetObjectItemCaseSensitive(o, c);
	return o;
}

static void test_default_is_the_seed(void **state)
{
	struct scaffold_spec spec;
	struct scaffold_set set;
	struct rtdp_error err;
	const cJSON *ports;

	(void)state;
	rtdp_error_init(&err);
	scaffold_spec_default(&spec);
	assert_int_equal(scaffold_spec_check(&spec, &err), RTDP_OK);
	assert_int_equal(scaffold_build(&spec, &set, &err), RTDP_OK);
	assert_int_equal(set.len, 4);
	assert_string_equal(set.items[0].file, "namespace.yaml");
	assert_string_equal(get(set.items[0].object, "metadata", "name", NULL)->valuestring,
	                    "real-time-data-processing");
	assert_string_equal(get(set.items[1].object, "metadata", "name", NULL)->valuestring,
	                    "real-time-data-processing-controller");
	assert_int_equal(get(set.items[1].object, "spec", "replicas", NULL)->valueint, 3);
	ports = get(set.items[2].object, "spec", "ports", NULL);
	assert_int_equal(get(ports->child, "port", NULL, NULL)->valueint, 8080);
	assert_string_equal(get(set.items[2].object, "spec", "type", NULL)->valuestring,
	                    "ClusterIP");
	assert_string_equal(get(set.items[3].object, "kind", NULL, NULL)->valuestring,
	                    "PodDisruptionBudget");
	scaffold_set_release(&set);
}

/* Whatever the stages, images and ports, validate finds nothing on the scaffold. */
static void check_clean(const struct scaffold_spec *spec)
{
	struct scaffold_set set;
	struct rtdp_policy *policy = NULL;
	struct rtdp_verdict v[1 + 3 * SCAFFOLD_MAX_STAGES];
	const cJSON *objs[1 + 3 * SCAFFOLD_MAX_STAGES];
	struct rtdp_error err;
	size_t i, in_scope = 0;

	rtdp_error_init(&err);
	assert_int_equal(scaffold_build(spec, &set, &err), RTDP_OK);
	assert_int_equal(rtdp_policy_default(&policy, &err), RTDP_OK);
	for (i = 0; i < set.len; i++) {
		objs[i] = set.items[i].object;
		rtdp_verdict_init(&v[i]);
	}
	assert_int_equal(rtdp_policy_eval_set(policy, objs, set.len, v, &err), RTDP_OK);
	for (i = 0; i < set.len; i++) {
		if (v[i].len)
			fail_msg("%s: %s: %s", set.items[i].file, v[i].findings[0].rule,
			         v[i].findings[0].message);
		in_scope += v[i].in_scope;
		rtdp_verdict_release(&v[i]);
	}
	assert_int_equal(in_scope, 2 * spec->nstages); /* Deployments and Services */
	rtdp_policy_free(policy);
	scaffold_set_release(&set);
}

static void test_every_shape_validates_clean(void **state)
{
	struct scaffold_spec spec;
	size_t i;

	(void)state;
	scaffold_spec_default(&spec);
	check_clean(&spec);
	snprintf(spec.pipeline, sizeof(spec.pipeline), "clicks");
	snprintf(spec.namespace, sizeof(spec.namespace), "analytics");
	spec.nstages = 3;
	for (i = 0; i < 3; i++) {
		spec.stages[i] = spec.stages[0];
		snprintf(spec.stages[i].name, sizeof(spec.stages[i].name), "stage%zu", i);
		spec.stages[i].port = 9000 + (int)i;
		spec.stages[i].replicas = 3 + (int)i;
	}
	snprintf(spec.stages[1].image, sizeof(spec.stages[1].image),
	         "repo.example:5000/team/enrich:2.0.1");
	snprintf(spec.stages[2].image, sizeof(spec.stages[2].image),
	         "repo/"
	         "sink@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	check_clean(&spec);
}

static void expect_usage(struct scaffold_spec *spec, const char *needle)
{
	struct rtdp_error err;

	rtdp_error_init(&err);
	assert_int_equal(scaffold_spec_check(spec, &err), RTDP_ERR_USAGE);
	if (!strstr(err.msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
	scaffold_spec_default(spec);
}

static void test_bad_specs_are_refused_with_the_value_named(void **state)
{
	struct scaffold_spec s;

	(void)state;
	scaffold_spec_default(&s);
	snprintf(s.stages[0].image, sizeof(s.stages[0].image), "nginx");
	expect_usage(&s, "image \"nginx\" for stage \"controller\" is not pinned");
	snprintf(s.stages[0].image, sizeof(s.stages[0].image), "nginx:latest");
	expect_usage(&s, "is not pinned");
	snprintf(s.stages[0].image, sizeof(s.stages[0].image), "bad\"image:1");
	expect_usage(&s, "not a valid image reference");
	s.stages[0].port = 80;
	expect_usage(&s, "port 80 for stage \"controller\" is outside 1024-65535");
	s.stages[0].replicas = 0;
	expect_usage(&s, "replicas 0");
	snprintf(s.stages[0].name, sizeof(s.stages[0].name), "Bad_Name");
	expect_usage(&s, "stage name \"Bad_Name\" is not a valid name");
	snprintf(s.pipeline, sizeof(s.pipeline), "UPPER");
	expect_usage(&s, "pipeline name \"UPPER\" is not valid");
	s.nstages = 2;
	s.stages[1] = s.stages[0];
	expect_usage(&s, "stage \"controller\" is listed twice");
}

/* manifests/sample-pipeline is exactly what init writes (kept in step by this test). */
static void test_sample_pipeline_in_the_repo_matches_the_scaffold(void **state)
{
	struct scaffold_spec spec;
	struct scaffold_set set;
	struct rtdp_object_set files;
	struct rtdp_limits lim;
	struct rtdp_error err;
	size_t i, j;

	(void)state;
	rtdp_error_init(&err);
	rtdp_limits_default(&lim);
	scaffold_spec_default(&spec);
	assert_int_equal(scaffold_build(&spec, &set, &err), RTDP_OK);
	rtdp_object_set_init(&files);
	assert_int_equal(rtdp_manifest_load_path(&files,
	                                         RTDP_SOURCE_DIR "/manifests/sample-pipeline",
	                                         false, &lim, &err),
	                 RTDP_OK);
	assert_int_equal(files.len, set.len + 1); /* + kustomization.yaml */
	for (i = 0; i < set.len; i++) {
		int found = 0;

		for (j = 0; j < files.len; j++)
			found |= cJSON_Compare(files.items[j].json, set.items[i].object, 1);
		if (!found)
			fail_msg("%s differs from the scaffold: run kubectl rtdp init --dir "
			         "manifests/sample-pipeline --force",
			         set.items[i].file);
	}
	rtdp_object_set_release(&files);
	scaffold_set_release(&set);
}

/* The emitted YAML reads back as the same objects (quoting of "1", "2.53", "true"). */
static void test_yaml_round_trips(void **state)
{
	struct scaffold_spec spec;
	struct scaffold_set set;
	struct rtdp_buf b;
	struct rtdp_limits lim;
	struct rtdp_error err;
	cJSON *back = NULL;
	size_t i;

	(void)state;
	rtdp_error_init(&err);
	rtdp_limits_default(&lim);
	scaffold_spec_default(&spec);
	assert_int_equal(scaffold_build(&spec, &set, &err), RTDP_OK);
	for (i = 0; i < set.len; i++) {
		rtdp_buf_init(&b, 1 << 20);
		assert_int_equal(rtdp_yaml_emit(set.items[i].object, &b), RTDP_OK);
		assert_int_equal(rtdp_yaml_parse_one("emitted", b.data, b.len, &lim, &back, &err),
		                 RTDP_OK);
		assert_true(cJSON_Compare(back, set.items[i].object, 1));
		cJSON_Delete(back);
		rtdp_buf_release(&b);
	}
	scaffold_set_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_default_is_the_seed),
	        cmocka_unit_test(test_every_shape_validates_clean),
	        cmocka_unit_test(test_bad_specs_are_refused_with_the_value_named),
	        cmocka_unit_test(test_sample_pipeline_in_the_repo_matches_the_scaffold),
	        cmocka_unit_test(test_yaml_round_trips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
