/*
 * labels-required and labels-selector. Values the webhook can fill in are
 * derived from the object: its name, the pipeline, its image tag, the policy's
 * managed-by value, or the same label on the Deployment itself.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "eval_ctx.h"
#include "rtdp/image.h"
#include "json_path.h"
#include "rtdp/banned.h"

#define LABEL_VALUE_MAX 63

/* A valid label value: at most 63 of [A-Za-z0-9._-], alphanumeric at both ends. */
static bool valid_label_value(const char *v)
{
	size_t len = strlen(v), i;

	if (len == 0 || len > LABEL_VALUE_MAX)
		return false;
	if (!isalnum((unsigned char)v[0]) || !isalnum((unsigned char)v[len - 1]))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '-' && v[i] != '_' && v[i] != '.')
			return false;
	return true;
}

static const char *object_name(const cJSON *obj, char *buf, size_t size)
{
	const cJSON *meta = obj_get(obj, "metadata");
	const char *name = obj_string(meta, "name");
	size_t len;

	if (name && *name)
		return name;
	name = obj_string(meta, "generateName");
	if (!name || !*name)
		return NULL;
	snprintf(buf, size, "%s", name);
	len = strlen(buf);
	while (len > 0 && buf[len - 1] == '-')
		buf[--len] = '\0';
	return buf;
}

/* The version of the first container's image (its tag or digest), or NULL. */
static const char *image_version(const cJSON *obj, char *buf, size_t size)
{
	static const char *const path[] = {"spec", "template", "spec", "containers"};
	const cJSON *containers = obj_path(obj, path, 4);
	const char *image =
	        cJSON_IsArray(containers) ? obj_string(containers->child, "image") : NULL;

	return image ? rtdp_image_version(image, buf, size) : NULL;
}

static const char *component_of(const char *name, const char *pipeline)
{
	size_t plen = strlen(pipeline);

	if (strncmp(name, pipeline, plen) == 0 && name[plen] == '-' && name[plen + 1])
		return name + plen + 1;
	return name;
}

/* The value rtdp would give label key on obj (working copy), or NULL. */
static const char *derive(const struct eval_ctx *c, const cJSON *obj, const char *key, char *buf,
                          size_t size)
{
	char name_buf[256];
	const char *name = object_name(obj, name_buf, sizeof(name_buf));
	const char *v = NULL;

	if (strcmp(key, c->policy->pipeline_label) == 0 ||
	    strcmp(key, "app.kubernetes.io/instance") == 0 ||
	    strcmp(key, "app.kubernetes.io/part-of") == 0)
		v = c->pipeline;
	else if (strcmp(key, "app.kubernetes.io/name") == 0)
		v = name;
	else if (strcmp(key, "app.kubernetes.io/component") == 0)
		v = name ? component_of(name, c->pipeline) : NULL;
	else if (strcmp(key, "app.kubernetes.io/version") == 0)
		v = image_version(obj, buf, size);
	else if (strcmp(key, "app.kubernetes.io/managed-by") == 0)
		v = c->policy->managed_by;
	if (v && v != buf) {
		snprintf(buf, size, "%s", v);
		v = buf;
	}
	return v && valid_label_value(v) ? v : NULL;
}

struct label_target {
	const char *const *segments; /* path of the labels map */
	size_t n;
	const char *where; /* for messages: "metadata.labels" */
	const struct string_list *required;
	bool pod_template; /* the selector's matchLabels decide values first */
};

static enum rtdp_rc check_one(struct eval_ctx *c, const struct label_target *t, const char *key)
{
	static const char *const selector_path[] = {"spec", "selector", "matchLabels"};
	const char *segs[8];
	const cJSON *labels = obj_path(c->pb.doc, t->segments, t->n);
	const cJSON *v = obj_get(labels, key);
	const cJSON *deployment_labels = obj_get(obj_get(c->pb.doc, "metadata"), "labels");
	struct jpath ptr;
	char value[LABEL_VALUE_MAX + 2], shown[80];
	const char *want;
	size_t i;

	jpath_init(&ptr);
	for (i = 0; i < t->n; i++)
		jpath_push(&ptr, t->segments[i]);
	jpath_push(&ptr, key);
	if (cJSON_IsString(v))
		return RTDP_OK;
	if (v)
		return ctx_report(c, RULE_LABELS_REQUIRED, ptr.ptr, false,
		                  "label %s in %s is %s; label values are strings: quote it", key,
		                  t->where, json_show(v, shown, sizeof(shown)));
	/* a template label the (immutable) selector names must take the selector's value */
	want = t->pod_template ? obj_string(obj_path(c->pb.doc, selector_path, 3), key) : NULL;
	if (!want || !valid_label_value(want))
		want = obj_string(deployment_labels, key);
	if (!want || !valid_label_value(want))
		want = derive(c, c->pb.doc, key, value, sizeof(value));
	if (!want)
		return ctx_report(
		        c, RULE_LABELS_REQUIRED, ptr.ptr, false,
		        "required label %s is missing from %s: add it (no value can be derived)",
		        key, t->where);
	for (i = 0; i < t->n; i++)
		segs[i] = t->segments[i];
	segs[t->n] = key;
	return ctx_report(c, RULE_LABELS_REQUIRED, ptr.ptr,
	                  ctx_can_fix(c, RULE_LABELS_REQUIRED) &&
	                          ctx_fix(c, segs, t->n + 1, cJSON_CreateString(want)),
	                  "required label %s is missing from %s: add %s: %s", key, t->where, key,
	                  want);
}

static enum rtdp_rc check_target(struct eval_ctx *c, const struct label_target *t)
{
	const cJSON *labels = obj_path(c->pb.doc, t->segments, t->n);
	struct jpath ptr;
	char shown[80];
	size_t i;
	enum rtdp_rc rc = RTDP_OK;

	if (labels && !cJSON_IsObject(labels) && !cJSON_IsNull(labels)) {
		jpath_init(&ptr);
		for (i = 0; i < t->n; i++)
			jpath_push(&ptr, t->segments[i]);
		return ctx_report(c, RULE_LABELS_REQUIRED, ptr.ptr, false,
		                  "%s is %s; it must be a map", t->where,
		                  json_show(labels, shown, sizeof(shown)));
	}
	for (i = 0; rc == RTDP_OK && i < t->required->len; i++)
		rc = check_one(c, t, t->required->items[i]);
	return rc;
}

static enum rtdp_rc check_selector(struct eval_ctx *c)
{
	static const char *const sel_path[] = {"spec", "selector", "matchLabels"};
	static const char *const tpl_path[] = {"spec", "template", "metadata", "labels"};
	const cJSON *match = obj_path(c->pb.doc, sel_path, 3), *kv;
	const cJSON *tpl;
	struct jpath ptr;
	const char *segs[5] = {"spec", "template", "metadata", "labels", NULL};
	enum rtdp_rc rc = RTDP_OK;

	if (!obj_get(obj_get(c->pb.doc, "spec"), "selector"))
		return ctx_report(
		        c, RULE_LABELS_SELECTOR, "/spec/selector", false,
		        "spec.selector is missing: apps/v1 Deployments need one; select on "
		        "app.kubernetes.io/name and app.kubernetes.io/instance");
	for (kv = cJSON_IsObject(match) ? match->child : NULL; rc == RTDP_OK && kv; kv = kv->next) {
		const char *have;

		if (!cJSON_IsString(kv))
			continue;
		tpl = obj_path(c->pb.doc, tpl_path, 4);
		have = obj_string(tpl, kv->string);
		jpath_init(&ptr);
		jpath_push(&ptr, "spec");
		jpath_push(&ptr, "template");
		jpath_push(&ptr, "metadata");
		jpath_push(&ptr, "labels");
		jpath_push(&ptr, kv->string);
		segs[4] = kv->string;
		if (!have)
			rc = ctx_report(
			        c, RULE_LABELS_SELECTOR, ptr.ptr,
			        ctx_can_fix(c, RULE_LABELS_SELECTOR) &&
			                ctx_fix(c, segs, 5, cJSON_CreateString(kv->valuestring)),
			        "the pod template lacks the selector's label %s: add %s: %s",
			        kv->string, kv->string, kv->valuestring);
		else if (strcmp(have, kv->valuestring) != 0)
			rc = ctx_report(c, RULE_LABELS_SELECTOR, ptr.ptr, false,
			                "pod template label %s is \"%s\" but the selector wants "
			                "\"%s\": make them equal "
			                "(the selector is immutable, change the template)",
			                kv->string, have, kv->valuestring);
	}
	return rc;
}

enum rtdp_rc rules_labels(struct eval_ctx *c, const char *kind)
{
	static const char *const meta[] = {"metadata", "labels"};
	static const char *const tpl[] = {"spec", "template", "metadata", "labels"};
	struct label_target t = {meta, 2, "metadata.labels", &c->policy->service_labels, false};
	enum rtdp_rc rc;

	if (strcmp(kind, "Service") == 0)
		return check_target(c, &t);
	t.required = &c->policy->deployment_labels;
	rc = check_target(c, &t);
	if (rc != RTDP_OK)
		return rc;
	t.segments = tpl;
	t.n = 4;
	t.where = "spec.template.metadata.labels";
	t.required = &c->policy->template_labels;
	t.pod_template = true;
	rc = check_target(c, &t);
	if (rc == RTDP_OK)
		rc = check_selector(c);
	return rc;
}
