#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "kube_resource.h"
#include "kube_url.h"
#include "rtdp/banned.h"

#define SEGMENT_MAX 1024 /* one encoded name or namespace */

/* Percent-encodes s (RFC 3986 unreserved characters pass) into buf; -1 when too long. */
static int encode(const char *s, char *buf, size_t n)
{
	size_t at = 0;
	int w;

	for (; *s; s++) {
		if (isalnum((unsigned char)*s) || strchr("-._~", *s))
			w = snprintf(buf + at, n - at, "%c", *s);
		else
			w = snprintf(buf + at, n - at, "%%%02X", (unsigned char)*s);
		if (w < 0 || (size_t)w >= n - at)
			return -1;
		at += (size_t)w;
	}
	buf[at] = '\0';
	return 0;
}

static const char *meta_str(const cJSON *obj, const char *name)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(meta, name));

	return s && *s ? s : NULL;
}

enum rtdp_rc kube_object_url(const cJSON *obj, const char *default_ns, char *buf, size_t n,
                             struct rtdp_error *err)
{
	const struct kube_resource *r = NULL;
	const char *name = meta_str(obj, "name");
	const char *ns = meta_str(obj, "namespace");
	char ename[SEGMENT_MAX], ens[SEGMENT_MAX] = "";
	enum rtdp_rc rc = kube_resource_of(obj, &r, err);

	if (rc != RTDP_OK)
		return rc;
	if (!name)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s has no metadata.name", r->kind);
	ns = r->namespaced ? (ns ? ns : default_ns) : NULL;
	if (r->namespaced && !ns)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s \"%s\" has no namespace", r->kind,
		                      name);
	if (encode(name, ename, sizeof(ename)) || (ns && encode(ns, ens, sizeof(ens))) ||
	    kube_object_path(r, ens, ename, buf, n) != 0)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "the URL of %s \"%s\" is too long",
		                      r->kind, name);
	return RTDP_OK;
}

enum rtdp_rc kube_object_ref(const cJSON *obj, char *buf, size_t n, struct rtdp_error *err)
{
	const struct kube_resource *r = NULL;
	const char *name = meta_str(obj, "name");
	enum rtdp_rc rc = kube_resource_of(obj, &r, err);
	int w;

	if (rc != RTDP_OK)
		return rc;
	if (!name)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s has no metadata.name", r->kind);
	w = snprintf(buf, n, "%s/%s", r->display, name);
	if (w < 0 || (size_t)w >= n)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "the reference to %s \"%s\" is too long",
		                      r->kind, name);
	return RTDP_OK;
}
