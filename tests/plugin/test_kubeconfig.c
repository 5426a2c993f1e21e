#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "conn_flags.h"
#include "kubeconfig.h"
#include "test_util.h"
#include "rtdp/banned.h"

static int setup(void **state)
{
	(void)state;
	test_env_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_tmp_cleanup();
	return 0;
}

/* Parses argv (NULL-terminated) as connection flags. */
static void flags_from(struct kube_conn_flags *f, const char **argv)
{
	struct rtdp_error err;
	int argc = 0, i;
	bool taken;

	while (argv[argc])
		argc++;
	kube_conn_flags_init(f);
	rtdp_error_init(&err);
	for (i = 0; i < argc; i++) {
		assert_int_equal(kube_conn_flags_parse(f, &i, argc, (char **)argv, &taken, &err),
		                 RTDP_OK);
		assert_true(taken);
	}
}

static struct kube_config *load_file(const char *path, const char **extra)
{
	struct kube_conn_flags f;
	struct kube_config *cfg = NULL;
	struct rtdp_error err;
	const char *argv[32] = {"--kubeconfig", path};
	int n = path ? 2 : 0;

	while (extra && *extra && n < 31)
		argv[n++] = *extra++;
	argv[n] = NULL;
	flags_from(&f, argv);
	rtdp_error_init(&err);
	if (kube_config_load(&f, &cfg, &err) != RTDP_OK)
		fail_msg("load '%s': %s", path, err.msg);
	assert_non_null(cfg);
	return cfg;
}

static void assert_blob_is_file(const struct kube_blob *b, const char *rel)
{
	size_t len;
	char *want = test_slurp(fx(6, rel), &len);

	assert_int_equal(b->len, len);
	assert_memory_equal(b->data, want, len);
	free(want);
}

static void test_kind_uses_embedded_ca_and_client_cert(void **state)
{
	struct kube_config *cfg = load_file(fx(0, "kind.yaml"), NULL);

	(void)state;
	assert_string_equal(cfg->source, fx(0, "kind.yaml"));
	assert_string_equal(cfg->context, "kind-kind");
	assert_string_equal(cfg->cluster, "kind-kind");
	assert_string_equal(cfg->user, "kind-kind");
	assert_string_equal(cfg->server, "https://127.0.0.1:39715");
	assert_string_equal(cfg->namespace, "default");
	assert_blob_is_file(&cfg->ca, "certs/ca.crt");
	assert_blob_is_file(&cfg->client_cert, "certs/client.crt");
	assert_blob_is_file(&cfg->client_key, "certs/client.key");
	assert_null(cfg->token);
	assert_null(cfg->exec);
	assert_false(cfg->insecure);
	assert_false(cfg->in_cluster);
	assert_int_equal(cfg->timeout_ms, 0);
	kube_config_free(cfg);
}

static void test_eks_runs_aws_eks_get_token(void **state)
{
	struct kube_config *cfg = load_file(fx(0, "eks.yaml"), NULL);
	static const char *const args[] = {"--region",       "us-west-2", "eks",      "get-token",
	                                   "--cluster-name", "demo",      "--output", "json"};
	size_t i;

	(void)state;
	assert_string_equal(cfg->namespace, "pipelines");
	assert_string_equal(
	        cfg->server,
	        "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com");
	assert_non_null(cfg->exec);
	assert_string_equal(cfg->exec->api_version, KUBE_EXEC_V1BETA1);
	assert_string_equal(cfg->exec->command, "aws"); /* bare: looked up on PATH */
	assert_int_equal(cfg->exec->nargs, 8);
	for (i = 0; i < 8; i++)
		assert_string_equal(cfg->exec->args[i], args[i]);
	assert_int_equal(cfg->exec->nenv, 1);
	assert_string_equal(cfg->exec->env[0].name, "AWS_PROFILE");
	assert_string_equal(cfg->exec->env[0].value, "rtdp-test");
	assert_int_equal(cfg->exec->interactive, KUBE_EXEC_IF_AVAILABLE);
	assert_false(cfg->exec->provide_cluster_info);
	assert_null(cfg->token);
	kube_config_free(cfg);
}

static void test_gke_plugin_gets_cluster_info(void **state)
{
	struct kube_config *cfg = load_file(fx(0, "gke.yaml"), NULL);

	(void)state;
	assert_string_equal(cfg->exec->command, "gke-gcloud-auth-plugin");
	assert_true(cfg->exec->provide_cluster_info);
	assert_non_null(strstr(cfg->exec->install_hint, "Install gke-gcloud-auth-plugin"));
	assert_string_equal(cfg->exec_cluster_config, "{\"audience\":\"rtdp-test\"}");
	assert_blob_is_file(&cfg->ca, "certs/ca.crt");
	kube_config_free(cfg);
}

static void test_aks_user_context_uses_kubelogin(void **state)
{
	struct kube_config *cfg = load_file(fx(0, "aks.yaml"), NULL);

	(void)state;
	assert_string_equal(cfg->context, "demo");
	assert_string_equal(cfg->user, "clusterUser_rtdp-rg_demo");
	assert_string_equal(cfg->server, "https://demo-dns-12345678.hcp.westeurope.azmk8s.io:443");
	assert_string_equal(cfg->exec->command, "kubelogin");
	assert_int_equal(cfg->exec->nargs, 5);
	assert_string_equal(cfg->exec->args[2], "azurecli");
	assert_int_equal(cfg->exec->nenv, 0);
	assert_non_null(strstr(cfg->exec->install_hint, "kubelogin is not installed"));
	assert_int_equal(cfg->client_cert.len, 0);
	kube_config_free(cfg);
}

static void test_aks_admin_context_has_certificate_and_token(void **state)
{
	const char *extra[] = {"--context", "demo-admin", NULL};
	struct kube_config *cfg = load_file(fx(0, "aks.yaml"), extra);

	(void)state;
	assert_string_equal(cfg->user, "clusterAdmin_rtdp-rg_demo");
	assert_string_equal(cfg->namespace, "kube-system");
	assert_string_equal(cfg->token, "0123456789abcdef0123456789abcdef");
	assert_blob_is_file(&cfg->client_cert, "certs/client.crt");
	assert_blob_is_file(&cfg->client_key, "certs/client.key");
	assert_null(cfg->exec);
	kube_config_free(cfg);
}

static void set_kubeconfig_list(const char *a, const char *b)
{
	char list[8192];

	snprintf(list, sizeof(list), "%s:%s", a, b);
	setenv("KUBECONFIG", list, 1);
}

static void test_merged_first_file_wins(void **state)
{
	struct kube_config *cfg;

	(void)state;
	set_kubeconfig_list(fx(1, "merged/a.yaml"), fx(2, "merged/b.yaml"));
	cfg = load_file(NULL, NULL);
	assert_string_equal(cfg->context, "dev"); /* a's current-context, not b's prod */
	assert_string_equal(cfg->server, "https://a.example:6443"); /* a's "shared" */
	assert_true(cfg->insecure);
	assert_string_equal(cfg->token, "token-from-a");
	assert_string_equal(cfg->namespace, "dev-ns");
	assert_string_equal(cfg->source, fx(1, "merged/a.yaml"));
	kube_config_free(cfg);
}

static void test_merged_context_from_second_file(void **state)
{
	const char *extra[] = {"--context=prod", NULL};
	struct kube_conn_flags f;
	struct kube_config *cfg = NULL;
	struct rtdp_error err;

	(void)state;
	set_kubeconfig_list(fx(1, "merged/a.yaml"), fx(2, "merged/b.yaml"));
	flags_from(&f, extra);
	rtdp_error_init(&err);
	assert_int_equal(kube_config_load(&f, &cfg, &err), RTDP_OK);
	assert_string_equal(cfg->source, fx(2, "merged/b.yaml"));
	assert_string_equal(cfg->server, "https://prod.example:6443"); /* trailing '/' dropped */
	assert_string_equal(cfg->tls_server_name, "api.prod.internal");
	assert_string_equal(cfg->proxy_url, "http://proxy.example:3128");
	assert_string_equal(cfg->username, "admin");
	assert_string_equal(cfg->password, "s3cret");
	assert_string_equal(cfg->as, "impersonated");
	assert_int_equal(cfg->n_as_groups, 2);
	assert_string_equal(cfg->as_groups[1], "team-b");
	assert_string_equal(cfg->namespace, "default");
	assert_blob_is_file(&cfg->ca, "certs/ca.crt");
	kube_config_free(cfg);
}

static void test_kubeconfig_flag_does_not_merge(void **state)
{
	struct kube_config *cfg;

	(void)state;
	set_kubeconfig_list(fx(1, "merged/a.yaml"), fx(2, "merged/b.yaml"));
	cfg = load_file(fx(0, "merged/b.yaml"), NULL);
	assert_string_equal(cfg->context, "prod");
	kube_config_free(cfg);
}

static void test_kubeconfig_list_skips_missing_and_empty_entries(void **state)
{
	char list[8192];
	struct kube_config *cfg;

	(void)state;
	snprintf(list, sizeof(list), "::/nonexistent/config::%s:", fx(0, "kind.yaml"));
	setenv("KUBECONFIG", list, 1);
	cfg = load_file(NULL, NULL);
	assert_string_equal(cfg->context, "kind-kind");
	kube_config_free(cfg);
}

static void test_home_kube_config_is_the_default(void **state)
{
	char dir[4096];
	char *text = test_slurp(fx(0, "kind.yaml"), NULL);
	struct kube_config *cfg;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/.kube", test_tmpdir());
	assert_int_equal(mkdir(dir, 0700), 0);
	test_write(0, dir, "config", text);
	free(text);
	cfg = load_file(NULL, NULL);
	assert_string_equal(cfg->context, "kind-kind");
	kube_config_free(cfg);
}

static void test_relative_paths_follow_the_file(void **state)
{
	char want[4096];
	struct kube_config *cfg = load_file(fx(0, "relative/config.yaml"), NULL);

	(void)state;
	assert_blob_is_file(&cfg->ca, "certs/ca.crt");
	assert_blob_is_file(&cfg->client_cert, "certs/client.crt");
	assert_blob_is_file(&cfg->client_key, "certs/client.key");
	snprintf(want, sizeof(want), "%s", fx(7, "relative/token.txt"));
	assert_string_equal(cfg->token_file, want);
	assert_string_equal(cfg->token, "file-token-123"); /* trimmed */
	kube_config_free(cfg);
}

static void test_relative_exec_command_follows_the_file(void **state)
{
	const char *extra[] = {"--context", "rel-exec", NULL};
	char want[4096];
	struct kube_config *cfg = load_file(fx(0, "relative/config.yaml"), extra);

	(void)state;
	snprintf(want, sizeof(want), "%s", fx(7, "relative/../bin/aws"));
	assert_string_equal(cfg->exec->command, want);
	assert_string_equal(cfg->exec->api_version, KUBE_EXEC_V1);
	assert_int_equal(cfg->exec->interactive, KUBE_EXEC_NEVER);
	kube_config_free(cfg);
}

static void test_flags_override_the_kubeconfig(void **state)
{
	const char *extra[] = {"-s",
	                       "https://override.example:8443/",
	                       "-nflags-ns",
	                       "--token=flag-token",
	                       "--tls-server-name",
	                       "api.internal",
	                       "--as=alice",
	                       "--as-group",
	                       "devs",
	                       "--as-group=ops",
	                       "--as-uid=42",
	                       "--request-timeout=1m30s",
	                       "--client-certificate",
	                       fx(3, "certs/client.crt"),
	                       "--client-key",
	                       fx(4, "certs/client.key"),
	                       NULL};
	struct kube_config *cfg = load_file(fx(0, "eks.yaml"), extra);

	(void)state;
	assert_string_equal(cfg->server, "https://override.example:8443");
	assert_string_equal(cfg->namespace, "flags-ns");
	assert_string_equal(cfg->token, "flag-token");
	assert_null(cfg->exec); /* a --token replaces the exec plugin */
	assert_string_equal(cfg->tls_server_name, "api.internal");
	assert_string_equal(cfg->as, "alice");
	assert_string_equal(cfg->as_uid, "42");
	assert_int_equal(cfg->n_as_groups, 2);
	assert_string_equal(cfg->as_groups[0], "devs");
	assert_string_equal(cfg->as_groups[1], "ops");
	assert_int_equal(cfg->timeout_ms, 90000);
	assert_blob_is_file(&cfg->client_cert, "certs/client.crt");
	assert_blob_is_file(&cfg->ca, "certs/ca.crt"); /* still the kubeconfig's */
	kube_config_free(cfg);
}

static void test_insecure_flag_drops_the_kubeconfig_ca(void **state)
{
	const char *extra[] = {"--insecure-skip-tls-verify", NULL};
	struct kube_config *cfg = load_file(fx(0, "kind.yaml"), extra);

	(void)state;
	assert_true(cfg->insecure);
	assert_int_equal(cfg->ca.len, 0);
	kube_config_free(cfg);
}

static void test_cluster_and_user_flags_pick_entries(void **state)
{
	const char *extra[] = {"--cluster", "prod", "--user", "dev-user", NULL};
	struct kube_config *cfg = load_file(fx(0, "merged/b.yaml"), extra);

	(void)state;
	assert_string_equal(cfg->context, "prod");
	assert_string_equal(cfg->cluster, "prod");
	assert_string_equal(cfg->user, "dev-user");
	assert_string_equal(cfg->token, "token-from-b");
	assert_null(cfg->username);
	kube_config_free(cfg);
}

static void test_certificate_authority_flag_reads_a_file(void **state)
{
	struct kube_conn_flags f;
	struct kube_config *cfg = NULL;
	struct rtdp_error err;

	(void)state;
	kube_conn_flags_init(&f);
	f.kubeconfig = fx(0, "kind.yaml");
	f.certificate_authority = fx(1, "certs/ca.crt");
	rtdp_error_init(&err);
	assert_int_equal(kube_config_load(&f, &cfg, &err), RTDP_OK);
	assert_blob_is_file(&cfg->ca, "certs/ca.crt");
	kube_config_free(cfg);
	cfg = NULL;
	/* the flag's file replaces the embedded CA, and must hold certificates */
	f.certificate_authority = fx(1, "relative/token.txt");
	assert_int_equal(kube_config_load(&f, &cfg, &err), RTDP_ERR_TLS);
	assert_null(cfg);
	assert_string_equal(
	        err.msg, "--certificate-authority: certificate authority holds no PEM certificate");
}

static void test_server_flag_alone_needs_no_kubeconfig(void **state)
{
	const char *argv[] = {"--server=https://10.1.2.3:6443", "--token", "t", NULL};
	struct kube_config *cfg = load_file(NULL, argv);

	(void)state;
	assert_string_equal(cfg->source, "<flags>");
	assert_null(cfg->context);
	assert_string_equal(cfg->server, "https://10.1.2.3:6443");
	assert_string_equal(cfg->namespace, "default");
	assert_string_equal(cfg->token, "t");
	kube_config_free(cfg);
}

static void test_server_without_scheme_gets_https(void **state)
{
	const char *argv[] = {"-s", "10.1.2.3:6443", NULL};
	struct kube_config *cfg = load_file(NULL, argv);

	(void)state;
	assert_string_equal(cfg->server, "https://10.1.2.3:6443");
	kube_config_free(cfg);
}

static void in_cluster_env(const char *host)
{
	setenv("KUBERNETES_SERVICE_HOST", host, 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
}

static struct kube_config *load_in_cluster(const struct kube_conn_flags *f)
{
	struct kube_load_options opts = {fx(5, "incluster"), false};
	struct kube_config *cfg = NULL;
	struct rtdp_error err;

	rtdp_error_init(&err);
	if (kube_config_load_opts(f, &opts, &cfg, &err) != RTDP_OK)
		fail_msg("in-cluster: %s", err.msg);
	return cfg;
}

static void test_in_cluster_service_account(void **state)
{
	struct kube_config *cfg;

	(void)state;
	in_cluster_env("10.96.0.1");
	cfg = load_in_cluster(NULL);
	assert_true(cfg->in_cluster);
	assert_string_equal(cfg->source, "<in-cluster>");
	assert_string_equal(cfg->server, "https://10.96.0.1:443");
	assert_string_equal(cfg->token, "eyJhbGciOiJSUzI1NiJ9.in-cluster-token");
	assert_string_equal(cfg->token_file, fx(0, "incluster/token"));
	assert_string_equal(cfg->namespace, "rtdp-system");
	assert_blob_is_file(&cfg->ca, "certs/ca.crt");
	kube_config_free(cfg);
}

static void test_in_cluster_ipv6_and_pod_namespace(void **state)
{
	struct kube_conn_flags f;
	struct kube_config *cfg;

	(void)state;
	in_cluster_env("fd00:10:96::1");
	setenv("POD_NAMESPACE", "from-env", 1);
	kube_conn_flags_init(&f);
	cfg = load_in_cluster(&f);
	assert_string_equal(cfg->server, "https://[fd00:10:96::1]:443");
	assert_string_equal(cfg->namespace, "from-env");
	kube_config_free(cfg);
	f.namespace = "from-flag";
	cfg = load_in_cluster(&f);
	assert_string_equal(cfg->namespace, "from-flag");
	kube_config_free(cfg);
}

static void test_kubeconfig_context_beats_in_cluster(void **state)
{
	struct kube_conn_flags f;
	struct kube_config *cfg;

	(void)state;
	in_cluster_env("10.96.0.1");
	setenv("KUBECONFIG", fx(0, "kind.yaml"), 1);
	kube_conn_flags_init(&f);
	cfg = load_in_cluster(&f);
	assert_false(cfg->in_cluster);
	assert_string_equal(cfg->context, "kind-kind");
	kube_config_free(cfg);
}

static void test_no_configuration_at_all(void **state)
{
	struct kube_config *cfg = (struct kube_config *)state;
	struct rtdp_error err;
	char want[1024];

	(void)state;
	rtdp_error_init(&err);
	in_cluster_env("10.96.0.1"); /* but no service-account token there */
	snprintf(want, sizeof(want),
	         "no configuration has been provided: no kubeconfig '%s/.kube/config', and not "
	         "running in a cluster (use --kubeconfig, KUBECONFIG or --server)",
	         test_tmpdir());
	assert_int_equal(kube_config_load(NULL, &cfg, &err), RTDP_ERR_NOTFOUND);
	assert_null(cfg);
	assert_string_equal(err.msg, want);
}

struct broken_case {
	const char *file;
	enum rtdp_rc rc;
	const char *msg; /* %1$s: the file's path; %2$s: its directory */
	bool prefix; /* msg is the start of the message (the YAML parser's own wording) */
};

/* clang-format off */
static const struct broken_case broken[] = {
	{ "malformed.yaml", RTDP_ERR_PARSE, "kubeconfig '%1$s': document 1: line 5, column 1: did not find expected node content", true },
	{ "not-a-mapping.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': document 1: line 1, column 1: expected a mapping", true },
	{ "no-current-context.yaml", RTDP_ERR_INVALID, "no context chosen: kubeconfig '%1$s' sets no current-context (use --context)", false },
	{ "missing-context.yaml", RTDP_ERR_INVALID, "context \"nope\" not found in kubeconfig '%1$s'", false },
	{ "missing-cluster.yaml", RTDP_ERR_INVALID, "context \"c\" names cluster \"ghost\", which is not in kubeconfig '%1$s'", false },
	{ "missing-user.yaml", RTDP_ERR_INVALID, "context \"c\" names user \"nobody\", which is not in kubeconfig '%1$s'", false },
	{ "unreadable-ca.yaml", RTDP_ERR_IO, "kubeconfig '%1$s': cluster \"c\": certificate-authority: cannot open '%2$s/does-not-exist.crt': No such file or directory", false },
	{ "wrong-type-server.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': clusters[0].cluster.server: expected a string, got a number", false },
	{ "wrong-type-insecure.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': clusters[0].cluster.insecure-skip-tls-verify: expected a boolean, got a string", false },
	{ "wrong-type-clusters.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': clusters: expected a list, got a mapping", false },
	{ "wrong-type-groups.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': users[0].user.as-groups[1]: expected a string, got a number", false },
	{ "bad-base64.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': cluster \"c\": certificate-authority-data: invalid base64 at byte 3", false },
	{ "ca-not-pem.yaml", RTDP_ERR_TLS, "kubeconfig '%1$s': cluster \"c\": certificate-authority-data: certificate authority holds no PEM certificate", false },
	{ "key-mismatch.yaml", RTDP_ERR_TLS, "kubeconfig '%1$s': user \"u\": client certificate: the client key does not match the client certificate", false },
	{ "cert-without-key.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': user \"u\": a client certificate without a client key", false },
	{ "exec-v1alpha1.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': user \"u\": exec.apiVersion: \"client.authentication.k8s.io/v1alpha1\" is not supported (use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1)", false },
	{ "exec-v1-no-mode.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': user \"u\": exec.interactiveMode: required with client.authentication.k8s.io/v1 (Never, IfAvailable or Always)", false },
	{ "exec-no-command.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': user \"u\": exec.command: missing", false },
	{ "gcp-auth-provider.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': user \"u\": auth-provider \"gcp\" was removed from kubectl: use the gke-gcloud-auth-plugin exec plugin", false },
	{ "insecure-with-ca.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': cluster \"c\": a certificate authority and insecure-skip-tls-verify cannot be used together", false },
	{ "duplicate-cluster.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': clusters[1]: duplicate name \"c\"", false },
	{ "no-server.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': cluster \"c\": no server set", false },
	{ "bad-scheme.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': cluster \"c\": server \"ftp://c.example\": the scheme must be https or http", false },
	{ "context-no-name.yaml", RTDP_ERR_INVALID, "kubeconfig '%1$s': contexts[0].name: missing", false },
	{ "token-file-missing.yaml", RTDP_ERR_IO, "kubeconfig '%1$s': user \"u\": tokenFile: cannot open '%2$s/missing-token.txt': No such file or directory", false },
	{ "does-not-exist.yaml", RTDP_ERR_IO, "kubeconfig: cannot open '%1$s': No such file or directory", false },
};
/* clang-format on */

static void test_broken_kubeconfigs_fail_with_code_and_message(void **state)
{
	struct kube_conn_flags f;
	struct kube_config *cfg;
	struct rtdp_error err;
	char path[4096], dir[4096], want[2048], rel[256];
	size_t i;

	(void)state;
	snprintf(dir, sizeof(dir), "%s", fx(7, "broken"));
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		snprintf(rel, sizeof(rel), "broken/%s", broken[i].file);
		snprintf(path, sizeof(path), "%s", fx(0, rel));
		snprintf(want, sizeof(want), broken[i].msg, path, dir);
		kube_conn_flags_init(&f);
		f.kubeconfig = path;
		rtdp_error_init(&err);
		cfg = (struct kube_config *)&f;
		if (kube_config_load(&f, &cfg, &err) != broken[i].rc)
			fail_msg("%s: got %s (%s), want %s", broken[i].file, rtdp_rc_name(err.rc),
			         err.msg, rtdp_rc_name(broken[i].rc));
		assert_null(cfg);
		if (broken[i].prefix ? strncmp(err.msg, want, strlen(want)) != 0
		                     : strcmp(err.msg, want) != 0)
			fail_msg("%s:\n got  %s\n want %s", broken[i].file, err.msg, want);
	}
}

static void test_unknown_context_flag(void **state)
{
	struct kube_conn_flags f;
	struct kube_config *cfg = NULL;
	struct rtdp_error err;
	char want[4096];

	(void)state;
	kube_conn_flags_init(&f);
	f.kubeconfig = fx(0, "kind.yaml");
	f.context = "kind-other";
	rtdp_error_init(&err);
	assert_int_equal(kube_config_load(&f, &cfg, &err), RTDP_ERR_INVALID);
	snprintf(want, sizeof(want),
	         "context \"kind-other\" (from --context) not found in kubeconfig '%s'",
	         fx(0, "kind.yaml"));
	assert_string_equal(err.msg, want);
	f.context = NULL;
	f.cluster = "ghost";
	rtdp_error_init(&err);
	assert_int_equal(kube_config_load(&f, &cfg, &err), RTDP_ERR_INVALID);
	snprintf(want, sizeof(want),
	         "cluster \"ghost\" (from --cluster) not found in kubeconfig '%s'",
	         fx(0, "kind.yaml"));
	assert_string_equal(err.msg, want);
}

static void test_ca_flag_with_insecure_kubeconfig_is_refused(void **state)
{
	struct kube_conn_flags f;
	struct kube_config *cfg = NULL;
	struct rtdp_error err;
	char want[4096];

	(void)state;
	kube_conn_flags_init(&f);
	f.kubeconfig = fx(0, "merged/a.yaml");
	f.certificate_authority = fx(1, "certs/ca.crt");
	rtdp_error_init(&err);
	assert_int_equal(kube_config_load(&f, &cfg, &err), RTDP_ERR_INVALID);
	snprintf(want, sizeof(want),
	         "kubeconfig '%s': cluster \"shared\": a certificate authority and "
	         "insecure-skip-tls-verify cannot be used together",
	         fx(0, "merged/a.yaml"));
	assert_string_equal(err.msg, want);
	f.certificate_authority = fx(1, "certs/missing.crt");
	f.insecure_set = true;
	rtdp_error_init(&err);
	assert_int_equal(kube_config_load(&f, &cfg, &err), RTDP_ERR_IO);
	snprintf(want, sizeof(want),
	         "--certificate-authority: cannot open '%s': No such file or directory",
	         fx(1, "certs/missing.crt"));
	assert_string_equal(err.msg, want);
}

static void test_parse_from_memory_without_reading_files(void **state)
{
	size_t len;
	char *text = test_slurp(fx(0, "relative/config.yaml"), &len);
	struct kube_load_options opts = {NULL, true};
	struct kube_config *cfg = NULL;
	struct rtdp_error err;
	char want[4096];

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(kube_config_parse(fx(1, "relative/config.yaml"), text, len, NULL, &opts,
	                                   &cfg, &err),
	                 RTDP_OK);
	assert_string_equal(cfg->server, "https://rel.example");
	assert_int_equal(cfg->ca.len, 0); /* named, not read */
	assert_int_equal(cfg->client_cert.len, 0); /* named, not read */
	snprintf(want, sizeof(want), "%s", fx(7, "relative/token.txt"));
	assert_string_equal(cfg->token_file, want);
	assert_null(cfg->token);
	kube_config_free(cfg);
	cfg = NULL;
	opts.skip_files = false;
	assert_int_equal(kube_config_parse(fx(1, "relative/config.yaml"), text, len - 1, NULL,
	                                   &opts, &cfg, &err),
	                 RTDP_OK);
	assert_blob_is_file(&cfg->ca, "certs/ca.crt");
	assert_string_equal(cfg->token, "file-token-123");
	kube_config_free(cfg);
	free(text);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_kind_uses_embedded_ca_and_client_cert),
	        T(test_eks_runs_aws_eks_get_token),
	        T(test_gke_plugin_gets_cluster_info),
	        T(test_aks_user_context_uses_kubelogin),
	        T(test_aks_admin_context_has_certificate_and_token),
	        T(test_merged_first_file_wins),
	        T(test_merged_context_from_second_file),
	        T(test_kubeconfig_flag_does_not_merge),
	        T(test_kubeconfig_list_skips_missing_and_empty_entries),
	        T(test_home_kube_config_is_the_default),
	        T(test_relative_paths_follow_the_file),
	        T(test_relative_exec_command_follows_the_file),
	        T(test_flags_override_the_kubeconfig),
	        T(test_insecure_flag_drops_the_kubeconfig_ca),
	        T(test_cluster_and_user_flags_pick_entries),
	        T(test_certificate_authority_flag_reads_a_file),
	        T(test_server_flag_alone_needs_no_kubeconfig),
	        T(test_server_without_scheme_gets_https),
	        T(test_in_cluster_service_account),
	        T(test_in_cluster_ipv6_and_pod_namespace),
	        T(test_kubeconfig_context_beats_in_cluster),
	        T(test_no_configuration_at_all),
	        T(test_broken_kubeconfigs_fail_with_code_and_message),
	        T(test_unknown_context_flag),
	        T(test_ca_flag_with_insecure_kubeconfig_is_refused),
	        T(test_parse_from_memory_without_reading_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
