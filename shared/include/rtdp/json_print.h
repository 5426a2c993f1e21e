/* JSON printed as kubectl prints it: four-space indentation, "key": value. */
#ifndef RTDP_JSON_PRINT_H
#define RTDP_JSON_PRINT_H

#include <cjson/cJSON.h>

#include "rtdp/buf.h"
#include "rtdp/error.h"

/* Appends node (borrowed) and a newline to out. Fails when out is full or out of memory. */
enum rtdp_rc rtdp_json_print(const cJSON *node, struct rtdp_buf *out);

#endif
