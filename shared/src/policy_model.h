/*
 * The inside of struct rtdp_policy and the rule table. Private to shared/.
 */
#ifndef RTDP_POLICY_MODEL_H
#define RTDP_POLICY_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "rtdp/policy.h"

enum rule_id {
	RULE_LABELS_REQUIRED,
	RULE_LABELS_SELECTOR,
	RULE_REPLICAS_MINIMUM,
	RULE_REPLICAS_MAXIMUM,
	RULE_CONTAINER_PORTS,
	RULE_CONTAINER_RESOURCES,
	RULE_READINESS_PROBE,
	RULE_IMAGE_PINNED,
	RULE_SERVICE_PORTS,
	RULE_SERVICE_TYPE,
	RULE_SERVICE_TARGET_PORT,
	RULE_COUNT
};

struct rule_info {
	const char *id; /* stable id used in policies, output and metrics */
	const char *summary; /* one line for docs and -h */
	bool can_mutate; /* the engine knows a fix */
	enum rtdp_action action; /* built-in action */
};

extern const struct rule_info rule_table[RULE_COUNT];

/* The rule named id, or RULE_COUNT. */
enum rule_id rule_lookup(const char *id);

struct rule_setting {
	enum rtdp_action action;
	bool mutate;
};

#define POLICY_MAX_LIST 32

struct string_list {
	char *items[POLICY_MAX_LIST]; /* owned */
	size_t len;
};

struct resource_default {
	char *name; /* owned: "cpu", "memory" */
	char *value; /* owned quantity: "100m" */
};

/* What a namespace entry may override; unset fields are -1 / has_rules false. */
struct namespace_override {
	char *name; /* owned */
	int min_replicas, max_replicas;
	struct rule_setting rules[RULE_COUNT];
	bool rule_set[RULE_COUNT];
};

struct rtdp_policy {
	char *name; /* owned */
	char *pipeline_label;
	struct string_list exempt_namespaces;
	struct string_list deployment_labels, template_labels, service_labels;
	char *managed_by;
	int min_replicas, max_replicas; /* max 0: no maximum */
	bool raise_scale;
	int container_port_min, container_port_max;
	int service_port_min, service_port_max;
	struct string_list protocols;
	struct string_list service_types;
	struct resource_default requests[4], limits[4];
	size_t nrequests, nlimits;
	struct string_list disallowed_tags;
	struct rule_setting rules[RULE_COUNT];
	struct namespace_override *namespaces; /* owned */
	size_t nnamespaces;
};

/* The settings of rule in namespace ns (overrides applied). */
struct rule_setting policy_rule(const struct rtdp_policy *p, const char *ns, enum rule_id rule);
int policy_max_replicas(const struct rtdp_policy *p, const char *ns);
bool string_list_has(const struct string_list *l, const char *s);

/* Frees the n entries of r and sets *n to 0. */
void resources_release_defaults(struct resource_default *r, size_t *n);

/* Fills p with the built-in defaults (p zeroed first). */
enum rtdp_rc policy_set_defaults(struct rtdp_policy *p);

#endif
