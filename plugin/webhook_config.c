#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtdp/base64.h"
#include "webhook_config.h"
#include "rtdp/banned.h"

/* clang-format off */
static const char namespaced_rules[] =
	"[{\"apiGroups\":[\"apps\"],\"apiVersions\":[\"v1\"],\"operations\":[\"CREATE\",\"UPDATE\"],"
	"\"resources\":[\"deployments\",\"deployments/scale\"]},"
	"{\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"operations\":[\"CREATE\",\"UPDATE\"],\"resources\":[\"services\"]}]";
/* A Scale carries none of its Deployment's labels: only the namespace entry can see it. */
static const char object_rules[] =
	"[{\"apiGroups\":[\"apps\"],\"apiVersions\":[\"v1\"],\"operations\":[\"CREATE\",\"UPDATE\"],"
	"\"resources\":[\"deployments\"]},"
	"{\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"operations\":[\"CREATE\",\"UPDATE\"],\"resources\":[\"services\"]}]";
/* clang-format on */

static cJSON *expression(const char *key, const char *op, const char *const *values, size_t n)
{
	cJSON *e = cJSON_CreateObject(), *list;
	size_t i;

	cJSON_AddStringToObject(e, "key", key);
	cJSON_AddStringToObject(e, "operator", op);
	if (values) {
		list = cJSON_AddArrayToObject(e, "values");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(list, cJSON_CreateString(values[i]));
	}
	return e;
}

/* {matchExpressions: [...]} selecting on the pipeline label (op) and excluding exempt namespaces. */
static cJSON *namespace_selector(const struct rtdp_policy *p, const char *label_op)
{
	cJSON *sel = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(sel, "matchExpressions");
	size_t n;
	const char *const *exempt = rtdp_policy_exempt_namespaces(p, &n);

	cJSON_AddItemToArray(list, expression(rtdp_policy_pipeline_label(p), label_op, NULL, 0));
	if (n)
		cJSON_AddItemToArray(list,
		                     expression("kubernetes.io/metadata.name", "NotIn", exempt, n));
	return sel;
}

static cJSON *client_config(const struct webhook_endpoint *e, const char *path, const char *ca64)
{
	cJSON *cc = cJSON_CreateObject(), *svc;
	size_t len = e->url ? strlen(e->url) + strlen(path) + 1 : 0;
	char *url;

	if (e->url && (url = malloc(len))) {
		snprintf(url, len, "%s%s", e->url, path);
		cJSON_AddStringToObject(cc, "url", url);
		free(url);
	} else if (!e->url) {
		svc = cJSON_AddObjectToObject(cc, "service");
		cJSON_AddStringToObject(svc, "namespace", e->service_namespace);
		cJSON_AddStringToObject(svc, "name", e->service_name);
		cJSON_AddStringToObject(svc, "path", path);
		cJSON_AddNumberToObject(svc, "port", e->service_port);
	}
	cJSON_AddStringToObject(cc, "caBundle", ca64);
	return cc;
}

static cJSON *entry(const struct rtdp_policy *p, const struct webhook_endpoint *e, const char *ca64,
                    const char *name, const char *path, int by_namespace, int mutating)
{
	cJSON *w = cJSON_CreateObject(), *versions, *sel;

	cJSON_AddStringToObject(w, "name", name);
	cJSON_AddItemToObject(w, "clientConfig", client_config(e, path, ca64));
	versions = cJSON_AddArrayToObject(w, "admissionReviewVersions");
	cJSON_AddItemToArray(versions, cJSON_CreateString("v1"));
	cJSON_AddStringToObject(w, "sideEffects", "None");
	cJSON_AddStringToObject(w, "failurePolicy", e->failure_policy);
	cJSON_AddNumberToObject(w, "timeoutSeconds", e->timeout_seconds);
	cJSON_AddStringToObject(w, "matchPolicy", "Equivalent");
	if (mutating)
		cJSON_AddStringToObject(w, "reinvocationPolicy", "IfNeeded");
	cJSON_AddItemToObject(w, "namespaceSelector",
	                      namespace_selector(p, by_namespace ? "Exists" : "DoesNotExist"));
	if (!by_namespace) {
		sel = cJSON_AddObjectToObject(w, "objectSelector");
		cJSON_AddItemToArray(cJSON_AddArrayToObject(sel, "matchExpressions"),
		                     expression(rtdp_policy_pipeline_label(p), "Exists", NULL, 0));
	}
	cJSON_AddItemToObject(w, "rules",
	                      cJSON_Parse(by_namespace ? namespaced_rules : object_rules));
	return w;
}

static cJSON *configuration(const struct rtdp_policy *p, const struct webhook_endpoint *e,
                            const char *ca64, int mutating)
{
	const char *verb = mutating ? "mutate" : "validate";
	char ns_name[64], obj_name[64], path[16];
	cJSON *c = cJSON_CreateObject(), *meta, *labels, *hooks;

	snprintf(ns_name, sizeof(ns_name), "namespaces.%s.rtdp.io", verb);
	snprintf(obj_name, sizeof(obj_name), "objects.%s.rtdp.io", verb);
	snprintf(path, sizeof(path), "/%s", verb);
	cJSON_AddStringToObject(c, "apiVersion", "admissionregistration.k8s.io/v1");
	cJSON_AddStringToObject(c, "kind",
	                        mutating ? "MutatingWebhookConfiguration"
	                                 : "ValidatingWebhookConfiguration");
	meta = cJSON_AddObjectToObject(c, "metadata");
	cJSON_AddStringToObject(meta, "name", WEBHOOK_CONFIG_NAME);
	labels = cJSON_AddObjectToObject(meta, "labels");
	cJSON_AddStringToObject(labels, "app.kubernetes.io/name", "rtdp-webhook");
	cJSON_AddStringToObject(labels, "app.kubernetes.io/managed-by", "rtdp");
	hooks = cJSON_AddArrayToObject(c, "webhooks");
	cJSON_AddItemToArray(hooks, entry(p, e, ca64, ns_name, path, 1, mutating));
	cJSON_AddItemToArray(hooks, entry(p, e, ca64, obj_name, path, 0, mutating));
	return c;
}

static int count(const char *haystack, const char *needle)
{
	int n = 0;

	while ((haystack = strstr(haystack, needle))) {
		n++;
		haystack += strlen(needle);
	}
	return n;
}

static enum rtdp_rc check_endpoint(const struct webhook_endpoint *e, struct rtdp_error *err)
{
	if (e->url && strncmp(e->url, "https://", 8) != 0)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "--url '%s' must start with https:// (the apiserver only "
		                      "calls webhooks over TLS)",
		                      e->url);
	if (e->url && (strchr(e->url, '?') || strchr(e->url, '#')))
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "--url '%s' may not carry a query or fragment", e->url);
	if (!e->url && (!e->service_namespace || !e->service_name || e->service_port < 1 ||
	                e->service_port > 65535))
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "give --url, or --service NAMESPACE/NAME[:PORT]");
	if (strcmp(e->failure_policy, "Fail") != 0 && strcmp(e->failure_policy, "Ignore") != 0)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "--failure-policy must be Fail or Ignore, not '%s'",
		                      e->failure_policy);
	if (e->timeout_seconds < 1 || e->timeout_seconds > 30)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "--timeout-seconds must be 1 to 30, not %d",
		                      e->timeout_seconds);
	if (!strstr(e->ca_bundle_pem, "-----BEGIN CERTIFICATE-----"))
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "the CA bundle holds no PEM certificate");
	return RTDP_OK;
}

enum rtdp_rc webhook_config_build(const struct rtdp_policy *p, const struct webhook_endpoint *e,
                                  cJSON **out, struct rtdp_error *err)
{
	char *ca64;
	cJSON *list, *items;
	char *check;
	enum rtdp_rc rc = check_endpoint(e, err);

	*out = NULL;
	if (rc != RTDP_OK)
		return rc;
	ca64 = rtdp_base64_encode(e->ca_bundle_pem, strlen(e->ca_bundle_pem));
	list = cJSON_CreateObject();
	if (!ca64 || !list) {
		free(ca64);
		cJSON_Delete(list);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	cJSON_AddStringToObject(list, "apiVersion", "v1");
	cJSON_AddStringToObject(list, "kind", "List");
	items = cJSON_AddArrayToObject(list, "items");
	cJSON_AddItemToArray(items, configuration(p, e, ca64, 1));
	cJSON_AddItemToArray(items, configuration(p, e, ca64, 0));
	free(ca64);
	/* every cJSON_Add above fails only on out-of-memory: check the whole once */
	check = cJSON_PrintUnformatted(list);
	if (!check || count(check, "\"rules\":[{") != 4 || count(check, "\"caBundle\":\"") != 4 ||
	    count(check, "\"matchExpressions\":[{\"key\"") != 6 ||
	    count(check, "\"sideEffects\":\"None\"") != 4) {
		free(check);
		cJSON_Delete(list);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	free(check);
	*out = list;
	return RTDP_OK;
}
