/*
 * A YAML stream into one cJSON tree per document, driven by libyaml's event
 * parser, with the source position of every node. Private to shared/.
 */
#ifndef RTDP_YAML_JSON_H
#define RTDP_YAML_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"
#include "rtdp/manifest.h"
#include "srcmap.h"

struct yaml_doc {
	cJSON *root; /* NULL for an empty document */
	struct rtdp_srcmap map; /* positions of root's nodes */
	int index; /* 0-based document index in the stream */
	int line, column; /* 1-based start of the root node */
};

/*
 * Called for each document. Takes ownership of doc->root and doc->map (the
 * callback must release or keep them, even when it fails). A non-OK return
 * stops the stream with that error.
 */
typedef enum rtdp_rc (*yaml_doc_fn)(void *ctx, struct yaml_doc *doc, struct rtdp_error *err);

/*
 * Parses bytes (len bytes, need not be NUL-terminated) and hands each document
 * to fn. Errors are prefixed with "'<name>': " and name the document number
 * (1-based, as people count), line and column.
 */
enum rtdp_rc yaml_stream_parse(const char *name, const char *bytes, size_t len,
                               const struct rtdp_limits *lim, yaml_doc_fn fn, void *ctx,
                               struct rtdp_error *err);

#endif
