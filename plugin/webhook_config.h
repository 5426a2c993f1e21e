/*
 * rtdp-webhook's Mutating- and ValidatingWebhookConfiguration, derived from the
 * policy's scope so that registration and policy cannot drift apart: one entry
 * for namespaces with the pipeline label (Deployments, their scale subresource,
 * Services), one for labelled objects in other namespaces; exempt namespaces
 * are excluded by name.
 */
#ifndef RTDP_PLUGIN_WEBHOOK_CONFIG_H
#define RTDP_PLUGIN_WEBHOOK_CONFIG_H

#include <cjson/cJSON.h>

#include "rtdp/error.h"
#include "rtdp/policy.h"

#define WEBHOOK_CONFIG_NAME "rtdp-webhook"

struct webhook_endpoint {
	const char *url; /* "https://127.0.0.1:8443" (no path); or NULL for a Service */
	const char *service_namespace; /* with service_name, when url is NULL */
	const char *service_name;
	int service_port;
	const char *ca_bundle_pem; /* the CA certificate(s), PEM */
	const char *failure_policy; /* "Fail" or "Ignore" */
	int timeout_seconds; /* 1-30 */
};

/*
 * The two configurations for p and e, as a new v1 List (the caller's,
 * cJSON_Delete). RTDP_ERR_USAGE names a bad endpoint setting.
 */
enum rtdp_rc webhook_config_build(const struct rtdp_policy *p, const struct webhook_endpoint *e,
                                  cJSON **out, struct rtdp_error *err);

#endif
