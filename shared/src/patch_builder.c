#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "patch_builder.h"
#include "json_path.h"
#include "rtdp/banned.h"

enum rtdp_rc pb_init(struct patch_builder *pb, const cJSON *object)
{
	pb->ops = cJSON_CreateArray();
	pb->doc = cJSON_Duplicate(object, 1);
	if (!pb->ops || !pb->doc) {
		pb_release(pb);
		return RTDP_ERR_NOMEM;
	}
	return RTDP_OK;
}

void pb_release(struct patch_builder *pb)
{
	cJSON_Delete(pb->ops);
	cJSON_Delete(pb->doc);
	pb->ops = NULL;
	pb->doc = NULL;
}

cJSON *pb_detach_ops(struct patch_builder *pb)
{
	cJSON *ops = pb->ops;

	pb->ops = cJSON_CreateArray();
	return ops;
}

static cJSON *child(cJSON *node, const char *key)
{
	char *end;
	long i;

	if (cJSON_IsObject(node))
		return cJSON_GetObjectItemCaseSensitive(node, key);
	if (!cJSON_IsArray(node) || !isdigit((unsigned char)key[0]))
		return NULL;
	i = strtol(key, &end, 10);
	return *end ? NULL : cJSON_GetArrayItem(node, (int)i);
}

/* {seg[0]: {seg[1]: ... value}}; takes value; NULL on out-of-memory. */
static cJSON *nest(const char *const *segments, size_t n, cJSON *value)
{
	cJSON *outer;

	while (n-- > 0) {
		outer = cJSON_CreateObject();
		if (!outer) {
			cJSON_Delete(value);
			return NULL;
		}
		cJSON_AddItemToObject(outer, segments[n], value);
		value = outer;
	}
	return value;
}

static enum pb_result emit(struct patch_builder *pb, const char *op, const char *pointer,
			   const cJSON *value)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *copy = cJSON_Duplicate(value, 1);

	if (!o || !copy || !cJSON_AddStringToObject(o, "op", op) ||
	    !cJSON_AddStringToObject(o, "path", pointer)) {
		cJSON_Delete(o);
		cJSON_Delete(copy);
		return PB_NOMEM;
	}
	cJSON_AddItemToObject(o, "value", copy);
	cJSON_AddItemToArray(pb->ops, o);
	return PB_DONE;
}

/* Puts value (owned) under key of parent in the working document, replacing what is there. */
static void put(cJSON *parent, const char *key, cJSON *value)
{
	if (cJSON_IsArray(parent))
		cJSON_ReplaceItemInArray(parent, (int)strtol(key, NULL, 10), value);
	else if (cJSON_GetObjectItemCaseSensitive(parent, key))
		cJSON_ReplaceItemInObjectCaseSensitive(parent, key, value);
	else
		cJSON_AddItemToObject(parent, key, value);
}

enum pb_result pb_set(struct patch_builder *pb, const char *const *segments, size_t n, cJSON *value)
{
	struct jpath path;
	cJSON *node = pb->doc, *next;
	enum pb_result r;
	size_t i;

	jpath_init(&path);
	for (i = 0; i < n; i++) {
		jpath_push(&path, segments[i]);
		next = child(node, segments[i]);
		if (!next && cJSON_IsArray(node))
			break; /* indexes must exist */
		if (!next || (i + 1 < n && cJSON_IsNull(next)) || i + 1 == n) {
			const char *op = next ? "replace" : "add";

			value = nest(segments + i + 1, n - i - 1, value);
			if (!value)
				return PB_NOMEM;
			r = emit(pb, op, path.ptr, value);
			if (r == PB_DONE)
				put(node, segments[i], value);
			else
				cJSON_Delete(value);
			return r;
		}
		if (!cJSON_IsObject(next) && !cJSON_IsArray(next))
			break;
		node = next;
	}
	cJSON_Delete(value);
	return PB_BLOCKED;
}
