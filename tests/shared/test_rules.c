/*
 * Every rule, allowed and denied: a valid fixture (tests/fixtures/manifests/rules)
 * is broken one field at a time by a JSON patch, evaluated, and the findings
 * compared exactly (rule, pointer, action, fixed, message). Each case is also
 * put through the idempotence proof. Then actions, overrides and scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rtdp/json_patch.h"
#include "rtdp/banned.h"

#define HEADER "apiVersion: rtdp.io/v1alpha1\nkind: Policy\n"
#define C0 "/spec/template/spec/containers/0"
#define MAX_EXPECT 5

struct expect {
	const char *rule;
	const char *pointer;
	enum rtdp_action action;
	bool fixed;
	const char *message; /* a part of it */
};

struct rule_case {
	const char *name;
	const char *base; /* fixture under manifests/rules, without .yaml */
	const char *patch; /* breaks the fixture; NULL: as is */
	const char *policy; /* NULL: the built-in policy */
	bool selected; /* the namespace carries the pipeline label */
	struct expect want[MAX_EXPECT]; /* every finding, in order; none: allowed */
};

#define DENY RTDP_ACTION_DENY
#define WARN RTDP_ACTION_WARN

/* clang-format off */
static const struct rule_case cases[] = {
	/* allowed by every rule */
	{ "deployment allowed", "deployment", NULL, NULL, false, { { 0 } } },
	{ "service allowed", "service", NULL, NULL, false, { { 0 } } },
	{ "allowed in a selected namespace too", "deployment", NULL, NULL, true, { { 0 } } },

	/* labels-required */
	{ "labels-required: a missing label is added", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"/metadata/labels/app.kubernetes.io~1component\"}]", NULL, false,
	  { { "labels-required", "/metadata/labels/app.kubernetes.io~1component", DENY, true,
	      "required label app.kubernetes.io/component is missing from metadata.labels: add app.kubernetes.io/component: worker" } } },
	{ "labels-required: a template label comes from the Deployment's", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"/spec/template/metadata/labels/app.kubernetes.io~1part-of\"}]", NULL, false,
	  { { "labels-required", "/spec/template/metadata/labels/app.kubernetes.io~1part-of", DENY, true,
	      "missing from spec.template.metadata.labels: add app.kubernetes.io/part-of: demo" } } },
	{ "labels-required: a template label the selector names takes the selector's value", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/selector/matchLabels/app.kubernetes.io~1name\",\"value\":\"worker-pods\"},"
	  "{\"op\":\"remove\",\"path\":\"/spec/template/metadata/labels/app.kubernetes.io~1name\"}]", NULL, false,
	  { { "labels-required", "/spec/template/metadata/labels/app.kubernetes.io~1name", DENY, true,
	      "add app.kubernetes.io/name: worker-pods" } } },
	{ "labels-required: a label value that is not a string", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/metadata/labels/app.kubernetes.io~1version\",\"value\":2.1}]", NULL, false,
	  { { "labels-required", "/metadata/labels/app.kubernetes.io~1version", DENY, false,
	      "label app.kubernetes.io/version in metadata.labels is 2.1; label values are strings: quote it" } } },
	{ "labels-required: labels that are not a map", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/metadata/labels\",\"value\":\"x\"}]", NULL, true,
	  { { "labels-required", "/metadata/labels", DENY, false, "metadata.labels is \"x\"; it must be a map" } } },
	{ "labels-required: no value can be derived (image latest, no version)", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"registry.example.com/demo/worker:latest\"},"
	  "{\"op\":\"remove\",\"path\":\"/metadata/labels/app.kubernetes.io~1version\"},"
	  "{\"op\":\"remove\",\"path\":\"/spec/template/metadata/labels/app.kubernetes.io~1version\"}]", NULL, false,
	  { { "labels-required", "/metadata/labels/app.kubernetes.io~1version", DENY, false,
	      "required label app.kubernetes.io/version is missing from metadata.labels: add it (no value can be derived)" },
	    { "labels-required", "/spec/template/metadata/labels/app.kubernetes.io~1version", DENY, false,
	      "missing from spec.template.metadata.labels: add it (no value can be derived)" },
	    { "image-pinned", C0 "/image", DENY, false, "is tagged with a moving tag" } } },
	{ "labels-required: an image by digest gives the version", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"registry.example.com/demo/worker@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},"
	  "{\"op\":\"remove\",\"path\":\"/metadata/labels/app.kubernetes.io~1version\"}]", NULL, false,
	  { { "labels-required", "/metadata/labels/app.kubernetes.io~1version", DENY, true,
	      "add app.kubernetes.io/version: sha256-0123456789ab" } } },
	{ "labels-required: the version comes from the image tag", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"/metadata/labels/app.kubernetes.io~1version\"}]", NULL, false,
	  { { "labels-required", "/metadata/labels/app.kubernetes.io~1version", DENY, true,
	      "add app.kubernetes.io/version: 2.1.0" } } },
	{ "labels-required: a Service label", "service",
	  "[{\"op\":\"remove\",\"path\":\"/metadata/labels/app.kubernetes.io~1managed-by\"}]", NULL, false,
	  { { "labels-required", "/metadata/labels/app.kubernetes.io~1managed-by", DENY, true,
	      "add app.kubernetes.io/managed-by: rtdp" } } },

	/* labels-selector */
	{ "labels-selector: the template lacks a selector label", "deployment",
	  "[{\"op\":\"add\",\"path\":\"/spec/selector/matchLabels/tier\",\"value\":\"backend\"}]", NULL, false,
	  { { "labels-selector", "/spec/template/metadata/labels/tier", DENY, true,
	      "the pod template lacks the selector's label tier: add tier: backend" } } },
	{ "labels-selector: the template disagrees with the selector", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/template/metadata/labels/app.kubernetes.io~1instance\",\"value\":\"other\"}]", NULL, false,
	  { { "labels-selector", "/spec/template/metadata/labels/app.kubernetes.io~1instance", DENY, false,
	      "pod template label app.kubernetes.io/instance is \"other\" but the selector wants \"demo\"" } } },
	{ "labels-selector: no selector", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"/spec/selector\"}]", NULL, false,
	  { { "labels-selector", "/spec/selector", DENY, false, "spec.selector is missing: apps/v1 Deployments need one" } } },

	/* replicas-minimum and replicas-maximum */
	{ "replicas-minimum: 1 is raised to 3", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]", NULL, false,
	  { { "replicas-minimum", "/spec/replicas", DENY, true,
	      "spec.replicas is 1, below the minimum of 3 for a real-time workload: set spec.replicas to 3 or more" } } },
	{ "replicas-minimum: unset means 1", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"/spec/replicas\"}]", NULL, false,
	  { { "replicas-minimum", "/spec/replicas", DENY, true, "spec.replicas is 1 (unset, so 1), below the minimum of 3" } } },
	{ "replicas-minimum: null means unset", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":null}]", NULL, false,
	  { { "replicas-minimum", "/spec/replicas", DENY, true, "(unset, so 1)" } } },
	{ "replicas-minimum: a string is a finding, not a coercion", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":\"3\"}]", NULL, false,
	  { { "replicas-minimum", "/spec/replicas", DENY, false,
	      "spec.replicas is \"3\"; it must be an integer (write 3, not \"3\")" } } },
	{ "replicas-minimum: a fraction", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2.5}]", NULL, false,
	  { { "replicas-minimum", "/spec/replicas", DENY, false, "spec.replicas is 2.5; it must be an integer" } } },
	{ "replicas-minimum: a number too large for any integer", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1e300}]", NULL, false,
	  { { "replicas-minimum", "/spec/replicas", DENY, false, "it must be an integer" } } },
	{ "replicas-minimum: a large count is fine without a maximum", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1000}]", NULL, false, { { 0 } } },
	{ "replicas-minimum: a namespace override", "deployment", NULL,
	  HEADER "spec:\n  namespaces:\n  - name: demo\n    replicas: {minimum: 5}\n", false,
	  { { "replicas-minimum", "/spec/replicas", DENY, true, "spec.replicas is 3, below the minimum of 5" } } },
	{ "replicas-minimum: another namespace keeps the policy's", "deployment", NULL,
	  HEADER "spec:\n  namespaces:\n  - name: other\n    replicas: {minimum: 5}\n", false, { { 0 } } },
	{ "replicas-maximum: lowered to the maximum", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":10}]",
	  HEADER "spec:\n  replicas: {maximum: 5}\n", false,
	  { { "replicas-maximum", "/spec/replicas", DENY, true,
	      "spec.replicas is 10, above the maximum of 5: set spec.replicas to 5 or fewer" } } },
	{ "replicas-maximum: at the maximum", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]",
	  HEADER "spec:\n  replicas: {maximum: 5}\n", false, { { 0 } } },

	/* container-ports */
	{ "container-ports: an unnamed port", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"" C0 "/ports/1/name\"}]", NULL, false,
	  { { "container-ports", C0 "/ports/1/name", DENY, false,
	      "container \"worker\" containerPort 9090 has no name: name it, e.g. name: http" } } },
	{ "container-ports: an invalid name", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/1/name\",\"value\":\"Metrics_Port\"}]", NULL, false,
	  { { "container-ports", C0 "/ports/1/name", DENY, false,
	      "container \"worker\" port name \"Metrics_Port\" is not a valid port name" } } },
	{ "container-ports: below the range", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/1/containerPort\",\"value\":80}]", NULL, false,
	  { { "container-ports", C0 "/ports/1/containerPort", DENY, false,
	      "container \"worker\" containerPort 80 is outside the allowed range 1024-65535" } } },
	{ "container-ports: above the range", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/0/containerPort\",\"value\":70000}]", NULL, false,
	  { { "container-ports", C0 "/ports/0/containerPort", DENY, false, "containerPort 70000 is outside the allowed range" } } },
	{ "container-ports: a policy range", "deployment", NULL,
	  HEADER "spec:\n  ports:\n    container: {minimum: 8000, maximum: 9000}\n", false,
	  { { "container-ports", C0 "/ports/1/containerPort", DENY, false, "containerPort 9090 is outside the allowed range 8000-9000" } } },
	{ "container-ports: a duplicate name", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/1/name\",\"value\":\"http\"}]", NULL, false,
	  { { "container-ports", C0 "/ports/1", DENY, false,
	      "container \"worker\" ports 0 and 1 share the name \"http\": names must be unique" } } },
	{ "container-ports: a duplicate number (TCP by default)", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/1/containerPort\",\"value\":8080}]", NULL, false,
	  { { "container-ports", C0 "/ports/1", DENY, false,
	      "container \"worker\" exposes containerPort 8080 twice: remove the duplicate" } } },
	{ "container-ports: the same number over UDP is another port", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/1/containerPort\",\"value\":8080},"
	  "{\"op\":\"add\",\"path\":\"" C0 "/ports/1/protocol\",\"value\":\"UDP\"}]", NULL, false, { { 0 } } },
	{ "container-ports: SCTP is a protocol", "deployment",
	  "[{\"op\":\"add\",\"path\":\"" C0 "/ports/1/protocol\",\"value\":\"SCTP\"}]", NULL, false, { { 0 } } },
	{ "container-ports: a bad protocol", "deployment",
	  "[{\"op\":\"add\",\"path\":\"" C0 "/ports/1/protocol\",\"value\":\"HTTP\"}]", NULL, false,
	  { { "container-ports", C0 "/ports/1/protocol", DENY, false,
	      "container \"worker\" port 9090 has protocol \"HTTP\": use TCP, UDP or SCTP" } } },
	{ "container-ports: protocols are case-sensitive", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/0/protocol\",\"value\":\"tcp\"}]", NULL, false,
	  { { "container-ports", C0 "/ports/0/protocol", DENY, false, "has protocol \"tcp\"" } } },
	{ "container-ports: a protocol that is not a string", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/0/protocol\",\"value\":6}]", NULL, false,
	  { { "container-ports", C0 "/ports/0/protocol", DENY, false, "has protocol 6" } } },
	{ "container-ports: a string containerPort is a finding, not a coercion", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/0/containerPort\",\"value\":\"8080\"}]", NULL, false,
	  { { "container-ports", C0 "/ports/0/containerPort", DENY, false,
	      "container \"worker\" port 0: containerPort is \"8080\"; it must be an integer such as 8080" } } },
	{ "container-ports: a containerPort too large for any integer", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/ports/0/containerPort\",\"value\":1e300}]", NULL, false,
	  { { "container-ports", C0 "/ports/0/containerPort", DENY, false, "it must be an integer" } } },
	{ "container-ports: no ports", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"" C0 "/ports\"}]", NULL, false,
	  { { "container-ports", C0 "/ports", DENY, false, "container \"worker\" exposes no containerPort" } } },
	{ "container-ports: no containers", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers\",\"value\":[]}]", NULL, false,
	  { { "container-ports", "/spec/template/spec/containers", DENY, false,
	      "spec.template.spec.containers is missing or empty" } } },

	/* container-resources */
	{ "container-resources: missing ones are set from the policy", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"" C0 "/resources\"}]", NULL, false,
	  { { "container-resources", C0 "/resources/requests/cpu", DENY, true,
	      "container \"worker\" has no cpu request: set resources.requests.cpu, e.g. 100m" },
	    { "container-resources", C0 "/resources/requests/memory", DENY, true, "e.g. 128Mi" },
	    { "container-resources", C0 "/resources/limits/cpu", DENY, true,
	      "container \"worker\" has no cpu limit: set resources.limits.cpu, e.g. 1" },
	    { "container-resources", C0 "/resources/limits/memory", DENY, true, "e.g. 512Mi" } } },
	{ "container-resources: null resources", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/resources\",\"value\":null}]", NULL, false,
	  { { "container-resources", C0 "/resources/requests/cpu", DENY, true, "e.g. 100m" },
	    { "container-resources", C0 "/resources/requests/memory", DENY, true, "e.g. 128Mi" },
	    { "container-resources", C0 "/resources/limits/cpu", DENY, true, "e.g. 1" },
	    { "container-resources", C0 "/resources/limits/memory", DENY, true, "e.g. 512Mi" } } },
	{ "container-resources: an invalid quantity", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/resources/requests/cpu\",\"value\":\"lots\"}]", NULL, false,
	  { { "container-resources", C0 "/resources/requests/cpu", DENY, false,
	      "container \"worker\" resources.requests.cpu is \"lots\", not a quantity: write e.g. \"100m\"" } } },
	{ "container-resources: a quantity that is a list", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/resources/limits/memory\",\"value\":[1]}]", NULL, false,
	  { { "container-resources", C0 "/resources/limits/memory", DENY, false, "resources.limits.memory is a list, not a quantity" } } },
	{ "container-resources: a number is a quantity", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/resources/limits/cpu\",\"value\":2}]", NULL, false, { { 0 } } },
	{ "container-resources: a default request is clamped to the container's limit", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"" C0 "/resources/requests/cpu\"},"
	  "{\"op\":\"replace\",\"path\":\"" C0 "/resources/limits/cpu\",\"value\":\"50m\"}]", NULL, false,
	  { { "container-resources", C0 "/resources/requests/cpu", DENY, true, "has no cpu request: set resources.requests.cpu, e.g. 50m" } } },
	{ "container-resources: a default limit is raised to the container's request", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"" C0 "/resources/limits/memory\"},"
	  "{\"op\":\"replace\",\"path\":\"" C0 "/resources/requests/memory\",\"value\":\"1Gi\"}]", NULL, false,
	  { { "container-resources", C0 "/resources/limits/memory", DENY, true, "has no memory limit: set resources.limits.memory, e.g. 1Gi" } } },
	{ "container-resources: resources that are not a map", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/resources\",\"value\":\"big\"}]", NULL, false,
	  { { "container-resources", C0 "/resources", DENY, false,
	      "container \"worker\" resources is \"big\"; it must be a map of requests and limits" } } },

	/* readiness-probe */
	{ "readiness-probe: missing", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"" C0 "/readinessProbe\"}]", NULL, false,
	  { { "readiness-probe", C0 "/readinessProbe", DENY, false, "container \"worker\" has no readinessProbe" } } },
	{ "readiness-probe: empty", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/readinessProbe\",\"value\":{}}]", NULL, false,
	  { { "readiness-probe", C0 "/readinessProbe", DENY, false, "has no readinessProbe" } } },
	{ "readiness-probe: a second container is checked too", "deployment",
	  "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/-\",\"value\":{\"name\":\"sidecar\",\"image\":\"busybox:1.36\","
	  "\"ports\":[{\"name\":\"side\",\"containerPort\":7070}],\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"},"
	  "\"limits\":{\"cpu\":\"100m\",\"memory\":\"32Mi\"}}}}]", NULL, false,
	  { { "readiness-probe", "/spec/template/spec/containers/1/readinessProbe", DENY, false,
	      "container \"sidecar\" has no readinessProbe" } } },

	/* image-pinned */
	{ "image-pinned: no tag", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx\"}]", NULL, false,
	  { { "image-pinned", C0 "/image", DENY, false, "container \"worker\" image \"nginx\" is not pinned (no tag means latest)" } } },
	{ "image-pinned: latest", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx:latest\"}]", NULL, false,
	  { { "image-pinned", C0 "/image", DENY, false, "image \"nginx:latest\" is tagged with a moving tag" } } },
	{ "image-pinned: a registry port is not a tag", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"registry.example.com:5000/demo/worker\"}]", NULL, false,
	  { { "image-pinned", C0 "/image", DENY, false, "is not pinned (no tag means latest)" } } },
	{ "image-pinned: an empty tag pins nothing", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx:\"}]", NULL, false,
	  { { "image-pinned", C0 "/image", DENY, false, "image \"nginx:\" is not pinned (no tag means latest)" } } },
	{ "image-pinned: a registry port and a tag", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"localhost:5000/worker:2.1.0\"}]", NULL, false, { { 0 } } },
	{ "image-pinned: a tag", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx:1.27.3\"}]", NULL, false, { { 0 } } },
	{ "image-pinned: a digest", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}]",
	  NULL, false, { { 0 } } },
	{ "image-pinned: latest and a digest is pinned", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}]",
	  NULL, false, { { 0 } } },
	{ "image-pinned: no image", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"" C0 "/image\"}]", NULL, false,
	  { { "image-pinned", C0 "/image", DENY, false, "container \"worker\" image is missing: set an image pinned by tag or digest" } } },
	{ "image-pinned: an image that is not a string", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":5}]", NULL, false,
	  { { "image-pinned", C0 "/image", DENY, false, "container \"worker\" image is 5" } } },
	{ "image-pinned: the policy's disallowed tags", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx:main\"}]",
	  HEADER "spec:\n  images: {disallowedTags: [latest, main]}\n", false,
	  { { "image-pinned", C0 "/image", DENY, false, "image \"nginx:main\" is tagged with a moving tag" } } },

	/* service-ports */
	{ "service-ports: an unnamed port", "service",
	  "[{\"op\":\"remove\",\"path\":\"/spec/ports/0/name\"}]", NULL, false,
	  { { "service-ports", "/spec/ports/0/name", DENY, false, "Service port 80 has no name" } } },
	{ "service-ports: no targetPort", "service",
	  "[{\"op\":\"remove\",\"path\":\"/spec/ports/1/targetPort\"}]", NULL, false,
	  { { "service-ports", "/spec/ports/1/targetPort", DENY, false,
	      "Service port 9090 (metrics) has no targetPort: set targetPort to the container port's name or number" } } },
	{ "service-ports: a port out of range", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/port\",\"value\":70000}]", NULL, false,
	  { { "service-ports", "/spec/ports/0/port", DENY, false, "Service port 70000 is outside the allowed range 1-65535" } } },
	{ "service-ports: a port of 0", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/port\",\"value\":0}]", NULL, false,
	  { { "service-ports", "/spec/ports/0/port", DENY, false, "Service port 0 is outside the allowed range" } } },
	{ "service-ports: a string port", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/port\",\"value\":\"80\"}]", NULL, false,
	  { { "service-ports", "/spec/ports/0/port", DENY, false, "spec.ports[0].port is \"80\"; it must be an integer such as 8080" } } },
	{ "service-ports: a missing port", "service",
	  "[{\"op\":\"remove\",\"path\":\"/spec/ports/0/port\"}]", NULL, false,
	  { { "service-ports", "/spec/ports/0/port", DENY, false, "spec.ports[0].port is missing" } } },
	{ "service-ports: a bad targetPort name", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":\"Bad_Name\"}]", NULL, false,
	  { { "service-ports", "/spec/ports/0/targetPort", DENY, false,
	      "Service port 80 (http) targetPort is \"Bad_Name\": use a port number 1-65535 or a container port name" } } },
	{ "service-ports: a targetPort of 0", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/ports/1/targetPort\",\"value\":0}]", NULL, false,
	  { { "service-ports", "/spec/ports/1/targetPort", DENY, false, "targetPort is 0" } } },
	{ "service-ports: a targetPort out of range", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/ports/1/targetPort\",\"value\":65536}]", NULL, false,
	  { { "service-ports", "/spec/ports/1/targetPort", DENY, false, "targetPort is 65536" } } },
	{ "service-ports: a targetPort too large for any integer", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/ports/1/targetPort\",\"value\":1e300}]", NULL, false,
	  { { "service-ports", "/spec/ports/1/targetPort", DENY, false, "targetPort is 1e+300" } } },
	{ "service-ports: no ports", "service",
	  "[{\"op\":\"remove\",\"path\":\"/spec/ports\"}]", NULL, false,
	  { { "service-ports", "/spec/ports", DENY, false, "the Service has no ports: add a named port with a targetPort" } } },
	{ "service-ports: a policy range", "service", NULL,
	  HEADER "spec:\n  ports:\n    service: {minimum: 1024}\n", false,
	  { { "service-ports", "/spec/ports/0/port", DENY, false, "Service port 80 is outside the allowed range 1024-65535" } } },
	{ "service-ports: an ExternalName Service needs none", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/type\",\"value\":\"ExternalName\"},{\"op\":\"remove\",\"path\":\"/spec/ports\"}]",
	  HEADER "spec:\n  service: {types: [ClusterIP, ExternalName]}\n", false, { { 0 } } },

	/* service-type */
	{ "service-type: NodePort", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/type\",\"value\":\"NodePort\"}]", NULL, false,
	  { { "service-type", "/spec/type", DENY, false, "spec.type is NodePort, which the policy does not allow: use ClusterIP" } } },
	{ "service-type: not a string", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/type\",\"value\":1}]", NULL, false,
	  { { "service-type", "/spec/type", DENY, false, "spec.type is 1; it must be a string such as ClusterIP" } } },
	{ "service-type: unset means ClusterIP", "service",
	  "[{\"op\":\"remove\",\"path\":\"/spec/type\"}]", NULL, false, { { 0 } } },
	{ "service-type: a policy that allows LoadBalancer", "service",
	  "[{\"op\":\"replace\",\"path\":\"/spec/type\",\"value\":\"LoadBalancer\"}]",
	  HEADER "spec:\n  service: {types: [ClusterIP, LoadBalancer]}\n", false, { { 0 } } },

	/* actions and per-namespace overrides */
	{ "action warn", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx:latest\"}]",
	  HEADER "spec:\n  rules: {image-pinned: warn}\n", false,
	  { { "image-pinned", C0 "/image", WARN, false, "is tagged with a moving tag" } } },
	{ "action off", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx:latest\"}]",
	  HEADER "spec:\n  rules: {image-pinned: \"off\"}\n", false, { { 0 } } },
	{ "a warn rule still fixes", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]",
	  HEADER "spec:\n  rules: {replicas-minimum: warn}\n", false,
	  { { "replicas-minimum", "/spec/replicas", WARN, true, "spec.replicas is 2, below the minimum of 3" } } },
	{ "mutate false reports without fixing", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]",
	  HEADER "spec:\n  rules: {replicas-minimum: {mutate: false}}\n", false,
	  { { "replicas-minimum", "/spec/replicas", DENY, false, "spec.replicas is 2" } } },
	{ "a namespace override relaxes a rule", "deployment",
	  "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx:latest\"},"
	  "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]",
	  HEADER "spec:\n  namespaces:\n  - name: demo\n    replicas: {minimum: 1}\n    rules: {image-pinned: warn}\n", false,
	  { { "image-pinned", C0 "/image", WARN, false, "is tagged with a moving tag" } } },
	{ "a namespace override turns a rule off", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"" C0 "/readinessProbe\"}]",
	  HEADER "spec:\n  namespaces:\n  - name: demo\n    rules: {readiness-probe: \"off\"}\n", false, { { 0 } } },
	{ "an override of another namespace does not apply", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"" C0 "/readinessProbe\"}]",
	  HEADER "spec:\n  namespaces:\n  - name: elsewhere\n    rules: {readiness-probe: \"off\"}\n", false,
	  { { "readiness-probe", C0 "/readinessProbe", DENY, false, "has no readinessProbe" } } },

	/* scope */
	{ "scope: a selected namespace puts an unlabelled object in scope", "deployment",
	  "[{\"op\":\"remove\",\"path\":\"/metadata/labels/rtdp.io~1pipeline\"}]", NULL, true,
	  { { "labels-required", "/metadata/labels/rtdp.io~1pipeline", DENY, true, "add rtdp.io/pipeline: demo" } } },
	{ "scope: a custom pipeline label", "deployment", NULL,
	  HEADER "spec:\n  scope: {pipelineLabel: example.com/pipeline}\n  labels:\n    deployment: [example.com/pipeline]\n    podTemplate: []\n", true,
	  { { "labels-required", "/metadata/labels/example.com~1pipeline", DENY, true, "add example.com/pipeline: demo" } } },
	{ "scope: Scale below the minimum is denied", "scale", NULL, NULL, true,
	  { { "replicas-minimum", "/spec/replicas", DENY, false,
	      "spec.replicas is 1, below the minimum of 3 for a real-time workload: scale to 3 or more" } } },
	{ "scope: Scale raised with raiseScale", "scale", NULL, HEADER "spec:\n  replicas: {raiseScale: true}\n", true,
	  { { "replicas-minimum", "/spec/replicas", DENY, true, "scale to 3 or more" } } },
	{ "scope: Scale to zero", "scale",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":0}]", NULL, true,
	  { { "replicas-minimum", "/spec/replicas", DENY, false, "spec.replicas is 0, below the minimum of 3" } } },
	{ "scope: Scale without replicas", "scale",
	  "[{\"op\":\"remove\",\"path\":\"/spec/replicas\"}]", NULL, true,
	  { { "replicas-minimum", "/spec/replicas", DENY, false, "(unset, so 0)" } } },
	{ "scope: Scale at the minimum", "scale",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]", NULL, true, { { 0 } } },
	{ "scope: Scale above the maximum", "scale",
	  "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":9}]",
	  HEADER "spec:\n  replicas: {maximum: 6, raiseScale: true}\n", true,
	  { { "replicas-maximum", "/spec/replicas", DENY, true, "spec.replicas is 9, above the maximum of 6: scale to 6 or fewer" } } },
};
/* clang-format on */

static cJSON *load_base(const char *base, const char *patch)
{
	char rel[256], *bytes;
	size_t len;
	cJSON *obj, *ops;
	struct rtdp_error err;

	snprintf(rel, sizeof(rel), "manifests/rules/%s.yaml", base);
	bytes = fixture_read(rel, &len);
	obj = yaml_doc(bytes);
	free(bytes);
	if (!patch)
		return obj;
	ops = json_doc(patch);
	rtdp_error_init(&err);
	if (rtdp_json_patch_apply(&obj, ops, &err) != RTDP_OK)
		fail_msg("breaking %s: %s", base, err.msg);
	cJSON_Delete(ops);
	return obj;
}

static size_t expected_count(const struct rule_case *c)
{
	size_t n = 0;

	while (n < MAX_EXPECT && c->want[n].rule)
		n++;
	return n;
}

static void check_case(const struct rule_case *c)
{
	struct rtdp_policy *p = c->policy ? policy_text(c->policy) : policy_default();
	cJSON *obj = load_base(c->base, c->patch);
	struct rtdp_eval_input in = {obj, NULL, c->selected};
	struct rtdp_verdict v;
	struct rtdp_error err;
	size_t i, n = expected_count(c);

	rtdp_verdict_init(&v);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_eval(p, &in, &v, &err), RTDP_OK);
	if (!v.in_scope || v.len != n) {
		dump_verdict(c->name, &v);
		fail_msg("%s: %zu findings, want %zu (in scope: %d)", c->name, v.len, n,
		         v.in_scope);
	}
	for (i = 0; i < n; i++) {
		const struct expect *w = &c->want[i];
		const struct rtdp_finding *f = &v.findings[i];

		if (strcmp(f->rule, w->rule) != 0 || strcmp(f->pointer, w->pointer) != 0 ||
		    f->action != w->action || f->fixed != w->fixed ||
		    !strstr(f->message, w->message)) {
			dump_verdict(c->name, &v);
			fail_msg("%s: finding %zu is not %s %s %s fixed=%d \"%s\"", c->name, i,
			         w->rule, w->pointer, rtdp_action_name(w->action), w->fixed,
			         w->message);
		}
	}
	/* a finding nobody fixes leaves the patch without an operation for it */
	if (n > 0 && !c->want[0].fixed && n == 1)
		assert_int_equal(cJSON_GetArraySize(v.patch), 0);
	check_idempotent(p, (const cJSON *const *)&obj, 1, true, c->selected);
	rtdp_verdict_release(&v);
	cJSON_Delete(obj);
	rtdp_policy_free(p);
}

static void test_every_rule_allowed_and_denied(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
}

/* Every rule id appears in the table as a finding, and deny and warn both occur. */
static void test_the_table_covers_every_rule(void **state)
{
	static const char *const rules[] = {
	        "labels-required", "labels-selector",     "replicas-minimum", "replicas-maximum",
	        "container-ports", "container-resources", "readiness-probe",  "image-pinned",
	        "service-ports",   "service-type"};
	size_t i, j, k;
	bool seen;

	(void)state;
	for (k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
		seen = false;
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			for (j = 0; j < expected_count(&cases[i]); j++)
				seen = seen || strcmp(cases[i].want[j].rule, rules[k]) == 0;
		if (!seen)
			fail_msg("no case is denied by %s", rules[k]);
	}
}

static void assert_out_of_scope(const struct rtdp_policy *p, const cJSON *obj, bool selected,
                                const char *ns)
{
	struct rtdp_eval_input in = {obj, ns, selected};
	struct rtdp_verdict v;
	struct rtdp_error err;

	rtdp_verdict_init(&v);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_eval(p, &in, &v, &err), RTDP_OK);
	if (v.in_scope || v.len || v.patch) {
		dump_verdict("out of scope", &v);
		fail_msg("the object must be out of scope");
	}
	rtdp_verdict_release(&v);
}

static void test_out_of_scope(void **state)
{
	struct rtdp_policy *p = policy_default(), *custom;
	cJSON *obj;

	(void)state;
	/* no pipeline label, namespace not selected: not checked at all */
	obj = load_base("deployment",
	                "[{\"op\":\"remove\",\"path\":\"/metadata/labels/rtdp.io~1pipeline\"},"
	                "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	assert_out_of_scope(p, obj, false, NULL);
	cJSON_Delete(obj);
	/* an empty pipeline label is no label */
	obj = load_base("deployment",
	                "[{\"op\":\"replace\",\"path\":\"/metadata/labels/"
	                "rtdp.io~1pipeline\",\"value\":\"\"},"
	                "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	assert_out_of_scope(p, obj, false, NULL);
	cJSON_Delete(obj);
	/* exempt namespaces, even labelled and selected */
	obj = load_base(
	        "deployment",
	        "[{\"op\":\"replace\",\"path\":\"/metadata/namespace\",\"value\":\"kube-system\"},"
	        "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	assert_out_of_scope(p, obj, true, NULL);
	cJSON_Delete(obj);
	/* the request's namespace counts when the object names none */
	obj = load_base("deployment",
	                "[{\"op\":\"remove\",\"path\":\"/metadata/namespace\"},"
	                "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	assert_out_of_scope(p, obj, true, "rtdp-system");
	cJSON_Delete(obj);
	/* kinds the policy does not cover */
	obj = yaml_doc("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: "
	               "{rtdp.io/pipeline: demo}\n"
	               "data: {replicas: \"1\"}\n");
	assert_out_of_scope(p, obj, true, NULL);
	cJSON_Delete(obj);
	obj = load_base(
	        "deployment",
	        "[{\"op\":\"replace\",\"path\":\"/apiVersion\",\"value\":\"extensions/v1beta1\"},"
	        "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	assert_out_of_scope(p, obj, true, NULL);
	cJSON_Delete(obj);
	obj = yaml_doc("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\n  labels: "
	               "{rtdp.io/pipeline: demo}\n"
	               "spec: {replicas: 1}\n");
	assert_out_of_scope(p, obj, true, NULL);
	cJSON_Delete(obj);
	obj = yaml_doc("kind: Deployment\nmetadata: {labels: {rtdp.io/pipeline: demo}}\n");
	assert_out_of_scope(p, obj, true, NULL);
	cJSON_Delete(obj);
	/* a Scale nobody selected */
	obj = load_base("scale", NULL);
	assert_out_of_scope(p, obj, false, NULL);
	cJSON_Delete(obj);
	/* the policy's own pipeline label decides: rtdp.io/pipeline means nothing to it */
	custom = policy_text(HEADER "spec:\n  scope: {pipelineLabel: example.com/pipeline}\n");
	obj = load_base("deployment",
	                "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	assert_out_of_scope(custom, obj, false, NULL);
	cJSON_Delete(obj);
	rtdp_policy_free(custom);
	rtdp_policy_free(p);
}

/* Evaluates objects together; verdicts[i] for objects[i]. */
static struct rtdp_verdict *eval_set(const struct rtdp_policy *p, cJSON **objects, size_t n)
{
	struct rtdp_verdict *v = calloc(n, sizeof(*v));
	struct rtdp_error err;
	size_t i;

	assert_non_null(v);
	for (i = 0; i < n; i++)
		rtdp_verdict_init(&v[i]);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_eval_set(p, (const cJSON *const *)objects, n, v, &err),
	                 RTDP_OK);
	check_idempotent(p, (const cJSON *const *)objects, n, false, false);
	return v;
}

static void free_set(cJSON **objects, struct rtdp_verdict *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		rtdp_verdict_release(&v[i]);
		cJSON_Delete(objects[i]);
	}
	free(v);
}

static void test_service_target_port(void **state)
{
	struct rtdp_policy *p = policy_default();
	cJSON *objs[3];
	struct rtdp_verdict *v;
	const struct rtdp_finding *f;

	(void)state;
	/* resolves by name (http) and by number (9090) */
	objs[0] = load_base("deployment", NULL);
	objs[1] = load_base("service", NULL);
	v = eval_set(p, objs, 2);
	assert_int_equal(v[0].len + v[1].len, 0);
	assert_true(v[1].in_scope);
	free_set(objs, v, 2);

	/* a name and a number that match nothing */
	objs[0] = load_base("deployment", NULL);
	objs[1] = load_base(
	        "service",
	        "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":\"grpc\"},"
	        "{\"op\":\"replace\",\"path\":\"/spec/ports/1/targetPort\",\"value\":7070}]");
	v = eval_set(p, objs, 2);
	assert_int_equal(v[1].len, 2);
	f = finding_of(&v[1], "service-target-port", "/spec/ports/0/targetPort");
	assert_non_null(f);
	assert_int_equal(f->action, RTDP_ACTION_DENY);
	assert_false(f->fixed);
	assert_non_null(strstr(f->message, "targetPort \"grpc\" matches no containerPort of the "
	                                   "Deployment(s) the selector picks (demo-worker)"));
	f = finding_of(&v[1], "service-target-port", "/spec/ports/1/targetPort");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "targetPort 7070 matches no containerPort"));
	free_set(objs, v, 2);

	/* without targetPort the port itself is the target (the apiserver's default) */
	objs[0] = load_base("deployment", NULL);
	objs[1] =
	        load_base("service", "[{\"op\":\"remove\",\"path\":\"/spec/ports/0/targetPort\"}]");
	v = eval_set(p, objs, 2);
	assert_non_null(finding_of(&v[1], "service-ports", "/spec/ports/0/targetPort"));
	assert_non_null(finding_of(&v[1], "service-target-port", "/spec/ports/0/targetPort"));
	assert_int_equal(v[1].len, 2);
	free_set(objs, v, 2);

	/* a selector that matches no Deployment in the set: nothing to check against */
	objs[0] = load_base("deployment", NULL);
	objs[1] = load_base(
	        "service",
	        "[{\"op\":\"replace\",\"path\":\"/spec/selector\",\"value\":{\"app\":\"other\"}},"
	        "{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":\"grpc\"}]");
	v = eval_set(p, objs, 2);
	assert_int_equal(v[1].len, 0);
	free_set(objs, v, 2);

	/* a Deployment of another namespace is not selected */
	objs[0] = load_base(
	        "deployment",
	        "[{\"op\":\"replace\",\"path\":\"/metadata/namespace\",\"value\":\"other\"}]");
	objs[1] = load_base(
	        "service",
	        "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":\"grpc\"}]");
	v = eval_set(p, objs, 2);
	assert_int_equal(v[1].len, 0);
	free_set(objs, v, 2);

	/* two Deployments: a port of either resolves, the message names both */
	objs[0] = load_base("deployment", NULL);
	objs[1] = load_base(
	        "deployment",
	        "[{\"op\":\"replace\",\"path\":\"/metadata/name\",\"value\":\"demo-worker-b\"},"
	        "{\"op\":\"replace\",\"path\":\"" C0
	        "/ports/1\",\"value\":{\"name\":\"grpc\",\"containerPort\":7070}}]");
	objs[2] = load_base(
	        "service",
	        "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":\"grpc\"},"
	        "{\"op\":\"replace\",\"path\":\"/spec/ports/1/targetPort\",\"value\":\"admin\"}]");
	v = eval_set(p, objs, 3);
	assert_int_equal(v[2].len, 1);
	f = finding_of(&v[2], "service-target-port", "/spec/ports/1/targetPort");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "(demo-worker, demo-worker-b)"));
	free_set(objs, v, 3);

	/* the rule's action applies */
	rtdp_policy_free(p);
	p = policy_text(HEADER "spec:\n  rules: {service-target-port: warn}\n");
	objs[0] = load_base("deployment", NULL);
	objs[1] = load_base(
	        "service",
	        "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":\"grpc\"}]");
	v = eval_set(p, objs, 2);
	assert_int_equal(v[1].len, 1);
	assert_int_equal(v[1].findings[0].action, RTDP_ACTION_WARN);
	free_set(objs, v, 2);
	rtdp_policy_free(p);
}

static void test_namespace_in_the_set_decides_scope(void **state)
{
	struct rtdp_policy *p = policy_default();
	cJSON *objs[3];
	struct rtdp_verdict *v;

	(void)state;
	/* an unlabelled Deployment in a Namespace of the set that carries the label */
	objs[0] = load_base("deployment",
	                    "[{\"op\":\"remove\",\"path\":\"/metadata/labels/rtdp.io~1pipeline\"},"
	                    "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	objs[1] = load_base("namespace", NULL);
	v = eval_set(p, objs, 2);
	assert_true(v[0].in_scope);
	assert_false(v[1].in_scope); /* Namespaces themselves are not checked */
	assert_non_null(finding_of(&v[0], "replicas-minimum", "/spec/replicas"));
	assert_non_null(finding_of(&v[0], "labels-required", "/metadata/labels/rtdp.io~1pipeline"));
	free_set(objs, v, 2);

	/* the same without the Namespace: out of scope */
	objs[0] = load_base("deployment",
	                    "[{\"op\":\"remove\",\"path\":\"/metadata/labels/rtdp.io~1pipeline\"},"
	                    "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	v = eval_set(p, objs, 1);
	assert_false(v[0].in_scope);
	free_set(objs, v, 1);

	/* a Namespace without the label, and one of another name, select nothing */
	objs[0] =
	        load_base("deployment",
	                  "[{\"op\":\"remove\",\"path\":\"/metadata/labels/rtdp.io~1pipeline\"}]");
	objs[1] = load_base("namespace", "[{\"op\":\"remove\",\"path\":\"/metadata/labels\"}]");
	objs[2] =
	        load_base("namespace",
	                  "[{\"op\":\"replace\",\"path\":\"/metadata/name\",\"value\":\"other\"}]");
	v = eval_set(p, objs, 3);
	assert_false(v[0].in_scope);
	free_set(objs, v, 3);

	/* the first Namespace of a name decides, wherever it is in the set */
	objs[0] = load_base("namespace", "[{\"op\":\"remove\",\"path\":\"/metadata/labels\"}]");
	objs[1] =
	        load_base("deployment",
	                  "[{\"op\":\"remove\",\"path\":\"/metadata/labels/rtdp.io~1pipeline\"}]");
	objs[2] = load_base("namespace", NULL);
	v = eval_set(p, objs, 3);
	assert_false(v[1].in_scope);
	free_set(objs, v, 3);
	objs[0] =
	        load_base("deployment",
	                  "[{\"op\":\"remove\",\"path\":\"/metadata/labels/rtdp.io~1pipeline\"}]");
	objs[1] = load_base("namespace", NULL);
	objs[2] = load_base("namespace", "[{\"op\":\"remove\",\"path\":\"/metadata/labels\"}]");
	v = eval_set(p, objs, 3);
	assert_true(v[0].in_scope);
	free_set(objs, v, 3);

	/* objects without a namespace are in "default" */
	objs[0] = load_base("deployment",
	                    "[{\"op\":\"remove\",\"path\":\"/metadata/labels/rtdp.io~1pipeline\"},"
	                    "{\"op\":\"remove\",\"path\":\"/metadata/namespace\"}]");
	objs[1] = load_base(
	        "namespace",
	        "[{\"op\":\"replace\",\"path\":\"/metadata/name\",\"value\":\"default\"}]");
	v = eval_set(p, objs, 2);
	assert_true(v[0].in_scope);
	free_set(objs, v, 2);
	rtdp_policy_free(p);

	/* ... and "default" is the namespace their overrides and exemptions name, as in the webhook */
	p = policy_text(HEADER
	                "spec:\n  namespaces:\n  - name: default\n    replicas: {minimum: 1}\n");
	objs[0] = load_base("deployment",
	                    "[{\"op\":\"remove\",\"path\":\"/metadata/namespace\"},"
	                    "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	v = eval_set(p, objs, 1);
	assert_true(v[0].in_scope);
	assert_int_equal(v[0].len, 0);
	free_set(objs, v, 1);
	rtdp_policy_free(p);
	p = policy_text(HEADER "spec:\n  scope: {exemptNamespaces: [default]}\n");
	objs[0] = load_base("deployment",
	                    "[{\"op\":\"remove\",\"path\":\"/metadata/namespace\"},"
	                    "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
	v = eval_set(p, objs, 1);
	assert_false(v[0].in_scope);
	free_set(objs, v, 1);
	rtdp_policy_free(p);
}

static void test_verdict_helpers(void **state)
{
	struct rtdp_policy *p = policy_text(HEADER "spec:\n  rules: {image-pinned: warn}\n");
	cJSON *obj = load_base(
	        "deployment", "[{\"op\":\"replace\",\"path\":\"" C0 "/image\",\"value\":\"nginx\"},"
	                      "{\"op\":\"remove\",\"path\":\"" C0 "/readinessProbe\"}]");
	struct rtdp_eval_input in = {obj, NULL, false};
	struct rtdp_verdict v;
	struct rtdp_error err;

	(void)state;
	rtdp_verdict_init(&v);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_policy_eval(p, &in, &v, &err), RTDP_OK);
	assert_int_equal(rtdp_verdict_count(&v, RTDP_ACTION_DENY), 1);
	assert_int_equal(rtdp_verdict_count(&v, RTDP_ACTION_WARN), 1);
	assert_int_equal(rtdp_verdict_count(&v, RTDP_ACTION_OFF), 0);
	assert_string_equal(v.findings[0].path, "spec.template.spec.containers[0].readinessProbe");
	assert_string_equal(v.findings[1].path, "spec.template.spec.containers[0].image");
	rtdp_verdict_release(&v);
	assert_int_equal(v.len, 0);
	assert_null(v.patch);
	rtdp_verdict_release(&v); /* twice is harmless */
	cJSON_Delete(obj);
	rtdp_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_rule_allowed_and_denied),
	        cmocka_unit_test(test_the_table_covers_every_rule),
	        cmocka_unit_test(test_out_of_scope),
	        cmocka_unit_test(test_service_target_port),
	        cmocka_unit_test(test_namespace_in_the_set_decides_scope),
	        cmocka_unit_test(test_verdict_helpers),
	};

	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
