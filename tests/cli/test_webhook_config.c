/* The webhook registrations follow the policy's scope; bad endpoints are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "webhook_config.h"

static const char ca_pem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

static struct webhook_endpoint url_endpoint(void)
{
	struct webhook_endpoint e = {"https://127.0.0.1:8443", NULL, NULL, 0, ca_pem, "Fail", 5};

	return e;
}

static const cJSON *hook(const cJSON *list, int config, int entry)
{
	const cJSON *c =
	        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(list, "items"), config);

	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "webhooks"), entry);
}

static const char *str(const cJSON *o, const char *a, const char *b)
{
	o = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		o = cJSON_GetObjectItemCaseSensitive(o, b);
	return cJSON_IsString(o) ? o->valuestring : NULL;
}

static void test_configurations_follow_the_policy_scope(void **state)
{
	static const char policy_text[] =
	        "apiVersion: rtdp.io/v1alpha1\nkind: Policy\nspec:\n  scope:\n"
	        "    pipelineLabel: example.com/stream\n    exemptNamespaces: [ops]\n";
	struct rtdp_policy *p = NULL;
	struct webhook_endpoint e = url_endpoint();
	struct rtdp_error err;
	cJSON *list = NULL;
	char *text;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_parse("p", policy_text, strlen(policy_text), &p, &err),
	                 RTDP_OK);
	assert_int_equal(webhook_config_build(p, &e, &list, &err), RTDP_OK);
	assert_string_equal(
	        str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(list, "items"), 0), "kind",
	            NULL),
	        "MutatingWebhookConfiguration");
	assert_string_equal(str(hook(list, 0, 0), "clientConfig", "url"),
	                    "https://127.0.0.1:8443/mutate");
	assert_string_equal(str(hook(list, 1, 0), "clientConfig", "url"),
	                    "https://127.0.0.1:8443/validate");
	assert_string_equal(str(hook(list, 0, 0), "reinvocationPolicy", NULL), "IfNeeded");
	assert_null(str(hook(list, 1, 0), "reinvocationPolicy", NULL));
	assert_string_equal(str(hook(list, 0, 1), "sideEffects", NULL), "None");
	text = cJSON_PrintUnformatted(list);
	assert_non_null(strstr(text, "{\"key\":\"example.com/stream\",\"operator\":\"Exists\"}"));
	assert_non_null(
	        strstr(text, "{\"key\":\"example.com/stream\",\"operator\":\"DoesNotExist\"}"));
	assert_non_null(strstr(text,
	                       "{\"key\":\"kubernetes.io/"
	                       "metadata.name\",\"operator\":\"NotIn\",\"values\":[\"ops\"]}"));
	assert_non_null(strstr(text, "\"deployments/scale\""));
	/* caBundle is the base64 of the PEM */
	assert_non_null(strstr(text, "\"caBundle\":"
	                             "\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0V"
	                             "SVElGSUNBVEUtLS0tLQo=\""));
	free(text);
	cJSON_Delete(list);
	rtdp_policy_free(p);
}

static void test_service_endpoint(void **state)
{
	struct rtdp_policy *p = NULL;
	struct webhook_endpoint e = {NULL, "rtdp-system", "rtdp-webhook", 443, ca_pem, "Ignore", 3};
	struct rtdp_error err;
	cJSON *list = NULL;
	const cJSON *svc;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_default(&p, &err), RTDP_OK);
	assert_int_equal(webhook_config_build(p, &e, &list, &err), RTDP_OK);
	svc = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(hook(list, 1, 1), "clientConfig"), "service");
	assert_string_equal(str(svc, "namespace", NULL), "rtdp-system");
	assert_string_equal(str(svc, "path", NULL), "/validate");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(svc, "port")->valueint, 443);
	assert_string_equal(str(hook(list, 1, 1), "failurePolicy", NULL), "Ignore");
	cJSON_Delete(list);
	rtdp_policy_free(p);
}

static void expect_refused(struct webhook_endpoint e, const char *needle)
{
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;
	cJSON *list = NULL;

	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_default(&p, &err), RTDP_OK);
	assert_int_equal(webhook_config_build(p, &e, &list, &err), RTDP_ERR_USAGE);
	assert_null(list);
	if (!strstr(err.msg, needle))
		fail_msg("\"%s\" lacks \"%s\"", err.msg, needle);
	rtdp_policy_free(p);
}

static void test_bad_endpoints_are_refused(void **state)
{
	struct webhook_endpoint e = url_endpoint();

	(void)state;
	e.url = "http://127.0.0.1:8443";
	expect_refused(e, "must start with https://");
	e.url = "https://h/x?timeout=1s";
	expect_refused(e, "may not carry a query");
	e = url_endpoint();
	e.failure_policy = "Sometimes";
	expect_refused(e, "--failure-policy must be Fail or Ignore");
	e = url_endpoint();
	e.timeout_seconds = 31;
	expect_refused(e, "--timeout-seconds must be 1 to 30");
	e = url_endpoint();
	e.ca_bundle_pem = "not a certificate";
	expect_refused(e, "holds no PEM certificate");
	e = url_endpoint();
	e.url = NULL;
	expect_refused(e, "give --url, or --service");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_configurations_follow_the_policy_scope),
	        cmocka_unit_test(test_service_endpoint),
	        cmocka_unit_test(test_bad_endpoints_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
