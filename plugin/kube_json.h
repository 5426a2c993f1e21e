/*
 * Typed access to cJSON members with kubectl's decoding rules: an absent
 * member and a null one are the same (Go's zero value); any other type than
 * the expected one is RTDP_ERR_INVALID naming the field as "<where>.<name>:
 * expected a string, got a number". Returned pointers are borrowed from obj.
 */
#ifndef RTDP_PLUGIN_KUBE_JSON_H
#define RTDP_PLUGIN_KUBE_JSON_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

/* "a string", "a number", "a list", "a mapping", "a boolean", "null". */
const char *kube_json_type(const cJSON *item);

/* *out: the string, or NULL when absent or null. An empty string counts as absent. */
enum rtdp_rc kube_json_str(const cJSON *obj, const char *name, const char *where, const char **out,
                           struct rtdp_error *err);
/* *out: the boolean, false when absent. */
enum rtdp_rc kube_json_bool(const cJSON *obj, const char *name, const char *where, bool *out,
                            struct rtdp_error *err);
/* *out: the mapping, or NULL when absent. */
enum rtdp_rc kube_json_map(const cJSON *obj, const char *name, const char *where, const cJSON **out,
                           struct rtdp_error *err);
/* *out: the list, or NULL when absent. */
enum rtdp_rc kube_json_list(const cJSON *obj, const char *name, const char *where,
                            const cJSON **out, struct rtdp_error *err);
/* Like kube_json_list, and every item must be a string. */
enum rtdp_rc kube_json_str_list(const cJSON *obj, const char *name, const char *where,
                                const cJSON **out, struct rtdp_error *err);

/*
 * Replaces *dst (freed, wiped as it may be a secret) with a copy of s, or
 * with NULL when s is NULL. RTDP_ERR_NOMEM leaves *dst NULL.
 */
enum rtdp_rc kube_dup(char **dst, const char *s, struct rtdp_error *err);

#endif
