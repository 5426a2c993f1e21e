#include <stdio.h>
#include <string.h>

#include "pipeline_query.h"
#include "rtdp/json.h"
#include "rtdp/banned.h"

bool pipeline_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > 63 || name[0] == '-' || name[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '-'))
			return false;
	return true;
}

enum rtdp_rc pipeline_get_json(struct kube_client *c, const char *path, cJSON **out,
                               struct rtdp_error *err)
{
	struct kube_response resp;
	enum rtdp_rc rc;

	*out = NULL;
	rc = kube_get(c, path, &resp, err);
	if (rc == RTDP_OK) {
		*out = cJSON_ParseWithLength(resp.body ? resp.body : "", resp.body_len);
		if (!*out)
			rc = rtdp_error_set(err, RTDP_ERR_PARSE, "GET %s: the answer is not JSON",
			                    path);
	}
	kube_response_release(&resp);
	return rc;
}

/* "a.b.c" walked from obj; NULL when a step is missing. */
static const cJSON *walk(const cJSON *obj, const char *path)
{
	char key[128];
	const char *dot;
	size_t n;

	while (obj && *path) {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		obj = cJSON_GetObjectItemCaseSensitive(obj, key);
		path += n + (dot ? 1 : 0);
	}
	return obj;
}

const char *pipeline_str(const cJSON *obj, const char *path, const char *dflt)
{
	const cJSON *v = walk(obj, path);

	return cJSON_IsString(v) ? v->valuestring : dflt;
}

long pipeline_num(const cJSON *obj, const char *path, long dflt)
{
	int n;

	return rtdp_json_int(walk(obj, path), &n) ? n : dflt;
}

enum rtdp_rc pipeline_list(struct kube_client *c, const struct kube_resource *r, const char *ns,
                           const char *label, const char *value, cJSON **list,
                           struct rtdp_error *err)
{
	char path[PIPELINE_PATH_MAX], enc[256];
	size_t i, o = 0;
	int w;

	*list = NULL;
	for (i = 0; label[i] && o + 4 < sizeof(enc); i++) {
		if (label[i] == '/')
			o += (size_t)snprintf(enc + o, sizeof(enc) - o, "%%2F");
		else
			enc[o++] = label[i];
	}
	enc[o] = '\0';
	if (kube_collection_path(r, ns, path, sizeof(path)) < 0)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "path too long");
	w = snprintf(path + strlen(path), sizeof(path) - strlen(path), "?labelSelector=%s%%3D%s",
	             enc, value);
	if (w < 0 || (size_t)w >= sizeof(path) - strlen(path))
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "path too long");
	if (pipeline_get_json(c, path, list, err) != RTDP_OK)
		return err->rc;
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(*list, "items"))) {
		cJSON_DeleteItemFromObjectCaseSensitive(*list, "items");
		if (!cJSON_AddArrayToObject(*list, "items")) {
			cJSON_Delete(*list);
			*list = NULL;
			return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
		}
	}
	return RTDP_OK;
}

int pipeline_take_name(const char **slot, const char *cmd, const char *arg)
{
	if (*slot) {
		fprintf(stderr, "error: unexpected argument \"%s\": %s takes one NAME\n", arg, cmd);
		return -1;
	}
	*slot = arg;
	return 0;
}

int pipeline_check_name(const char *name, const char *cmd)
{
	if (!name) {
		fprintf(stderr,
		        "error: a pipeline NAME is required\n"
		        "See 'kubectl rtdp %s -h' for help and examples\n",
		        cmd);
		return -1;
	}
	if (!pipeline_name_ok(name)) {
		fprintf(stderr, "error: invalid pipeline name \"%s\": must be a DNS label\n", name);
		return -1;
	}
	return 0;
}
