// SPDX-License-Identifier: Apache-2.0
/* Cache maintenance the generic code may ask for. */
#ifndef ASM_CACHE_H
#define ASM_CACHE_H

#include <stdint.h>

void dcache_clean_inval_range(uint64_t start, uint64_t size);
void dcache_clean_range(uint64_t start, uint64_t size);
/*
 * Discards the lines of [start, start + size) without writing them back, except lines only
 * partly inside the range, which are cleaned and invalidated so bytes outside it are kept.
 */
void dcache_invalidate_keep_edges(uint64_t start, uint64_t size);
void icache_invalidate_all(void);
/* Whole lines only, and only for memory written with the cache off (see cache.S). */
void dcache_invalidate_range(uint64_t start, uint64_t size);

#endif
