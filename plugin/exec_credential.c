#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec_credential.h"
#include "kube_json.h"
#include "kubeconfig.h"
#include "kubeconfig_int.h"
#include "rtdp/banned.h"

#define EXEC_MAX_ARGS 1024
#define EXEC_MAX_ENV 1024

static enum rtdp_rc parse_api_version(struct kube_exec_config *x, const cJSON *exec,
                                      struct rtdp_error *err)
{
	const char *v;
	enum rtdp_rc rc = kube_json_str(exec, "apiVersion", "exec", &v, err);

	if (rc != RTDP_OK)
		return rc;
	if (!v)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "exec.apiVersion: missing");
	if (strcmp(v, KUBE_EXEC_V1) != 0 && strcmp(v, KUBE_EXEC_V1BETA1) != 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "exec.apiVersion: \"%s\" is not supported (use %s or %s)", v,
		                      KUBE_EXEC_V1, KUBE_EXEC_V1BETA1);
	return kube_dup(&x->api_version, v, err);
}

static enum rtdp_rc parse_command(struct kube_exec_config *x, const cJSON *exec,
                                  const char *base_dir, struct rtdp_error *err)
{
	const char *cmd;
	enum rtdp_rc rc = kube_json_str(exec, "command", "exec", &cmd, err);

	if (rc != RTDP_OK)
		return rc;
	if (!cmd)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "exec.command: missing");
	if (!strchr(cmd, '/'))
		return kube_dup(&x->command, cmd, err);
	x->command = kc_path(base_dir, cmd);
	if (!x->command)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}

static enum rtdp_rc parse_args(struct kube_exec_config *x, const cJSON *exec,
                               struct rtdp_error *err)
{
	const cJSON *list, *item;
	int n;
	enum rtdp_rc rc = kube_json_str_list(exec, "args", "exec", &list, err);

	if (rc != RTDP_OK || !list)
		return rc;
	n = cJSON_GetArraySize(list);
	if (n > EXEC_MAX_ARGS)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "exec.args: more than %d arguments",
		                      EXEC_MAX_ARGS);
	x->args = calloc((size_t)n + 1, sizeof(*x->args));
	if (!x->args)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	cJSON_ArrayForEach(item, list)
	{
		rc = kube_dup(&x->args[x->nargs], item->valuestring, err);
		if (rc != RTDP_OK)
			return rc;
		x->nargs++;
	}
	return RTDP_OK;
}

static enum rtdp_rc parse_env_item(struct kube_exec_env *e, const cJSON *item, int i,
                                   struct rtdp_error *err)
{
	char where[32];
	const char *name, *value;
	enum rtdp_rc rc;

	snprintf(where, sizeof(where), "exec.env[%d]", i);
	if (!cJSON_IsObject(item))
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: expected a mapping, got %s",
		                      where, kube_json_type(item));
	rc = kube_json_str(item, "name", where, &name, err);
	if (rc == RTDP_OK)
		rc = kube_json_str(item, "value", where, &value, err);
	if (rc != RTDP_OK)
		return rc;
	if (!name || strchr(name, '='))
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s.name: %s", where,
		                      name ? "must not contain '='" : "missing");
	rc = kube_dup(&e->name, name, err);
	if (rc == RTDP_OK)
		rc = kube_dup(&e->value, value ? value : "", err);
	return rc;
}

static enum rtdp_rc parse_env(struct kube_exec_config *x, const cJSON *exec, struct rtdp_error *err)
{
	const cJSON *list, *item;
	int n;
	enum rtdp_rc rc = kube_json_list(exec, "env", "exec", &list, err);

	if (rc != RTDP_OK || !list)
		return rc;
	n = cJSON_GetArraySize(list);
	if (n > EXEC_MAX_ENV)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "exec.env: more than %d variables",
		                      EXEC_MAX_ENV);
	x->env = calloc((size_t)n + 1, sizeof(*x->env));
	if (!x->env)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	cJSON_ArrayForEach(item, list)
	{
		rc = parse_env_item(&x->env[x->nenv], item, (int)x->nenv, err);
		x->nenv++;
		if (rc != RTDP_OK)
			return rc;
	}
	return RTDP_OK;
}

static enum rtdp_rc parse_mode(struct kube_exec_config *x, const cJSON *exec,
                               struct rtdp_error *err)
{
	const char *mode;
	enum rtdp_rc rc = kube_json_str(exec, "interactiveMode", "exec", &mode, err);

	if (rc != RTDP_OK)
		return rc;
	if (!mode && strcmp(x->api_version, KUBE_EXEC_V1) == 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "exec.interactiveMode: required with %s (Never, IfAvailable "
		                      "or Always)",
		                      KUBE_EXEC_V1);
	if (!mode || strcmp(mode, "IfAvailable") == 0)
		x->interactive = KUBE_EXEC_IF_AVAILABLE;
	else if (strcmp(mode, "Never") == 0)
		x->interactive = KUBE_EXEC_NEVER;
	else if (strcmp(mode, "Always") == 0)
		x->interactive = KUBE_EXEC_ALWAYS;
	else
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "exec.interactiveMode: \"%s\" is not Never, IfAvailable or "
		                      "Always",
		                      mode);
	return RTDP_OK;
}

enum rtdp_rc kube_exec_config_parse(const cJSON *exec, const char *base_dir,
                                    struct kube_exec_config **out, struct rtdp_error *err)
{
	struct kube_exec_config *x = calloc(1, sizeof(*x));
	const char *hint = NULL;
	enum rtdp_rc rc;

	*out = NULL;
	if (!x)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	rc = parse_api_version(x, exec, err);
	if (rc == RTDP_OK)
		rc = parse_command(x, exec, base_dir, err);
	if (rc == RTDP_OK)
		rc = parse_args(x, exec, err);
	if (rc == RTDP_OK)
		rc = parse_env(x, exec, err);
	if (rc == RTDP_OK)
		rc = parse_mode(x, exec, err);
	if (rc == RTDP_OK)
		rc = kube_json_bool(exec, "provideClusterInfo", "exec", &x->provide_cluster_info,
		                    err);
	if (rc == RTDP_OK)
		rc = kube_json_str(exec, "installHint", "exec", &hint, err);
	if (rc == RTDP_OK)
		rc = kube_dup(&x->install_hint, hint, err);
	if (rc == RTDP_OK) {
		*out = x;
		x = NULL;
	}
	kube_exec_config_free(x);
	return rc;
}

void kube_exec_config_free(struct kube_exec_config *x)
{
	size_t i;

	if (!x)
		return;
	free(x->api_version);
	free(x->command);
	for (i = 0; i < x->nargs; i++)
		free(x->args[i]);
	free(x->args);
	for (i = 0; i < x->nenv; i++) {
		free(x->env[i].name);
		kube_free_secret(x->env[i].value);
	}
	free(x->env);
	free(x->install_hint);
	free(x);
}

void kube_exec_credential_init(struct kube_exec_credential *c)
{
	c->token = NULL;
	kube_blob_init(&c->cert);
	kube_blob_init(&c->key);
	c->expiry = 0;
}

void kube_exec_credential_release(struct kube_exec_credential *c)
{
	kube_free_secret(c->token);
	kube_blob_release(&c->cert);
	kube_blob_release(&c->key);
	kube_exec_credential_init(c);
}

/* Reads exactly n digits at *s into *v. */
static int digits(const char **s, int n, int *v)
{
	*v = 0;
	while (n--) {
		if (**s < '0' || **s > '9')
			return -1;
		*v = *v * 10 + (*(*s)++ - '0');
	}
	return 0;
}

static int rfc3339_offset(const char *s, long *offset)
{
	int h, m, sign;

	*offset = 0;
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
		return 0;
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &m) || *s || h > 23 || m > 59)
		return -1;
	*offset = sign * (h * 3600L + m * 60L);
	return 0;
}

/* "YYYY-MM-DD" into tm. */
static int rfc3339_date(const char **s, struct tm *tm)
{
	int y, mo, d;

	if (digits(s, 4, &y) || *(*s)++ != '-' || digits(s, 2, &mo) || *(*s)++ != '-' ||
	    digits(s, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	return 0;
}

/* "hh:mm:ss" and an optional fraction (ignored) into tm. */
static int rfc3339_time(const char **s, struct tm *tm)
{
	if (digits(s, 2, &tm->tm_hour) || *(*s)++ != ':' || digits(s, 2, &tm->tm_min) ||
	    *(*s)++ != ':' || digits(s, 2, &tm->tm_sec) || tm->tm_hour > 23 || tm->tm_min > 59 ||
	    tm->tm_sec > 60)
		return -1;
	if (**s != '.')
		return 0;
	(*s)++;
	if (**s < '0' || **s > '9')
		return -1;
	while (**s >= '0' && **s <= '9')
		(*s)++;
	return 0;
}

int kube_parse_rfc3339(const char *s, time_t *out)
{
	struct tm tm;
	long offset;

	memset(&tm, 0, sizeof(tm));
	if (rfc3339_date(&s, &tm) || (*s != 'T' && *s != 't'))
		return -1;
	s++;
	if (rfc3339_time(&s, &tm) || rfc3339_offset(s, &offset))
		return -1;
	*out = timegm(&tm) - offset;
	return 0;
}

static enum rtdp_rc check_reply_header(const char *api_version, const cJSON *root,
                                       struct rtdp_error *err)
{
	const char *v, *kind;
	enum rtdp_rc rc;

	if (!cJSON_IsObject(root))
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "exec plugin output: expected a mapping, got %s",
		                      kube_json_type(root));
	rc = kube_json_str(root, "apiVersion", "exec plugin output", &v, err);
	if (rc == RTDP_OK)
		rc = kube_json_str(root, "kind", "exec plugin output", &kind, err);
	if (rc != RTDP_OK)
		return rc;
	if (!v || strcmp(v, api_version) != 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "exec plugin is configured to use API version %s, plugin "
		                      "returned version %s",
		                      api_version, v ? v : "(none)");
	if (!kind || strcmp(kind, "ExecCredential") != 0)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "exec plugin output: kind is \"%s\", not ExecCredential",
		                      kind ? kind : "");
	return RTDP_OK;
}

/* Copies the token, or the certificate and key once they are known to match. */
static enum rtdp_rc store_credential(struct kube_exec_credential *out, const char *token,
                                     const char *cert, const char *key, struct rtdp_error *err)
{
	enum rtdp_rc rc = kube_dup(&out->token, token, err);

	if (rc != RTDP_OK || !cert)
		return rc;
	rc = kube_blob_set(&out->cert, cert, strlen(cert), err);
	if (rc == RTDP_OK)
		rc = kube_blob_set(&out->key, key, strlen(key), err);
	if (rc == RTDP_OK && kc_check_pair(&out->cert, &out->key, err) != RTDP_OK)
		rc = rtdp_error_prefix(err, "exec plugin output: ");
	return rc;
}

static enum rtdp_rc reply_status(const cJSON *status, struct kube_exec_credential *out,
                                 struct rtdp_error *err)
{
	const char *token, *cert, *key, *exp;
	const char *where = "exec plugin output: status";
	enum rtdp_rc rc = kube_json_str(status, "token", where, &token, err);

	if (rc == RTDP_OK)
		rc = kube_json_str(status, "clientCertificateData", where, &cert, err);
	if (rc == RTDP_OK)
		rc = kube_json_str(status, "clientKeyData", where, &key, err);
	if (rc == RTDP_OK)
		rc = kube_json_str(status, "expirationTimestamp", where, &exp, err);
	if (rc != RTDP_OK)
		return rc;
	if (!token && !cert && !key)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "exec plugin didn't return a token or cert/key pair");
	if (!cert != !key)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "exec plugin returned only certificate or key, not both");
	if (exp && kube_parse_rfc3339(exp, &out->expiry) != 0)
		return rtdp_error_set(
		        err, RTDP_ERR_INVALID,
		        "exec plugin output: status.expirationTimestamp \"%s\" is not "
		        "an RFC 3339 time",
		        exp);
	return store_credential(out, token, cert, key, err);
}

enum rtdp_rc kube_exec_parse_reply(const char *api_version, const char *bytes, size_t len,
                                   struct kube_exec_credential *out, struct rtdp_error *err)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(bytes, len, &end, 0);
	const cJSON *status = NULL;
	enum rtdp_rc rc;

	kube_exec_credential_init(out);
	if (!root)
		return rtdp_error_set(err, RTDP_ERR_PARSE,
		                      "exec plugin output is not JSON (at byte %ld of %zu)",
		                      end ? (long)(end - bytes) : 0L, len);
	rc = check_reply_header(api_version, root, err);
	if (rc == RTDP_OK)
		rc = kube_json_map(root, "status", "exec plugin output", &status, err);
	if (rc == RTDP_OK && !status)
		rc = rtdp_error_set(err, RTDP_ERR_INVALID,
		                    "exec plugin didn't return a status field");
	if (rc == RTDP_OK)
		rc = reply_status(status, out, err);
	if (rc != RTDP_OK)
		kube_exec_credential_release(out);
	cJSON_Delete(root);
	return rc;
}

static cJSON *cluster_info(const struct kube_config *cfg)
{
	cJSON *c = cJSON_CreateObject();
	char *ca = cfg->ca.len ? kube_base64_encode(cfg->ca.data, cfg->ca.len) : NULL;
	bool ok = c && (!cfg->ca.len || ca);

	ok = ok && cJSON_AddStringToObject(c, "server", cfg->server);
	if (ok && cfg->tls_server_name)
		ok = cJSON_AddStringToObject(c, "tls-server-name", cfg->tls_server_name) != NULL;
	if (ok && cfg->insecure)
		ok = cJSON_AddTrueToObject(c, "insecure-skip-tls-verify") != NULL;
	if (ok && ca)
		ok = cJSON_AddStringToObject(c, "certificate-authority-data", ca) != NULL;
	if (ok && cfg->proxy_url)
		ok = cJSON_AddStringToObject(c, "proxy-url", cfg->proxy_url) != NULL;
	if (ok && cfg->disable_compression)
		ok = cJSON_AddTrueToObject(c, "disable-compression") != NULL;
	if (ok && cfg->exec_cluster_config)
		ok = cJSON_AddItemToObject(c, "config", cJSON_Parse(cfg->exec_cluster_config));
	free(ca);
	if (!ok) {
		cJSON_Delete(c);
		return NULL;
	}
	return c;
}

char *kube_exec_info(const struct kube_config *cfg, bool interactive)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *spec = NULL, *cluster = NULL;
	char *out = NULL;
	bool ok = cJSON_AddStringToObject(root, "kind", "ExecCredential") &&
	          cJSON_AddStringToObject(root, "apiVersion", cfg->exec->api_version) &&
	          (spec = cJSON_AddObjectToObject(root, "spec")) &&
	          cJSON_AddBoolToObject(spec, "interactive", interactive);

	if (ok && cfg->exec->provide_cluster_info) {
		cluster = cluster_info(cfg);
		ok = cluster && cJSON_AddItemToObject(spec, "cluster", cluster);
		if (!ok)
			cJSON_Delete(cluster);
	}
	if (ok)
		out = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return out;
}

void kube_exec_cache_init(struct kube_exec_cache *c)
{
	kube_exec_credential_init(&c->cred);
	c->valid = false;
	c->stdin_tty = -1;
	c->runs = 0;
}

void kube_exec_cache_release(struct kube_exec_cache *c)
{
	kube_exec_credential_release(&c->cred);
	c->valid = false;
}
