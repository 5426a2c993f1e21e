#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exec_credential.h"
#include "kubeconfig.h"
#include "test_util.h"
#include "rtdp/banned.h"

static int setup(void **state)
{
	(void)state;
	test_env_reset();
	setenv("RTDP_EXEC_LOG", test_write(7, test_tmpdir(), "exec.log", ""), 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_tmp_cleanup();
	return 0;
}

static struct kube_config *load(const char *path, const char *context)
{
	struct kube_conn_flags f;
	struct kube_config *cfg = NULL;
	struct rtdp_error err;

	kube_conn_flags_init(&f);
	f.kubeconfig = path;
	f.context = context;
	rtdp_error_init(&err);
	if (kube_config_load(&f, &cfg, &err) != RTDP_OK)
		fail_msg("%s: %s", path, err.msg);
	return cfg;
}

/* A kubeconfig whose user runs command (with an extra exec: line). */
static struct kube_config *load_exec(const char *command, const char *extra)
{
	char text[4096];

	snprintf(text, sizeof(text),
	         "apiVersion: v1\ncurrent-context: t\n"
	         "clusters: [{name: t, cluster: {server: 'https://t.example'}}]\n"
	         "contexts: [{name: t, context: {cluster: t, user: u}}]\n"
	         "users:\n- name: u\n  user:\n    exec:\n"
	         "      apiVersion: client.authentication.k8s.io/v1beta1\n"
	         "      command: %s\n%s",
	         command, extra ? extra : "");
	return load(test_write(0, test_tmpdir(), "kubeconfig.yaml", text), NULL);
}

static char *exec_log(void)
{
	return test_slurp(getenv("RTDP_EXEC_LOG"), NULL);
}

static void test_eks_plugin_gets_args_env_and_exec_info(void **state)
{
	struct kube_config *cfg = load(fx(0, "eks.yaml"), NULL);
	struct kube_exec_credential cred;
	struct rtdp_error err;
	char *log;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_exec_run(cfg, false, &cred, &err), RTDP_OK);
	assert_string_equal(cred.token, "k8s-aws-v1.test-token");
	assert_int_equal(cred.expiry, 4070908800); /* 2099-01-01T00:00:00Z */
	assert_int_equal(cred.cert.len, 0);
	log = exec_log();
	assert_string_equal(log,
	                    "run aws --region us-west-2 eks get-token --cluster-name demo "
	                    "--output json\n"
	                    "env AWS_PROFILE=rtdp-test\n"
	                    "info {\"kind\":\"ExecCredential\",\"apiVersion\":\"client."
	                    "authentication.k8s.io/v1beta1\",\"spec\":{\"interactive\":false}}\n"
	                    "stdin notty\n");
	free(log);
	kube_exec_credential_release(&cred);
	kube_config_free(cfg);
}

static void test_gke_plugin_gets_cluster_info(void **state)
{
	struct kube_config *cfg = load(fx(0, "gke.yaml"), NULL);
	char *info = kube_exec_info(cfg, true);
	cJSON *root = cJSON_Parse(info);
	cJSON *cluster = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "spec"), "cluster");
	char *ca_b64, *text = test_slurp(fx(0, "gke.yaml"), NULL);

	(void)state;
	assert_non_null(cluster);
	assert_true(cJSON_IsTrue(
	        cJSON_GetObjectItem(cJSON_GetObjectItem(root, "spec"), "interactive")));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cluster, "server")),
	                    "https://34.118.12.34");
	ca_b64 = cJSON_GetStringValue(cJSON_GetObjectItem(cluster, "certificate-authority-data"));
	assert_non_null(ca_b64);
	assert_non_null(strstr(text, ca_b64)); /* the same base64 the kubeconfig carries */
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
	                            cJSON_GetObjectItem(cluster, "config"), "audience")),
	                    "rtdp-test");
	assert_null(cJSON_GetObjectItem(cluster, "insecure-skip-tls-verify"));
	free(text);
	cJSON_Delete(root);
	free(info);
	kube_config_free(cfg);
}

static void test_gke_and_aks_plugins_run_from_path(void **state)
{
	struct kube_config *gke = load(fx(0, "gke.yaml"), NULL);
	struct kube_config *aks = load(fx(0, "aks.yaml"), NULL);
	struct kube_exec_credential cred;
	struct rtdp_error err;
	char *log;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_exec_run(gke, false, &cred, &err), RTDP_OK);
	assert_string_equal(cred.token, "ya29.test-token");
	kube_exec_credential_release(&cred);
	assert_int_equal(kube_exec_run(aks, false, &cred, &err), RTDP_OK);
	assert_string_equal(cred.token, "eyJ0eXAi.test-token");
	kube_exec_credential_release(&cred);
	log = exec_log();
	assert_non_null(strstr(log, "run gke-gcloud-auth-plugin \n"));
	assert_non_null(strstr(log, "\"cluster\":{\"server\":\"https://34.118.12.34\""));
	assert_non_null(strstr(log, "run kubelogin get-token --login azurecli --server-id "
	                            "6dae42f8-4368-4678-94ff-3960e28e3630\n"));
	free(log);
	kube_config_free(aks);
	kube_config_free(gke);
}

static void test_v1_plugin_with_a_relative_command(void **state)
{
	struct kube_config *cfg = load(fx(0, "relative/config.yaml"), "rel-exec");
	struct kube_exec_credential cred;
	struct rtdp_error err;
	char *log;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_exec_run(cfg, true, &cred, &err), RTDP_OK);
	assert_string_equal(cred.token, "k8s-aws-v1.test-token");
	log = exec_log();
	/* interactiveMode Never: not interactive even on a terminal, stdin is /dev/null */
	assert_non_null(strstr(log, "\"apiVersion\":\"client.authentication.k8s.io/v1\","
	                            "\"spec\":{\"interactive\":false}"));
	assert_non_null(strstr(log, "stdin notty\n"));
	free(log);
	kube_exec_credential_release(&cred);
	kube_config_free(cfg);
}

static void test_interactive_when_allowed_and_a_terminal(void **state)
{
	struct kube_config *cfg = load_exec("aws", "      interactiveMode: Always\n");
	struct kube_exec_credential cred;
	struct rtdp_error err;
	char *log;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_exec_run(cfg, true, &cred, &err), RTDP_OK);
	log = exec_log();
	assert_non_null(strstr(log, "\"spec\":{\"interactive\":true}"));
	free(log);
	kube_exec_credential_release(&cred);
	assert_int_equal(kube_exec_run(cfg, false, &cred, &err), RTDP_ERR_USAGE);
	assert_string_equal(err.msg, "exec plugin 'aws' needs a terminal (interactiveMode Always) "
	                             "but standard input is not one");
	kube_config_free(cfg);
}

static void test_plugin_may_reply_with_a_certificate(void **state)
{
	struct kube_config *cfg = load_exec(fx(1, "bin/exec-cert"), NULL);
	struct kube_exec_credential cred;
	struct rtdp_error err;
	char *crt = test_slurp(fx(0, "certs/client.crt"), NULL);

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_exec_run(cfg, false, &cred, &err), RTDP_OK);
	assert_null(cred.token);
	assert_string_equal((char *)cred.cert.data, crt);
	assert_int_equal(cred.expiry, 0);
	kube_exec_credential_release(&cred);
	setenv("RTDP_EXEC_KEY", "other.key", 1);
	assert_int_equal(kube_exec_run(cfg, false, &cred, &err), RTDP_ERR_TLS);
	assert_string_equal(err.msg, "exec plugin output: the client key does not match the "
	                             "client certificate");
	free(crt);
	kube_config_free(cfg);
}

struct failing {
	const char *command; /* under bin/, or a bare name */
	enum rtdp_rc rc;
	const char *msg; /* %s: the command as configured */
};

/* clang-format off */
static const struct failing failures[] = {
	{ "exec-fail", RTDP_ERR_IO, "exec plugin '%s' failed with exit code 3" },
	{ "exec-killed", RTDP_ERR_IO, "exec plugin '%s' was killed by signal 9" },
	{ "exec-wrong-version", RTDP_ERR_INVALID, "exec plugin is configured to use API version client.authentication.k8s.io/v1beta1, plugin returned version client.authentication.k8s.io/v1alpha1" },
	{ "exec-garbage", RTDP_ERR_PARSE, "exec plugin output is not JSON (at byte 0 of 68)" },
	{ "exec-no-status", RTDP_ERR_INVALID, "exec plugin didn't return a status field" },
	{ "exec-bad-expiry", RTDP_ERR_INVALID, "exec plugin output: status.expirationTimestamp \"tomorrow\" is not an RFC 3339 time" },
	{ "certs/ca.crt", RTDP_ERR_IO, "cannot run exec plugin '%s': Permission denied" },
};
/* clang-format on */

static void test_plugin_failures(void **state)
{
	struct kube_config *cfg;
	struct kube_exec_credential cred;
	struct rtdp_error err;
	char rel[64], want[4096];
	const char *cmd;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(failures) / sizeof(failures[0]); i++) {
		snprintf(rel, sizeof(rel), "%s%s", strchr(failures[i].command, '/') ? "" : "bin/",
		         failures[i].command);
		cmd = fx(1, rel);
		cfg = load_exec(cmd, NULL);
		rtdp_error_init(&err);
		snprintf(want, sizeof(want), failures[i].msg, cmd);
		if (kube_exec_run(cfg, false, &cred, &err) != failures[i].rc)
			fail_msg("%s: got %s: %s", failures[i].command, rtdp_rc_name(err.rc),
			         err.msg);
		if (strcmp(err.msg, want) != 0)
			fail_msg("%s:\n got  %s\n want %s", failures[i].command, err.msg, want);
		assert_null(cred.token);
		kube_config_free(cfg);
	}
}

static void test_missing_plugin_shows_the_install_hint(void **state)
{
	struct kube_config *cfg = load_exec(
	        "rtdp-no-such-plugin", "      installHint: install it with 'brew install x'\n");
	struct kube_exec_credential cred;
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_exec_run(cfg, false, &cred, &err), RTDP_ERR_NOTFOUND);
	assert_string_equal(err.msg, "exec plugin: executable 'rtdp-no-such-plugin' not found: "
	                             "install it with 'brew install x'");
	kube_config_free(cfg);
}

static unsigned runs_logged(void)
{
	char *log = exec_log(), *p = log;
	unsigned n = 0;

	while ((p = strstr(p, "run ")) != NULL) {
		n++;
		p += 4;
	}
	free(log);
	return n;
}

static void test_cache_until_expiry_and_refresh(void **state)
{
	struct kube_config *cfg = load_exec(fx(1, "bin/exec-counter"), NULL);
	struct kube_exec_cache cache;
	const struct kube_exec_credential *cred;
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	kube_exec_cache_init(&cache);
	cache.stdin_tty = 0;
	assert_int_equal(kube_exec_get(&cache, cfg, false, &cred, &err), RTDP_OK);
	assert_string_equal(cred->token, "run-1");
	assert_int_equal(kube_exec_get(&cache, cfg, false, &cred, &err), RTDP_OK);
	assert_string_equal(cred->token, "run-1");
	assert_int_equal(runs_logged(), 1);
	assert_int_equal(kube_exec_get(&cache, cfg, true, &cred, &err), RTDP_OK);
	assert_string_equal(cred->token, "run-2");
	setenv("RTDP_EXEC_EXPIRY", "2001-01-01T00:00:00+01:00", 1);
	assert_int_equal(kube_exec_get(&cache, cfg, true, &cred, &err), RTDP_OK);
	assert_string_equal(cred->token, "run-3");
	assert_int_equal(kube_exec_get(&cache, cfg, false, &cred, &err), RTDP_OK);
	assert_string_equal(cred->token, "run-4"); /* expired: run again */
	assert_int_equal(cache.runs, 4);
	kube_exec_cache_release(&cache);
	kube_config_free(cfg);
}

static void test_a_failed_refresh_keeps_nothing_stale(void **state)
{
	struct kube_config *cfg = load_exec(fx(1, "bin/exec-fail"), NULL);
	struct kube_exec_cache cache;
	const struct kube_exec_credential *cred = (const void *)cfg;
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	kube_exec_cache_init(&cache);
	cache.stdin_tty = 0;
	assert_int_equal(kube_exec_get(&cache, cfg, false, &cred, &err), RTDP_ERR_IO);
	assert_null(cred);
	assert_false(cache.valid);
	kube_exec_cache_release(&cache);
	kube_config_free(cfg);
}

static void expect_reply(const char *json, enum rtdp_rc rc, const char *msg)
{
	struct kube_exec_credential cred;
	struct rtdp_error err;

	rtdp_error_init(&err);
	assert_int_equal(kube_exec_parse_reply(KUBE_EXEC_V1, json, strlen(json), &cred, &err), rc);
	assert_string_equal(err.msg, msg);
	assert_null(cred.token);
}

static void test_reply_validation(void **state)
{
	struct kube_exec_credential cred;
	struct rtdp_error err;
	static const char ok[] = "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":"
	                         "\"ExecCredential\",\"status\":{\"token\":\"t\"}}trailing";

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_exec_parse_reply(KUBE_EXEC_V1, ok, strlen(ok) - 8, &cred, &err),
	                 RTDP_OK);
	assert_string_equal(cred.token, "t");
	kube_exec_credential_release(&cred);
	expect_reply("[]", RTDP_ERR_INVALID, "exec plugin output: expected a mapping, got a list");
	expect_reply("{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"Pod\"}",
	             RTDP_ERR_INVALID, "exec plugin output: kind is \"Pod\", not ExecCredential");
	expect_reply("{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":"
	             "\"ExecCredential\",\"status\":{}}",
	             RTDP_ERR_INVALID, "exec plugin didn't return a token or cert/key pair");
	expect_reply("{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":"
	             "\"ExecCredential\",\"status\":{\"clientKeyData\":\"k\"}}",
	             RTDP_ERR_INVALID, "exec plugin returned only certificate or key, not both");
	expect_reply("{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":"
	             "\"ExecCredential\",\"status\":{\"token\":5}}",
	             RTDP_ERR_INVALID,
	             "exec plugin output: status.token: expected a string, got a number");
	expect_reply("{\"apiVersion\":\"client.authentication.k8s.io/v1\"", RTDP_ERR_PARSE,
	             "exec plugin output is not JSON (at byte 46 of 47)");
}

static void test_rfc3339(void **state)
{
	/* clang-format off */
	static const struct { const char *in; long out; } ok[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2024-05-01T12:00:00Z", 1714564800 },
		{ "2024-05-01T12:00:00.123456789Z", 1714564800 },
		{ "2024-05-01T14:00:00+02:00", 1714564800 },
		{ "2024-05-01t11:30:00-00:30", 1714564800 },
	};
	static const char *const bad[] = {
		"", "2024-05-01", "2024-05-01T12:00:00", "2024-13-01T00:00:00Z",
		"2024-05-01T12:00:00.Z", "2024-05-01T12:00:00+2:00", "2024-05-01T12:00:00Zjunk",
	};
	/* clang-format on */
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(kube_parse_rfc3339(ok[i].in, &t), 0);
		assert_int_equal((long)t, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kube_parse_rfc3339(bad[i], &t), -1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_eks_plugin_gets_args_env_and_exec_info),
	        T(test_gke_plugin_gets_cluster_info),
	        T(test_gke_and_aks_plugins_run_from_path),
	        T(test_v1_plugin_with_a_relative_command),
	        T(test_interactive_when_allowed_and_a_terminal),
	        T(test_plugin_may_reply_with_a_certificate),
	        T(test_plugin_failures),
	        T(test_missing_plugin_shows_the_install_hint),
	        T(test_cache_until_expiry_and_refresh),
	        T(test_a_failed_refresh_keeps_nothing_stale),
	        T(test_reply_validation),
	        T(test_rfc3339),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
