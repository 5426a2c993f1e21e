#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_ctx.h"
#include "rtdp/json.h"
#include "json_path.h"
#include "rtdp/buf.h"
#include "rtdp/banned.h"

#define MESSAGE_MAX 512

void rtdp_verdict_init(struct rtdp_verdict *v)
{
	memset(v, 0, sizeof(*v));
}

void rtdp_verdict_release(struct rtdp_verdict *v)
{
	size_t i;

	for (i = 0; i < v->len; i++) {
		free(v->findings[i].path);
		free(v->findings[i].pointer);
		free(v->findings[i].message);
	}
	free(v->findings);
	cJSON_Delete(v->patch);
	rtdp_verdict_init(v);
}

size_t rtdp_verdict_count(const struct rtdp_verdict *v, enum rtdp_action action)
{
	size_t i, n = 0;

	for (i = 0; i < v->len; i++)
		n += v->findings[i].action == action;
	return n;
}

struct rule_setting ctx_rule(const struct eval_ctx *c, enum rule_id rule)
{
	return policy_rule(c->policy, c->namespace, rule);
}

bool ctx_can_fix(const struct eval_ctx *c, enum rule_id rule)
{
	struct rule_setting s = ctx_rule(c, rule);

	return s.action != RTDP_ACTION_OFF && s.mutate;
}

static struct rtdp_finding *new_finding(struct rtdp_verdict *v)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		struct rtdp_finding *bigger = realloc(v->findings, cap * sizeof(*bigger));

		if (!bigger)
			return NULL;
		v->findings = bigger;
		v->cap = cap;
	}
	memset(&v->findings[v->len], 0, sizeof(v->findings[0]));
	return &v->findings[v->len++];
}

enum rtdp_rc ctx_report(struct eval_ctx *c, enum rule_id rule, const char *pointer, bool fixed,
                        const char *fmt, ...)
{
	struct rule_setting s = ctx_rule(c, rule);
	struct rtdp_finding *f;
	char message[MESSAGE_MAX], path[JPATH_MAX];
	va_list ap;

	if (s.action == RTDP_ACTION_OFF)
		return RTDP_OK;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	json_pointer_to_field_path(pointer, path, sizeof(path));
	f = new_finding(c->out);
	if (!f)
		return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
	f->rule = rule_table[rule].id;
	f->action = s.action;
	f->fixed = fixed;
	f->path = strdup(path);
	f->pointer = strdup(pointer);
	f->message = strdup(message);
	if (!f->path || !f->pointer || !f->message)
		return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}

bool ctx_fix(struct eval_ctx *c, const char *const *segments, size_t n, cJSON *value)
{
	if (!value)
		return false;
	return pb_set(&c->pb, segments, n, value) == PB_DONE;
}

const cJSON *obj_get(const cJSON *obj, const char *key)
{
	return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

const char *obj_string(const cJSON *obj, const char *key)
{
	const cJSON *v = obj_get(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *obj_path(const cJSON *obj, const char *const *segments, size_t n)
{
	size_t i;

	for (i = 0; obj && i < n; i++)
		obj = obj_get(obj, segments[i]);
	return obj;
}

const char *json_type_name(const cJSON *n)
{
	if (cJSON_IsObject(n))
		return "a map";
	if (cJSON_IsArray(n))
		return "a list";
	if (cJSON_IsString(n))
		return "a string";
	if (cJSON_IsNumber(n))
		return "a number";
	if (cJSON_IsBool(n))
		return "a boolean";
	return "null";
}

bool rtdp_json_int(const cJSON *n, int *out)
{
	if (!cJSON_IsNumber(n) || !(n->valuedouble >= INT_MIN && n->valuedouble <= INT_MAX) ||
	    n->valuedouble != floor(n->valuedouble))
		return false;
	if (out)
		*out = (int)n->valuedouble;
	return true;
}

bool json_is_int(const cJSON *n)
{
	return rtdp_json_int(n, NULL);
}

const char *json_show(const cJSON *n, char *buf, size_t size)
{
	if (cJSON_IsString(n))
		snprintf(buf, size, "\"%.60s\"", n->valuestring);
	else if (cJSON_IsNumber(n))
		snprintf(buf, size, "%.15g", n->valuedouble);
	else if (cJSON_IsBool(n))
		snprintf(buf, size, "%s", cJSON_IsTrue(n) ? "true" : "false");
	else
		snprintf(buf, size, "%s", json_type_name(n));
	return buf;
}

enum object_kind { KIND_OTHER, KIND_DEPLOYMENT, KIND_SERVICE, KIND_SCALE };

static enum object_kind kind_of(const cJSON *obj)
{
	const char *av = obj_string(obj, "apiVersion"), *kind = obj_string(obj, "kind");

	if (!av || !kind)
		return KIND_OTHER;
	if (strcmp(av, "apps/v1") == 0 && strcmp(kind, "Deployment") == 0)
		return KIND_DEPLOYMENT;
	if (strcmp(av, "v1") == 0 && strcmp(kind, "Service") == 0)
		return KIND_SERVICE;
	if (strcmp(av, "autoscaling/v1") == 0 && strcmp(kind, "Scale") == 0)
		return KIND_SCALE;
	return KIND_OTHER;
}

static const char *namespace_of(const cJSON *obj, const char *fallback)
{
	const char *ns = obj_string(obj_get(obj, "metadata"), "namespace");

	return ns && *ns ? ns : fallback;
}

/* The pipeline label's value on obj, or NULL. */
static const char *pipeline_of(const struct rtdp_policy *p, const cJSON *obj)
{
	const char *v = obj_string(obj_get(obj_get(obj, "metadata"), "labels"), p->pipeline_label);

	return v && *v ? v : NULL;
}

static enum rtdp_rc run_rules(struct eval_ctx *c, enum object_kind kind)
{
	enum rtdp_rc rc = RTDP_OK;

	switch (kind) {
	case KIND_DEPLOYMENT:
		rc = rules_labels(c, "Deployment");
		if (rc == RTDP_OK)
			rc = rules_replicas(c, "Deployment");
		if (rc == RTDP_OK)
			rc = rules_containers(c);
		break;
	case KIND_SERVICE:
		rc = rules_labels(c, "Service");
		if (rc == RTDP_OK)
			rc = rules_service(c);
		break;
	case KIND_SCALE:
		rc = rules_replicas(c, "Scale");
		break;
	case KIND_OTHER:
		break;
	}
	return rc;
}

enum rtdp_rc rtdp_policy_eval(const struct rtdp_policy *p, const struct rtdp_eval_input *in,
                              struct rtdp_verdict *out, struct rtdp_error *err)
{
	struct eval_ctx c;
	enum object_kind kind = kind_of(in->object);
	enum rtdp_rc rc;

	memset(&c, 0, sizeof(c));
	c.policy = p;
	c.namespace = namespace_of(in->object, in->namespace);
	c.pipeline = pipeline_of(p, in->object);
	c.original = in->object;
	c.out = out;
	c.err = err;
	if (kind == KIND_OTHER || rtdp_policy_namespace_exempt(p, c.namespace) ||
	    (!c.pipeline && !in->namespace_selected))
		return RTDP_OK;
	if (!c.pipeline)
		c.pipeline = c.namespace ? c.namespace : "default";
	out->in_scope = true;
	if (pb_init(&c.pb, in->object) != RTDP_OK)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	rc = run_rules(&c, kind);
	if (rc == RTDP_OK) {
		out->patch = pb_detach_ops(&c.pb);
		if (!out->patch)
			rc = rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	pb_release(&c.pb);
	return rc;
}
