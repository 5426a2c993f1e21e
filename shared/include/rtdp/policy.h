/*
 * The rtdp policy engine: one set of rules, used offline by `kubectl rtdp
 * validate` and online by rtdp-webhook, so both give the same verdict on the
 * same object.
 *
 * A policy is immutable once loaded; it may be shared between threads.
 */
#ifndef RTDP_POLICY_H
#define RTDP_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

enum rtdp_action { RTDP_ACTION_OFF = 0, RTDP_ACTION_WARN, RTDP_ACTION_DENY };

struct rtdp_policy;

/* The built-in policy: the seed's 3 replicas, port 8080 and ClusterIP. */
enum rtdp_rc rtdp_policy_default(struct rtdp_policy **out, struct rtdp_error *err);

/*
 * Parses a policy document (YAML, apiVersion rtdp.io/v1alpha1, kind Policy).
 * Fields left out keep their built-in defaults; unknown fields and wrong types
 * are errors naming the field. name is used in messages.
 */
enum rtdp_rc rtdp_policy_parse(const char *name, const char *bytes, size_t len,
                               struct rtdp_policy **out, struct rtdp_error *err);
enum rtdp_rc rtdp_policy_load_file(const char *path, struct rtdp_policy **out,
                                   struct rtdp_error *err);
void rtdp_policy_free(struct rtdp_policy *p);

/* The label that puts an object or namespace in scope ("rtdp.io/pipeline"). Borrowed. */
const char *rtdp_policy_pipeline_label(const struct rtdp_policy *p);
bool rtdp_policy_namespace_exempt(const struct rtdp_policy *p, const char *ns);
/* The exempt namespaces (borrowed from p); *n gets their count. */
const char *const *rtdp_policy_exempt_namespaces(const struct rtdp_policy *p, size_t *n);
/* The replica minimum that applies in ns (namespace overrides included). */
int rtdp_policy_min_replicas(const struct rtdp_policy *p, const char *ns);

const char *rtdp_action_name(enum rtdp_action a); /* "off", "warn", "deny" */

struct rtdp_finding {
	const char *rule; /* static rule id, "replicas-minimum" */
	enum rtdp_action action; /* warn or deny (off rules report nothing) */
	char *path; /* owned; field path, "spec.template.spec.containers[0].image" */
	char *pointer; /* owned; the same as a JSON pointer, "/spec/template/..." */
	char *message; /* owned; one line naming the value, the rule and the fix */
	bool fixed; /* the verdict's patch fixes it */
};

struct rtdp_verdict {
	bool in_scope; /* false: nothing checked, nothing to patch */
	struct rtdp_finding *findings; /* owned */
	size_t len, cap;
	cJSON *patch; /* owned RFC 6902 array (possibly empty); NULL when out of scope */
};

void rtdp_verdict_init(struct rtdp_verdict *v);
void rtdp_verdict_release(struct rtdp_verdict *v);
size_t rtdp_verdict_count(const struct rtdp_verdict *v, enum rtdp_action action);

struct rtdp_eval_input {
	const cJSON *object; /* borrowed: a Deployment, Service or autoscaling/v1 Scale */
	const char *namespace; /* used when the object has no metadata.namespace; may be NULL */
	bool namespace_selected; /* the namespace carries the pipeline label */
};

/*
 * Evaluates one object. Kinds the policy does not cover, objects out of scope
 * and exempt namespaces give an out-of-scope verdict. Fills *out (initialised
 * by the caller); fails only on out-of-memory.
 */
enum rtdp_rc rtdp_policy_eval(const struct rtdp_policy *p, const struct rtdp_eval_input *in,
                              struct rtdp_verdict *out, struct rtdp_error *err);

/*
 * Evaluates a set of objects together (offline): a Namespace in the set with
 * the pipeline label puts its objects in scope, and each Service's targetPort
 * must resolve to a containerPort of a Deployment its selector matches.
 * verdicts has n entries, initialised by the caller.
 */
enum rtdp_rc rtdp_policy_eval_set(const struct rtdp_policy *p, const cJSON *const *objects,
                                  size_t n, struct rtdp_verdict *verdicts, struct rtdp_error *err);

#endif
