/*
 * RFC 6902 JSON Patch, applied as kube-apiserver's evanphx/json-patch does:
 * add, remove, replace, move, copy, test; "-" appends to an array; ~0 and ~1
 * escapes in pointers. Used by tests and by `validate` to prove that a patch
 * applies and is idempotent.
 */
#ifndef RTDP_JSON_PATCH_H
#define RTDP_JSON_PATCH_H

#include <cjson/cJSON.h>

#include "rtdp/error.h"

/*
 * Applies patch (a JSON array of operations, borrowed) to *doc. On success
 * *doc is the patched document (the old tree freed); on failure *doc is
 * unchanged and err names the failing operation's index, op and path.
 */
enum rtdp_rc rtdp_json_patch_apply(cJSON **doc, const cJSON *patch, struct rtdp_error *err);

#endif
