/*
 * What `kubectl rtdp apply` will send: the objects of -f paths, without kustomize
 * files, each with its resource, namespace and URL path, Namespaces first.
 */
#ifndef RTDP_PLUGIN_APPLY_PLAN_H
#define RTDP_PLUGIN_APPLY_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "kube_resource.h"
#include "rtdp/manifest.h"

struct apply_item {
	const struct rtdp_object *source; /* borrowed from the plan's set */
	const struct kube_resource *resource;
	char namespace[254]; /* "" for cluster-scoped kinds */
	char name[254];
	char path[1024]; /* the object's URL path */
	char ref[300]; /* "deployment.apps/name", as kubectl prints it */
};

struct apply_plan {
	struct rtdp_object_set set;
	struct apply_item *items; /* owned, in apply order */
	size_t len;
};

/*
 * Loads paths (recursive as -R) and resolves every object against
 * default_ns; explicit_ns (the -n flag, NULL when not given) must agree with
 * the objects' own namespaces, as kubectl requires. Prints each error as
 * "error: ..." and returns -1 when anything is wrong (then nothing is applied).
 */
int apply_plan_build(struct apply_plan *plan, const char *const *paths, int npaths, bool recursive,
                     const char *default_ns, const char *explicit_ns);
void apply_plan_release(struct apply_plan *plan);

#endif
