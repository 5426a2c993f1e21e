#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rtdp/json_patch.h"
#include "json_path.h"
#include "rtdp/banned.h"

/* A pointer split into its parent node and the last (decoded) key. */
struct target {
	cJSON *parent; /* borrowed, inside the document */
	char key[JPATH_MAX];
};

static int decode_last(const char *seg, char *key, size_t n)
{
	size_t k = 0;

	for (; *seg; seg++) {
		char ch = *seg;

		if (ch == '~') {
			if (seg[1] != '0' && seg[1] != '1')
				return 0;
			ch = *++seg == '0' ? '~' : '/';
		}
		if (k + 1 >= n)
			return 0;
		key[k++] = ch;
	}
	key[k] = '\0';
	return 1;
}

/* Resolves everything but the last segment of pointer; 0 when that fails. */
static int locate(cJSON *doc, const char *pointer, struct target *t)
{
	char parent_ptr[JPATH_MAX];
	const char *slash = strrchr(pointer, '/');
	size_t plen;

	if (!slash || pointer[0] != '/')
		return 0;
	plen = (size_t)(slash - pointer);
	if (plen >= sizeof(parent_ptr))
		return 0;
	memcpy(parent_ptr, pointer, plen);
	parent_ptr[plen] = '\0';
	t->parent = (cJSON *)json_pointer_get(doc, parent_ptr, NULL);
	return t->parent && decode_last(slash + 1, t->key, sizeof(t->key));
}

/* The array index key names, or -1; allow_end accepts "-" and len. */
static int array_index(const cJSON *arr, const char *key, int allow_end)
{
	int len = cJSON_GetArraySize(arr);
	char *end;
	long i;

	if (allow_end && strcmp(key, "-") == 0)
		return len;
	if (!isdigit((unsigned char)key[0]) || (key[0] == '0' && key[1]))
		return -1;
	i = strtol(key, &end, 10);
	if (*end || i > len || (i == len && !allow_end))
		return -1;
	return (int)i;
}

/*
 * Inserts value before index i (< size) of arr: appends it, then moves the
 * items from i on behind it. Not cJSON_InsertItemInArray: Debian 12's cJSON
 * 1.7.15 (its CVE-2023-50471 backport) refuses every index but 0.
 */
static void insert_at(cJSON *arr, int i, cJSON *value)
{
	int n = cJSON_GetArraySize(arr) - i;
	cJSON *it;

	cJSON_AddItemToArray(arr, value);
	while (n-- > 0 && (it = cJSON_DetachItemFromArray(arr, i)))
		cJSON_AddItemToArray(arr, it);
}

static int do_add(cJSON *doc, cJSON **root, const char *path, cJSON *value)
{
	struct target t;
	int i;

	if (path[0] == '\0') { /* replaces the whole document */
		cJSON_Delete(*root);
		*root = value;
		return 1;
	}
	if (!locate(doc, path, &t))
		return 0;
	if (cJSON_IsObject(t.parent)) {
		if (cJSON_GetObjectItemCaseSensitive(t.parent, t.key))
			return cJSON_ReplaceItemInObjectCaseSensitive(t.parent, t.key, value);
		cJSON_AddItemToObject(t.parent, t.key, value);
		return 1;
	}
	if (!cJSON_IsArray(t.parent) || (i = array_index(t.parent, t.key, 1)) < 0)
		return 0;
	if (i == cJSON_GetArraySize(t.parent))
		cJSON_AddItemToArray(t.parent, value);
	else
		insert_at(t.parent, i, value);
	return 1;
}

/* Detaches the node at path; NULL when there is none. */
static cJSON *do_detach(cJSON *doc, const char *path)
{
	struct target t;
	int i;

	if (!locate(doc, path, &t))
		return NULL;
	if (cJSON_IsObject(t.parent))
		return cJSON_DetachItemFromObjectCaseSensitive(t.parent, t.key);
	if (!cJSON_IsArray(t.parent) || (i = array_index(t.parent, t.key, 0)) < 0)
		return NULL;
	return cJSON_DetachItemFromArray(t.parent, i);
}

static const char *op_string(const cJSON *op, const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, field);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * RFC 6902 A.13: an operation with a member twice (two "op"s) is invalid, not
 * "the first one wins". Returns a static reason, or NULL.
 */
static const char *duplicate_member(const cJSON *op)
{
	static const char *const members[] = {"op", "path", "from", "value"};
	static const char *const reasons[] = {
	        "the member \"op\" appears twice", "the member \"path\" appears twice",
	        "the member \"from\" appears twice", "the member \"value\" appears twice"};
	const cJSON *m;
	size_t i;
	int seen;

	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		seen = 0;
		for (m = op->child; m; m = m->next)
			if (m->string && strcmp(m->string, members[i]) == 0 && seen++)
				return reasons[i];
	}
	return NULL;
}

/* Applies one operation to *root; returns a static reason on failure, NULL on success. */
static const char *apply_one(cJSON **root, const cJSON *op)
{
	const char *name = op_string(op, "op"), *path = op_string(op, "path");
	const char *from = op_string(op, "from");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(op, "value");
	const char *why;
	cJSON *node, *copy;

	if (!name || !path)
		return "an operation needs string \"op\" and \"path\"";
	if ((why = duplicate_member(op)))
		return why;
	if (strcmp(name, "add") == 0 || strcmp(name, "replace") == 0) {
		if (!value)
			return "missing \"value\"";
		if (strcmp(name, "replace") == 0 && path[0] && !json_pointer_get(*root, path, NULL))
			return "replace of a path that does not exist";
		copy = cJSON_Duplicate(value, 1);
		if (!copy)
			return "out of memory";
		if (strcmp(name, "replace") == 0 && path[0])
			cJSON_Delete(do_detach(*root, path));
		if (!do_add(*root, root, path, copy)) {
			cJSON_Delete(copy);
			return "the parent of the path does not exist";
		}
		return NULL;
	}
	if (strcmp(name, "remove") == 0) {
		node = path[0] ? do_detach(*root, path) : NULL;
		if (!node)
			return "remove of a path that does not exist";
		cJSON_Delete(node);
		return NULL;
	}
	if (strcmp(name, "test") == 0) {
		node = (cJSON *)json_pointer_get(*root, path, NULL);
		if (!value)
			return "missing \"value\"";
		return node && cJSON_Compare(node, value, 1) ? NULL : "test failed";
	}
	if (strcmp(name, "move") == 0 || strcmp(name, "copy") == 0) {
		if (!from)
			return "missing \"from\"";
		if (strcmp(name, "move") == 0 && strncmp(path, from, strlen(from)) == 0 &&
		    (path[strlen(from)] == '/'))
			return "cannot move a value into one of its children";
		node = (cJSON *)json_pointer_get(*root, from, NULL);
		if (!node)
			return "\"from\" does not exist";
		copy = strcmp(name, "copy") == 0 ? cJSON_Duplicate(node, 1)
		                                 : do_detach(*root, from);
		if (!copy)
			return "\"from\" cannot be moved";
		if (!do_add(*root, root, path, copy)) {
			cJSON_Delete(copy);
			return "the parent of the path does not exist";
		}
		return NULL;
	}
	return "unknown op";
}

enum rtdp_rc rtdp_json_patch_apply(cJSON **doc, const cJSON *patch, struct rtdp_error *err)
{
	cJSON *work;
	const cJSON *op;
	const char *why;
	int i = 0;

	if (!cJSON_IsArray(patch))
		return rtdp_error_set(err, RTDP_ERR_INVALID, "a JSON patch must be an array");
	work = cJSON_Duplicate(*doc, 1);
	if (!work)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	for (op = patch->child; op; op = op->next, i++) {
		why = cJSON_IsObject(op) ? apply_one(&work, op) : "an operation must be an object";
		if (why) {
			rtdp_error_set(err, RTDP_ERR_INVALID, "patch operation %d (%s %s): %s", i,
			               op_string(op, "op") ? op_string(op, "op") : "?",
			               op_string(op, "path") ? op_string(op, "path") : "?", why);
			cJSON_Delete(work);
			return err ? err->rc : RTDP_ERR_INVALID;
		}
	}
	cJSON_Delete(*doc);
	*doc = work;
	return RTDP_OK;
}
