/*
 * Golden AdmissionReviews: each tests/fixtures/webhook/NAME.request.json (raw
 * bytes, sent as is) is answered by the handler and compared with
 * NAME.expected.json: {"endpoint", optional "policy" (YAML text), "status",
 * "decision", "rules", "body" (the whole answer), "patch" (decoded, if any)}.
 * Every case is also checked against the contract invariants, independently
 * of its golden file. RTDP_REGEN_GOLDEN=1 rewrites the expected files (keeping
 * endpoint and policy): review the diff before committing it.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "review_util.h"

#define DIR_PATH RTDP_FIXTURES "/webhook"
#define SUFFIX ".request.json"

static bool valid_key(const char *k)
{
	size_t n = strlen(k), i;

	if (n == 0 || n > 63 || strchr(k, '/'))
		return false;
	for (i = 0; i < n; i++) {
		char c = k[i];
		bool alnum =
		        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && ((i == 0 || i == n - 1) || !strchr("-_.", c)))
			return false;
	}
	return true;
}

static void check_warnings(const cJSON *resp)
{
	const cJSON *w;

	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(resp, "warnings"))
	{
		const unsigned char *p = (const unsigned char *)w->valuestring;

		assert_true(cJSON_IsString(w));
		assert_true(strlen(w->valuestring) < 120);
		for (; *p; p++)
			assert_true(*p >= 0x20 && *p != 0x7f);
	}
}

static void check_allowed_answer(const cJSON *doc, const char *uid, const char *endpoint)
{
	const cJSON *resp = cJSON_GetObjectItemCaseSensitive(doc, "response");
	const cJSON *a, *patch = cJSON_GetObjectItemCaseSensitive(resp, "patch");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(resp, "status");

	assert_int_equal(cJSON_GetArraySize(doc), 3);
	assert_string_equal(cJSON_GetObjectItem(doc, "apiVersion")->valuestring,
	                    "admission.k8s.io/v1");
	assert_string_equal(cJSON_GetObjectItem(doc, "kind")->valuestring, "AdmissionReview");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(resp, "uid")->valuestring, uid);
	assert_true(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(resp, "allowed")));
	assert_int_equal(patch != NULL,
	                 cJSON_GetObjectItemCaseSensitive(resp, "patchType") != NULL);
	if (patch)
		assert_string_equal(endpoint, "mutate");
	if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(resp, "allowed"))) {
		assert_int_equal(cJSON_GetObjectItem(status, "code")->valueint, 403);
		assert_string_equal(cJSON_GetObjectItem(status, "reason")->valuestring,
		                    "Forbidden");
		assert_null(strchr(cJSON_GetObjectItem(status, "message")->valuestring, '\n'));
	}
	check_warnings(resp);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(resp, "auditAnnotations"))
	        assert_true(valid_key(a->string));
}

static void check_invariants(const struct review_outcome *o, const cJSON *doc, const char *endpoint)
{
	assert_non_null(doc);
	if (o->http_status == 400) {
		assert_string_equal(cJSON_GetObjectItem(doc, "kind")->valuestring, "Status");
		assert_int_equal(cJSON_GetObjectItem(doc, "code")->valueint, 400);
		return;
	}
	assert_int_equal(o->http_status, 200);
	check_allowed_answer(doc, o->uid, endpoint);
}

static cJSON *expected_doc(const struct review_outcome *o, const cJSON *old, cJSON *body,
                           cJSON *patch)
{
	cJSON *e = cJSON_CreateObject();
	const cJSON *policy = cJSON_GetObjectItem(old, "policy");

	cJSON_AddItemToObject(e, "endpoint",
	                      cJSON_Duplicate(cJSON_GetObjectItem(old, "endpoint"), 1));
	if (policy)
		cJSON_AddItemToObject(e, "policy", cJSON_Duplicate(policy, 1));
	cJSON_AddNumberToObject(e, "status", o->http_status);
	cJSON_AddStringToObject(e, "decision", review_decision_name(o->decision));
	cJSON_AddStringToObject(e, "rules", o->rules);
	cJSON_AddItemToObject(e, "body", cJSON_Duplicate(body, 1));
	if (patch)
		cJSON_AddItemToObject(e, "patch", cJSON_Duplicate(patch, 1));
	return e;
}

static void regen(const char *path, const struct review_outcome *o, const cJSON *old, cJSON *body,
                  cJSON *patch)
{
	cJSON *e = expected_doc(o, old, body, patch);
	char *text = cJSON_Print(e);
	size_t len = strlen(text);

	text = realloc(text, len + 2);
	text[len] = '\n';
	assert_int_equal(tu_write(path, text, len + 1), 0);
	free(text);
	cJSON_Delete(e);
}

static void compare(const char *name, const struct review_outcome *o, const cJSON *exp,
                    const cJSON *body, const cJSON *patch)
{
	const cJSON *want_patch = cJSON_GetObjectItem(exp, "patch");

	if (!cJSON_Compare(cJSON_GetObjectItem(exp, "body"), body, 1))
		fail_msg("%s: answer differs from the golden file; got %s", name, o->body);
	assert_int_equal(o->http_status, cJSON_GetObjectItem(exp, "status")->valueint);
	assert_string_equal(review_decision_name(o->decision),
	                    cJSON_GetObjectItem(exp, "decision")->valuestring);
	assert_string_equal(o->rules, cJSON_GetObjectItem(exp, "rules")->valuestring);
	assert_int_equal(want_patch != NULL, patch != NULL);
	if (want_patch)
		assert_true(cJSON_Compare(want_patch, patch, 1));
}

static void run_case(void **state)
{
	const char *name = *state;
	char req_path[512], exp_path[512];
	char *req, *exp_text;
	size_t req_len = 0;
	cJSON *exp, *body, *patch;
	struct review_outcome o;
	struct rtdp_policy *p;
	struct rtdp_error err;
	const char *endpoint;

	snprintf(req_path, sizeof(req_path), "%s/%s" SUFFIX, DIR_PATH, name);
	snprintf(exp_path, sizeof(exp_path), "%s/%s.expected.json", DIR_PATH, name);
	req = tu_read(req_path, &req_len);
	exp_text = tu_read(exp_path, NULL);
	assert_non_null(req);
	assert_non_null(exp_text);
	exp = cJSON_Parse(exp_text);
	assert_non_null(exp);
	endpoint = cJSON_GetObjectItem(exp, "endpoint")->valuestring;
	p = tu_policy(cJSON_GetStringValue(cJSON_GetObjectItem(exp, "policy")));
	rtdp_error_init(&err);
	review_outcome_init(&o);
	assert_int_equal(
	        review_handle(p, strcmp(endpoint, "mutate") == 0 ? REVIEW_MUTATE : REVIEW_VALIDATE,
	                      req, req_len, &o, &err),
	        RTDP_OK);
	body = cJSON_ParseWithLength(o.body, o.body_len);
	patch = tu_patch(body);
	check_invariants(&o, body, endpoint);
	if (getenv("RTDP_REGEN_GOLDEN"))
		regen(exp_path, &o, exp, body, patch);
	else
		compare(name, &o, exp, body, patch);
	cJSON_Delete(patch);
	cJSON_Delete(body);
	review_outcome_release(&o);
	rtdp_policy_free(p);
	cJSON_Delete(exp);
	free(exp_text);
	free(req);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct CMUnitTest *)a)->name, ((const struct CMUnitTest *)b)->name);
}

int main(void)
{
	struct CMUnitTest *tests = NULL;
	size_t n = 0, i;
	DIR *d = opendir(DIR_PATH);
	struct dirent *e;
	int rc;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *name;

		if (len <= strlen(SUFFIX) || strcmp(e->d_name + len - strlen(SUFFIX), SUFFIX) != 0)
			continue;
		name = strndup(e->d_name, len - strlen(SUFFIX));
		tests = realloc(tests, (n + 1) * sizeof(*tests));
		memset(&tests[n], 0, sizeof(tests[n]));
		tests[n].name = name;
		tests[n].test_func = run_case;
		tests[n].initial_state = name;
		n++;
	}
	closedir(d);
	qsort(tests, n, sizeof(*tests), by_name);
	rc = n ? _cmocka_run_group_tests("webhook_golden", tests, n, NULL, NULL) : 1;
	for (i = 0; i < n; i++)
		free((void *)tests[i].name);
	free(tests);
	return rc;
}
