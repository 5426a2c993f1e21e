#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube_json.h"
#include "kubeconfig.h"
#include "kubeconfig_int.h"
#include "rtdp/io.h"
#include "rtdp/banned.h"

#define EXEC_EXTENSION "client.authentication.k8s.io/exec"

/* A string member that has been type-checked already; NULL when absent or empty. */
static const char *str(const cJSON *obj, const char *name)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));

	return s && *s ? s : NULL;
}

/* Adds "label: field: " (or "field: " without a label) in front of a failure. */
static enum rtdp_rc prefixed(enum rtdp_rc rc, struct rtdp_error *err, const char *label,
                             const char *field)
{
	if (rc != RTDP_OK && label)
		rtdp_error_prefix(err, "%s: %s: ", label, field);
	else if (rc != RTDP_OK)
		rtdp_error_prefix(err, "%s: ", field);
	return rc;
}

enum rtdp_rc kc_read_token(const char *path, char **out, struct rtdp_error *err)
{
	char *bytes = NULL, *start, *end;
	size_t len = 0;
	enum rtdp_rc rc = rtdp_read_file(path, KUBE_FILE_MAX, &bytes, &len, err);

	if (rc != RTDP_OK)
		return rc;
	start = bytes;
	end = bytes + len;
	while (start < end && (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r'))
		start++;
	while (end > start &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		end--;
	*end = '\0';
	if (memchr(start, '\0', (size_t)(end - start)) || strpbrk(start, "\r\n"))
		rc = rtdp_error_set(err, RTDP_ERR_INVALID, "'%s' is not a single-line token", path);
	else
		rc = kube_dup(out, start, err);
	kube_free_secret(bytes);
	return rc;
}

/* Reads PEM material from a flag's path, base64 data or a kubeconfig path. */
struct pem_source {
	const char *flag_path, *flag_name; /* cwd-relative path from a flag */
	const char *data, *data_name; /* base64 from the kubeconfig */
	const char *path, *path_name; /* path relative to the kubeconfig */
};

static enum rtdp_rc load_pem(struct kube_blob *b, const struct pem_source *src,
                             const struct kc_file *file, const char *label, struct rtdp_error *err)
{
	char *full;
	enum rtdp_rc rc;

	if (src->flag_path)
		return prefixed(kube_blob_read_file(b, src->flag_path, KUBE_FILE_MAX, err), err,
		                NULL, src->flag_name);
	if (src->data)
		return prefixed(kube_base64_decode(src->data, strlen(src->data), b, err), err,
		                label, src->data_name);
	if (!src->path || (file && file->skip_files))
		return RTDP_OK;
	full = kc_path(file ? file->dir : NULL, src->path);
	if (!full)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	rc = kube_blob_read_file(b, full, KUBE_FILE_MAX, err);
	free(full);
	return prefixed(rc, err, label, src->path_name);
}

static enum rtdp_rc set_server(struct kube_config *cfg, const char *server, const char *label,
                               struct rtdp_error *err)
{
	const char *scheme = strstr(server, "://") ? "" : "https://";
	const char *host;
	size_t n = strlen(scheme) + strlen(server) + 1;

	cfg->server = malloc(n);
	if (!cfg->server)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	snprintf(cfg->server, n, "%s%s", scheme, server);
	n = strlen(cfg->server);
	while (n > 0 && cfg->server[n - 1] == '/')
		cfg->server[--n] = '\0';
	if (strncmp(cfg->server, "https://", 8) != 0 && strncmp(cfg->server, "http://", 7) != 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "%s: server \"%s\": the scheme must be https or http", label,
		                      server);
	host = strstr(cfg->server, "://") + 3;
	if (*host == '\0' || *host == '/')
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: server \"%s\" has no host", label,
		                      server);
	return RTDP_OK;
}

static enum rtdp_rc load_ca(struct kube_config *cfg, const cJSON *c, const struct kc_file *file,
                            const struct kube_conn_flags *flags, const char *label,
                            struct rtdp_error *err)
{
	struct pem_source src = {
	        flags->certificate_authority,         "--certificate-authority",
	        str(c, "certificate-authority-data"), "certificate-authority-data",
	        str(c, "certificate-authority"),      "certificate-authority",
	};
	enum rtdp_rc rc;

	/* --insecure-skip-tls-verify=true without a CA flag drops the kubeconfig's CA (client-go) */
	if (!flags->certificate_authority && flags->insecure_set && flags->insecure_skip_tls_verify)
		return RTDP_OK;
	rc = load_pem(&cfg->ca, &src, file, label, err);
	if (rc != RTDP_OK || !cfg->ca.len)
		return rc;
	if (cfg->insecure)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "%s: a certificate authority and insecure-skip-tls-verify "
		                      "cannot be used together",
		                      label);
	return prefixed(kc_check_ca(&cfg->ca, "certificate authority", err), err,
	                src.flag_path ? NULL : label,
	                src.flag_path ? src.flag_name
	                : src.data    ? src.data_name
	                              : src.path_name);
}

/* The cluster's client.authentication.k8s.io/exec extension, as JSON. */
static enum rtdp_rc exec_extension(struct kube_config *cfg, const cJSON *c, struct rtdp_error *err)
{
	const cJSON *ext;
	const char *name;

	cJSON_ArrayForEach(ext, cJSON_GetObjectItemCaseSensitive(c, "extensions"))
	{
		name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ext, "name"));
		if (!name || strcmp(name, EXEC_EXTENSION) != 0)
			continue;
		cfg->exec_cluster_config =
		        cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(ext, "extension"));
		if (!cfg->exec_cluster_config)
			return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
		break;
	}
	return RTDP_OK;
}

enum rtdp_rc kc_resolve_cluster(struct kube_config *cfg, const cJSON *cluster,
                                const struct kc_file *file, const struct kube_conn_flags *flags,
                                const char *label, struct rtdp_error *err)
{
	const cJSON *c = cluster ? cluster : &kc_empty_map;
	const char *server = flags->server ? flags->server : str(c, "server");
	enum rtdp_rc rc;
	bool b = false;

	if (!server)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: no server set", label);
	rc = set_server(cfg, server, label, err);
	if (rc == RTDP_OK)
		rc = kube_dup(&cfg->tls_server_name,
		              flags->tls_server_name ? flags->tls_server_name
		                                     : str(c, "tls-server-name"),
		              err);
	if (rc == RTDP_OK)
		rc = kube_dup(&cfg->proxy_url, str(c, "proxy-url"), err);
	if (rc != RTDP_OK)
		return rc;
	kube_json_bool(c, "insecure-skip-tls-verify", "", &b, err);
	cfg->insecure = flags->insecure_set ? flags->insecure_skip_tls_verify : b;
	kube_json_bool(c, "disable-compression", "", &cfg->disable_compression, err);
	rc = load_ca(cfg, c, file, flags, label, err);
	if (rc == RTDP_OK)
		rc = exec_extension(cfg, c, err);
	return rc;
}

static enum rtdp_rc load_client_pair(struct kube_config *cfg, const cJSON *u,
                                     const struct kc_file *file,
                                     const struct kube_conn_flags *flags, const char *label,
                                     struct rtdp_error *err)
{
	struct pem_source cert = {
	        flags->client_certificate,         "--client-certificate",
	        str(u, "client-certificate-data"), "client-certificate-data",
	        str(u, "client-certificate"),      "client-certificate",
	};
	struct pem_source key = {
	        flags->client_key, "--client-key",       str(u, "client-key-data"),
	        "client-key-data", str(u, "client-key"), "client-key",
	};
	enum rtdp_rc rc = load_pem(&cfg->client_cert, &cert, file, label, err);

	if (rc == RTDP_OK)
		rc = load_pem(&cfg->client_key, &key, file, label, err);
	if (rc != RTDP_OK || (!cfg->client_cert.len && !cfg->client_key.len))
		return rc;
	if (!cfg->client_key.len)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "%s: a client certificate without a client key", label);
	if (!cfg->client_cert.len)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "%s: a client key without a client certificate", label);
	return prefixed(kc_check_pair(&cfg->client_cert, &cfg->client_key, err), err, label,
	                "client certificate");
}

static enum rtdp_rc load_token(struct kube_config *cfg, const cJSON *u, const struct kc_file *file,
                               const struct kube_conn_flags *flags, const char *label,
                               struct rtdp_error *err)
{
	const char *tf = str(u, "tokenFile");

	if (flags->token)
		return kube_dup(&cfg->token, flags->token, err);
	if (!tf)
		return kube_dup(&cfg->token, str(u, "token"), err);
	cfg->token_file = kc_path(file ? file->dir : NULL, tf);
	if (!cfg->token_file)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	if (file && file->skip_files)
		return RTDP_OK;
	return prefixed(kc_read_token(cfg->token_file, &cfg->token, err), err, label, "tokenFile");
}

/* Legacy auth-provider: oidc's id-token still works; gcp and azure were removed. */
static enum rtdp_rc auth_provider(struct kube_config *cfg, const cJSON *u, const char *label,
                                  struct rtdp_error *err)
{
	const cJSON *ap = cJSON_GetObjectItemCaseSensitive(u, "auth-provider");
	const cJSON *conf = cJSON_GetObjectItemCaseSensitive(ap, "config");
	const char *name = str(ap, "name");

	if (!cJSON_IsObject(ap) || cfg->token || cfg->exec)
		return RTDP_OK;
	if (name && strcmp(name, "oidc") == 0 && str(conf, "id-token"))
		return kube_dup(&cfg->token, str(conf, "id-token"), err);
	if (name && strcmp(name, "gcp") == 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "%s: auth-provider \"gcp\" was removed from kubectl: use the "
		                      "gke-gcloud-auth-plugin exec plugin",
		                      label);
	if (name && strcmp(name, "azure") == 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "%s: auth-provider \"azure\" was removed from kubectl: use "
		                      "kubelogin (kubelogin convert-kubeconfig)",
		                      label);
	return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: auth-provider \"%s\" is not supported",
	                      label, name ? name : "");
}

static enum rtdp_rc set_groups(struct kube_config *cfg, const char *const *groups, size_t n,
                               struct rtdp_error *err)
{
	size_t i;

	for (i = 0; i < cfg->n_as_groups; i++)
		free(cfg->as_groups[i]);
	free(cfg->as_groups);
	cfg->as_groups = NULL;
	cfg->n_as_groups = 0;
	if (!n)
		return RTDP_OK;
	cfg->as_groups = calloc(n, sizeof(*cfg->as_groups));
	if (!cfg->as_groups)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		cfg->as_groups[i] = strdup(groups[i]);
		if (!cfg->as_groups[i])
			return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
		cfg->n_as_groups++;
	}
	return RTDP_OK;
}

static enum rtdp_rc user_impersonation(struct kube_config *cfg, const cJSON *u,
                                       struct rtdp_error *err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(u, "as-groups"), *item;
	const char *groups[KUBE_MAX_AS_GROUPS];
	size_t n = 0;
	enum rtdp_rc rc = kube_dup(&cfg->as, str(u, "as"), err);

	if (rc == RTDP_OK)
		rc = kube_dup(&cfg->as_uid, str(u, "as-uid"), err);
	cJSON_ArrayForEach(item, list)
	{
		if (n == KUBE_MAX_AS_GROUPS)
			return rtdp_error_set(err, RTDP_ERR_LIMIT, "as-groups: more than %d groups",
			                      KUBE_MAX_AS_GROUPS);
		if (cJSON_IsString(item))
			groups[n++] = item->valuestring;
	}
	return rc == RTDP_OK ? set_groups(cfg, groups, n, err) : rc;
}

enum rtdp_rc kc_resolve_user(struct kube_config *cfg, const cJSON *user, const struct kc_file *file,
                             const struct kube_conn_flags *flags, const char *label,
                             struct rtdp_error *err)
{
	const cJSON *u = user ? user : &kc_empty_map;
	const cJSON *exec = cJSON_GetObjectItemCaseSensitive(u, "exec");
	enum rtdp_rc rc = load_client_pair(cfg, u, file, flags, label, err);

	if (rc == RTDP_OK)
		rc = load_token(cfg, u, file, flags, label, err);
	if (rc == RTDP_OK)
		rc = kube_dup(&cfg->username, str(u, "username"), err);
	if (rc == RTDP_OK)
		rc = kube_dup(&cfg->password, str(u, "password"), err);
	if (rc == RTDP_OK)
		rc = prefixed(user_impersonation(cfg, u, err), err, label, "impersonation");
	if (rc == RTDP_OK && cJSON_IsObject(exec) && !flags->token) {
		rc = kube_exec_config_parse(exec, file ? file->dir : NULL, &cfg->exec, err);
		if (rc != RTDP_OK)
			rtdp_error_prefix(err, "%s: ", label);
	}
	if (rc == RTDP_OK)
		rc = auth_provider(cfg, u, label, err);
	return rc;
}

enum rtdp_rc kc_apply_common_flags(struct kube_config *cfg, const struct kube_conn_flags *flags,
                                   struct rtdp_error *err)
{
	enum rtdp_rc rc = RTDP_OK;

	if (flags->as)
		rc = kube_dup(&cfg->as, flags->as, err);
	if (rc == RTDP_OK && flags->as_uid)
		rc = kube_dup(&cfg->as_uid, flags->as_uid, err);
	if (rc == RTDP_OK && flags->n_as_groups)
		rc = set_groups(cfg, flags->as_groups, flags->n_as_groups, err);
	if (flags->request_timeout_set)
		cfg->timeout_ms = flags->request_timeout_ms;
	return rc;
}
