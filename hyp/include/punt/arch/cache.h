// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, cache maintenance by address range, for memory that
 * another observer reads or writes past the data cache: a guest that starts
 * with its MMU and caches off, or a guest's GNTTABOP_cache_flush (Xen
 * public/grant_table.h). Addresses are machine addresses in Punt's identity
 * map; each call has completed when it returns. TLB maintenance is not here:
 * the stage-2 calls (punt/arch/p2m.h) do their own.
 */
#ifndef PUNT_ARCH_CACHE_H
#define PUNT_ARCH_CACHE_H

#include <stdint.h>

/* Write back [start, start + size) and drop it from the cache. */
void arch_dcache_clean_inval_range(uint64_t start, uint64_t size);
/* Write back [start, start + size); the lines stay cached. */
void arch_dcache_clean_range(uint64_t start, uint64_t size);
/*
 * Discard the lines of [start, start + size) without writing them back, except lines only
 * partly inside the range, which are cleaned and invalidated so bytes outside it are kept.
 */
void arch_dcache_invalidate_keep_edges(uint64_t start, uint64_t size);

#endif
