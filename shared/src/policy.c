#include <stdlib.h>
#include <string.h>

#include "policy_model.h"
#include "rtdp/banned.h"

/* clang-format off */
const struct rule_info rule_table[RULE_COUNT] = {
	[RULE_LABELS_REQUIRED]     = { "labels-required", "the recommended labels and the pipeline label are set", true, RTDP_ACTION_DENY },
	[RULE_LABELS_SELECTOR]     = { "labels-selector", "the pod template's labels cover the Deployment's selector", true, RTDP_ACTION_DENY },
	[RULE_REPLICAS_MINIMUM]    = { "replicas-minimum", "at least the minimum number of replicas", true, RTDP_ACTION_DENY },
	[RULE_REPLICAS_MAXIMUM]    = { "replicas-maximum", "at most the maximum number of replicas", true, RTDP_ACTION_DENY },
	[RULE_CONTAINER_PORTS]     = { "container-ports", "every container exposes a named containerPort in range, unique, with a valid protocol", false, RTDP_ACTION_DENY },
	[RULE_CONTAINER_RESOURCES] = { "container-resources", "every container has resource requests and limits", true, RTDP_ACTION_DENY },
	[RULE_READINESS_PROBE]     = { "readiness-probe", "every container has a readiness probe", false, RTDP_ACTION_DENY },
	[RULE_IMAGE_PINNED]        = { "image-pinned", "images are pinned by a tag other than latest, or by a digest", false, RTDP_ACTION_DENY },
	[RULE_SERVICE_PORTS]       = { "service-ports", "Service ports are named, in range, and have a targetPort", false, RTDP_ACTION_DENY },
	[RULE_SERVICE_TYPE]        = { "service-type", "the Service type is an allowed one", false, RTDP_ACTION_DENY },
	[RULE_SERVICE_TARGET_PORT] = { "service-target-port", "a Service's targetPort resolves to a containerPort of a Deployment it selects", false, RTDP_ACTION_DENY },
};
/* clang-format on */

enum rule_id rule_lookup(const char *id)
{
	int i;

	for (i = 0; i < RULE_COUNT; i++)
		if (strcmp(rule_table[i].id, id) == 0)
			return (enum rule_id)i;
	return RULE_COUNT;
}

const char *rtdp_action_name(enum rtdp_action a)
{
	switch (a) {
	case RTDP_ACTION_OFF:
		return "off";
	case RTDP_ACTION_WARN:
		return "warn";
	case RTDP_ACTION_DENY:
		return "deny";
	}
	return "off";
}

bool string_list_has(const struct string_list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

static const struct namespace_override *find_override(const struct rtdp_policy *p, const char *ns)
{
	size_t i;

	for (i = 0; ns && i < p->nnamespaces; i++)
		if (strcmp(p->namespaces[i].name, ns) == 0)
			return &p->namespaces[i];
	return NULL;
}

struct rule_setting policy_rule(const struct rtdp_policy *p, const char *ns, enum rule_id rule)
{
	const struct namespace_override *o = find_override(p, ns);

	if (o && o->rule_set[rule])
		return o->rules[rule];
	return p->rules[rule];
}

int rtdp_policy_min_replicas(const struct rtdp_policy *p, const char *ns)
{
	const struct namespace_override *o = find_override(p, ns);

	return o && o->min_replicas >= 0 ? o->min_replicas : p->min_replicas;
}

int policy_max_replicas(const struct rtdp_policy *p, const char *ns)
{
	const struct namespace_override *o = find_override(p, ns);

	return o && o->max_replicas >= 0 ? o->max_replicas : p->max_replicas;
}

const char *rtdp_policy_pipeline_label(const struct rtdp_policy *p)
{
	return p->pipeline_label;
}

bool rtdp_policy_namespace_exempt(const struct rtdp_policy *p, const char *ns)
{
	return ns && string_list_has(&p->exempt_namespaces, ns);
}

const char *const *rtdp_policy_exempt_namespaces(const struct rtdp_policy *p, size_t *n)
{
	*n = p->exempt_namespaces.len;
	return (const char *const *)p->exempt_namespaces.items;
}

static void string_list_release(struct string_list *l)
{
	while (l->len > 0)
		free(l->items[--l->len]);
}

void resources_release_defaults(struct resource_default *r, size_t *n)
{
	while (*n > 0) {
		(*n)--;
		free(r[*n].name);
		free(r[*n].value);
	}
}

void rtdp_policy_free(struct rtdp_policy *p)
{
	size_t i;

	if (!p)
		return;
	free(p->name);
	free(p->pipeline_label);
	free(p->managed_by);
	string_list_release(&p->exempt_namespaces);
	string_list_release(&p->deployment_labels);
	string_list_release(&p->template_labels);
	string_list_release(&p->service_labels);
	string_list_release(&p->protocols);
	string_list_release(&p->service_types);
	string_list_release(&p->disallowed_tags);
	resources_release_defaults(p->requests, &p->nrequests);
	resources_release_defaults(p->limits, &p->nlimits);
	for (i = 0; i < p->nnamespaces; i++)
		free(p->namespaces[i].name);
	free(p->namespaces);
	free(p);
}

static int list_set(struct string_list *l, const char *const *items)
{
	for (; *items; items++) {
		if (l->len == POLICY_MAX_LIST || !(l->items[l->len] = strdup(*items)))
			return 0;
		l->len++;
	}
	return 1;
}

static int resource_set(struct resource_default *r, size_t *n, const char *name, const char *value)
{
	r[*n].name = strdup(name);
	r[*n].value = strdup(value);
	(*n)++;
	return r[*n - 1].name && r[*n - 1].value;
}

/* clang-format off */
static const char *const recommended_labels[] = {
	"app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
	"app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by",
	"rtdp.io/pipeline", NULL };
static const char *const service_labels[] = {
	"app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
	"app.kubernetes.io/part-of", "app.kubernetes.io/managed-by", "rtdp.io/pipeline", NULL };
static const char *const exempt[] = { "kube-system", "kube-public", "kube-node-lease", "rtdp-system", NULL };
static const char *const protocols[] = { "TCP", "UDP", "SCTP", NULL };
static const char *const service_types[] = { "ClusterIP", NULL };
static const char *const bad_tags[] = { "latest", NULL };
/* clang-format on */

enum rtdp_rc policy_set_defaults(struct rtdp_policy *p)
{
	int i, ok;

	p->name = strdup("default");
	p->pipeline_label = strdup("rtdp.io/pipeline");
	p->managed_by = strdup("rtdp");
	p->min_replicas = 3;
	p->max_replicas = 0;
	p->container_port_min = 1024;
	p->container_port_max = 65535;
	p->service_port_min = 1;
	p->service_port_max = 65535;
	ok = p->name && p->pipeline_label && p->managed_by &&
	     list_set(&p->exempt_namespaces, exempt) &&
	     list_set(&p->deployment_labels, recommended_labels) &&
	     list_set(&p->template_labels, recommended_labels) &&
	     list_set(&p->service_labels, service_labels) && list_set(&p->protocols, protocols) &&
	     list_set(&p->service_types, service_types) &&
	     list_set(&p->disallowed_tags, bad_tags) &&
	     resource_set(p->requests, &p->nrequests, "cpu", "100m") &&
	     resource_set(p->requests, &p->nrequests, "memory", "128Mi") &&
	     resource_set(p->limits, &p->nlimits, "cpu", "1") &&
	     resource_set(p->limits, &p->nlimits, "memory", "512Mi");
	for (i = 0; i < RULE_COUNT; i++) {
		p->rules[i].action = rule_table[i].action;
		p->rules[i].mutate = rule_table[i].can_mutate;
	}
	return ok ? RTDP_OK : RTDP_ERR_NOMEM;
}

enum rtdp_rc rtdp_policy_default(struct rtdp_policy **out, struct rtdp_error *err)
{
	struct rtdp_policy *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p || policy_set_defaults(p) != RTDP_OK) {
		rtdp_policy_free(p);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	*out = p;
	return RTDP_OK;
}
