/*
 * replicas-minimum and replicas-maximum, for Deployments and for the
 * autoscaling/v1 Scale that `kubectl scale` and HorizontalPodAutoscalers write.
 */
#include <string.h>

#include "eval_ctx.h"
#include "rtdp/banned.h"

/* A Scale is only changed when the policy asks for it (raiseScale). */
static bool may_fix(const struct eval_ctx *c, enum rule_id rule, bool scale)
{
	return ctx_can_fix(c, rule) && (!scale || c->policy->raise_scale);
}

static enum rtdp_rc check_bounds(struct eval_ctx *c, long long replicas, bool present, bool scale)
{
	static const char *const path[] = {"spec", "replicas"};
	int min = rtdp_policy_min_replicas(c->policy, c->namespace);
	int max = policy_max_replicas(c->policy, c->namespace);
	const char *shown = present ? "" : scale ? " (unset, so 0)" : " (unset, so 1)";
	const char *how = scale ? "scale to" : "set spec.replicas to";

	if (replicas < min)
		return ctx_report(
		        c, RULE_REPLICAS_MINIMUM, "/spec/replicas",
		        may_fix(c, RULE_REPLICAS_MINIMUM, scale) &&
		                ctx_fix(c, path, 2, cJSON_CreateNumber(min)),
		        "spec.replicas is %lld%s, below the minimum of %d for a real-time "
		        "workload: %s %d or more",
		        replicas, shown, min, how, min);
	if (max > 0 && replicas > max)
		return ctx_report(c, RULE_REPLICAS_MAXIMUM, "/spec/replicas",
		                  may_fix(c, RULE_REPLICAS_MAXIMUM, scale) &&
		                          ctx_fix(c, path, 2, cJSON_CreateNumber(max)),
		                  "spec.replicas is %lld, above the maximum of %d: %s %d or fewer",
		                  replicas, max, how, max);
	return RTDP_OK;
}

enum rtdp_rc rules_replicas(struct eval_ctx *c, const char *kind)
{
	const cJSON *spec = obj_get(c->pb.doc, "spec");
	const cJSON *replicas = obj_get(spec, "replicas");
	bool scale = strcmp(kind, "Scale") == 0;
	char shown[80];

	if (!replicas || cJSON_IsNull(replicas))
		return check_bounds(c, scale ? 0 : 1, false,
		                    scale); /* a Deployment defaults to 1 */
	if (!json_is_int(replicas))
		return ctx_report(
		        c, RULE_REPLICAS_MINIMUM, "/spec/replicas", false,
		        "spec.replicas is %s; it must be an integer (write %d, not \"%d\")",
		        json_show(replicas, shown, sizeof(shown)),
		        rtdp_policy_min_replicas(c->policy, c->namespace),
		        rtdp_policy_min_replicas(c->policy, c->namespace));
	return check_bounds(c, (long long)replicas->valuedouble, true, scale);
}
