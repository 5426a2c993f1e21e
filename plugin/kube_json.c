#include <stdlib.h>
#include <string.h>

#include "kube_blob.h"
#include "kube_json.h"
#include "rtdp/banned.h"

const char *kube_json_type(const cJSON *item)
{
	if (!item || cJSON_IsNull(item))
		return "null";
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsArray(item))
		return "a list";
	if (cJSON_IsObject(item))
		return "a mapping";
	return "an unknown value";
}

/* The member, or NULL when absent or null. */
static const cJSON *member(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsNull(item) ? NULL : item;
}

static enum rtdp_rc wrong(const char *where, const char *name, const char *want, const cJSON *got,
                          struct rtdp_error *err)
{
	return rtdp_error_set(err, RTDP_ERR_INVALID, "%s%s%s: expected %s, got %s", where,
	                      *where ? "." : "", name, want, kube_json_type(got));
}

enum rtdp_rc kube_json_str(const cJSON *obj, const char *name, const char *where, const char **out,
                           struct rtdp_error *err)
{
	const cJSON *item = member(obj, name);

	*out = NULL;
	if (!item)
		return RTDP_OK;
	if (!cJSON_IsString(item))
		return wrong(where, name, "a string", item, err);
	if (item->valuestring[0])
		*out = item->valuestring;
	return RTDP_OK;
}

enum rtdp_rc kube_json_bool(const cJSON *obj, const char *name, const char *where, bool *out,
                            struct rtdp_error *err)
{
	const cJSON *item = member(obj, name);

	*out = false;
	if (!item)
		return RTDP_OK;
	if (!cJSON_IsBool(item))
		return wrong(where, name, "a boolean", item, err);
	*out = cJSON_IsTrue(item);
	return RTDP_OK;
}

enum rtdp_rc kube_json_map(const cJSON *obj, const char *name, const char *where, const cJSON **out,
                           struct rtdp_error *err)
{
	const cJSON *item = member(obj, name);

	*out = NULL;
	if (!item)
		return RTDP_OK;
	if (!cJSON_IsObject(item))
		return wrong(where, name, "a mapping", item, err);
	*out = item;
	return RTDP_OK;
}

enum rtdp_rc kube_json_list(const cJSON *obj, const char *name, const char *where,
                            const cJSON **out, struct rtdp_error *err)
{
	const cJSON *item = member(obj, name);

	*out = NULL;
	if (!item)
		return RTDP_OK;
	if (!cJSON_IsArray(item))
		return wrong(where, name, "a list", item, err);
	*out = item;
	return RTDP_OK;
}

enum rtdp_rc kube_json_str_list(const cJSON *obj, const char *name, const char *where,
                                const cJSON **out, struct rtdp_error *err)
{
	const cJSON *item;
	int i = 0;
	enum rtdp_rc rc = kube_json_list(obj, name, where, out, err);

	if (rc != RTDP_OK || !*out)
		return rc;
	cJSON_ArrayForEach(item, *out)
	{
		if (!cJSON_IsString(item))
			return rtdp_error_set(err, RTDP_ERR_INVALID,
			                      "%s%s%s[%d]: expected a string, got %s", where,
			                      *where ? "." : "", name, i, kube_json_type(item));
		i++;
	}
	return RTDP_OK;
}

enum rtdp_rc kube_dup(char **dst, const char *s, struct rtdp_error *err)
{
	kube_free_secret(*dst);
	*dst = NULL;
	if (!s)
		return RTDP_OK;
	*dst = strdup(s);
	if (!*dst)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}
