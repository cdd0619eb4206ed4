// SPDX-License-Identifier: Apache-2.0
#include <punt/id_alloc.h>

static uint64_t bit(uint32_t id)
{
	return 1ull << (id % 64u);
}

void id_alloc_init(struct id_alloc *a, uint64_t *bitmap, uint32_t first, uint32_t limit)
{
	uint32_t id;

	a->used = bitmap;
	a->first = first < limit ? first : limit;
	a->limit = limit;
	a->next = a->first;
	a->in_use = 0;
	for (id = 0; id < ID_ALLOC_WORDS(limit); id++)
		bitmap[id] = 0;
}

int id_alloc_is_used(const struct id_alloc *a, uint32_t id)
{
	return id < a->limit && (a->used[id / 64u] & bit(id)) != 0;
}

/* First free id in [from, to), or -1. Skips whole words of taken ids. */
static int64_t first_free(const struct id_alloc *a, uint32_t from, uint32_t to)
{
	uint32_t id = from;

	while (id < to) {
		uint64_t free_bits = ~a->used[id / 64u] >> (id % 64u);

		if (free_bits == 0) {
			id = (id / 64u + 1) * 64u;
			continue;
		}
		id += (uint32_t)__builtin_ctzll(free_bits);
		return id < to ? (int64_t)id : -1;
	}
	return -1;
}

int64_t id_alloc_get(struct id_alloc *a)
{
	int64_t id = first_free(a, a->next, a->limit);

	if (id < 0)
		id = first_free(a, a->first, a->next);
	if (id < 0)
		return -1;
	a->used[id / 64u] |= bit((uint32_t)id);
	a->in_use++;
	a->next = (uint32_t)id + 1 < a->limit ? (uint32_t)id + 1 : a->first;
	return id;
}

int id_alloc_put(struct id_alloc *a, uint32_t id)
{
	if (id < a->first || !id_alloc_is_used(a, id))
		return -1;
	a->used[id / 64u] &= ~bit(id);
	a->in_use--;
	return 0;
}
