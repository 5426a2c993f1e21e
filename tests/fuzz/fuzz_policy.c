/*
 * libFuzzer harness: the policy file parser. A policy it accepts is put to
 * work on a fixed set of objects (one per rule family, broken on purpose), and
 * the engine's promises must hold under any valid policy: patches apply, never
 * touch /spec/selector, and are idempotent. Aborts when one breaks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtdp/json_patch.h"
#include "rtdp/manifest.h"
#include "rtdp/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NAME "fuzz-policy.yaml"

static const char objects_yaml[] =
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo, labels: {rtdp.io/pipeline: demo, "
        "example.com/pipeline: demo}}\n"
        "---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: demo-worker\n  namespace: demo\n"
        "  labels: {rtdp.io/pipeline: demo, team: data}\n"
        "spec:\n  replicas: 1\n  selector: {matchLabels: {app.kubernetes.io/name: worker, tier: "
        "backend}}\n"
        "  template:\n    spec:\n      containers:\n"
        "      - name: worker\n        image: ghcr.io/example/worker:latest\n"
        "        ports: [{containerPort: 80}, {name: http, containerPort: 8080, protocol: UDP}]\n"
        "        resources: {limits: {cpu: 50m}, requests: {memory: 2Gi}}\n"
        "      - name: sidecar\n        image: envoy:1.29\n        resources: ~\n"
        "---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  generateName: demo-batch-\n  "
        "namespace: sandbox\n"
        "  labels: {rtdp.io/pipeline: demo, example.com/pipeline: demo}\n"
        "spec:\n  replicas: 40\n  selector: {matchLabels: {app: batch}}\n"
        "  template:\n    metadata: {labels: null}\n    spec:\n      containers:\n"
        "      - name: batch\n        image: registry.local:5000/batch@sha256:00\n        ports: "
        "[{name: metrics, containerPort: 9090}]\n"
        "---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: demo-worker, namespace: demo}\n"
        "spec:\n  type: LoadBalancer\n  selector: {app.kubernetes.io/name: worker}\n"
        "  ports: [{port: 80, targetPort: http}, {name: metrics, port: 9090, targetPort: 9090}]\n";

static const char scale_yaml[] = "apiVersion: autoscaling/v1\nkind: Scale\nmetadata: {name: "
                                 "demo-worker, namespace: demo}\nspec: {replicas: 0}\n";

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_policy: broken promise: %s\n", what);
		abort();
	}
}

static struct rtdp_object_set *objects(void)
{
	static struct rtdp_object_set set;
	static int loaded;
	struct rtdp_limits lim;
	struct rtdp_error err;

	if (!loaded) {
		rtdp_limits_default(&lim);
		rtdp_object_set_init(&set);
		rtdp_error_init(&err);
		check(rtdp_manifest_parse(&set, "objects", objects_yaml, sizeof(objects_yaml) - 1,
		                          &lim, &err) == RTDP_OK,
		      "the fixed objects load");
		check(rtdp_manifest_parse(&set, "scale", scale_yaml, sizeof(scale_yaml) - 1, &lim,
		                          &err) == RTDP_OK,
		      "the Scale loads");
		loaded = 1;
	}
	return &set;
}

static int has_finding(const struct rtdp_verdict *v, const struct rtdp_finding *f)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		if (strcmp(v->findings[i].rule, f->rule) == 0 &&
		    strcmp(v->findings[i].pointer, f->pointer) == 0)
			return 1;
	return 0;
}

/* Evaluates objs (eval_set, or one by one as the webhook does), twice, with the patch between. */
static void run(const struct rtdp_policy *p, const cJSON **objs, size_t n, int single)
{
	struct rtdp_verdict first[8], second[8];
	cJSON *patched[8];
	struct rtdp_error err;
	size_t i, j, round;

	for (round = 0; round < 2; round++) {
		struct rtdp_verdict *v = round ? second : first;
		const cJSON **in_objs = round ? (const cJSON **)patched : objs;

		for (i = 0; i < n; i++)
			rtdp_verdict_init(&v[i]);
		rtdp_error_init(&err);
		if (!single) {
			check(rtdp_policy_eval_set(p, (const cJSON *const *)in_objs, n, v, &err) ==
			              RTDP_OK,
			      "eval_set");
		} else {
			for (i = 0; i < n; i++) {
				struct rtdp_eval_input in = {in_objs[i], "demo", i % 2 == 0};

				check(rtdp_policy_eval(p, &in, &v[i], &err) == RTDP_OK, "eval");
			}
		}
		if (round)
			break;
		for (i = 0; i < n; i++) {
			const cJSON *op;

			patched[i] = cJSON_Duplicate(objs[i], 1);
			check(patched[i] != NULL, "allocation");
			if (!first[i].in_scope)
				continue;
			check(cJSON_IsArray(first[i].patch), "an in-scope verdict has a patch");
			for (op = first[i].patch->child; op; op = op->next)
				check(strncmp(cJSON_GetStringValue(cJSON_GetObjectItem(op, "path")),
				              "/spec/selector", 14) != 0,
				      "no operation touches the selector");
			rtdp_error_init(&err);
			if (rtdp_json_patch_apply(&patched[i], first[i].patch, &err) != RTDP_OK) {
				fprintf(stderr, "%s\n", err.msg);
				check(0, "the engine's patch applies");
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (second[i].patch && cJSON_GetArraySize(second[i].patch) != 0) {
			char *a = cJSON_PrintUnformatted(first[i].patch),
			     *b = cJSON_PrintUnformatted(second[i].patch);

			fprintf(stderr, "object %zu\nfirst patch: %s\nsecond patch: %s\n", i, a, b);
			check(0, "the patch is idempotent");
		}
		for (j = 0; j < first[i].len; j++)
			check(!first[i].findings[j].fixed ||
			              !has_finding(&second[i], &first[i].findings[j]),
			      "a fixed finding is gone after the patch");
		rtdp_verdict_release(&first[i]);
		rtdp_verdict_release(&second[i]);
		cJSON_Delete(patched[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtdp_policy *p = NULL;
	struct rtdp_error err;
	struct rtdp_object_set *set = objects();
	const cJSON *objs[8];
	size_t i;
	enum rtdp_rc rc;

	rtdp_error_init(&err);
	rc = rtdp_policy_parse(FUZZ_NAME, (const char *)data, size, &p, &err);
	if (rc != RTDP_OK) {
		check(p == NULL, "no policy on error");
		check(err.rc == rc && err.msg[0] != '\0', "an error has a message");
		check(strncmp(err.msg, "policy ", 7) == 0, "an error names the policy");
		return 0;
	}
	check(p != NULL, "a policy on success");
	check(rtdp_policy_min_replicas(p, "demo") >= 0, "a minimum");
	(void)rtdp_policy_namespace_exempt(p, "kube-system");
	for (i = 0; i < set->len && i < 8; i++)
		objs[i] = set->items[i].json;
	run(p, objs, set->len < 8 ? set->len : 8, 0);
	run(p, objs, set->len < 8 ? set->len : 8, 1);
	rtdp_policy_free(p);
	return 0;
}
