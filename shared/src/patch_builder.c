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

/*
 * The earlier add or replace whose path is a proper prefix of pointer (its
 * value already holds the map pointer goes into), or NULL; *depth receives the
 * number of segments of its path.
 */
static cJSON *covering_op(const struct patch_builder *pb, const char *pointer, size_t *depth)
{
	cJSON *op;
	const char *path, *c;
	size_t len;

	for (op = pb->ops->child; op; op = op->next) {
		path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "path"));
		len = path ? strlen(path) : 0;
		if (!path || strncmp(pointer, path, len) != 0 || pointer[len] != '/')
			continue;
		for (*depth = 0, c = path; *c; c++)
			*depth += *c == '/';
		return op;
	}
	return NULL;
}

/*
 * Puts value (owned) at segments[i] inside the value of the earlier operation
 * op (which sets segments[0..depth)), so that a map the patch creates is
 * created whole by one operation. PB_BLOCKED when op's value has no room for it.
 */
static enum pb_result merge_into(cJSON *op, size_t depth, const char *const *segments, size_t i,
                                 cJSON *parent, cJSON *value)
{
	cJSON *merged = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(op, "value"), 1);
	cJSON *copy = cJSON_Duplicate(value, 1), *at = merged;
	size_t k;

	for (k = depth; at && k < i; k++)
		at = child(at, segments[k]);
	if (!merged || !copy || !cJSON_IsObject(at)) {
		enum pb_result r = merged && copy ? PB_BLOCKED : PB_NOMEM;

		cJSON_Delete(merged);
		cJSON_Delete(copy);
		return r;
	}
	put(at, segments[i], copy);
	if (!cJSON_ReplaceItemInObjectCaseSensitive(op, "value", merged)) {
		cJSON_Delete(merged);
		return PB_NOMEM;
	}
	put(parent, segments[i], value);
	return PB_DONE;
}

/* Emits the operation that sets value (owned) at segments[i] of parent. */
static enum pb_result set_at(struct patch_builder *pb, const char *pointer, const char *op,
                             const char *const *segments, size_t i, cJSON *parent, cJSON *value)
{
	size_t depth = 0;
	cJSON *cover = covering_op(pb, pointer, &depth);
	enum pb_result r;

	if (cover) {
		r = merge_into(cover, depth, segments, i, parent, value);
		if (r != PB_BLOCKED) {
			if (r != PB_DONE)
				cJSON_Delete(value);
			return r;
		}
	}
	r = emit(pb, op, pointer, value);
	if (r == PB_DONE)
		put(parent, segments[i], value);
	else
		cJSON_Delete(value);
	return r;
}

enum pb_result pb_set(struct patch_builder *pb, const char *const *segments, size_t n, cJSON *value)
{
	struct jpath path;
	cJSON *node = pb->doc, *next;
	size_t i;

	jpath_init(&path);
	for (i = 0; i < n; i++) {
		jpath_push(&path, segments[i]);
		next = child(node, segments[i]);
		/* indexes must exist, and only maps get new or replaced members */
		if (cJSON_IsArray(node) && (!next || i + 1 == n || cJSON_IsNull(next)))
			break;
		if (!next || (i + 1 < n && cJSON_IsNull(next)) || i + 1 == n) {
			value = nest(segments + i + 1, n - i - 1, value);
			if (!value)
				return PB_NOMEM;
			return set_at(pb, path.ptr, next ? "replace" : "add", segments, i, node,
			              value);
		}
		if (!cJSON_IsObject(next) && !cJSON_IsArray(next))
			break;
		node = next;
	}
	cJSON_Delete(value);
	return PB_BLOCKED;
}
