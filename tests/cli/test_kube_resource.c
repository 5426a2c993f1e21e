/* REST paths and kubectl display names of the kinds rtdp writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kube_resource.h"

static void test_paths_for_core_grouped_and_cluster_kinds(void **state)
{
	char path[256];

	(void)state;
	assert_int_equal(kube_object_path(kube_resource_find("apps/v1", "Deployment"), "ns", "d",
	                                  path, sizeof(path)),
	                 0);
	assert_string_equal(path, "/apis/apps/v1/namespaces/ns/deployments/d");
	assert_int_equal(kube_object_path(kube_resource_find("v1", "Service"), "ns", "s", path,
	                                  sizeof(path)),
	                 0);
	assert_string_equal(path, "/api/v1/namespaces/ns/services/s");
	assert_int_equal(kube_object_path(kube_resource_find("v1", "Namespace"), "ignored", "n",
	                                  path, sizeof(path)),
	                 0);
	assert_string_equal(path, "/api/v1/namespaces/n");
	assert_int_equal(
	        kube_collection_path(kube_resource_find("policy/v1", "PodDisruptionBudget"), "ns",
	                             path, sizeof(path)),
	        0);
	assert_string_equal(path, "/apis/policy/v1/namespaces/ns/poddisruptionbudgets");
	assert_int_equal(kube_object_path(kube_resource_find("v1", "Service"), "ns", "s", path, 10),
	                 -1);
	assert_string_equal(kube_resource_find("apps/v1", "Deployment")->display,
	                    "deployment.apps");
}

static void test_unknown_kind_is_named(void **state)
{
	const struct kube_resource *r = NULL;
	struct rtdp_error err;
	cJSON *o = cJSON_Parse("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\"}");

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_resource_of(o, &r, &err), RTDP_ERR_INVALID);
	assert_null(r);
	assert_string_equal(
	        err.msg,
	        "kind \"Widget\" in version \"example.com/v1\" is not one kubectl rtdp manages");
	cJSON_Delete(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_paths_for_core_grouped_and_cluster_kinds),
	        cmocka_unit_test(test_unknown_kind_is_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
