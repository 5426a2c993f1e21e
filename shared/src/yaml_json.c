#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yaml_json.h"
#include "yaml_scalar.h"
#include "rtdp/banned.h"

struct anchor {
	char *name; /* owned */
	cJSON *node; /* owned copy of the anchored node */
	size_t nodes; /* nodes in it, for alias-bomb accounting */
	size_t depth; /* its own nesting depth */
};

struct converter {
	yaml_parser_t parser;
	const char *bytes; /* the input, borrowed: positions of reader errors */
	size_t len;
	const struct rtdp_limits *lim;
	struct rtdp_srcmap *map; /* the current document's, borrowed */
	struct anchor *anchors; /* owned, current document only */
	size_t nanchors, anchors_cap;
	size_t *slots; /* owned hash index of anchors by name: index + 1, 0 free */
	size_t nslots; /* 0 or a power of two, more than twice nanchors */
	size_t anchored; /* nodes copied for anchors in the current document */
	size_t nodes; /* nodes in the current document */
	int doc_index;
	struct rtdp_error *err;
};

static enum rtdp_rc fail_at(struct converter *c, enum rtdp_rc rc, const yaml_mark_t *mark,
                            const char *what)
{
	return rtdp_error_set(c->err, rc, "document %d: line %zu, column %zu: %s", c->doc_index + 1,
	                      mark->line + 1, mark->column + 1, what);
}

/*
 * The line and column (0-based) of byte offset in the input, as libyaml counts
 * them: \r\n, \r, \n, NEL, LINE and PARAGRAPH SEPARATOR break lines; columns
 * count characters, not UTF-8 bytes.
 */
static yaml_mark_t offset_mark(const struct converter *c, size_t offset)
{
	const unsigned char *b = (const unsigned char *)c->bytes;
	yaml_mark_t m = {offset, 0, 0};
	size_t i, end = offset < c->len ? offset : c->len, width;

	for (i = 0; i < end; i += width) {
		width = 1;
		if (b[i] == '\r' && i + 1 < end && b[i + 1] == '\n')
			width = 2;
		else if (b[i] == 0xC2 && i + 1 < end && b[i + 1] == 0x85)
			width = 2;
		else if (b[i] == 0xE2 && i + 2 < end && b[i + 1] == 0x80 &&
		         (b[i + 2] == 0xA8 || b[i + 2] == 0xA9))
			width = 3;
		if (b[i] == '\n' || b[i] == '\r' || width > 1) {
			m.line++;
			m.column = 0;
		} else if ((b[i] & 0xC0) != 0x80) {
			m.column++;
		}
	}
	return m;
}

static enum rtdp_rc next_event(struct converter *c, yaml_event_t *ev)
{
	char what[512];
	yaml_mark_t mark;

	if (yaml_parser_parse(&c->parser, ev))
		return RTDP_OK;
	if (c->parser.context)
		snprintf(what, sizeof(what), "%s %s", c->parser.problem, c->parser.context);
	else
		snprintf(what, sizeof(what), "%s",
		         c->parser.problem ? c->parser.problem : "invalid YAML");
	if (c->parser.error == YAML_MEMORY_ERROR)
		return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory while parsing YAML");
	mark = c->parser.error == YAML_READER_ERROR /* libyaml gives a byte offset, no mark */
	               ? offset_mark(c, c->parser.problem_offset)
	               : c->parser.problem_mark;
	return fail_at(c, RTDP_ERR_PARSE, &mark, what);
}

static enum rtdp_rc count_node(struct converter *c, size_t n, const yaml_mark_t *mark)
{
	char what[160];

	if (n > c->lim->max_nodes || c->nodes > c->lim->max_nodes - n) {
		snprintf(what, sizeof(what),
		         "more than %zu nodes in one document (aliases expanded): an alias bomb or "
		         "a "
		         "document too large",
		         c->lim->max_nodes);
		return fail_at(c, RTDP_ERR_LIMIT, mark, what);
	}
	c->nodes += n;
	return RTDP_OK;
}

static size_t tree_nodes(const cJSON *n)
{
	size_t count = 1;
	const cJSON *child;

	for (child = n->child; child; child = child->next)
		count += tree_nodes(child);
	return count;
}

static size_t tree_depth(const cJSON *n)
{
	size_t deepest = 0, d;
	const cJSON *child;

	for (child = n->child; child; child = child->next)
		if ((d = tree_depth(child)) > deepest)
			deepest = d;
	return deepest + (cJSON_IsArray(n) || cJSON_IsObject(n));
}

static size_t name_hash(const char *name)
{
	size_t h = 14695981039346656037ULL & (size_t)-1; /* FNV-1a */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * (size_t)1099511628211ULL;
	return h;
}

/* Points the name of anchor i at i (the latest definition of a name wins). */
static void index_anchor(struct converter *c, size_t i)
{
	size_t s = name_hash(c->anchors[i].name) & (c->nslots - 1);

	while (c->slots[s] && strcmp(c->anchors[c->slots[s] - 1].name, c->anchors[i].name) != 0)
		s = (s + 1) & (c->nslots - 1);
	c->slots[s] = i + 1;
}

/* Makes room in the index for one more anchor. */
static enum rtdp_rc grow_index(struct converter *c)
{
	size_t n = c->nslots ? c->nslots * 2 : 16, i;
	size_t *slots;

	if ((c->nanchors + 1) * 2 < c->nslots)
		return RTDP_OK;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
	free(c->slots);
	c->slots = slots;
	c->nslots = n;
	for (i = 0; i < c->nanchors; i++)
		index_anchor(c, i);
	return RTDP_OK;
}

static enum rtdp_rc remember_anchor(struct converter *c, const char *name, const cJSON *node,
                                    const yaml_mark_t *mark)
{
	struct anchor *a;
	size_t nodes = tree_nodes(node);
	char what[160];

	/* each anchor keeps a copy: nested anchors must not multiply a document */
	if (nodes > c->lim->max_nodes || c->anchored > c->lim->max_nodes - nodes) {
		snprintf(what, sizeof(what),
		         "anchors hold more than %zu nodes in one document: an anchor bomb or a "
		         "document too large",
		         c->lim->max_nodes);
		return fail_at(c, RTDP_ERR_LIMIT, mark, what);
	}
	if (grow_index(c) != RTDP_OK)
		return c->err->rc;
	if (c->nanchors == c->anchors_cap) {
		size_t cap = c->anchors_cap ? c->anchors_cap * 2 : 8;
		struct anchor *bigger = realloc(c->anchors, cap * sizeof(*bigger));

		if (!bigger)
			return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
		c->anchors = bigger;
		c->anchors_cap = cap;
	}
	a = &c->anchors[c->nanchors];
	a->name = strdup(name);
	a->node = cJSON_Duplicate(node, 1);
	if (!a->name || !a->node) {
		free(a->name);
		cJSON_Delete(a->node);
		return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
	}
	a->nodes = nodes;
	a->depth = tree_depth(node);
	c->anchored += nodes;
	index_anchor(c, c->nanchors++);
	return RTDP_OK;
}

static void forget_anchors(struct converter *c)
{
	size_t i;

	for (i = 0; i < c->nanchors; i++) {
		free(c->anchors[i].name);
		cJSON_Delete(c->anchors[i].node);
	}
	c->nanchors = 0;
	c->anchored = 0;
	free(c->slots); /* the next document builds its own, as large as it needs */
	c->slots = NULL;
	c->nslots = 0;
}

static const struct anchor *find_anchor(const struct converter *c, const char *name)
{
	size_t s;

	if (!c->nslots)
		return NULL;
	for (s = name_hash(name) & (c->nslots - 1); c->slots[s]; s = (s + 1) & (c->nslots - 1))
		if (strcmp(c->anchors[c->slots[s] - 1].name, name) == 0)
			return &c->anchors[c->slots[s] - 1];
	return NULL;
}

static enum rtdp_rc place(struct converter *c, cJSON *node, const yaml_mark_t *mark)
{
	if (srcmap_put(c->map, node, (int)mark->line + 1, (int)mark->column + 1) != RTDP_OK)
		return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}

static enum rtdp_rc convert_node(struct converter *c, yaml_event_t *ev, size_t depth, cJSON **out);

static enum rtdp_rc convert_plain(struct converter *c, yaml_event_t *ev, cJSON **out)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	double number = 0;
	int truth = 0;
	char what[200];

	switch (yaml_scalar_resolve(s, len, &number, &truth)) {
	case YAML_SCALAR_NULL:
		*out = cJSON_CreateNull();
		return RTDP_OK;
	case YAML_SCALAR_BOOL:
		*out = cJSON_CreateBool(truth);
		return RTDP_OK;
	case YAML_SCALAR_INT:
	case YAML_SCALAR_FLOAT:
		*out = cJSON_CreateNumber(number);
		return RTDP_OK;
	case YAML_SCALAR_NOT_JSON:
		snprintf(what, sizeof(what), "'%.20s' has no JSON form", s);
		return fail_at(c, RTDP_ERR_PARSE, &ev->start_mark, what);
	case YAML_SCALAR_STRING:
		break;
	}
	*out = cJSON_CreateString(s);
	return RTDP_OK;
}

static enum rtdp_rc convert_scalar(struct converter *c, yaml_event_t *ev, cJSON **out)
{
	const char *s = (const char *)ev->data.scalar.value; /* libyaml NUL-terminates it */
	size_t len = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	int bad_tag = 0;
	char what[200];
	enum rtdp_rc rc = RTDP_OK;

	*out = NULL;
	if (strlen(s) != len)
		return fail_at(c, RTDP_ERR_PARSE, &ev->start_mark, "a NUL character in a scalar");
	if (tag && !ev->data.scalar.plain_implicit && !ev->data.scalar.quoted_implicit) {
		*out = yaml_scalar_tagged(tag, s, len, &bad_tag);
		if (!*out && !bad_tag && strncmp(tag, "tag:", 4) == 0) {
			snprintf(what, sizeof(what), "'%.40s' is not a valid %.60s", s, tag);
			return fail_at(c, RTDP_ERR_PARSE, &ev->start_mark, what);
		}
		if (bad_tag) {
			snprintf(what, sizeof(what), "unsupported tag '%.100s'", tag);
			return fail_at(c, RTDP_ERR_PARSE, &ev->start_mark, what);
		}
	} else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		rc = convert_plain(c, ev, out);
	} else {
		*out = cJSON_CreateString(s);
	}
	if (rc == RTDP_OK && !*out)
		rc = rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
	return rc;
}

static enum rtdp_rc convert_alias(struct converter *c, yaml_event_t *ev, size_t depth, cJSON **out)
{
	const struct anchor *a = find_anchor(c, (const char *)ev->data.alias.anchor);
	char what[200];
	enum rtdp_rc rc;

	*out = NULL;
	if (!a) {
		snprintf(what, sizeof(what), "unknown anchor '%.100s'", ev->data.alias.anchor);
		return fail_at(c, RTDP_ERR_PARSE, &ev->start_mark, what);
	}
	if (depth + a->depth > c->lim->max_depth) {
		snprintf(what, sizeof(what), "nesting deeper than %zu levels", c->lim->max_depth);
		return fail_at(c, RTDP_ERR_LIMIT, &ev->start_mark, what);
	}
	rc = count_node(c, a->nodes, &ev->start_mark);
	if (rc != RTDP_OK)
		return rc;
	*out = cJSON_Duplicate(a->node, 1);
	if (!*out)
		return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}

static enum rtdp_rc convert_sequence(struct converter *c, size_t depth, cJSON *arr)
{
	yaml_event_t ev;
	cJSON *item;
	enum rtdp_rc rc;

	for (;;) {
		rc = next_event(c, &ev);
		if (rc != RTDP_OK)
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return RTDP_OK;
		}
		rc = convert_node(c, &ev, depth + 1, &item);
		yaml_event_delete(&ev);
		if (rc != RTDP_OK)
			return rc;
		cJSON_AddItemToArray(arr, item);
	}
}

/* A mapping key as JSON wants it: the scalar's text. */
static enum rtdp_rc mapping_key(struct converter *c, yaml_event_t *ev, char **key)
{
	*key = NULL;
	if (ev->type == YAML_ALIAS_EVENT) {
		const struct anchor *a = find_anchor(c, (const char *)ev->data.alias.anchor);

		if (a && cJSON_IsString(a->node))
			*key = strdup(a->node->valuestring);
		else
			return fail_at(c, RTDP_ERR_PARSE, &ev->start_mark,
			               "a mapping key must be a scalar");
	} else if (ev->type != YAML_SCALAR_EVENT) {
		return fail_at(c, RTDP_ERR_PARSE, &ev->start_mark,
		               "a mapping key must be a scalar, not a mapping or sequence");
	} else {
		if (strlen((const char *)ev->data.scalar.value) != ev->data.scalar.length)
			return fail_at(c, RTDP_ERR_PARSE, &ev->start_mark,
			               "a NUL character in a key");
		*key = strdup((const char *)ev->data.scalar.value);
	}
	if (!*key)
		return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}

/* Copies keys of the merged mapping(s) src that obj lacks (YAML merge keys, <<). */
static enum rtdp_rc apply_merge(struct converter *c, cJSON *obj, const cJSON *src,
                                const yaml_mark_t *mark)
{
	const cJSON *item;

	if (cJSON_IsArray(src)) {
		for (item = src->child; item; item = item->next)
			if (apply_merge(c, obj, item, mark) != RTDP_OK)
				return c->err->rc;
		return RTDP_OK;
	}
	if (!cJSON_IsObject(src))
		return fail_at(c, RTDP_ERR_PARSE, mark,
		               "a merge key (<<) needs a mapping or a list of mappings");
	for (item = src->child; item; item = item->next) {
		cJSON *copy;

		if (cJSON_GetObjectItemCaseSensitive(obj, item->string))
			continue;
		copy = cJSON_Duplicate(item, 1);
		if (!copy)
			return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
		cJSON_AddItemToObject(obj, item->string, copy);
	}
	return RTDP_OK;
}

static enum rtdp_rc convert_pair(struct converter *c, yaml_event_t *key_ev, size_t depth,
                                 cJSON *obj, cJSON *merges)
{
	yaml_event_t ev;
	char *key = NULL;
	cJSON *value = NULL;
	char what[300];
	enum rtdp_rc rc = mapping_key(c, key_ev, &key);

	if (rc != RTDP_OK)
		return rc;
	rc = next_event(c, &ev);
	if (rc != RTDP_OK)
		goto out;
	rc = convert_node(c, &ev, depth + 1, &value);
	yaml_event_delete(&ev);
	if (rc != RTDP_OK)
		goto out;
	if (strcmp(key, "<<") == 0 && key_ev->type == YAML_SCALAR_EVENT &&
	    key_ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		cJSON_AddItemToArray(merges, value);
	} else if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
		snprintf(what, sizeof(what), "duplicate key '%.200s'", key);
		rc = fail_at(c, RTDP_ERR_PARSE, &key_ev->start_mark, what);
		cJSON_Delete(value);
	} else {
		cJSON_AddItemToObject(obj, key, value);
	}
	value = NULL;
out:
	free(key);
	return rc;
}

static enum rtdp_rc convert_mapping(struct converter *c, yaml_event_t *start, size_t depth,
                                    cJSON *obj)
{
	yaml_event_t ev;
	cJSON *merges = cJSON_CreateArray();
	enum rtdp_rc rc =
	        merges ? RTDP_OK : rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");

	while (rc == RTDP_OK) {
		rc = next_event(c, &ev);
		if (rc != RTDP_OK)
			break;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			if (merges->child)
				rc = apply_merge(c, obj, merges, &start->start_mark);
			break;
		}
		rc = convert_pair(c, &ev, depth, obj, merges);
		yaml_event_delete(&ev);
	}
	cJSON_Delete(merges);
	return rc;
}

static enum rtdp_rc convert_collection(struct converter *c, yaml_event_t *ev, size_t depth,
                                       cJSON **out)
{
	int is_map = ev->type == YAML_MAPPING_START_EVENT;
	char what[120];
	enum rtdp_rc rc;

	if (depth > c->lim->max_depth) {
		snprintf(what, sizeof(what), "nesting deeper than %zu levels", c->lim->max_depth);
		return fail_at(c, RTDP_ERR_LIMIT, &ev->start_mark, what);
	}
	*out = is_map ? cJSON_CreateObject() : cJSON_CreateArray();
	if (!*out)
		return rtdp_error_set(c->err, RTDP_ERR_NOMEM, "out of memory");
	rc = place(c, *out, &ev->start_mark);
	if (rc == RTDP_OK)
		rc = is_map ? convert_mapping(c, ev, depth, *out)
		            : convert_sequence(c, depth, *out);
	return rc;
}

static enum rtdp_rc convert_node(struct converter *c, yaml_event_t *ev, size_t depth, cJSON **out)
{
	const yaml_char_t *anchor = NULL;
	enum rtdp_rc rc = count_node(c, 1, &ev->start_mark);

	*out = NULL;
	if (rc != RTDP_OK)
		return rc;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		rc = convert_scalar(c, ev, out);
		if (rc == RTDP_OK)
			rc = place(c, *out, &ev->start_mark);
		break;
	case YAML_ALIAS_EVENT:
		rc = convert_alias(c, ev, depth, out);
		if (rc == RTDP_OK)
			rc = place(c, *out, &ev->start_mark);
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		rc = convert_collection(c, ev, depth, out);
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		rc = convert_collection(c, ev, depth, out);
		break;
	default:
		return fail_at(c, RTDP_ERR_PARSE, &ev->start_mark, "unexpected YAML event");
	}
	if (rc == RTDP_OK && anchor)
		rc = remember_anchor(c, (const char *)anchor, *out, &ev->start_mark);
	if (rc != RTDP_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}

/* One document, from after DOCUMENT-START through DOCUMENT-END. */
static enum rtdp_rc convert_document(struct converter *c, struct yaml_doc *doc)
{
	yaml_event_t ev;
	enum rtdp_rc rc;

	c->map = &doc->map; /* positions go to this document's map while it is converted */
	rc = next_event(c, &ev);
	if (rc != RTDP_OK)
		return rc;
	doc->line = (int)ev.start_mark.line + 1;
	doc->column = (int)ev.start_mark.column + 1;
	rc = convert_node(c, &ev, 0, &doc->root);
	yaml_event_delete(&ev);
	if (rc != RTDP_OK)
		return rc;
	rc = next_event(c, &ev); /* DOCUMENT-END */
	if (rc == RTDP_OK)
		yaml_event_delete(&ev);
	if (rc == RTDP_OK && cJSON_IsNull(doc->root)) {
		cJSON_Delete(doc->root); /* an empty document */
		doc->root = NULL;
	}
	return rc;
}

static enum rtdp_rc run_stream(struct converter *c, yaml_doc_fn fn, void *ctx)
{
	yaml_event_t ev;
	struct yaml_doc doc;
	yaml_mark_t mark;
	char what[64];
	enum rtdp_rc rc;

	for (;;) {
		rc = next_event(c, &ev);
		if (rc != RTDP_OK)
			return rc;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			return RTDP_OK;
		}
		if (ev.type != YAML_DOCUMENT_START_EVENT) { /* STREAM-START */
			yaml_event_delete(&ev);
			continue;
		}
		mark = ev.start_mark;
		yaml_event_delete(&ev);
		if ((size_t)c->doc_index >= c->lim->max_documents) {
			snprintf(what, sizeof(what), "more than %zu documents",
			         c->lim->max_documents);
			return fail_at(c, RTDP_ERR_LIMIT, &mark, what);
		}
		memset(&doc, 0, sizeof(doc));
		srcmap_init(&doc.map);
		doc.index = c->doc_index;
		c->nodes = 0;
		rc = convert_document(c, &doc);
		forget_anchors(c);
		if (rc != RTDP_OK) {
			cJSON_Delete(doc.root);
			srcmap_release(&doc.map);
			return rc;
		}
		rc = fn(ctx, &doc, c->err);
		if (rc != RTDP_OK)
			return rc;
		c->doc_index++;
	}
}

enum rtdp_rc yaml_stream_parse(const char *name, const char *bytes, size_t len,
                               const struct rtdp_limits *lim, yaml_doc_fn fn, void *ctx,
                               struct rtdp_error *err)
{
	struct converter c;
	enum rtdp_rc rc;

	memset(&c, 0, sizeof(c));
	c.lim = lim;
	c.err = err;
	c.bytes = bytes;
	c.len = len;
	if (len > lim->max_bytes)
		return rtdp_error_set(err, RTDP_ERR_LIMIT,
		                      "'%s': %zu bytes is over the limit of %zu", name, len,
		                      lim->max_bytes);
	if (!yaml_parser_initialize(&c.parser))
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "'%s': out of memory", name);
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)bytes, len);
	rc = run_stream(&c, fn, ctx);
	forget_anchors(&c);
	free(c.anchors);
	yaml_parser_delete(&c.parser);
	if (rc != RTDP_OK)
		rtdp_error_prefix(err, "'%s': ", name);
	return rc;
}
