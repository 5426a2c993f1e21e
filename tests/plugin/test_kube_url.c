#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "kube_url.h"
#include "rtdp/banned.h"

static void check_url(const char *json, const char *default_ns, const char *want)
{
	cJSON *obj = cJSON_Parse(json);
	char buf[512];
	struct rtdp_error err;

	assert_non_null(obj);
	rtdp_error_init(&err);
	if (kube_object_url(obj, default_ns, buf, sizeof(buf), &err) != RTDP_OK)
		fail_msg("%s: %s", json, err.msg);
	assert_string_equal(buf, want);
	cJSON_Delete(obj);
}

static void test_urls_of_the_kinds_rtdp_writes(void **state)
{
	(void)state;
	check_url("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"rt\","
	          "\"namespace\":\"ignored\"}}",
	          "default", "/api/v1/namespaces/rt");
	check_url(
	        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\","
	        "\"namespace\":\"rt\"}}",
	        "default", "/apis/apps/v1/namespaces/rt/deployments/d");
	check_url("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"}}",
	          "ctx-ns", "/api/v1/namespaces/ctx-ns/services/s");
	check_url("{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":{"
	          "\"name\":\"p\",\"namespace\":\"rt\"}}",
	          NULL, "/apis/policy/v1/namespaces/rt/poddisruptionbudgets/p");
	check_url("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}",
	          "a", "/api/v1/namespaces/a/configmaps/c");
	check_url("{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":"
	          "\"sa\"}}",
	          "a", "/api/v1/namespaces/a/serviceaccounts/sa");
	check_url("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a "
	          "b/c:d\"}}",
	          "n s", "/api/v1/namespaces/n%20s/configmaps/a%20b%2Fc%3Ad");
}

static void expect_error(const char *json, const char *default_ns, size_t n, enum rtdp_rc rc,
                         const char *msg)
{
	cJSON *obj = cJSON_Parse(json);
	char buf[512];
	struct rtdp_error err;

	rtdp_error_init(&err);
	assert_int_equal(kube_object_url(obj, default_ns, buf, n, &err), rc);
	assert_string_equal(err.msg, msg);
	cJSON_Delete(obj);
}

static void test_url_errors(void **state)
{
	(void)state;
	expect_error("{\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"}}", "a", 512,
	             RTDP_ERR_INVALID, "object has no apiVersion and kind");
	expect_error("{\"apiVersion\":\"v1\",\"kind\":\"Service\"}", "a", 512, RTDP_ERR_INVALID,
	             "Service has no metadata.name");
	expect_error("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"}}",
	             NULL, 512, RTDP_ERR_INVALID, "Service \"s\" has no namespace");
	expect_error(
	        "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":"
	        "\"w\"}}",
	        "a", 512, RTDP_ERR_INVALID,
	        "kind \"Widget\" in version \"example.com/v1\" is not one kubectl rtdp manages");
	expect_error("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"}}",
	             "a", 20, RTDP_ERR_LIMIT, "the URL of Service \"s\" is too long");
}

static void test_object_ref_like_kubectl(void **state)
{
	cJSON *d = cJSON_Parse("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
	                       "\"metadata\":{\"name\":\"web\"}}");
	cJSON *s = cJSON_Parse("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":"
	                       "\"web\"}}");
	char buf[64];
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_object_ref(d, buf, sizeof(buf), &err), RTDP_OK);
	assert_string_equal(buf, "deployment.apps/web");
	assert_int_equal(kube_object_ref(s, buf, sizeof(buf), &err), RTDP_OK);
	assert_string_equal(buf, "service/web");
	assert_int_equal(kube_object_ref(d, buf, 10, &err), RTDP_ERR_LIMIT);
	assert_string_equal(err.msg, "the reference to Deployment \"web\" is too long");
	cJSON_Delete(d);
	cJSON_Delete(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_urls_of_the_kinds_rtdp_writes),
	        cmocka_unit_test(test_url_errors),
	        cmocka_unit_test(test_object_ref_like_kubectl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
