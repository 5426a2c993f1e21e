/* Reading numbers out of untrusted JSON without undefined conversions. */
#ifndef RTDP_JSON_H
#define RTDP_JSON_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/*
 * True when n (may be NULL) is a number holding a whole value that fits an
 * int; *out (may be NULL) gets it. Kubernetes counts and ports are int32.
 */
bool rtdp_json_int(const cJSON *n, int *out);

#endif
