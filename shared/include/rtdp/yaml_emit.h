/*
 * cJSON into block-style YAML, the way kubectl prints objects: keys in their
 * order, two-space indentation, lists of maps as "- key: value", and strings
 * quoted whenever kubectl's YAML rules would read them as another type.
 */
#ifndef RTDP_YAML_EMIT_H
#define RTDP_YAML_EMIT_H

#include <cjson/cJSON.h>

#include "rtdp/buf.h"
#include "rtdp/error.h"

/* Appends the YAML of node (borrowed) to out. Fails only when out is full or out of memory. */
enum rtdp_rc rtdp_yaml_emit(const cJSON *node, struct rtdp_buf *out);

#endif
