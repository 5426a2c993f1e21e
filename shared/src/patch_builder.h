/*
 * Builds the JSON patch that brings an object into shape. It keeps a working
 * copy of the object with every operation already applied, so later rules see
 * earlier fixes and each operation's parent exists when the apiserver applies
 * it: a missing map is created whole by one "add" of the nested value.
 * Private to shared/.
 */
#ifndef RTDP_PATCH_BUILDER_H
#define RTDP_PATCH_BUILDER_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

struct patch_builder {
	cJSON *ops; /* owned RFC 6902 array */
	cJSON *doc; /* owned working copy, patched as operations are added */
};

/* Copies object into the working document. Fails only on out-of-memory. */
enum rtdp_rc pb_init(struct patch_builder *pb, const cJSON *object);
void pb_release(struct patch_builder *pb);
/* Hands the operations over (caller's cJSON_Delete); the builder keeps an empty array. */
cJSON *pb_detach_ops(struct patch_builder *pb);

enum pb_result {
	PB_DONE = 0, /* the value is set */
	PB_BLOCKED, /* a node on the way is neither missing, null nor a map: not fixable */
	PB_NOMEM
};

/*
 * Sets the value at the path made of n plain (unescaped) segments, creating
 * missing maps; an existing value is replaced. Takes ownership of value in
 * every case. Array segments are indexes ("0") and must exist.
 */
enum pb_result pb_set(struct patch_builder *pb, const char *const *segments, size_t n,
                      cJSON *value);

#endif
