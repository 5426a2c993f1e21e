/*
 * Where each node of a parsed document came from: an open-addressing table
 * from cJSON node to its 1-based line and column. Private to shared/.
 */
#ifndef RTDP_SRCMAP_H
#define RTDP_SRCMAP_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"

struct rtdp_srcmap_slot {
	const cJSON *node; /* borrowed key; NULL when the slot is free */
	int line, column;
};

struct rtdp_srcmap {
	struct rtdp_srcmap_slot *slots; /* owned */
	size_t len, cap; /* cap is 0 or a power of two */
};

void srcmap_init(struct rtdp_srcmap *m);
void srcmap_release(struct rtdp_srcmap *m);
/* Records (or overwrites) the position of node. Fails only on out-of-memory. */
enum rtdp_rc srcmap_put(struct rtdp_srcmap *m, const cJSON *node, int line, int column);
/* The position of node; returns 0 when it has none. */
int srcmap_get(const struct rtdp_srcmap *m, const cJSON *node, int *line, int *column);

#endif
