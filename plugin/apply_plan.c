#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply_plan.h"
#include "cli.h"
#include "rtdp/banned.h"

static const char *meta_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(obj, "metadata"), key);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* kustomization.yaml sits in GitOps directories; it is kustomize's input, not an API object. */
static bool is_kustomize_file(const cJSON *obj)
{
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(obj, "apiVersion");

	return cJSON_IsString(av) && strncmp(av->valuestring, "kustomize.config.k8s.io/", 24) == 0;
}

static int resolve(struct apply_item *it, const struct rtdp_object *o, const char *default_ns,
                   const char *explicit_ns)
{
	struct rtdp_error err;
	const char *name = meta_str(o->json, "name"), *ns = meta_str(o->json, "namespace");

	rtdp_error_init(&err);
	it->source = o;
	if (kube_resource_of(o->json, &it->resource, &err) != RTDP_OK) {
		fprintf(stderr, "error: %s:%d: %s\n", o->source, o->line, err.msg);
		return -1;
	}
	if (!name) {
		fprintf(stderr, "error: %s:%d: %s has no metadata.name\n", o->source, o->line,
		        it->resource->kind);
		return -1;
	}
	if (it->resource->namespaced && ns && explicit_ns && strcmp(ns, explicit_ns) != 0) {
		fprintf(stderr,
		        "error: %s:%d: the namespace from the provided object \"%s\" does not "
		        "match the namespace \"%s\". You must pass '--namespace=%s' to perform "
		        "this operation.\n",
		        o->source, o->line, ns, explicit_ns, ns);
		return -1;
	}
	snprintf(it->namespace, sizeof(it->namespace), "%s",
	         it->resource->namespaced ? (ns ? ns : default_ns) : "");
	snprintf(it->name, sizeof(it->name), "%s", name);
	snprintf(it->ref, sizeof(it->ref), "%s/%s", it->resource->display, name);
	if (kube_object_path(it->resource, it->namespace, name, it->path, sizeof(it->path)) != 0 ||
	    (it->resource->namespaced && !ns && cli_set_namespace(o->json, it->namespace) != 0)) {
		fprintf(stderr, "error: %s:%d: cannot prepare %s\n", o->source, o->line, it->ref);
		return -1;
	}
	return 0;
}

static int by_order(const void *a, const void *b)
{
	const struct apply_item *x = a, *y = b;

	if (x->resource->apply_order != y->resource->apply_order)
		return x->resource->apply_order - y->resource->apply_order;
	return x->source < y->source ? -1 : x->source > y->source; /* stable: file order */
}

int apply_plan_build(struct apply_plan *plan, const char *const *paths, int npaths, bool recursive,
                     const char *default_ns, const char *explicit_ns)
{
	size_t i;
	int failed = 0;

	memset(plan, 0, sizeof(*plan));
	rtdp_object_set_init(&plan->set);
	if (cli_load_manifests(paths, npaths, recursive, &plan->set) != 0)
		return -1;
	plan->items = calloc(plan->set.len ? plan->set.len : 1, sizeof(*plan->items));
	if (!plan->items) {
		fprintf(stderr, "error: out of memory\n");
		return -1;
	}
	for (i = 0; i < plan->set.len; i++) {
		if (is_kustomize_file(plan->set.items[i].json))
			continue;
		if (resolve(&plan->items[plan->len], &plan->set.items[i], default_ns,
		            explicit_ns) != 0)
			failed = 1;
		else
			plan->len++;
	}
	if (!failed && plan->len == 0) {
		fprintf(stderr, "error: no objects passed to apply\n");
		return -1;
	}
	qsort(plan->items, plan->len, sizeof(*plan->items), by_order);
	return failed ? -1 : 0;
}

void apply_plan_release(struct apply_plan *plan)
{
	free(plan->items);
	rtdp_object_set_release(&plan->set);
	memset(plan, 0, sizeof(*plan));
}
