/*
 * Offline evaluation of a whole set of manifests: the Namespaces in the set
 * decide scope, and Services are checked against the Deployments they select
 * (service-target-port).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_ctx.h"
#include "rtdp/banned.h"

static bool is_kind(const cJSON *o, const char *api, const char *kind)
{
	const char *a = obj_string(o, "apiVersion"), *k = obj_string(o, "kind");

	return a && k && strcmp(a, api) == 0 && strcmp(k, kind) == 0;
}

static const char *ns_of(const cJSON *o)
{
	const char *ns = obj_string(obj_get(o, "metadata"), "namespace");

	return ns && *ns ? ns : "default";
}

/*
 * What the set is looked up by, built once per rtdp_policy_eval_set so that
 * each object costs a binary search instead of a scan of the whole set:
 * the Namespaces by name, the Deployments by namespace, each in set order.
 */
struct ns_entry {
	const char *name;
	size_t order; /* index in the set: the first Namespace of a name decides */
	bool selected;
};

struct deployment_entry {
	const char *ns;
	size_t order;
	const cJSON *deployment;
};

struct set_index {
	struct ns_entry *namespaces; /* owned, sorted by (name, order) */
	size_t nnamespaces;
	struct deployment_entry *deployments; /* owned, sorted by (ns, order) */
	size_t ndeployments;
};

static int by_name_order(const void *a, const void *b)
{
	const struct ns_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int by_ns_order(const void *a, const void *b)
{
	const struct deployment_entry *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void index_release(struct set_index *ix)
{
	free(ix->namespaces);
	free(ix->deployments);
	memset(ix, 0, sizeof(*ix));
}

static enum rtdp_rc index_build(struct set_index *ix, const struct rtdp_policy *p,
                                const cJSON *const *objects, size_t n, struct rtdp_error *err)
{
	size_t i;

	memset(ix, 0, sizeof(*ix));
	ix->namespaces = calloc(n ? n : 1, sizeof(*ix->namespaces));
	ix->deployments = calloc(n ? n : 1, sizeof(*ix->deployments));
	if (!ix->namespaces || !ix->deployments) {
		index_release(ix);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		const cJSON *meta = obj_get(objects[i], "metadata");
		const char *name = obj_string(meta, "name");

		if (is_kind(objects[i], "v1", "Namespace") && name) {
			struct ns_entry *e = &ix->namespaces[ix->nnamespaces++];

			e->name = name;
			e->order = i;
			e->selected =
			        obj_string(obj_get(meta, "labels"), p->pipeline_label) != NULL;
		} else if (is_kind(objects[i], "apps/v1", "Deployment")) {
			struct deployment_entry *e = &ix->deployments[ix->ndeployments++];

			e->ns = ns_of(objects[i]);
			e->order = i;
			e->deployment = objects[i];
		}
	}
	qsort(ix->namespaces, ix->nnamespaces, sizeof(*ix->namespaces), by_name_order);
	qsort(ix->deployments, ix->ndeployments, sizeof(*ix->deployments), by_ns_order);
	return RTDP_OK;
}

/* The first Namespace of the set named ns carries the pipeline label. */
static bool namespace_selected(const struct set_index *ix, const char *ns)
{
	size_t lo = 0, hi = ix->nnamespaces, mid;

	while (lo < hi) { /* the first entry whose name is >= ns */
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix->namespaces[mid].name, ns) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->nnamespaces && strcmp(ix->namespaces[lo].name, ns) == 0 &&
	       ix->namespaces[lo].selected;
}

/* The index of the first Deployment of namespace ns (ndeployments when none). */
static size_t first_deployment(const struct set_index *ix, const char *ns)
{
	size_t lo = 0, hi = ix->ndeployments, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix->deployments[mid].ns, ns) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Every key=value of selector is among labels. */
static bool selects(const cJSON *selector, const cJSON *labels)
{
	const cJSON *kv;

	if (!cJSON_IsObject(selector) || !selector->child)
		return false;
	for (kv = selector->child; kv; kv = kv->next) {
		const char *have = obj_string(labels, kv->string);

		if (!cJSON_IsString(kv) || !have || strcmp(have, kv->valuestring) != 0)
			return false;
	}
	return true;
}

static bool container_has_port(const cJSON *deployment, const cJSON *target)
{
	static const char *const path[] = {"spec", "template", "spec", "containers"};
	const cJSON *containers = obj_path(deployment, path, 4), *c, *port;

	for (c = cJSON_IsArray(containers) ? containers->child : NULL; c; c = c->next) {
		const cJSON *ports = obj_get(c, "ports");

		for (port = cJSON_IsArray(ports) ? ports->child : NULL; port; port = port->next) {
			const cJSON *num = obj_get(port, "containerPort");
			const char *name = obj_string(port, "name");

			if (cJSON_IsNumber(target) && cJSON_IsNumber(num) &&
			    num->valueint == target->valueint)
				return true;
			if (cJSON_IsString(target) && name &&
			    strcmp(name, target->valuestring) == 0)
				return true;
		}
	}
	return false;
}

struct selection {
	const cJSON *deployments[64]; /* borrowed; the first 64 the selector matches */
	size_t len;
	char names[256]; /* for messages */
};

static void select_deployments(const cJSON *svc, const struct set_index *ix, struct selection *sel)
{
	static const char *const tpl[] = {"spec", "template", "metadata", "labels"};
	const cJSON *selector = obj_get(obj_get(svc, "spec"), "selector");
	const char *ns = ns_of(svc);
	size_t i, used = 0;

	sel->len = 0;
	sel->names[0] = '\0';
	for (i = first_deployment(ix, ns);
	     i < ix->ndeployments && strcmp(ix->deployments[i].ns, ns) == 0 && sel->len < 64; i++) {
		const cJSON *d = ix->deployments[i].deployment;

		if (!selects(selector, obj_path(d, tpl, 4)))
			continue;
		sel->deployments[sel->len++] = d;
		if (used < sizeof(sel->names))
			used += (size_t)snprintf(
			        sel->names + used, sizeof(sel->names) - used, "%s%s",
			        used ? ", " : "",
			        obj_string(obj_get(d, "metadata"), "name")
			                ? obj_string(obj_get(d, "metadata"), "name")
			                : "?");
	}
}

static enum rtdp_rc check_target_ports(struct eval_ctx *c, const cJSON *svc,
                                       const struct set_index *ix)
{
	const cJSON *ports = obj_get(obj_get(svc, "spec"), "ports"), *port;
	struct selection sel;
	char ptr[64], shown[80];
	size_t d;
	int i = 0;
	enum rtdp_rc rc = RTDP_OK;

	select_deployments(svc, ix, &sel);
	if (!sel.len)
		return RTDP_OK; /* the Deployment is not in this set: nothing to check against */
	for (port = cJSON_IsArray(ports) ? ports->child : NULL; rc == RTDP_OK && port;
	     port = port->next, i++) {
		const cJSON *target = obj_get(port, "targetPort");
		bool found = false;

		if (!target)
			target = obj_get(port, "port"); /* the apiserver's default */
		if (!cJSON_IsNumber(target) && !cJSON_IsString(target))
			continue; /* service-ports reports it */
		for (d = 0; d < sel.len && !found; d++)
			found = container_has_port(sel.deployments[d], target);
		if (found)
			continue;
		snprintf(ptr, sizeof(ptr), "/spec/ports/%d/targetPort", i);
		rc = ctx_report(c, RULE_SERVICE_TARGET_PORT, ptr, false,
		                "targetPort %s matches no containerPort of the Deployment(s) the "
		                "selector picks (%s): "
		                "point it at a containerPort name or number they expose",
		                json_show(target, shown, sizeof(shown)), sel.names);
	}
	return rc;
}

static enum rtdp_rc eval_one(const struct rtdp_policy *p, const struct set_index *ix,
                             const cJSON *object, struct rtdp_verdict *v, struct rtdp_error *err)
{
	/*
	 * An object without a namespace is in "default", as kubectl would create it
	 * and as the webhook sees it: for scope, exemptions and namespace overrides.
	 */
	struct rtdp_eval_input in = {object, ns_of(object), false};
	struct eval_ctx c;
	enum rtdp_rc rc;

	in.namespace_selected = namespace_selected(ix, ns_of(object));
	rc = rtdp_policy_eval(p, &in, v, err);
	if (rc != RTDP_OK || !v->in_scope || !is_kind(object, "v1", "Service"))
		return rc;
	memset(&c, 0, sizeof(c));
	c.policy = p;
	c.namespace = ns_of(object);
	c.out = v;
	c.err = err;
	return check_target_ports(&c, object, ix);
}

enum rtdp_rc rtdp_policy_eval_set(const struct rtdp_policy *p, const cJSON *const *objects,
                                  size_t n, struct rtdp_verdict *verdicts, struct rtdp_error *err)
{
	struct set_index ix;
	size_t i;
	enum rtdp_rc rc = index_build(&ix, p, objects, n, err);

	for (i = 0; rc == RTDP_OK && i < n; i++)
		rc = eval_one(p, &ix, objects[i], &verdicts[i], err);
	index_release(&ix);
	return rc;
}
