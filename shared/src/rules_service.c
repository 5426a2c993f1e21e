/* service-type and service-ports. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "eval_ctx.h"
#include "rtdp/banned.h"

static enum rtdp_rc check_type(struct eval_ctx *c, const char **type)
{
	const cJSON *tv = obj_get(obj_get(c->pb.doc, "spec"), "type");
	char shown[80];

	*type = "ClusterIP"; /* the apiserver's default */
	if (!tv)
		return RTDP_OK;
	if (!cJSON_IsString(tv))
		return ctx_report(c, RULE_SERVICE_TYPE, "/spec/type", false,
		                  "spec.type is %s; it must be a string such as ClusterIP",
		                  json_show(tv, shown, sizeof(shown)));
	*type = tv->valuestring;
	if (string_list_has(&c->policy->service_types, tv->valuestring))
		return RTDP_OK;
	return ctx_report(
	        c, RULE_SERVICE_TYPE, "/spec/type", false,
	        "spec.type is %s, which the policy does not allow: use %s", tv->valuestring,
	        c->policy->service_types.len ? c->policy->service_types.items[0] : "ClusterIP");
}

static bool valid_target_name(const char *s)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > 15)
		return false;
	for (i = 0; i < len; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

static enum rtdp_rc check_port(struct eval_ctx *c, const cJSON *port, int i)
{
	const cJSON *number = obj_get(port, "port"), *target = obj_get(port, "targetPort");
	const char *name = obj_string(port, "name");
	char ptr[64], shown[80];
	int lo = c->policy->service_port_min, hi = c->policy->service_port_max;

	snprintf(ptr, sizeof(ptr), "/spec/ports/%d/port", i);
	if (!json_is_int(number))
		return ctx_report(c, RULE_SERVICE_PORTS, ptr, false,
		                  "spec.ports[%d].port is %s; it must be an integer such as 8080",
		                  i, number ? json_show(number, shown, sizeof(shown)) : "missing");
	if (number->valueint < lo || number->valueint > hi)
		return ctx_report(c, RULE_SERVICE_PORTS, ptr, false,
		                  "Service port %d is outside the allowed range %d-%d",
		                  number->valueint, lo, hi);
	snprintf(ptr, sizeof(ptr), "/spec/ports/%d/name", i);
	if (!name || !*name)
		return ctx_report(c, RULE_SERVICE_PORTS, ptr, false,
		                  "Service port %d has no name: name it after the container port "
		                  "it serves, e.g. name: http",
		                  number->valueint);
	snprintf(ptr, sizeof(ptr), "/spec/ports/%d/targetPort", i);
	if (!target)
		return ctx_report(c, RULE_SERVICE_PORTS, ptr, false,
		                  "Service port %d (%s) has no targetPort: set targetPort to the "
		                  "container port's name or number",
		                  number->valueint, name);
	if (json_is_int(target) && target->valueint >= 1 && target->valueint <= 65535)
		return RTDP_OK;
	if (cJSON_IsString(target) && valid_target_name(target->valuestring))
		return RTDP_OK;
	return ctx_report(c, RULE_SERVICE_PORTS, ptr, false,
	                  "Service port %d (%s) targetPort is %s: use a port number 1-65535 or a "
	                  "container port name",
	                  number->valueint, name, json_show(target, shown, sizeof(shown)));
}

enum rtdp_rc rules_service(struct eval_ctx *c)
{
	const cJSON *ports = obj_get(obj_get(c->pb.doc, "spec"), "ports"), *port;
	const char *type = NULL;
	int i = 0;
	enum rtdp_rc rc = check_type(c, &type);

	if (rc != RTDP_OK || (type && strcmp(type, "ExternalName") == 0))
		return rc;
	if (!cJSON_IsArray(ports) || !ports->child)
		return ctx_report(c, RULE_SERVICE_PORTS, "/spec/ports", false,
		                  "the Service has no ports: add a named port with a targetPort, "
		                  "e.g. {name: http, port: 8080, targetPort: http}");
	for (port = ports->child; rc == RTDP_OK && port; port = port->next, i++)
		rc = check_port(c, port, i);
	return rc;
}
