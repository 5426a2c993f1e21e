#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "conn_flags.h"
#include "rtdp/banned.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Offers every argument to the parser; returns how many were not taken. */
static int parse_all(struct kube_conn_flags *f, int argc, const char **argv, struct rtdp_error *err,
                     enum rtdp_rc *rc)
{
	int i, left = 0;
	bool taken;

	kube_conn_flags_init(f);
	rtdp_error_init(err);
	*rc = RTDP_OK;
	for (i = 0; i < argc; i++) {
		*rc = kube_conn_flags_parse(f, &i, argc, (char **)argv, &taken, err);
		if (*rc != RTDP_OK)
			return -1;
		if (!taken)
			left++;
	}
	return left;
}

static void test_every_flag_in_both_forms(void **state)
{
	const char *argv[] = {"--kubeconfig",
	                      "/k",
	                      "--context=ctx",
	                      "--cluster",
	                      "cl",
	                      "--user=u",
	                      "-n",
	                      "ns",
	                      "-s=https://s",
	                      "--token",
	                      "tok",
	                      "--certificate-authority=/ca",
	                      "--client-certificate",
	                      "/crt",
	                      "--client-key=/key",
	                      "--tls-server-name=name",
	                      "--as",
	                      "alice",
	                      "--as-group=g1",
	                      "--as-group",
	                      "g2",
	                      "--as-uid=7",
	                      "--insecure-skip-tls-verify",
	                      "--request-timeout",
	                      "30"};
	struct kube_conn_flags f;
	struct rtdp_error err;
	enum rtdp_rc rc;

	(void)state;
	assert_int_equal(parse_all(&f, ARGC(argv), argv, &err, &rc), 0);
	assert_string_equal(f.kubeconfig, "/k");
	assert_string_equal(f.context, "ctx");
	assert_string_equal(f.cluster, "cl");
	assert_string_equal(f.user, "u");
	assert_string_equal(f.namespace, "ns");
	assert_string_equal(f.server, "https://s");
	assert_string_equal(f.token, "tok");
	assert_string_equal(f.certificate_authority, "/ca");
	assert_string_equal(f.client_certificate, "/crt");
	assert_string_equal(f.client_key, "/key");
	assert_string_equal(f.tls_server_name, "name");
	assert_string_equal(f.as, "alice");
	assert_int_equal(f.n_as_groups, 2);
	assert_string_equal(f.as_groups[0], "g1");
	assert_string_equal(f.as_groups[1], "g2");
	assert_string_equal(f.as_uid, "7");
	assert_true(f.insecure_set);
	assert_true(f.insecure_skip_tls_verify);
	assert_true(f.request_timeout_set);
	assert_int_equal(f.request_timeout_ms, 30000);
}

static void test_short_flags_glued_and_with_equals(void **state)
{
	const char *argv[] = {"-nkube-system", "-s=https://x"};
	struct kube_conn_flags f;
	struct rtdp_error err;
	enum rtdp_rc rc;

	(void)state;
	assert_int_equal(parse_all(&f, ARGC(argv), argv, &err, &rc), 0);
	assert_string_equal(f.namespace, "kube-system");
	assert_string_equal(f.server, "https://x");
}

static void test_other_flags_are_left_to_the_command(void **state)
{
	const char *argv[] = {
	        "-f", "app.yaml", "--dry-run=server", "-o", "json", "--namespacex", "-", "--",
	        "-n", "ns"};
	struct kube_conn_flags f;
	struct rtdp_error err;
	enum rtdp_rc rc;

	(void)state;
	assert_int_equal(parse_all(&f, ARGC(argv), argv, &err, &rc), 8);
	assert_string_equal(f.namespace, "ns");
}

static void test_index_stays_on_the_last_consumed_argument(void **state)
{
	const char *argv[] = {"cmd", "--context", "c", "-f", "x"};
	struct kube_conn_flags f;
	struct rtdp_error err;
	bool taken;
	int i = 1;

	(void)state;
	kube_conn_flags_init(&f);
	rtdp_error_init(&err);
	assert_int_equal(kube_conn_flags_parse(&f, &i, 5, (char **)argv, &taken, &err), RTDP_OK);
	assert_true(taken);
	assert_int_equal(i, 2);
	i = 3;
	assert_int_equal(kube_conn_flags_parse(&f, &i, 5, (char **)argv, &taken, &err), RTDP_OK);
	assert_false(taken);
	assert_int_equal(i, 3);
}

static void test_insecure_takes_an_explicit_boolean(void **state)
{
	const char *argv[] = {"--insecure-skip-tls-verify=false"};
	const char *bad[] = {"--insecure-skip-tls-verify=maybe"};
	struct kube_conn_flags f;
	struct rtdp_error err;
	enum rtdp_rc rc;

	(void)state;
	assert_int_equal(parse_all(&f, 1, argv, &err, &rc), 0);
	assert_true(f.insecure_set);
	assert_false(f.insecure_skip_tls_verify);
	assert_int_equal(parse_all(&f, 1, bad, &err, &rc), -1);
	assert_int_equal(rc, RTDP_ERR_USAGE);
	assert_string_equal(err.msg,
	                    "invalid argument \"maybe\" for \"--insecure-skip-tls-verify\" "
	                    "flag: expected true or false");
}

static void test_missing_value_is_a_usage_error(void **state)
{
	const char *argv[] = {"-n"};
	const char *argv2[] = {"--kubeconfig"};
	struct kube_conn_flags f;
	struct rtdp_error err;
	enum rtdp_rc rc;

	(void)state;
	assert_int_equal(parse_all(&f, 1, argv, &err, &rc), -1);
	assert_int_equal(rc, RTDP_ERR_USAGE);
	assert_string_equal(err.msg, "flag needs an argument: --namespace");
	assert_int_equal(parse_all(&f, 1, argv2, &err, &rc), -1);
	assert_string_equal(err.msg, "flag needs an argument: --kubeconfig");
}

static void test_empty_value_means_unset(void **state)
{
	const char *argv[] = {"--context=", "--namespace", ""};
	struct kube_conn_flags f;
	struct rtdp_error err;
	enum rtdp_rc rc;

	(void)state;
	assert_int_equal(parse_all(&f, ARGC(argv), argv, &err, &rc), 0);
	assert_null(f.context);
	assert_null(f.namespace);
}

static void test_request_timeout_values(void **state)
{
	/* clang-format off */
	static const struct { const char *in; long ms; } ok[] = {
		{ "0", 0 }, { "30", 30000 }, { "1s", 1000 }, { "2m", 120000 }, { "1h", 3600000 },
		{ "1m30s", 90000 }, { "1.5s", 1500 }, { "250ms", 250 }, { "100us", 1 },
		{ "0s", 0 }, { "3h2m1s", 10921000 },
	};
	static const char *const bad[] = { "", "-1", "1x", "s", "1.5", "abc", "1s2", "99999999999999h" };
	/* clang-format on */
	struct rtdp_error err;
	long ms;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		rtdp_error_init(&err);
		assert_int_equal(kube_parse_duration_ms(ok[i].in, &ms, &err), RTDP_OK);
		assert_int_equal(ms, ok[i].ms);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rtdp_error_init(&err);
		assert_int_equal(kube_parse_duration_ms(bad[i], &ms, &err), RTDP_ERR_USAGE);
		assert_non_null(strstr(err.msg, "invalid timeout value"));
	}
}

static void test_bad_request_timeout_flag(void **state)
{
	const char *argv[] = {"--request-timeout=soon"};
	struct kube_conn_flags f;
	struct rtdp_error err;
	enum rtdp_rc rc;

	(void)state;
	assert_int_equal(parse_all(&f, 1, argv, &err, &rc), -1);
	assert_int_equal(rc, RTDP_ERR_USAGE);
	assert_string_equal(err.msg,
	                    "--request-timeout: invalid timeout value \"soon\": use a number "
	                    "of seconds or a number with a unit (e.g. 1s, 2m, 3h)");
}

static void test_too_many_groups(void **state)
{
	const char *argv[2 * KUBE_MAX_AS_GROUPS + 2];
	struct kube_conn_flags f;
	struct rtdp_error err;
	enum rtdp_rc rc;
	int i;

	(void)state;
	for (i = 0; i < KUBE_MAX_AS_GROUPS + 1; i++) {
		argv[2 * i] = "--as-group";
		argv[2 * i + 1] = "g";
	}
	assert_int_equal(parse_all(&f, 2 * KUBE_MAX_AS_GROUPS + 2, argv, &err, &rc), -1);
	assert_int_equal(rc, RTDP_ERR_USAGE);
	assert_string_equal(err.msg, "too many --as-group flags (the limit is 32)");
}

static void test_usage_lists_every_flag(void **state)
{
	static const char *const names[] = {
	        "--kubeconfig",
	        "--context",
	        "--cluster",
	        "--user",
	        "-n, --namespace",
	        "-s, --server",
	        "--token",
	        "--certificate-authority",
	        "--client-certificate",
	        "--client-key",
	        "--insecure-skip-tls-verify",
	        "--tls-server-name",
	        "--request-timeout",
	        "--as=",
	        "--as-group",
	        "--as-uid",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_non_null(strstr(kube_conn_flags_usage(), names[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_flag_in_both_forms),
	        cmocka_unit_test(test_short_flags_glued_and_with_equals),
	        cmocka_unit_test(test_other_flags_are_left_to_the_command),
	        cmocka_unit_test(test_index_stays_on_the_last_consumed_argument),
	        cmocka_unit_test(test_insecure_takes_an_explicit_boolean),
	        cmocka_unit_test(test_missing_value_is_a_usage_error),
	        cmocka_unit_test(test_empty_value_means_unset),
	        cmocka_unit_test(test_request_timeout_values),
	        cmocka_unit_test(test_bad_request_timeout_flag),
	        cmocka_unit_test(test_too_many_groups),
	        cmocka_unit_test(test_usage_lists_every_flag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
