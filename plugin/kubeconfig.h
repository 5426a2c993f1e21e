/*
 * Kubeconfig loading with kubectl's semantics (client-go's clientcmd):
 *
 * - Files: --kubeconfig alone; else every file of the ':'-separated KUBECONFIG
 *   list that exists, merged; else ~/.kube/config. Merging: the first file that
 *   sets a value wins (current-context too); a named cluster, user or context
 *   comes whole from the first file that defines it.
 * - Context from --context or current-context; its cluster and user, or those
 *   named by --cluster/--user; its namespace unless -n overrides ("default").
 * - Paths (CA, client certificate and key, tokenFile, an exec command with a
 *   '/') are relative to the file that named them; flag paths to the cwd.
 * - Key material is read into memory and handed to libcurl as blobs, never
 *   written anywhere, never put in a message.
 * - In-cluster configuration (service account) when no kubeconfig gives a
 *   context and KUBERNETES_SERVICE_HOST/PORT and the token file are present.
 *
 * The parsed YAML of each file is validated field by field, so a kubeconfig
 * with a wrong type fails with the file and field named.
 */
#ifndef RTDP_PLUGIN_KUBECONFIG_H
#define RTDP_PLUGIN_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "conn_flags.h"
#include "exec_credential.h"
#include "kube_blob.h"
#include "rtdp/error.h"

#define KUBE_DEFAULT_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
#define KUBE_KUBECONFIG_MAX (16u << 20) /* one kubeconfig file */
#define KUBE_FILE_MAX (1u << 20) /* one CA, certificate, key or token file */

/* The connection settings a client needs, resolved from every source. */
struct kube_config {
	char *source; /* owned: the kubeconfig file the context came from,
				   "<in-cluster>" or "<flags>" */
	char *context; /* owned; NULL in-cluster or without a context */
	char *cluster; /* owned; may be NULL */
	char *user; /* owned; may be NULL */
	char *server; /* owned: the API server URL, no trailing '/' */
	char *namespace; /* owned: -n, else the context's, else "default" */
	struct kube_blob ca; /* PEM certificates; empty: the system's CA store */
	struct kube_blob client_cert; /* PEM; empty when none */
	struct kube_blob client_key; /* PEM; a secret; empty when none */
	char *token; /* owned; a secret; NULL when none */
	char *token_file; /* owned path; re-read before requests; NULL when none */
	char *username; /* owned; basic auth; NULL when none */
	char *password; /* owned; a secret */
	char *tls_server_name; /* owned; NULL when none */
	bool insecure; /* insecure-skip-tls-verify */
	bool disable_compression;
	char *proxy_url; /* owned; NULL: the proxy environment variables apply */
	struct kube_exec_config *exec; /* owned; NULL without an exec plugin */
	char *exec_cluster_config; /* owned JSON of the cluster's client.authentication.k8s.io/exec
				      extension, for KUBERNETES_EXEC_INFO; NULL when none */
	char *as; /* owned; impersonated user; NULL when none */
	char *as_uid; /* owned; NULL when none */
	char **as_groups; /* owned array of owned strings */
	size_t n_as_groups;
	long timeout_ms; /* per request; 0: none */
	bool in_cluster;
};

/* Where to look; kube_config_load uses the defaults (all zero). */
struct kube_load_options {
	const char *sa_dir; /* service-account dir; NULL: KUBE_DEFAULT_SA_DIR */
	bool skip_files; /* kube_config_parse only: do not read the files the kubeconfig
			       names (CA, certificates, tokenFile), e.g. when fuzzing */
};

/*
 * Resolves the configuration for flags (NULL: no flags) into *out, the
 * caller's (kube_config_free). Errors name the file and field:
 * RTDP_ERR_IO (unreadable file), RTDP_ERR_PARSE (malformed YAML),
 * RTDP_ERR_INVALID (wrong type, missing context/cluster/user/server...),
 * RTDP_ERR_TLS (CA, certificate or key that is not PEM, or a mismatched pair),
 * RTDP_ERR_NOTFOUND (no configuration at all).
 */
enum rtdp_rc kube_config_load(const struct kube_conn_flags *flags, struct kube_config **out,
                              struct rtdp_error *err);
enum rtdp_rc kube_config_load_opts(const struct kube_conn_flags *flags,
                                   const struct kube_load_options *opts, struct kube_config **out,
                                   struct rtdp_error *err);

/*
 * Resolves one kubeconfig held in memory (len bytes of bytes, not necessarily
 * NUL-terminated), named name in messages, as if it were the --kubeconfig
 * file (relative paths start from name's directory). flags and opts may be
 * NULL. Same results and errors as kube_config_load.
 */
enum rtdp_rc kube_config_parse(const char *name, const char *bytes, size_t len,
                               const struct kube_conn_flags *flags,
                               const struct kube_load_options *opts, struct kube_config **out,
                               struct rtdp_error *err);

/* Frees cfg and wipes its secrets. NULL is a no-op. */
void kube_config_free(struct kube_config *cfg);

#endif
