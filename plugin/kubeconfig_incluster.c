#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kube_json.h"
#include "kubeconfig.h"
#include "kubeconfig_int.h"
#include "rtdp/io.h"
#include "rtdp/banned.h"

bool kc_in_cluster_possible(const char *sa_dir)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	char path[4096];
	struct stat st;

	if (!host || !*host || !port || !*port)
		return false;
	snprintf(path, sizeof(path), "%s/token", sa_dir);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The namespace: -n, else POD_NAMESPACE, else the service account's, else "default". */
static enum rtdp_rc in_cluster_namespace(struct kube_config *cfg,
                                         const struct kube_conn_flags *flags, const char *sa_dir,
                                         struct rtdp_error *err)
{
	const char *env = getenv("POD_NAMESPACE");
	char path[4096];
	char *ns = NULL;
	struct rtdp_error ignored;
	enum rtdp_rc rc;

	if (flags->namespace)
		return kube_dup(&cfg->namespace, flags->namespace, err);
	if (env && *env)
		return kube_dup(&cfg->namespace, env, err);
	rtdp_error_init(&ignored);
	snprintf(path, sizeof(path), "%s/namespace", sa_dir);
	if (kc_read_token(path, &ns, &ignored) == RTDP_OK && ns && *ns)
		rc = kube_dup(&cfg->namespace, ns, err);
	else
		rc = kube_dup(&cfg->namespace, "default", err);
	free(ns);
	return rc;
}

static enum rtdp_rc in_cluster_server(struct kube_config *cfg, const struct kube_conn_flags *flags,
                                      struct rtdp_error *err)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	bool v6 = strchr(host, ':') != NULL;
	size_t n = strlen(host) + strlen(port) + 16;

	if (flags->server)
		return kube_dup(&cfg->server, flags->server, err);
	cfg->server = malloc(n);
	if (!cfg->server)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	snprintf(cfg->server, n, "https://%s%s%s:%s", v6 ? "[" : "", host, v6 ? "]" : "", port);
	return RTDP_OK;
}

static enum rtdp_rc in_cluster_tls(struct kube_config *cfg, const struct kube_conn_flags *flags,
                                   const char *sa_dir, struct rtdp_error *err)
{
	char path[4096];
	enum rtdp_rc rc;

	cfg->insecure = flags->insecure_set && flags->insecure_skip_tls_verify;
	if (flags->tls_server_name) {
		rc = kube_dup(&cfg->tls_server_name, flags->tls_server_name, err);
		if (rc != RTDP_OK)
			return rc;
	}
	if (cfg->insecure && !flags->certificate_authority)
		return RTDP_OK;
	if (flags->certificate_authority)
		snprintf(path, sizeof(path), "%s", flags->certificate_authority);
	else
		snprintf(path, sizeof(path), "%s/ca.crt", sa_dir);
	rc = kube_blob_read_file(&cfg->ca, path, KUBE_FILE_MAX, err);
	if (rc == RTDP_OK)
		rc = kc_check_ca(&cfg->ca, "certificate authority", err);
	if (rc != RTDP_OK)
		rtdp_error_prefix(err, "in-cluster configuration: ");
	return rc;
}

static enum rtdp_rc in_cluster_token(struct kube_config *cfg, const struct kube_conn_flags *flags,
                                     const char *sa_dir, struct rtdp_error *err)
{
	char path[4096];
	enum rtdp_rc rc;

	if (flags->token)
		return kube_dup(&cfg->token, flags->token, err);
	snprintf(path, sizeof(path), "%s/token", sa_dir);
	rc = kube_dup(&cfg->token_file, path, err);
	if (rc == RTDP_OK)
		rc = kc_read_token(path, &cfg->token, err);
	if (rc != RTDP_OK)
		rtdp_error_prefix(err, "in-cluster configuration: ");
	return rc;
}

enum rtdp_rc kc_in_cluster(struct kube_config *cfg, const struct kube_conn_flags *flags,
                           const char *sa_dir, struct rtdp_error *err)
{
	enum rtdp_rc rc = kube_dup(&cfg->source, "<in-cluster>", err);

	cfg->in_cluster = true;
	if (rc == RTDP_OK)
		rc = in_cluster_server(cfg, flags, err);
	if (rc == RTDP_OK)
		rc = in_cluster_tls(cfg, flags, sa_dir, err);
	if (rc == RTDP_OK)
		rc = in_cluster_token(cfg, flags, sa_dir, err);
	if (rc == RTDP_OK)
		rc = in_cluster_namespace(cfg, flags, sa_dir, err);
	return rc;
}
