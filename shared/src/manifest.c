#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rtdp/io.h"
#include "rtdp/manifest.h"
#include "json_path.h"
#include "srcmap.h"
#include "yaml_json.h"
#include "rtdp/banned.h"

void rtdp_limits_default(struct rtdp_limits *l)
{
	l->max_bytes = 64u << 20;
	l->max_depth = 100;
	l->max_nodes = 200000;
	l->max_documents = 1000000;
}

void rtdp_object_set_init(struct rtdp_object_set *set)
{
	memset(set, 0, sizeof(*set));
}

/* Maps are shared by the objects of one document: each document's is freed once. */
void rtdp_object_set_release(struct rtdp_object_set *set)
{
	size_t i;

	for (i = 0; i < set->len; i++) {
		struct rtdp_object *o = &set->items[i];

		cJSON_Delete(o->json);
		if (o->map && (i + 1 == set->len || set->items[i + 1].map != o->map)) {
			srcmap_release(o->map);
			free(o->map);
		}
	}
	for (i = 0; i < set->nsources; i++)
		free(set->sources[i]);
	free(set->sources);
	free(set->items);
	rtdp_object_set_init(set);
}

static enum rtdp_rc add_source(struct rtdp_object_set *set, const char *name, const char **kept)
{
	char **bigger = realloc(set->sources, (set->nsources + 1) * sizeof(*bigger));

	if (!bigger)
		return RTDP_ERR_NOMEM;
	set->sources = bigger;
	set->sources[set->nsources] = strdup(name);
	if (!set->sources[set->nsources])
		return RTDP_ERR_NOMEM;
	*kept = set->sources[set->nsources++];
	return RTDP_OK;
}

static struct rtdp_object *new_item(struct rtdp_object_set *set)
{
	if (set->len == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		struct rtdp_object *bigger = realloc(set->items, cap * sizeof(*bigger));

		if (!bigger)
			return NULL;
		set->items = bigger;
		set->cap = cap;
	}
	memset(&set->items[set->len], 0, sizeof(set->items[0]));
	return &set->items[set->len++];
}

struct parse_ctx {
	struct rtdp_object_set *set;
	const char *source; /* owned by set */
};

static const char *json_type_name(const cJSON *n)
{
	if (cJSON_IsObject(n))
		return "a mapping";
	if (cJSON_IsArray(n))
		return "a sequence";
	if (cJSON_IsString(n))
		return "a string";
	if (cJSON_IsNumber(n))
		return "a number";
	if (cJSON_IsBool(n))
		return "a boolean";
	return "null";
}

static int is_list(const cJSON *root)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");

	return cJSON_IsString(kind) && strcmp(kind->valuestring, "List") == 0 &&
	       cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "items"));
}

static enum rtdp_rc add_object(struct parse_ctx *pc, const struct yaml_doc *doc,
                               struct rtdp_srcmap *map, cJSON *json, int item,
                               struct rtdp_error *err)
{
	struct rtdp_object *o = new_item(pc->set);
	int line = doc->line, column = doc->column;

	if (!o) {
		cJSON_Delete(json);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	srcmap_get(map, json, &line, &column);
	o->json = json;
	o->source = pc->source;
	o->document = doc->index;
	o->item = item;
	o->line = line;
	o->column = column;
	o->map = map;
	return RTDP_OK;
}

static enum rtdp_rc check_list_items(const struct yaml_doc *doc, const cJSON *items,
                                     struct rtdp_error *err)
{
	const cJSON *it;
	int i = 0, line, column;

	for (it = items->child; it; it = it->next, i++) {
		if (cJSON_IsObject(it))
			continue;
		line = doc->line;
		column = doc->column;
		srcmap_get(&doc->map, it, &line, &column);
		return rtdp_error_set(
		        err, RTDP_ERR_INVALID,
		        "document %d: line %d, column %d: List item %d is %s, not an object",
		        doc->index + 1, line, column, i, json_type_name(it));
	}
	return RTDP_OK;
}

/* Keeps doc (root and map) in the set: one object, or the items of a List. */
static enum rtdp_rc keep_document(struct parse_ctx *pc, struct yaml_doc *doc,
                                  struct rtdp_srcmap *map, struct rtdp_error *err)
{
	cJSON *items, *it;
	int i = 0;
	enum rtdp_rc rc;

	if (!is_list(doc->root))
		return add_object(pc, doc, map, doc->root, -1, err);
	items = cJSON_GetObjectItemCaseSensitive(doc->root, "items");
	rc = check_list_items(doc, items, err);
	while (rc == RTDP_OK && (it = cJSON_DetachItemFromArray(items, 0)))
		rc = add_object(pc, doc, map, it, i++, err);
	cJSON_Delete(doc->root);
	return rc;
}

static enum rtdp_rc on_document(void *ctx, struct yaml_doc *doc, struct rtdp_error *err)
{
	struct parse_ctx *pc = ctx;
	struct rtdp_srcmap *map;
	size_t before = pc->set->len;
	enum rtdp_rc rc;

	if (!doc->root) {
		srcmap_release(&doc->map);
		return RTDP_OK;
	}
	if (!cJSON_IsObject(doc->root)) {
		rc = rtdp_error_set(err, RTDP_ERR_INVALID,
		                    "document %d: line %d, column %d: expected a Kubernetes object "
		                    "(a mapping), got %s",
		                    doc->index + 1, doc->line, doc->column,
		                    json_type_name(doc->root));
		goto fail;
	}
	map = malloc(sizeof(*map));
	if (!map) {
		rc = rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
		goto fail;
	}
	*map = doc->map;
	rc = keep_document(pc, doc, map, err);
	if (pc->set->len == before) { /* an empty List, or it failed before keeping any */
		srcmap_release(map);
		free(map);
	}
	return rc;
fail:
	cJSON_Delete(doc->root);
	srcmap_release(&doc->map);
	return rc;
}

/* Drops what a failed parse appended, so that an error appends nothing. */
static void truncate_set(struct rtdp_object_set *set, size_t len)
{
	struct rtdp_object_set tail;

	if (set->len == len)
		return;
	rtdp_object_set_init(&tail);
	tail.items = set->items + len;
	tail.len = set->len - len;
	/* release the tail's objects and maps without touching sources */
	while (tail.len > 0) {
		struct rtdp_object *o = &tail.items[tail.len - 1];

		cJSON_Delete(o->json);
		if (o->map && (tail.len == 1 || tail.items[tail.len - 2].map != o->map)) {
			srcmap_release(o->map);
			free(o->map);
		}
		tail.len--;
	}
	set->len = len;
}

enum rtdp_rc rtdp_manifest_parse(struct rtdp_object_set *set, const char *name, const char *bytes,
                                 size_t len, const struct rtdp_limits *lim, struct rtdp_error *err)
{
	struct parse_ctx pc = {set, NULL};
	size_t before = set->len;
	enum rtdp_rc rc;

	if (add_source(set, name, &pc.source) != RTDP_OK)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	rc = yaml_stream_parse(name, bytes, len, lim, on_document, &pc, err);
	if (rc != RTDP_OK)
		truncate_set(set, before);
	return rc;
}

static int has_manifest_suffix(const char *name)
{
	static const char *const suffixes[] = {".yaml", ".yml", ".json", NULL};
	size_t len = strlen(name), i;

	for (i = 0; suffixes[i]; i++) {
		size_t sl = strlen(suffixes[i]);

		if (len > sl && strcmp(name + len - sl, suffixes[i]) == 0)
			return 1;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	while (n-- > 0)
		free(names[n]);
	free(names);
}

/* The entries of dir (without . and ..), sorted; *out is the caller's. */
static enum rtdp_rc list_dir(const char *dir, char ***out, size_t *count, struct rtdp_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, **bigger;
	size_t n = 0;

	*out = NULL;
	*count = 0;
	if (!d)
		return rtdp_error_set(err, RTDP_ERR_IO, "cannot open directory '%s': %s", dir,
		                      strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue; /* ., .., and hidden files such as .git */
		bigger = realloc(names, (n + 1) * sizeof(*names));
		if (!bigger || !(bigger[n] = strdup(de->d_name))) {
			free_names(bigger ? bigger : names, n);
			closedir(d);
			return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
		}
		names = bigger;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	*out = names;
	*count = n;
	return RTDP_OK;
}

static enum rtdp_rc load_file(struct rtdp_object_set *set, const char *path,
                              const struct rtdp_limits *lim, struct rtdp_error *err)
{
	char *bytes = NULL;
	size_t len = 0;
	enum rtdp_rc rc = rtdp_read_file(path, lim->max_bytes, &bytes, &len, err);

	if (rc == RTDP_OK)
		rc = rtdp_manifest_parse(set, strcmp(path, "-") == 0 ? "<stdin>" : path, bytes, len,
		                         lim, err);
	free(bytes);
	return rc;
}

static enum rtdp_rc load_dir(struct rtdp_object_set *set, const char *dir, int recursive,
                             const struct rtdp_limits *lim, struct rtdp_error *err)
{
	char **names = NULL;
	size_t n = 0, i;
	struct stat st;
	char path[4096];
	enum rtdp_rc rc = list_dir(dir, &names, &n, err);

	for (i = 0; rc == RTDP_OK && i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path)) {
			rc = rtdp_error_set(err, RTDP_ERR_IO, "path too long: '%s/%s'", dir,
			                    names[i]);
			break;
		}
		if (stat(path, &st) != 0) {
			rc = rtdp_error_set(err, RTDP_ERR_IO, "cannot stat '%s': %s", path,
			                    strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			if (recursive)
				rc = load_dir(set, path, recursive, lim, err);
		} else if (has_manifest_suffix(names[i])) {
			rc = load_file(set, path, lim, err);
		}
	}
	free_names(names, n);
	return rc;
}

enum rtdp_rc rtdp_manifest_load_path(struct rtdp_object_set *set, const char *path, bool recursive,
                                     const struct rtdp_limits *lim, struct rtdp_error *err)
{
	struct stat st;

	if (strcmp(path, "-") == 0)
		return load_file(set, path, lim, err);
	if (stat(path, &st) != 0)
		return rtdp_error_set(err, RTDP_ERR_IO, "the path \"%s\" does not exist", path);
	if (S_ISDIR(st.st_mode))
		return load_dir(set, path, recursive, lim, err);
	return load_file(set, path, lim, err);
}

struct one_ctx {
	cJSON *root; /* owned */
	int seen;
};

static enum rtdp_rc on_single(void *ctx, struct yaml_doc *doc, struct rtdp_error *err)
{
	struct one_ctx *oc = ctx;

	srcmap_release(&doc->map);
	if (oc->seen++) {
		cJSON_Delete(doc->root);
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "document %d: line %d, column %d: expected a single document",
		                      doc->index + 1, doc->line, doc->column);
	}
	if (doc->root && !cJSON_IsObject(doc->root)) {
		rtdp_error_set(err, RTDP_ERR_INVALID,
		               "document %d: line %d, column %d: expected a mapping, got %s",
		               doc->index + 1, doc->line, doc->column, json_type_name(doc->root));
		cJSON_Delete(doc->root);
		return err->rc;
	}
	oc->root = doc->root;
	return RTDP_OK;
}

enum rtdp_rc rtdp_yaml_parse_one(const char *name, const char *bytes, size_t len,
                                 const struct rtdp_limits *lim, cJSON **out, struct rtdp_error *err)
{
	struct one_ctx oc = {NULL, 0};
	enum rtdp_rc rc = yaml_stream_parse(name, bytes, len, lim, on_single, &oc, err);

	*out = NULL;
	if (rc != RTDP_OK) {
		cJSON_Delete(oc.root);
		return rc;
	}
	*out = oc.root ? oc.root : cJSON_CreateObject();
	if (!*out)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}

int rtdp_object_line(const struct rtdp_object *o, const char *pointer)
{
	char prefix[JPATH_MAX];
	const cJSON *node;
	int line = o->line, column = o->column;
	char *slash;

	if (!o->map || snprintf(prefix, sizeof(prefix), "%s", pointer) >= (int)sizeof(prefix))
		return o->line;
	for (;;) { /* the longest prefix of pointer whose node has a position */
		node = json_pointer_get(o->json, prefix, NULL);
		if (node && srcmap_get(o->map, node, &line, &column))
			return line;
		slash = strrchr(prefix, '/');
		if (!slash)
			return o->line;
		*slash = '\0';
	}
}
