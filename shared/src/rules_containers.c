/*
 * Per-container rules of a Deployment's pod template: container-ports,
 * container-resources, readiness-probe and image-pinned.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "eval_ctx.h"
#include "rtdp/image.h"
#include "json_path.h"
#include "quantity.h"
#include "rtdp/banned.h"

#define PORT_NAME_MAX 15

/* An IANA service name as Kubernetes wants a port name: <= 15 of [a-z0-9-], a letter, no "--". */
static bool valid_port_name(const char *s)
{
	size_t len = strlen(s), i;
	bool letter = false;

	if (len == 0 || len > PORT_NAME_MAX || s[0] == '-' || s[len - 1] == '-' || strstr(s, "--"))
		return false;
	for (i = 0; i < len; i++) {
		if (islower((unsigned char)s[i]))
			letter = true;
		else if (!isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	}
	return letter;
}

struct container_ref {
	const cJSON *container; /* borrowed, in the working copy */
	int index;
	const char *name; /* for messages */
	struct jpath ptr; /* /spec/template/spec/containers/<i> */
};

/* Reports msg at the container's pointer plus suffix (NULL: the container itself). */
static enum rtdp_rc report_at(struct eval_ctx *c, const struct container_ref *r, enum rule_id rule,
                              const char *suffix, bool fixed, const char *msg)
{
	char ptr[JPATH_MAX];

	snprintf(ptr, sizeof(ptr), "%s%s", r->ptr.ptr, suffix ? suffix : "");
	return ctx_report(c, rule, ptr, fixed, "%s", msg);
}

static enum rtdp_rc check_port(struct eval_ctx *c, struct container_ref *r, const cJSON *port,
                               int i, int *named)
{
	const char *name = obj_string(port, "name"), *proto = obj_string(port, "protocol");
	const cJSON *number = obj_get(port, "containerPort"), *pv = obj_get(port, "protocol");
	char msg[512], suffix[64], shown[80];
	int lo = c->policy->container_port_min, hi = c->policy->container_port_max;

	snprintf(suffix, sizeof(suffix), "/ports/%d/containerPort", i);
	if (!json_is_int(number)) {
		snprintf(msg, sizeof(msg),
		         "container \"%s\" port %d: containerPort is %s; it must be an integer "
		         "such as 8080",
		         r->name, i, number ? json_show(number, shown, sizeof(shown)) : "missing");
		return report_at(c, r, RULE_CONTAINER_PORTS, suffix, false, msg);
	}
	if (number->valueint < lo || number->valueint > hi) {
		snprintf(msg, sizeof(msg),
		         "container \"%s\" containerPort %d is outside the allowed range %d-%d: "
		         "use a port in range",
		         r->name, number->valueint, lo, hi);
		return report_at(c, r, RULE_CONTAINER_PORTS, suffix, false, msg);
	}
	if (pv && (!proto || !string_list_has(&c->policy->protocols, proto))) {
		snprintf(suffix, sizeof(suffix), "/ports/%d/protocol", i);
		snprintf(msg, sizeof(msg),
		         "container \"%s\" port %d has protocol %s: use TCP, UDP or SCTP", r->name,
		         number->valueint, json_show(pv, shown, sizeof(shown)));
		return report_at(c, r, RULE_CONTAINER_PORTS, suffix, false, msg);
	}
	snprintf(suffix, sizeof(suffix), "/ports/%d/name", i);
	if (!name) {
		snprintf(msg, sizeof(msg),
		         "container \"%s\" containerPort %d has no name: name it, e.g. name: http",
		         r->name, number->valueint);
		return report_at(c, r, RULE_CONTAINER_PORTS, suffix, false, msg);
	}
	if (!valid_port_name(name)) {
		snprintf(msg, sizeof(msg),
		         "container \"%s\" port name \"%.40s\" is not a valid port name: use at "
		         "most 15 lowercase letters, digits and '-', e.g. http",
		         r->name, name);
		return report_at(c, r, RULE_CONTAINER_PORTS, suffix, false, msg);
	}
	(*named)++;
	return RTDP_OK;
}

static enum rtdp_rc check_duplicates(struct eval_ctx *c, struct container_ref *r,
                                     const cJSON *ports)
{
	const cJSON *a, *b;
	char msg[256], suffix[64];
	int i = 0, j;

	for (a = ports->child; a; a = a->next, i++) {
		for (b = ports->child, j = 0; b != a; b = b->next, j++) {
			const char *na = obj_string(a, "name"), *nb = obj_string(b, "name");
			const cJSON *pa = obj_get(a, "containerPort"),
			            *pb = obj_get(b, "containerPort");
			const char *xa = obj_string(a, "protocol"), *xb = obj_string(b, "protocol");

			snprintf(suffix, sizeof(suffix), "/ports/%d", i);
			if (na && nb && strcmp(na, nb) == 0) {
				snprintf(msg, sizeof(msg),
				         "container \"%s\" ports %d and %d share the name "
				         "\"%.40s\": names must be unique",
				         r->name, j, i, na);
				return report_at(c, r, RULE_CONTAINER_PORTS, suffix, false, msg);
			}
			if (cJSON_IsNumber(pa) && cJSON_IsNumber(pb) &&
			    pa->valueint == pb->valueint &&
			    strcmp(xa ? xa : "TCP", xb ? xb : "TCP") == 0) {
				snprintf(msg, sizeof(msg),
				         "container \"%s\" exposes containerPort %d twice: remove "
				         "the duplicate",
				         r->name, pa->valueint);
				return report_at(c, r, RULE_CONTAINER_PORTS, suffix, false, msg);
			}
		}
	}
	return RTDP_OK;
}

static enum rtdp_rc check_ports(struct eval_ctx *c, struct container_ref *r)
{
	const cJSON *ports = obj_get(r->container, "ports"), *port;
	char msg[256];
	int i = 0, named = 0;
	enum rtdp_rc rc = RTDP_OK;

	if (!cJSON_IsArray(ports) || !ports->child) {
		snprintf(msg, sizeof(msg),
		         "container \"%s\" exposes no containerPort: add a named port, e.g. {name: "
		         "http, containerPort: 8080}",
		         r->name);
		return report_at(c, r, RULE_CONTAINER_PORTS, "/ports", false, msg);
	}
	for (port = ports->child; rc == RTDP_OK && port; port = port->next, i++)
		rc = check_port(c, r, port, i, &named);
	if (rc == RTDP_OK)
		rc = check_duplicates(c, r, ports);
	return rc;
}

static double quantity_of(const cJSON *v, bool *ok)
{
	double q = 0;

	*ok = (cJSON_IsString(v) && quantity_parse(v->valuestring, &q)) || cJSON_IsNumber(v);
	return cJSON_IsNumber(v) ? v->valuedouble : q;
}

/* Fills one missing request or limit with the policy default, keeping request <= limit. */
static enum rtdp_rc check_resource(struct eval_ctx *c, struct container_ref *r, const char *kind,
                                   const struct resource_default *d)
{
	const cJSON *res = obj_get(r->container, "resources");
	const cJSON *have = obj_get(obj_get(res, kind), d->name);
	bool is_limit = strcmp(kind, "limits") == 0;
	const cJSON *other = obj_get(obj_get(res, is_limit ? "requests" : "limits"), d->name);
	char value[64], idx[16], suffix[96], msg[400], shown[80];
	const char *segs[8] = {"spec", "template",  "spec", "containers",
	                       idx,    "resources", kind,   d->name};
	bool ok = false, other_ok = false;
	double want = 0, bound;

	snprintf(suffix, sizeof(suffix), "/resources/%s/%s", kind, d->name);
	if (have) {
		quantity_of(have, &ok);
		if (ok)
			return RTDP_OK;
		snprintf(
		        msg, sizeof(msg),
		        "container \"%s\" resources.%s.%s is %s, not a quantity: write e.g. \"%s\"",
		        r->name, kind, d->name, json_show(have, shown, sizeof(shown)), d->value);
		return report_at(c, r, RULE_CONTAINER_RESOURCES, suffix, false, msg);
	}
	snprintf(value, sizeof(value), "%s", d->value);
	quantity_parse(d->value, &want);
	bound = quantity_of(other, &other_ok);
	if (other && other_ok && (is_limit ? want < bound : want > bound)) {
		/* never cross the bound the container already sets */
		if (cJSON_IsString(other))
			snprintf(value, sizeof(value), "%s", other->valuestring);
		else
			snprintf(value, sizeof(value), "%.15g", other->valuedouble);
	}
	snprintf(idx, sizeof(idx), "%d", r->index);
	snprintf(msg, sizeof(msg), "container \"%s\" has no %s %s: set resources.%s.%s, e.g. %s",
	         r->name, d->name, is_limit ? "limit" : "request", kind, d->name, value);
	return report_at(c, r, RULE_CONTAINER_RESOURCES, suffix,
	                 ctx_can_fix(c, RULE_CONTAINER_RESOURCES) &&
	                         ctx_fix(c, segs, 8, cJSON_CreateString(value)),
	                 msg);
}

static enum rtdp_rc check_resources(struct eval_ctx *c, struct container_ref *r)
{
	const cJSON *res = obj_get(r->container, "resources");
	char msg[256], shown[80];
	size_t i;
	enum rtdp_rc rc = RTDP_OK;

	if (res && !cJSON_IsObject(res) && !cJSON_IsNull(res)) {
		snprintf(
		        msg, sizeof(msg),
		        "container \"%s\" resources is %s; it must be a map of requests and limits",
		        r->name, json_show(res, shown, sizeof(shown)));
		return report_at(c, r, RULE_CONTAINER_RESOURCES, "/resources", false, msg);
	}
	for (i = 0; rc == RTDP_OK && i < c->policy->nrequests; i++)
		rc = check_resource(c, r, "requests", &c->policy->requests[i]);
	for (i = 0; rc == RTDP_OK && i < c->policy->nlimits; i++)
		rc = check_resource(c, r, "limits", &c->policy->limits[i]);
	return rc;
}

static enum rtdp_rc check_probe(struct eval_ctx *c, struct container_ref *r)
{
	const cJSON *probe = obj_get(r->container, "readinessProbe");
	char msg[300];

	if (cJSON_IsObject(probe) && probe->child)
		return RTDP_OK;
	snprintf(msg, sizeof(msg),
	         "container \"%s\" has no readinessProbe: add one (e.g. httpGet or tcpSocket on "
	         "its named port) so traffic waits until it is ready",
	         r->name);
	return report_at(c, r, RULE_READINESS_PROBE, "/readinessProbe", false, msg);
}

static enum rtdp_rc check_image(struct eval_ctx *c, struct container_ref *r)
{
	const cJSON *iv = obj_get(r->container, "image");
	const char *tag;
	enum rtdp_image_pin pin;
	char msg[400], shown[80];

	if (!cJSON_IsString(iv) || !iv->valuestring[0]) {
		snprintf(msg, sizeof(msg),
		         "container \"%s\" image is %s: set an image pinned by tag or digest",
		         r->name, iv ? json_show(iv, shown, sizeof(shown)) : "missing");
		return report_at(c, r, RULE_IMAGE_PINNED, "/image", false, msg);
	}
	pin = rtdp_image_pin(iv->valuestring, &tag);
	if (pin == RTDP_IMAGE_DIGEST ||
	    (pin == RTDP_IMAGE_TAG && !string_list_has(&c->policy->disallowed_tags, tag)))
		return RTDP_OK;
	snprintf(msg, sizeof(msg),
	         "container \"%s\" image \"%.120s\" is %s: pin it by a version tag or a digest "
	         "(image:1.2.3 or image@sha256:...)",
	         r->name, iv->valuestring,
	         tag ? "tagged with a moving tag" : "not pinned (no tag means latest)");
	return report_at(c, r, RULE_IMAGE_PINNED, "/image", false, msg);
}

static enum rtdp_rc check_container(struct eval_ctx *c, struct container_ref *r)
{
	enum rtdp_rc rc = check_ports(c, r);

	if (rc == RTDP_OK)
		rc = check_resources(c, r);
	if (rc == RTDP_OK)
		rc = check_probe(c, r);
	if (rc == RTDP_OK)
		rc = check_image(c, r);
	return rc;
}

enum rtdp_rc rules_containers(struct eval_ctx *c)
{
	static const char *const path[] = {"spec", "template", "spec", "containers"};
	const cJSON *containers = obj_path(c->pb.doc, path, 4), *it;
	struct container_ref r;
	char label[32];
	enum rtdp_rc rc = RTDP_OK;

	if (!cJSON_IsArray(containers) || !containers->child)
		return ctx_report(c, RULE_CONTAINER_PORTS, "/spec/template/spec/containers", false,
		                  "spec.template.spec.containers is missing or empty: a Deployment "
		                  "needs at least one container");
	r.index = 0;
	for (it = containers->child; rc == RTDP_OK && it; it = it->next, r.index++) {
		r.container = it;
		snprintf(label, sizeof(label), "#%d", r.index);
		r.name = obj_string(it, "name") ? obj_string(it, "name") : label;
		jpath_init(&r.ptr);
		jpath_push(&r.ptr, "spec");
		jpath_push(&r.ptr, "template");
		jpath_push(&r.ptr, "spec");
		jpath_push(&r.ptr, "containers");
		jpath_push_index(&r.ptr, r.index);
		rc = cJSON_IsObject(it) ? check_container(c, &r) : RTDP_OK;
	}
	return rc;
}
