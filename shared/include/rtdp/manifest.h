/*
 * Kubernetes manifests in YAML (or JSON) into cJSON objects, with kubectl's
 * scalar rules: a quoted "8080" stays a string, 8080 is an integer, true a
 * boolean, ~ or null is null. Multi-document streams are split, kind: List is
 * flattened, and every object remembers where it came from (file, document,
 * line, column) and the line of each of its nodes.
 *
 * Alias bombs, deep nesting, and huge inputs fail fast with RTDP_ERR_LIMIT.
 */
#ifndef RTDP_MANIFEST_H
#define RTDP_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

struct rtdp_limits {
	size_t max_bytes; /* one file or stream */
	size_t max_depth; /* nesting of mappings and sequences */
	size_t max_nodes; /* nodes in one document, aliases expanded */
	size_t max_documents; /* documents in one set */
};

/*
 * 64 MiB, depth 100, 200,000 nodes per document (aliases expanded; anchors'
 * copies count against the same budget), 1,000,000 documents.
 */
void rtdp_limits_default(struct rtdp_limits *l);

struct rtdp_srcmap; /* line and column of each node of one object */

struct rtdp_object {
	cJSON *json; /* owned by the set */
	const char *source; /* file name ("<stdin>"), owned by the set */
	int document; /* 0-based document index within the source */
	int item; /* index within a kind: List, or -1 */
	int line, column; /* 1-based start of the object */
	struct rtdp_srcmap *map; /* owned by the set; may be NULL */
};

struct rtdp_object_set {
	struct rtdp_object *items; /* owned */
	size_t len, cap;
	char **sources; /* owned file names */
	size_t nsources;
};

void rtdp_object_set_init(struct rtdp_object_set *set);
void rtdp_object_set_release(struct rtdp_object_set *set);

/*
 * Parses a YAML stream named name (used in messages and kept as the source)
 * and appends its objects to set. Empty documents are skipped; a document that
 * is not a mapping is an error. Errors name the source, document index, line
 * and column; on error nothing is appended.
 */
enum rtdp_rc rtdp_manifest_parse(struct rtdp_object_set *set, const char *name, const char *bytes,
                                 size_t len, const struct rtdp_limits *lim, struct rtdp_error *err);

/*
 * Loads path: a file, "-" for standard input, or a directory (its *.yaml,
 * *.yml and *.json files in name order; subdirectories only when recursive).
 */
enum rtdp_rc rtdp_manifest_load_path(struct rtdp_object_set *set, const char *path, bool recursive,
                                     const struct rtdp_limits *lim, struct rtdp_error *err);

/*
 * Parses a single-document YAML file (a policy, a kubeconfig) into *out, the
 * caller's (cJSON_Delete). An empty document gives an empty object.
 */
enum rtdp_rc rtdp_yaml_parse_one(const char *name, const char *bytes, size_t len,
                                 const struct rtdp_limits *lim, cJSON **out,
                                 struct rtdp_error *err);

/*
 * The source line of the deepest node of o that exists along the JSON pointer
 * (RFC 6901) pointer; the object's own line when none does or o has no map.
 */
int rtdp_object_line(const struct rtdp_object *o, const char *pointer);

#endif
