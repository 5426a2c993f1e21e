/*
 * What the API calls each kind rtdp writes: its REST path, whether it is
 * namespaced, and kubectl's short display name ("deployment.apps").
 * A fixed table, no discovery: these kinds are stable, and an unknown kind is
 * an error naming it.
 */
#ifndef RTDP_PLUGIN_KUBE_RESOURCE_H
#define RTDP_PLUGIN_KUBE_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

struct kube_resource {
	const char *api_version; /* "apps/v1", "v1" */
	const char *kind; /* "Deployment" */
	const char *plural; /* "deployments" */
	const char *display; /* "deployment.apps", as kubectl prints it */
	bool namespaced;
	int apply_order; /* lower first: Namespaces before what lives in them */
};

/* The entry for apiVersion/kind, or NULL. */
const struct kube_resource *kube_resource_find(const char *api_version, const char *kind);

/* The entry for obj's apiVersion and kind; RTDP_ERR_INVALID naming them when unknown. */
enum rtdp_rc kube_resource_of(const cJSON *obj, const struct kube_resource **out,
                              struct rtdp_error *err);

/*
 * The collection path ("/apis/apps/v1/namespaces/ns/deployments") into buf.
 * ns is ignored for cluster-scoped kinds. Returns -1 when buf is too small.
 */
int kube_collection_path(const struct kube_resource *r, const char *ns, char *buf, size_t n);

/* The object path (collection path + "/" + name) into buf; -1 when too small. */
int kube_object_path(const struct kube_resource *r, const char *ns, const char *name, char *buf,
                     size_t n);

#endif
