/*
 * The AdmissionReview contract, asserted directly (independently of the golden
 * files): envelope and uid, patch only from /mutate and only when non-empty,
 * mutation idempotent and accepted by /validate afterwards, dryRun answered
 * the same, deny status, warnings, auditAnnotations keys, malformed inputs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "review_util.h"
#include "rtdp/json_patch.h"

/* A Deployment that breaks fixable rules only (labels, replicas, resources). */
static const char *fixable =
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
        "\"namespace\":\"team-a\"},\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":"
        "{\"app.kubernetes.io/name\":\"web\"}},\"template\":{\"metadata\":{\"labels\":"
        "{\"app.kubernetes.io/name\":\"web\",\"app.kubernetes.io/version\":\"1.0\"}},"
        "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.25.3\",\"ports\":"
        "[{\"name\":\"http\",\"containerPort\":8080,\"protocol\":\"TCP\"}],\"readinessProbe\":"
        "{\"tcpSocket\":{\"port\":\"http\"}}}]}}}}";

static const cJSON *resp_of(const cJSON *doc)
{
	return cJSON_GetObjectItemCaseSensitive(doc, "response");
}

static void test_uid_is_echoed_in_an_exact_envelope(void **state)
{
	struct rtdp_policy *p = tu_policy(NULL);
	char *req = tu_review("3f1c-uid", "CREATE", "team-a", "", "Deployment", fixable, false);
	struct review_outcome o;
	cJSON *doc = tu_handle(p, REVIEW_VALIDATE, req, &o);

	(void)state;
	assert_int_equal(o.http_status, 200);
	assert_int_equal(cJSON_GetArraySize(doc), 3);
	assert_string_equal(cJSON_GetObjectItem(doc, "apiVersion")->valuestring,
	                    "admission.k8s.io/v1");
	assert_string_equal(cJSON_GetObjectItem(doc, "kind")->valuestring, "AdmissionReview");
	assert_string_equal(cJSON_GetObjectItem(resp_of(doc), "uid")->valuestring, "3f1c-uid");
	assert_string_equal(o.uid, "3f1c-uid");
	cJSON_Delete(doc);
	review_outcome_release(&o);
	free(req);
	rtdp_policy_free(p);
}

/* /mutate's patch applies, and the patched object needs no patch and passes /validate. */
static void test_mutation_is_idempotent_and_validates(void **state)
{
	struct rtdp_policy *p = tu_policy(NULL);
	char *req = tu_review("u", "CREATE", "team-a", "", "Deployment", fixable, false);
	struct review_outcome o;
	struct rtdp_error err;
	cJSON *doc = tu_handle(p, REVIEW_MUTATE, req, &o), *patch = tu_patch(doc);
	cJSON *obj = cJSON_Parse(fixable), *again;
	char *text, *req2;

	(void)state;
	assert_int_equal(o.decision, REVIEW_PATCH);
	assert_string_equal(cJSON_GetObjectItem(resp_of(doc), "patchType")->valuestring,
	                    "JSONPatch");
	assert_true(cJSON_GetArraySize(patch) > 0);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_json_patch_apply(&obj, patch, &err), RTDP_OK);
	text = cJSON_PrintUnformatted(obj);
	req2 = tu_review("u2", "UPDATE", "team-a", "", "Deployment", text, false);
	review_outcome_release(&o);
	again = tu_handle(p, REVIEW_MUTATE, req2, &o);
	assert_null(cJSON_GetObjectItem(resp_of(again), "patch"));
	assert_null(cJSON_GetObjectItem(resp_of(again), "patchType"));
	review_outcome_release(&o);
	cJSON_Delete(again);
	again = tu_handle(p, REVIEW_VALIDATE, req2, &o);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(resp_of(again), "allowed")));
	assert_string_equal(o.rules, "");
	cJSON_Delete(again);
	review_outcome_release(&o);
	free(req2);
	free(text);
	cJSON_Delete(obj);
	cJSON_Delete(patch);
	cJSON_Delete(doc);
	free(req);
	rtdp_policy_free(p);
}

static void test_validate_denies_without_a_patch(void **state)
{
	struct rtdp_policy *p = tu_policy(NULL);
	char *req = tu_review("u", "CREATE", "team-a", "", "Deployment", fixable, false);
	struct review_outcome o;
	cJSON *doc = tu_handle(p, REVIEW_VALIDATE, req, &o);
	const cJSON *status = cJSON_GetObjectItem(resp_of(doc), "status");
	const char *msg = cJSON_GetObjectItem(status, "message")->valuestring;

	(void)state;
	assert_int_equal(o.decision, REVIEW_DENY);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(resp_of(doc), "allowed")));
	assert_null(cJSON_GetObjectItem(resp_of(doc), "patch"));
	assert_null(cJSON_GetObjectItem(resp_of(doc), "patchType"));
	assert_int_equal(cJSON_GetObjectItem(status, "code")->valueint, 403);
	assert_string_equal(cJSON_GetObjectItem(status, "reason")->valuestring, "Forbidden");
	assert_non_null(strstr(msg, "required label"));
	assert_non_null(strstr(o.rules, "replicas-minimum"));
	assert_non_null(strstr(msg, "; "));
	assert_null(strchr(msg, '\n'));
	assert_true(strlen(msg) <= REVIEW_MESSAGE_MAX);
	assert_string_equal(
	        cJSON_GetObjectItem(cJSON_GetObjectItem(resp_of(doc), "auditAnnotations"),
	                            "decision")
	                ->valuestring,
	        "deny");
	cJSON_Delete(doc);
	review_outcome_release(&o);
	free(req);
	rtdp_policy_free(p);
}

static void test_dry_run_gets_the_same_answer(void **state)
{
	struct rtdp_policy *p = tu_policy(NULL);
	char *a = tu_review("u", "CREATE", "team-a", "", "Deployment", fixable, false);
	char *b = tu_review("u", "CREATE", "team-a", "", "Deployment", fixable, true);
	struct review_outcome oa, ob;
	cJSON *da = tu_handle(p, REVIEW_MUTATE, a, &oa), *db = tu_handle(p, REVIEW_MUTATE, b, &ob);

	(void)state;
	assert_false(oa.dry_run);
	assert_true(ob.dry_run);
	assert_string_equal(oa.body, ob.body);
	cJSON_Delete(da);
	cJSON_Delete(db);
	review_outcome_release(&oa);
	review_outcome_release(&ob);
	free(a);
	free(b);
	rtdp_policy_free(p);
}

static void test_delete_and_connect_are_untouched(void **state)
{
	static const char *const ops[] = {"DELETE", "CONNECT"};
	struct rtdp_policy *p = tu_policy(NULL);
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		char *req = tu_review("u", ops[i], "team-a", "", "Deployment", "null", false);
		struct review_outcome o;
		cJSON *doc = tu_handle(p, REVIEW_MUTATE, req, &o);

		assert_int_equal(o.http_status, 200);
		assert_int_equal(cJSON_GetArraySize(resp_of(doc)), 2); /* uid, allowed */
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(resp_of(doc), "allowed")));
		assert_string_equal(o.operation, ops[i]);
		cJSON_Delete(doc);
		review_outcome_release(&o);
		free(req);
	}
	rtdp_policy_free(p);
}

static void test_scale_below_minimum_is_refused(void **state)
{
	struct rtdp_policy *p = tu_policy(NULL);
	char *req =
	        tu_review("u", "UPDATE", "team-a", "scale", "Scale",
	                  "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":"
	                  "{\"name\":\"web\",\"namespace\":\"team-a\"},\"spec\":{\"replicas\":1}}",
	                  false);
	struct review_outcome o;
	cJSON *doc = tu_handle(p, REVIEW_VALIDATE, req, &o);

	(void)state;
	assert_int_equal(o.decision, REVIEW_DENY);
	assert_string_equal(o.rules, "replicas-minimum");
	assert_string_equal(o.sub_resource, "scale");
	cJSON_Delete(doc);
	review_outcome_release(&o);
	free(req);
	rtdp_policy_free(p);
}

struct bad_case {
	const char *body;
	const char *needle; /* in the Status message */
};

static void test_malformed_reviews_get_400_naming_the_problem(void **state)
{
	/* clang-format off */
	static const struct bad_case cases[] = {
		{"{", "malformed JSON at byte 0"},
		{"{\"a\": x}", "malformed JSON at byte 6"},
		{"{} x", "unexpected data after the JSON value at byte 3"},
		{"\"x\"", "must be a JSON object"},
		{"{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\"}", "v1beta1"},
		{"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Foo\"}", "kind 'Foo'"},
		{"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "request: want an object"},
		{"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}", "request.uid: missing"},
		{"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"\"}}", "request.uid: empty"},
		{"{\"apiVersion\":1,\"kind\":\"AdmissionReview\"}", "apiVersion: want a string, got a number"},
	};
	/* clang-format on */
	struct rtdp_policy *p = tu_policy(NULL);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct review_outcome o;
		cJSON *doc = tu_handle(p, REVIEW_VALIDATE, cases[i].body, &o);
		const char *msg = cJSON_GetObjectItem(doc, "message")->valuestring;

		assert_int_equal(o.http_status, 400);
		assert_int_equal(o.decision, REVIEW_INVALID);
		assert_int_equal(cJSON_GetObjectItem(doc, "code")->valueint, 400);
		if (!strstr(msg, cases[i].needle))
			fail_msg("case %zu: '%s' lacks '%s'", i, msg, cases[i].needle);
		cJSON_Delete(doc);
		review_outcome_release(&o);
	}
	rtdp_policy_free(p);
}

/* The handler reads exactly len bytes: no NUL terminator is needed or used. */
static void test_body_is_not_assumed_nul_terminated(void **state)
{
	struct rtdp_policy *p = tu_policy(NULL);
	char *req = tu_review("u", "DELETE", "team-a", "", "Deployment", "null", false);
	size_t len = strlen(req);
	char *exact = malloc(len);
	struct review_outcome o;
	struct rtdp_error err;

	(void)state;
	memcpy(exact, req, len);
	rtdp_error_init(&err);
	review_outcome_init(&o);
	assert_int_equal(review_handle(p, REVIEW_VALIDATE, exact, len, &o, &err), RTDP_OK);
	assert_int_equal(o.http_status, 200);
	review_outcome_release(&o);
	assert_int_equal(review_handle(p, REVIEW_VALIDATE, exact, len - 1, &o, &err), RTDP_OK);
	assert_int_equal(o.http_status, 400);
	review_outcome_release(&o);
	free(exact);
	free(req);
	rtdp_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_uid_is_echoed_in_an_exact_envelope),
	        cmocka_unit_test(test_mutation_is_idempotent_and_validates),
	        cmocka_unit_test(test_validate_denies_without_a_patch),
	        cmocka_unit_test(test_dry_run_gets_the_same_answer),
	        cmocka_unit_test(test_delete_and_connect_are_untouched),
	        cmocka_unit_test(test_scale_below_minimum_is_refused),
	        cmocka_unit_test(test_malformed_reviews_get_400_naming_the_problem),
	        cmocka_unit_test(test_body_is_not_assumed_nul_terminated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
