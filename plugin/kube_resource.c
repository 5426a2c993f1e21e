#include <stdio.h>
#include <string.h>

#include "kube_resource.h"
#include "rtdp/banned.h"

/* clang-format off */
static const struct kube_resource resources[] = {
	{ "v1",                  "Namespace",               "namespaces",               "namespace",                   false, 0 },
	{ "v1",                  "ServiceAccount",          "serviceaccounts",          "serviceaccount",              true,  1 },
	{ "v1",                  "ConfigMap",               "configmaps",               "configmap",                   true,  1 },
	{ "v1",                  "Secret",                  "secrets",                  "secret",                      true,  1 },
	{ "v1",                  "Service",                 "services",                 "service",                     true,  2 },
	{ "apps/v1",             "Deployment",              "deployments",              "deployment.apps",             true,  3 },
	{ "apps/v1",             "StatefulSet",             "statefulsets",             "statefulset.apps",            true,  3 },
	{ "policy/v1",           "PodDisruptionBudget",     "poddisruptionbudgets",     "poddisruptionbudget.policy",  true,  4 },
	{ "autoscaling/v2",      "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler.autoscaling", true, 4 },
	{ "networking.k8s.io/v1", "NetworkPolicy",          "networkpolicies",          "networkpolicy.networking.k8s.io", true, 4 },
	{ "admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations",
	  "mutatingwebhookconfiguration.admissionregistration.k8s.io", false, 5 },
	{ "admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations",
	  "validatingwebhookconfiguration.admissionregistration.k8s.io", false, 5 },
};
/* clang-format on */

const struct kube_resource *kube_resource_find(const char *api_version, const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(resources) / sizeof(resources[0]); i++)
		if (strcmp(resources[i].api_version, api_version) == 0 &&
		    strcmp(resources[i].kind, kind) == 0)
			return &resources[i];
	return NULL;
}

enum rtdp_rc kube_resource_of(const cJSON *obj, const struct kube_resource **out,
                              struct rtdp_error *err)
{
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(obj, "apiVersion");
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");

	*out = NULL;
	if (!cJSON_IsString(av) || !cJSON_IsString(kind))
		return rtdp_error_set(err, RTDP_ERR_INVALID, "object has no apiVersion and kind");
	*out = kube_resource_find(av->valuestring, kind->valuestring);
	if (!*out)
		return rtdp_error_set(
		        err, RTDP_ERR_INVALID,
		        "kind \"%s\" in version \"%s\" is not one kubectl rtdp manages",
		        kind->valuestring, av->valuestring);
	return RTDP_OK;
}

int kube_collection_path(const struct kube_resource *r, const char *ns, char *buf, size_t n)
{
	const char *group_prefix = strchr(r->api_version, '/') ? "/apis/" : "/api/";
	int w;

	if (r->namespaced)
		w = snprintf(buf, n, "%s%s/namespaces/%s/%s", group_prefix, r->api_version, ns,
		             r->plural);
	else
		w = snprintf(buf, n, "%s%s/%s", group_prefix, r->api_version, r->plural);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

int kube_object_path(const struct kube_resource *r, const char *ns, const char *name, char *buf,
                     size_t n)
{
	size_t used;
	int w;

	if (kube_collection_path(r, ns, buf, n) != 0)
		return -1;
	used = strlen(buf);
	w = snprintf(buf + used, n - used, "/%s", name);
	return w < 0 || (size_t)w >= n - used ? -1 : 0;
}
