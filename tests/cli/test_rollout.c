/* kubectl rollout status semantics, in kubectl's order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rollout.h"

static enum rollout_state check(const char *json, char *msg, size_t n)
{
	cJSON *d = cJSON_Parse(json);
	enum rollout_state s;

	assert_non_null(d);
	s = rollout_check(d, msg, n);
	cJSON_Delete(d);
	return s;
}

static void test_rollout_states_in_kubectl_order(void **state)
{
	char msg[256];

	(void)state;
	assert_int_equal(
	        check("{\"metadata\":{\"name\":\"d\",\"generation\":2},\"spec\":{\"replicas\":3},"
	              "\"status\":{\"observedGeneration\":1}}",
	              msg, sizeof(msg)),
	        ROLLOUT_WAITING);
	assert_string_equal(msg, "Waiting for deployment spec update to be observed...");
	assert_int_equal(
	        check("{\"metadata\":{\"name\":\"d\",\"generation\":2},\"spec\":{\"replicas\":3},"
	              "\"status\":{\"observedGeneration\":2,\"conditions\":[{\"type\":"
	              "\"Progressing\","
	              "\"reason\":\"ProgressDeadlineExceeded\"}]}}",
	              msg, sizeof(msg)),
	        ROLLOUT_FAILED);
	assert_string_equal(msg, "deployment \"d\" exceeded its progress deadline");
	assert_int_equal(
	        check("{\"metadata\":{\"name\":\"d\",\"generation\":2},\"spec\":{\"replicas\":3},"
	              "\"status\":{\"observedGeneration\":2,\"updatedReplicas\":1}}",
	              msg, sizeof(msg)),
	        ROLLOUT_WAITING);
	assert_string_equal(msg, "Waiting for deployment \"d\" rollout to finish: 1 out of 3 new "
	                         "replicas have been updated...");
	assert_int_equal(
	        check("{\"metadata\":{\"name\":\"d\",\"generation\":2},\"spec\":{\"replicas\":3},"
	              "\"status\":{\"observedGeneration\":2,\"updatedReplicas\":3,\"replicas\":4}}",
	              msg, sizeof(msg)),
	        ROLLOUT_WAITING);
	assert_string_equal(msg, "Waiting for deployment \"d\" rollout to finish: 1 old replicas "
	                         "are pending termination...");
	assert_int_equal(
	        check("{\"metadata\":{\"name\":\"d\",\"generation\":2},\"spec\":{\"replicas\":3},"
	              "\"status\":{\"observedGeneration\":2,\"updatedReplicas\":3,\"replicas\":3,"
	              "\"availableReplicas\":2}}",
	              msg, sizeof(msg)),
	        ROLLOUT_WAITING);
	assert_string_equal(msg, "Waiting for deployment \"d\" rollout to finish: 2 of 3 updated "
	                         "replicas are available...");
	assert_int_equal(
	        check("{\"metadata\":{\"name\":\"d\",\"generation\":2},\"spec\":{\"replicas\":3},"
	              "\"status\":{\"observedGeneration\":2,\"updatedReplicas\":3,\"replicas\":3,"
	              "\"availableReplicas\":3}}",
	              msg, sizeof(msg)),
	        ROLLOUT_DONE);
	assert_string_equal(msg, "deployment \"d\" successfully rolled out");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rollout_states_in_kubectl_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
