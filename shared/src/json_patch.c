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

/* One operation's members (borrowed from the operation). */
struct patch_op {
	const char *name, *path, *from;
	const cJSON *value;
};

/* Each returns a static reason on failure, NULL on success. */
typedef const char *(*op_fn)(cJSON **root, const struct patch_op *op);

/* Puts node (owned) at path; frees it when that fails. */
static const char *put(cJSON **root, const char *path, cJSON *node)
{
	if (do_add(*root, root, path, node))
		return NULL;
	cJSON_Delete(node);
	return "the parent of the path does not exist";
}

static const char *op_add(cJSON **root, const struct patch_op *op)
{
	cJSON *copy;

	if (!op->value)
		return "missing \"value\"";
	copy = cJSON_Duplicate(op->value, 1);
	return copy ? put(root, op->path, copy) : "out of memory";
}

static const char *op_replace(cJSON **root, const struct patch_op *op)
{
	if (!op->value)
		return "missing \"value\"";
	if (op->path[0] && !json_pointer_get(*root, op->path, NULL))
		return "replace of a path that does not exist";
	if (op->path[0])
		cJSON_Delete(do_detach(*root, op->path));
	return op_add(root, op);
}

static const char *op_remove(cJSON **root, const struct patch_op *op)
{
	cJSON *node = op->path[0] ? do_detach(*root, op->path) : NULL;

	if (!node)
		return "remove of a path that does not exist";
	cJSON_Delete(node);
	return NULL;
}

static const char *op_test(cJSON **root, const struct patch_op *op)
{
	const cJSON *node = json_pointer_get(*root, op->path, NULL);

	if (!op->value)
		return "missing \"value\"";
	return node && cJSON_Compare(node, op->value, 1) ? NULL : "test failed";
}

static const char *op_copy(cJSON **root, const struct patch_op *op)
{
	const cJSON *node;
	cJSON *copy;

	if (!op->from)
		return "missing \"from\"";
	node = json_pointer_get(*root, op->from, NULL);
	if (!node)
		return "\"from\" does not exist";
	copy = cJSON_Duplicate(node, 1);
	return copy ? put(root, op->path, copy) : "out of memory";
}

static const char *op_move(cJSON **root, const struct patch_op *op)
{
	size_t flen;
	cJSON *node;

	if (!op->from)
		return "missing \"from\"";
	flen = strlen(op->from);
	if (strncmp(op->path, op->from, flen) == 0 && op->path[flen] == '/')
		return "cannot move a value into one of its children";
	if (!json_pointer_get(*root, op->from, NULL))
		return "\"from\" does not exist";
	node = do_detach(*root, op->from);
	return node ? put(root, op->path, node) : "\"from\" cannot be moved";
}

/* Applies one operation to *root; returns a static reason on failure, NULL on success. */
static const char *apply_one(cJSON **root, const cJSON *json)
{
	static const struct {
		const char *name;
		op_fn fn;
	} ops[] = {{"add", op_add},   {"replace", op_replace}, {"remove", op_remove},
	           {"test", op_test}, {"copy", op_copy},       {"move", op_move}};
	struct patch_op op = {op_string(json, "op"), op_string(json, "path"),
	                      op_string(json, "from"),
	                      cJSON_GetObjectItemCaseSensitive(json, "value")};
	const char *why;
	size_t i;

	if (!op.name || !op.path)
		return "an operation needs string \"op\" and \"path\"";
	if ((why = duplicate_member(json)))
		return why;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op.name, ops[i].name) == 0)
			/* cppcheck-suppress returnDanglingLifetime ; the reason is static */
			return ops[i].fn(root, &op);
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
