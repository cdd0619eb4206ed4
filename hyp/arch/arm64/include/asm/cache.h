// SPDX-License-Identifier: Apache-2.0
/*
 * Cache maintenance (cache.S). What generic code may ask for is in the
 * contract (punt/arch/cache.h); these two are for Arm64's own boot path.
 */
#ifndef ASM_CACHE_H
#define ASM_CACHE_H

#include <punt/arch/cache.h>
#include <stdint.h>

void icache_invalidate_all(void);
/* Whole lines only, and only for memory written with the cache off (see cache.S). */
void dcache_invalidate_range(uint64_t start, uint64_t size);

#endif
