// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_ID_ALLOC_H
#define PUNT_ID_ALLOC_H

/*
 * A pool of small integer ids, [first, limit), one bit each in a bitmap the caller provides
 * (ID_ALLOC_WORDS(limit) words). Ids are handed out round robin: the search for a free id
 * starts after the last one handed out, so an id just given back is the last to be reused.
 * Used for VMIDs (arch/arm64/p2m.c).
 *
 * Locking: none inside; the owner of a pool serialises every call on it.
 */

#include <stdint.h>

#define ID_ALLOC_WORDS(limit) (((limit) + 63u) / 64u)

struct id_alloc {
	uint64_t *used; /* bit i set: id i is handed out */
	uint32_t first; /* lowest id handed out */
	uint32_t limit; /* one past the highest id handed out */
	uint32_t next;	/* where the next search starts */
	uint32_t in_use;
};

/* Makes every id in [first, limit) free; ids below first are never handed out. */
void id_alloc_init(struct id_alloc *a, uint64_t *bitmap, uint32_t first, uint32_t limit);
/* Takes a free id; returns it, or -1 if every id is in use. */
int64_t id_alloc_get(struct id_alloc *a);
/* Gives id back; returns 0, or -1 (and changes nothing) if id is outside the pool or free. */
int id_alloc_put(struct id_alloc *a, uint32_t id);
/* Whether id is handed out. */
int id_alloc_is_used(const struct id_alloc *a, uint32_t id);

#endif
