/*
 * The REST path of a whole object, from its own fields, over kube_resource.h
 * (the table of kinds rtdp writes): the namespace defaults to the context's,
 * names are percent-encoded, and every failure names the object.
 */
#ifndef RTDP_PLUGIN_KUBE_URL_H
#define RTDP_PLUGIN_KUBE_URL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

/*
 * The path of obj (borrowed: apiVersion, kind, metadata.name and, for a
 * namespaced kind, metadata.namespace, else default_ns, which may be NULL)
 * into buf of n bytes: "/apis/apps/v1/namespaces/ns/deployments/name",
 * "/api/v1/namespaces/name" (a cluster-scoped kind ignores any namespace).
 * RTDP_ERR_INVALID for a missing field or a kind the table lacks,
 * RTDP_ERR_LIMIT when buf is too small.
 */
enum rtdp_rc kube_object_url(const cJSON *obj, const char *default_ns, char *buf, size_t n,
                             struct rtdp_error *err);

/* kubectl's short reference to obj into buf: "deployment.apps/web", "service/web". */
enum rtdp_rc kube_object_ref(const cJSON *obj, char *buf, size_t n, struct rtdp_error *err);

#endif
