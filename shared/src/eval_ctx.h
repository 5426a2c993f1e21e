/*
 * What every rule sees while one object is evaluated. Private to shared/.
 */
#ifndef RTDP_EVAL_CTX_H
#define RTDP_EVAL_CTX_H

#include <stdbool.h>

#include "rtdp/policy.h"
#include "patch_builder.h"
#include "policy_model.h"

struct eval_ctx {
	const struct rtdp_policy *policy; /* borrowed */
	const char *namespace; /* borrowed; may be NULL */
	const char *pipeline; /* borrowed: the pipeline this object belongs to */
	const cJSON *original; /* borrowed: the object as it arrived */
	struct patch_builder pb; /* owned: pb.doc is the object with fixes so far */
	struct rtdp_verdict *out; /* borrowed */
	struct rtdp_error *err; /* borrowed */
};

/* The rule's settings for this object's namespace. */
struct rule_setting ctx_rule(const struct eval_ctx *c, enum rule_id rule);
/* The rule is on and may change the object. */
bool ctx_can_fix(const struct eval_ctx *c, enum rule_id rule);

/*
 * Records a finding of rule at pointer (fixed: the patch fixes it). The message
 * is formatted from fmt. Off rules record nothing. Fails only on out-of-memory.
 */
enum rtdp_rc ctx_report(struct eval_ctx *c, enum rule_id rule, const char *pointer, bool fixed,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Sets the value (owned, consumed) at the path of n segments through the patch
 * builder. Returns true when the fix is in the patch.
 */
bool ctx_fix(struct eval_ctx *c, const char *const *segments, size_t n, cJSON *value);

/* Small readers over the working object. Borrowed results; NULL when absent. */
const cJSON *obj_get(const cJSON *obj, const char *key);
const char *obj_string(const cJSON *obj, const char *key);
const cJSON *obj_path(const cJSON *obj, const char *const *segments, size_t n);
const char *json_type_name(const cJSON *n);
/*
 * n is a number with an integral value that fits an int (so that casting it
 * is defined: 1e300 is not one).
 */
bool json_is_int(const cJSON *n);
/* A readable rendering of a scalar for messages ("\"3\"", "3", "true"), into buf. */
const char *json_show(const cJSON *n, char *buf, size_t size);

/* Rule groups, each in its own file. */
enum rtdp_rc rules_labels(struct eval_ctx *c, const char *kind);
enum rtdp_rc rules_replicas(struct eval_ctx *c, const char *kind);
enum rtdp_rc rules_containers(struct eval_ctx *c);
enum rtdp_rc rules_service(struct eval_ctx *c);

#endif
