/*
 * The policy file: built-in defaults (the seed's), a full custom policy, and
 * every error path with its code and message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "policy_model.h"
#include "rtdp/banned.h"

#define HEADER "apiVersion: rtdp.io/v1alpha1\nkind: Policy\n"

static const char *rule_action(const struct rtdp_policy *p, const char *ns, const char *id)
{
	return rtdp_action_name(policy_rule(p, ns, rule_lookup(id)).action);
}

static bool rule_mutates(const struct rtdp_policy *p, const char *ns, const char *id)
{
	return policy_rule(p, ns, rule_lookup(id)).mutate;
}

static void assert_list(const struct string_list *l, const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(l->len, n);
	for (i = 0; i < n; i++)
		assert_string_equal(l->items[i], want[i]);
}

static void assert_resource(const struct resource_default *r, size_t n, const char *name,
                            const char *value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(r[i].name, name) == 0) {
			assert_string_equal(r[i].value, value);
			return;
		}
	fail_msg("no resource %s", name);
}

/* The defaults are the seed's: 3 replicas, ClusterIP, port 8080 in range, pinned images. */
static void assert_defaults(const struct rtdp_policy *p)
{
	static const char *const labels[] = {
	        "app.kubernetes.io/name",    "app.kubernetes.io/instance",
	        "app.kubernetes.io/version", "app.kubernetes.io/component",
	        "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by",
	        "rtdp.io/pipeline"};
	static const char *const svc_labels[] = {
	        "app.kubernetes.io/name",       "app.kubernetes.io/instance",
	        "app.kubernetes.io/component",  "app.kubernetes.io/part-of",
	        "app.kubernetes.io/managed-by", "rtdp.io/pipeline"};
	static const char *const exempt[] = {"kube-system", "kube-public", "kube-node-lease",
	                                     "rtdp-system"};
	static const char *const protocols[] = {"TCP", "UDP", "SCTP"};
	static const char *const types[] = {"ClusterIP"};
	static const char *const tags[] = {"latest"};
	int i;

	assert_string_equal(p->name, "default");
	assert_string_equal(rtdp_policy_pipeline_label(p), "rtdp.io/pipeline");
	assert_string_equal(p->managed_by, "rtdp");
	assert_int_equal(rtdp_policy_min_replicas(p, "any"), 3);
	assert_int_equal(rtdp_policy_min_replicas(p, NULL), 3);
	assert_int_equal(policy_max_replicas(p, "any"), 0); /* no maximum */
	assert_false(p->raise_scale);
	assert_int_equal(p->container_port_min, 1024);
	assert_int_equal(p->container_port_max, 65535);
	assert_int_equal(p->service_port_min, 1);
	assert_int_equal(p->service_port_max, 65535);
	assert_list(&p->deployment_labels, labels, 7);
	assert_list(&p->template_labels, labels, 7);
	assert_list(&p->service_labels, svc_labels, 6);
	assert_list(&p->exempt_namespaces, exempt, 4);
	assert_list(&p->protocols, protocols, 3);
	assert_list(&p->service_types, types, 1);
	assert_list(&p->disallowed_tags, tags, 1);
	assert_int_equal(p->nrequests, 2);
	assert_int_equal(p->nlimits, 2);
	assert_resource(p->requests, p->nrequests, "cpu", "100m");
	assert_resource(p->requests, p->nrequests, "memory", "128Mi");
	assert_resource(p->limits, p->nlimits, "cpu", "1");
	assert_resource(p->limits, p->nlimits, "memory", "512Mi");
	assert_true(rtdp_policy_namespace_exempt(p, "kube-system"));
	assert_true(rtdp_policy_namespace_exempt(p, "rtdp-system"));
	assert_false(rtdp_policy_namespace_exempt(p, "default"));
	assert_false(rtdp_policy_namespace_exempt(p, NULL));
	assert_int_equal(p->nnamespaces, 0);
	for (i = 0; i < RULE_COUNT; i++) {
		assert_int_equal(p->rules[i].action, RTDP_ACTION_DENY);
		assert_int_equal(p->rules[i].mutate, rule_table[i].can_mutate);
	}
	/* the rules that know a fix */
	assert_true(rule_mutates(p, NULL, "labels-required"));
	assert_true(rule_mutates(p, NULL, "labels-selector"));
	assert_true(rule_mutates(p, NULL, "replicas-minimum"));
	assert_true(rule_mutates(p, NULL, "replicas-maximum"));
	assert_true(rule_mutates(p, NULL, "container-resources"));
	assert_false(rule_mutates(p, NULL, "image-pinned"));
	assert_false(rule_mutates(p, NULL, "readiness-probe"));
}

static void test_builtin_defaults_match_the_seed(void **state)
{
	struct rtdp_policy *p = policy_default();

	(void)state;
	assert_defaults(p);
	rtdp_policy_free(p);
}

static void test_header_only_policy_is_the_default(void **state)
{
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_load_file(fixture_path("policy/header-only.yaml"), &p, &err),
	                 RTDP_OK);
	assert_defaults(p);
	rtdp_policy_free(p);
	p = policy_text(HEADER "metadata: {}\nspec: {}\n");
	assert_defaults(p);
	rtdp_policy_free(p);
	p = policy_text(HEADER "spec:\n  replicas:\n  rules: ~\n");
	assert_defaults(p);
	rtdp_policy_free(p);
}

static void test_full_custom_policy(void **state)
{
	static const char *const deployment[] = {"app.kubernetes.io/name", "example.com/pipeline",
	                                         "team"};
	static const char *const tpl[] = {"app.kubernetes.io/name"};
	static const char *const svc[] = {"app.kubernetes.io/name", "team"};
	static const char *const exempt[] = {"kube-system", "monitoring"};
	static const char *const protocols[] = {"TCP"};
	static const char *const types[] = {"ClusterIP", "LoadBalancer"};
	static const char *const tags[] = {"latest", "main", "dev"};
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	if (rtdp_policy_load_file(fixture_path("policy/full.yaml"), &p, &err) != RTDP_OK)
		fail_msg("%s", err.msg);
	assert_string_equal(p->name, "strict");
	assert_string_equal(rtdp_policy_pipeline_label(p), "example.com/pipeline");
	assert_list(&p->exempt_namespaces, exempt, 2);
	assert_false(rtdp_policy_namespace_exempt(p, "kube-public"));
	assert_list(&p->deployment_labels, deployment, 3);
	assert_list(&p->template_labels, tpl, 1);
	assert_list(&p->service_labels, svc, 2);
	assert_string_equal(p->managed_by, "argocd");
	assert_int_equal(rtdp_policy_min_replicas(p, "prod"), 2);
	assert_int_equal(policy_max_replicas(p, "prod"), 10);
	assert_true(p->raise_scale);
	assert_int_equal(p->container_port_min, 2000);
	assert_int_equal(p->container_port_max, 9000);
	assert_int_equal(p->service_port_min, 80);
	assert_int_equal(p->service_port_max, 9000);
	assert_list(&p->protocols, protocols, 1);
	assert_list(&p->service_types, types, 2);
	assert_list(&p->disallowed_tags, tags, 3);
	assert_int_equal(p->nrequests, 3);
	assert_resource(p->requests, p->nrequests, "cpu", "250m");
	assert_resource(p->requests, p->nrequests, "memory", "256Mi");
	assert_resource(p->requests, p->nrequests, "ephemeral-storage", "1Gi");
	assert_int_equal(p->nlimits, 2);
	assert_resource(p->limits, p->nlimits, "cpu", "2");
	assert_resource(p->limits, p->nlimits, "memory", "1Gi");
	assert_string_equal(rule_action(p, "prod", "image-pinned"), "warn");
	assert_string_equal(rule_action(p, "prod", "readiness-probe"), "off");
	assert_string_equal(rule_action(p, "prod", "labels-required"), "deny");
	assert_false(rule_mutates(p, "prod", "labels-required"));
	assert_string_equal(rule_action(p, "prod", "container-resources"), "deny");
	assert_false(rule_mutates(p, "prod", "container-resources"));
	assert_true(rule_mutates(p, "prod", "replicas-minimum"));
	/* namespace overrides */
	assert_int_equal(p->nnamespaces, 2);
	assert_int_equal(rtdp_policy_min_replicas(p, "sandbox"), 1);
	assert_int_equal(policy_max_replicas(p, "sandbox"), 10);
	assert_string_equal(rule_action(p, "sandbox", "image-pinned"), "off");
	assert_string_equal(rule_action(p, "sandbox", "replicas-minimum"), "warn");
	/* an override changes what it names, and inherits the rest of the rule's setting */
	assert_true(rule_mutates(p, "sandbox", "replicas-minimum"));
	assert_string_equal(rule_action(p, "sandbox", "readiness-probe"), "off");
	assert_string_equal(rule_action(p, "sandbox", "labels-required"), "deny");
	assert_int_equal(rtdp_policy_min_replicas(p, "batch"), 0);
	assert_int_equal(policy_max_replicas(p, "batch"), 3);
	rtdp_policy_free(p);
}

static void test_namespace_override_inherits_the_policy_rule(void **state)
{
	struct rtdp_policy *p = policy_text(HEADER "spec:\n"
	                                           "  rules:\n"
	                                           "    labels-required: warn\n"
	                                           "  namespaces:\n"
	                                           "  - name: a\n"
	                                           "    rules:\n"
	                                           "      labels-required: {mutate: false}\n"
	                                           "      replicas-minimum: warn\n");

	(void)state;
	/* {mutate: false} alone keeps the policy's action instead of turning the rule off */
	assert_string_equal(rule_action(p, "a", "labels-required"), "warn");
	assert_false(rule_mutates(p, "a", "labels-required"));
	assert_true(rule_mutates(p, "b", "labels-required"));
	/* an action alone keeps the rule's fix */
	assert_string_equal(rule_action(p, "a", "replicas-minimum"), "warn");
	assert_true(rule_mutates(p, "a", "replicas-minimum"));
	rtdp_policy_free(p);
}

static void test_off_may_be_written_unquoted(void **state)
{
	/* YAML 1.1 reads a plain off as the boolean false */
	struct rtdp_policy *p = policy_text(HEADER "spec:\n  rules:\n    image-pinned: off\n"
	                                           "    readiness-probe: {action: off}\n");

	(void)state;
	assert_string_equal(rule_action(p, NULL, "image-pinned"), "off");
	assert_string_equal(rule_action(p, NULL, "readiness-probe"), "off");
	rtdp_policy_free(p);
}

struct error_case {
	const char *yaml;
	enum rtdp_rc rc;
	const char *message; /* after "policy 'test-policy': " */
};

/* clang-format off */
static const struct error_case errors[] = {
	/* header */
	{ "apiVersion: rtdp.io/v1\nkind: Policy\n", RTDP_ERR_INVALID, "apiVersion: must be rtdp.io/v1alpha1" },
	{ "kind: Policy\n", RTDP_ERR_INVALID, "apiVersion: must be rtdp.io/v1alpha1" },
	{ "apiVersion: 1\nkind: Policy\n", RTDP_ERR_INVALID, "apiVersion: must be rtdp.io/v1alpha1" },
	{ "apiVersion: rtdp.io/v1alpha1\nkind: Deployment\n", RTDP_ERR_INVALID, "kind: must be Policy" },
	{ "apiVersion: rtdp.io/v1alpha1\n", RTDP_ERR_INVALID, "kind: must be Policy" },
	{ HEADER "metadata: []\n", RTDP_ERR_INVALID, "metadata: must be a mapping" },
	{ HEADER "metadata: {name: 3}\n", RTDP_ERR_INVALID, "metadata.name: must be a non-empty string" },
	{ HEADER "metadata: {name: \"\"}\n", RTDP_ERR_INVALID, "metadata.name: must be a non-empty string" },
	/* unknown fields, at each level */
	{ HEADER "status: {}\n", RTDP_ERR_INVALID, "status: unknown field" },
	{ HEADER "spec: {bogus: 1}\n", RTDP_ERR_INVALID, "spec.bogus: unknown field" },
	{ HEADER "spec: {scope: {label: x}}\n", RTDP_ERR_INVALID, "spec.scope.label: unknown field" },
	{ HEADER "spec: {labels: {pod: []}}\n", RTDP_ERR_INVALID, "spec.labels.pod: unknown field" },
	{ HEADER "spec: {replicas: {min: 1}}\n", RTDP_ERR_INVALID, "spec.replicas.min: unknown field" },
	{ HEADER "spec: {ports: {pod: {}}}\n", RTDP_ERR_INVALID, "spec.ports.pod: unknown field" },
	{ HEADER "spec: {ports: {container: {low: 1}}}\n", RTDP_ERR_INVALID, "spec.ports.container.low: unknown field" },
	{ HEADER "spec: {ports: {service: {high: 1}}}\n", RTDP_ERR_INVALID, "spec.ports.service.high: unknown field" },
	{ HEADER "spec: {service: {type: [NodePort]}}\n", RTDP_ERR_INVALID, "spec.service.type: unknown field" },
	{ HEADER "spec: {resources: {request: {}}}\n", RTDP_ERR_INVALID, "spec.resources.request: unknown field" },
	{ HEADER "spec: {images: {tags: []}}\n", RTDP_ERR_INVALID, "spec.images.tags: unknown field" },
	{ HEADER "spec: {rules: {image-pinned: {action: warn, fix: true}}}\n", RTDP_ERR_INVALID,
	  "spec.rules.image-pinned.fix: unknown field" },
	{ HEADER "spec: {namespaces: [{name: a, labels: {}}]}\n", RTDP_ERR_INVALID, "spec.namespaces[0].labels: unknown field" },
	{ HEADER "spec: {namespaces: [{name: a, replicas: {raiseScale: true}}]}\n", RTDP_ERR_INVALID,
	  "spec.namespaces[0].replicas.raiseScale: unknown field" },
	{ HEADER "spec: {namespaces: [{name: a}, {name: b, rules: {x: 1}}]}\n", RTDP_ERR_INVALID,
	  "spec.namespaces[1].rules.x: unknown rule" },
	/* wrong types */
	{ HEADER "spec: []\n", RTDP_ERR_INVALID, "spec: must be a mapping" },
	{ HEADER "spec: {scope: x}\n", RTDP_ERR_INVALID, "spec.scope: must be a mapping" },
	{ HEADER "spec: {scope: {pipelineLabel: 3}}\n", RTDP_ERR_INVALID, "spec.scope.pipelineLabel: must be a non-empty string" },
	{ HEADER "spec: {scope: {exemptNamespaces: kube-system}}\n", RTDP_ERR_INVALID,
	  "spec.scope.exemptNamespaces: must be a list of strings" },
	{ HEADER "spec: {scope: {exemptNamespaces: [a, 3]}}\n", RTDP_ERR_INVALID,
	  "spec.scope.exemptNamespaces: must be a list of at most 32 non-empty strings" },
	{ HEADER "spec: {labels: {deployment: [\"\"]}}\n", RTDP_ERR_INVALID,
	  "spec.labels.deployment: must be a list of at most 32 non-empty strings" },
	{ HEADER "spec: {labels: {managedBy: [a]}}\n", RTDP_ERR_INVALID, "spec.labels.managedBy: must be a non-empty string" },
	{ HEADER "spec: {replicas: {minimum: \"3\"}}\n", RTDP_ERR_INVALID, "spec.replicas.minimum: must be an integer" },
	{ HEADER "spec: {replicas: {minimum: 2.5}}\n", RTDP_ERR_INVALID, "spec.replicas.minimum: must be an integer" },
	{ HEADER "spec: {replicas: {minimum: 1e30}}\n", RTDP_ERR_INVALID, "spec.replicas.minimum: must be an integer" },
	{ HEADER "spec: {replicas: {minimum: -1}}\n", RTDP_ERR_INVALID, "spec.replicas.minimum: -1 is out of range [0, 100000]" },
	{ HEADER "spec: {replicas: {maximum: 100001}}\n", RTDP_ERR_INVALID, "spec.replicas.maximum: 100001 is out of range [0, 100000]" },
	{ HEADER "spec: {replicas: {raiseScale: \"yes\"}}\n", RTDP_ERR_INVALID, "spec.replicas.raiseScale: must be true or false" },
	{ HEADER "spec: {ports: {container: {minimum: 0}}}\n", RTDP_ERR_INVALID, "spec.ports.container.minimum: 0 is out of range [1, 65535]" },
	{ HEADER "spec: {ports: {service: {maximum: 70000}}}\n", RTDP_ERR_INVALID, "spec.ports.service.maximum: 70000 is out of range [1, 65535]" },
	{ HEADER "spec: {ports: {protocols: TCP}}\n", RTDP_ERR_INVALID, "spec.ports.protocols: must be a list of strings" },
	{ HEADER "spec: {service: {types: [1]}}\n", RTDP_ERR_INVALID, "spec.service.types: must be a list of at most 32 non-empty strings" },
	{ HEADER "spec: {images: {disallowedTags: latest}}\n", RTDP_ERR_INVALID, "spec.images.disallowedTags: must be a list of strings" },
	{ HEADER "spec: {rules: []}\n", RTDP_ERR_INVALID, "spec.rules: must be a mapping" },
	{ HEADER "spec: {rules: {image-pinned: 1}}\n", RTDP_ERR_INVALID, "spec.rules.image-pinned: must be deny, warn or off (or {action, mutate})" },
	{ HEADER "spec: {rules: {image-pinned: true}}\n", RTDP_ERR_INVALID, "spec.rules.image-pinned: must be deny, warn or off (or {action, mutate})" },
	{ HEADER "spec: {rules: {image-pinned: {mutate: 1}}}\n", RTDP_ERR_INVALID, "spec.rules.image-pinned: must be true or false" },
	{ HEADER "spec: {namespaces: {name: a}}\n", RTDP_ERR_INVALID, "spec.namespaces: must be a list of at most 1024 {name, replicas, rules}" },
	{ HEADER "spec: {namespaces: [a]}\n", RTDP_ERR_INVALID, "spec.namespaces[0]: must be a mapping" },
	{ HEADER "spec: {namespaces: [{replicas: {minimum: 1}}]}\n", RTDP_ERR_INVALID, "spec.namespaces[0].name: is required" },
	{ HEADER "spec: {namespaces: [{name: a, replicas: []}]}\n", RTDP_ERR_INVALID, "spec.namespaces[0].replicas: must be a mapping" },
	/* min > max */
	{ HEADER "spec: {replicas: {minimum: 5, maximum: 4}}\n", RTDP_ERR_INVALID, "spec.replicas: minimum 5 is above maximum 4" },
	{ HEADER "spec: {replicas: {maximum: 2}}\n", RTDP_ERR_INVALID, "spec.replicas: minimum 3 is above maximum 2" },
	{ HEADER "spec: {ports: {container: {minimum: 9000, maximum: 8000}}}\n", RTDP_ERR_INVALID,
	  "spec.ports.container: minimum 9000 is above maximum 8000" },
	{ HEADER "spec: {ports: {service: {minimum: 2000}, container: {maximum: 80}}}\n", RTDP_ERR_INVALID,
	  "spec.ports.container: minimum 1024 is above maximum 80" },
	{ HEADER "spec: {namespaces: [{name: a, replicas: {minimum: 9, maximum: 8}}]}\n", RTDP_ERR_INVALID,
	  "spec.namespaces[0].replicas: minimum 9 is above maximum 8" },
	/* an override that only moves one bound must still leave minimum <= maximum */
	{ HEADER "spec: {replicas: {maximum: 5}, namespaces: [{name: a, replicas: {minimum: 6}}]}\n", RTDP_ERR_INVALID,
	  "spec.namespaces[0].replicas: minimum 6 is above maximum 5" },
	{ HEADER "spec: {replicas: {minimum: 4}, namespaces: [{name: a, replicas: {maximum: 2}}]}\n", RTDP_ERR_INVALID,
	  "spec.namespaces[0].replicas: minimum 4 is above maximum 2" },
	/* rules */
	{ HEADER "spec: {rules: {no-such-rule: deny}}\n", RTDP_ERR_INVALID, "spec.rules.no-such-rule: unknown rule" },
	{ HEADER "spec: {rules: {image-pinned: block}}\n", RTDP_ERR_INVALID, "spec.rules.image-pinned: 'block' is not deny, warn or off" },
	{ HEADER "spec: {rules: {image-pinned: {action: Deny}}}\n", RTDP_ERR_INVALID, "spec.rules.image-pinned: 'Deny' is not deny, warn or off" },
	{ HEADER "spec: {rules: {image-pinned: {action: deny, mutate: true}}}\n", RTDP_ERR_INVALID,
	  "spec.rules.image-pinned: this rule has no automatic fix; mutate must be false" },
	{ HEADER "spec: {rules: {readiness-probe: {mutate: true}}}\n", RTDP_ERR_INVALID,
	  "spec.rules.readiness-probe: this rule has no automatic fix; mutate must be false" },
	{ HEADER "spec: {namespaces: [{name: a, rules: {service-type: {mutate: true}}}]}\n", RTDP_ERR_INVALID,
	  "spec.namespaces[0].rules.service-type: this rule has no automatic fix; mutate must be false" },
	/* quantities */
	{ HEADER "spec: {resources: {requests: {cpu: lots}}}\n", RTDP_ERR_INVALID,
	  "spec.resources.requests.cpu: must be a quantity such as 100m, 1 or 512Mi (quoted)" },
	{ HEADER "spec: {resources: {limits: {memory: 512MB}}}\n", RTDP_ERR_INVALID,
	  "spec.resources.limits.memory: must be a quantity" },
	{ HEADER "spec: {resources: {limits: {cpu: 1}}}\n", RTDP_ERR_INVALID,
	  "spec.resources.limits.cpu: must be a quantity" },
	{ HEADER "spec: {resources: {limits: {a: \"1\", b: \"1\", c: \"1\", d: \"1\", e: \"1\"}}}\n", RTDP_ERR_INVALID,
	  "spec.resources.limits: at most 4 resources" },
	{ HEADER "spec: {resources: {requests: []}}\n", RTDP_ERR_INVALID, "spec.resources.requests: must be a mapping" },
	/* not a single mapping */
	{ "- apiVersion: rtdp.io/v1alpha1\n", RTDP_ERR_INVALID, "expected a mapping, got a sequence" },
	{ HEADER "---\n" HEADER, RTDP_ERR_INVALID, "document 2: line 4, column 1: expected a single document" },
};
/* clang-format on */

static void test_every_error_path(void **state)
{
	struct rtdp_policy *p;
	struct rtdp_error err;
	char want[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		p = (struct rtdp_policy *)1;
		rtdp_error_init(&err);
		snprintf(want, sizeof(want), "policy 'test-policy': %s", errors[i].message);
		if (strncmp(errors[i].message, "expected", 8) == 0 ||
		    strncmp(errors[i].message, "document", 8) == 0)
			snprintf(want, sizeof(want), "%s", errors[i].message);
		if (rtdp_policy_parse("test-policy", errors[i].yaml, strlen(errors[i].yaml), &p,
		                      &err) != errors[i].rc ||
		    !strstr(err.msg, want))
			fail_msg("case %zu:\n%s\nwant %s: %s\ngot %s: %s", i, errors[i].yaml,
			         rtdp_rc_name(errors[i].rc), want, rtdp_rc_name(err.rc), err.msg);
		assert_null(p);
	}
}

static void test_too_long_a_list(void **state)
{
	char yaml[2048];
	size_t used = (size_t)snprintf(yaml, sizeof(yaml),
	                               HEADER "spec:\n  scope:\n    exemptNamespaces:\n");
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;
	int i;

	(void)state;
	for (i = 0; i < 33; i++)
		used += (size_t)snprintf(yaml + used, sizeof(yaml) - used, "    - ns%d\n", i);
	rtdp_error_init(&err);
	assert_error(rtdp_policy_parse("long", yaml, used, &p, &err), &err, RTDP_ERR_INVALID,
	             "policy 'long': spec.scope.exemptNamespaces: must be a list of at most 32 "
	             "non-empty strings");
}

static void test_malformed_yaml(void **state)
{
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	assert_error(rtdp_policy_load_file(fixture_path("policy/malformed.yaml"), &p, &err), &err,
	             RTDP_ERR_PARSE, "policy '", "malformed.yaml': document 1: line 6, column 4:");
	assert_null(p);
	rtdp_error_init(&err);
	assert_error(
	        rtdp_policy_parse("dup", HEADER "kind: Policy\n", strlen(HEADER) + 13, &p, &err),
	        &err, RTDP_ERR_PARSE,
	        "policy 'dup': document 1: line 3, column 1: duplicate key 'kind'");
	rtdp_error_init(&err);
	assert_error(rtdp_policy_parse("inf", HEADER "spec: {replicas: {minimum: .inf}}\n",
	                               strlen(HEADER) + 34, &p, &err),
	             &err, RTDP_ERR_PARSE,
	             "policy 'inf': document 1: line 3, column 28: '.inf' has no JSON form");
}

static void test_file_errors(void **state)
{
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;
	char path[] = "/tmp/rtdp-test-policy-XXXXXX";
	FILE *f;
	int fd, i;

	(void)state;
	rtdp_error_init(&err);
	assert_error(rtdp_policy_load_file("/nonexistent/policy.yaml", &p, &err), &err, RTDP_ERR_IO,
	             "policy: cannot open '/nonexistent/policy.yaml': No such file or directory");
	assert_null(p);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(HEADER "metadata:\n  annotations: |\n", f);
	for (i = 0; i < 20000; i++) /* over 1 MiB */
		fputs("    0123456789012345678901234567890123456789012345678901234567890123\n", f);
	fclose(f);
	rtdp_error_init(&err);
	assert_error(rtdp_policy_load_file(path, &p, &err), &err, RTDP_ERR_LIMIT, "policy: '",
	             "' is larger than the limit of 1048576 bytes");
	assert_null(p);
	unlink(path);
}

static void test_rule_and_action_names(void **state)
{
	int i;

	(void)state;
	assert_string_equal(rtdp_action_name(RTDP_ACTION_OFF), "off");
	assert_string_equal(rtdp_action_name(RTDP_ACTION_WARN), "warn");
	assert_string_equal(rtdp_action_name(RTDP_ACTION_DENY), "deny");
	for (i = 0; i < RULE_COUNT; i++)
		assert_int_equal(rule_lookup(rule_table[i].id), i);
	assert_int_equal(rule_lookup("nope"), RULE_COUNT);
	rtdp_policy_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_builtin_defaults_match_the_seed),
	        cmocka_unit_test(test_header_only_policy_is_the_default),
	        cmocka_unit_test(test_full_custom_policy),
	        cmocka_unit_test(test_namespace_override_inherits_the_policy_rule),
	        cmocka_unit_test(test_off_may_be_written_unquoted),
	        cmocka_unit_test(test_every_error_path),
	        cmocka_unit_test(test_too_long_a_list),
	        cmocka_unit_test(test_malformed_yaml),
	        cmocka_unit_test(test_file_errors),
	        cmocka_unit_test(test_rule_and_action_names),
	};

	return cmocka_run_group_tests_name("policy_load", tests, NULL, NULL);
}
