#include <stdint.h>
#include <stdlib.h>

#include "srcmap.h"
#include "rtdp/banned.h"

void srcmap_init(struct rtdp_srcmap *m)
{
	m->slots = NULL;
	m->len = 0;
	m->cap = 0;
}

void srcmap_release(struct rtdp_srcmap *m)
{
	free(m->slots);
	srcmap_init(m);
}

static size_t slot_of(const struct rtdp_srcmap *m, const cJSON *node)
{
	uintptr_t h = (uintptr_t)node;

	h ^= h >> 17;
	h *= (uintptr_t)0x9E3779B97F4A7C15ULL;
	h ^= h >> 29;
	return (size_t)h & (m->cap - 1);
}

static void insert(struct rtdp_srcmap *m, const cJSON *node, int line, int column)
{
	size_t i = slot_of(m, node);

	while (m->slots[i].node && m->slots[i].node != node)
		i = (i + 1) & (m->cap - 1);
	if (!m->slots[i].node)
		m->len++;
	m->slots[i].node = node;
	m->slots[i].line = line;
	m->slots[i].column = column;
}

static enum rtdp_rc grow(struct rtdp_srcmap *m)
{
	struct rtdp_srcmap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->len = 0;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return RTDP_ERR_NOMEM;
	}
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].node)
			insert(m, old.slots[i].node, old.slots[i].line, old.slots[i].column);
	free(old.slots);
	return RTDP_OK;
}

enum rtdp_rc srcmap_put(struct rtdp_srcmap *m, const cJSON *node, int line, int column)
{
	if ((m->len + 1) * 4 > m->cap * 3 && grow(m) != RTDP_OK)
		return RTDP_ERR_NOMEM;
	insert(m, node, line, column);
	return RTDP_OK;
}

int srcmap_get(const struct rtdp_srcmap *m, const cJSON *node, int *line, int *column)
{
	size_t i;

	if (!m->cap)
		return 0;
	for (i = slot_of(m, node); m->slots[i].node; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i].node == node) {
			*line = m->slots[i].line;
			*column = m->slots[i].column;
			return 1;
		}
	}
	return 0;
}
