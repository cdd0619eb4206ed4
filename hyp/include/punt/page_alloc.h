// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_PAGE_ALLOC_H
#define PUNT_PAGE_ALLOC_H

/*
 * Physical page allocator: a binary buddy allocator over the RAM ranges the boot code
 * registers. The hypervisor identity-maps RAM, so every physical address it hands out is also
 * a usable pointer.
 *
 * No metadata lives in the memory it describes: a page the allocator hands out may be mapped
 * by a guest, and a guest that keeps a stale mapping of a freed page may write anything into
 * it. Each range reserves its own first pages (or, for ranges of at most
 * PAGE_ALLOC_INLINE_META_PAGES pages, space in its descriptor) for three arrays indexed by
 * page: a bitmap, set where a free block begins, which is the authority on what is free; the
 * order of each free block; and the links of the per-range, per-order free lists, which name
 * pages by index. Cost: 9.125 bytes per page (0.22% of RAM); allocation and free are O(order)
 * list operations plus a scan of the (at most PAGE_ALLOC_MAX_RANGES) ranges, and a free also
 * scans the block's bits in the bitmap (64 pages per word) to refuse double frees.
 *
 * Blocks are naturally aligned: a block of order n starts at a multiple of PAGE_SIZE << n.
 * Physical page 0 is never handed out, because 0 means failure.
 *
 * Locking: one allocator-wide spinlock, a leaf lock (nothing else is taken while holding it).
 * Every function may be called on any CPU. page_alloc_fatal() is called without the lock held.
 */

#include <stdbool.h>
#include <stdint.h>

#include "punt/format.h"

#define PAGE_SHIFT	      12
#define PAGE_SIZE	      4096UL
#define PAGE_MAX_ORDER	      18 /* 1 GiB blocks */
#define PAGE_ALLOC_MAX_RANGES 16
/* Ranges up to this many pages keep their metadata in the range descriptor instead of RAM. */
#define PAGE_ALLOC_INLINE_META_PAGES 64

/* Forgets every range and block; for boot (and between host unit tests). */
void page_alloc_init(void);

/*
 * Hands [base, base + size) to the allocator. Any alignment: the range is trimmed to whole
 * pages and split into maximal naturally aligned blocks. A range overlapping one already
 * registered, or more than PAGE_ALLOC_MAX_RANGES ranges, is fatal.
 */
void page_alloc_add_range(uint64_t base, uint64_t size);

/* Returns the physical address of 2^order contiguous pages (contents undefined), 0 if none. */
uint64_t page_alloc(unsigned order);
/* As page_alloc(), with the block filled with zeros. */
uint64_t page_alloc_zeroed(unsigned order);

/*
 * Returns a block to the allocator and merges it with free buddies. A misaligned address, an
 * order above PAGE_MAX_ORDER, a block outside every registered range, or a block that overlaps
 * free memory (double free) is fatal and leaves the allocator unchanged.
 */
void page_free(uint64_t pa, unsigned order);
/*
 * Returns [pa, pa + bytes), page-aligned pages that were allocated in any blocks, as the
 * largest aligned blocks that fit; the same checks as page_free() for each.
 */
void page_free_range(uint64_t pa, uint64_t bytes);

uint64_t page_alloc_free_pages(void);
uint64_t page_alloc_total_pages(void);
/* Number of free blocks of exactly this order. */
uint64_t page_alloc_free_blocks(unsigned order);

/* Smallest order whose block covers bytes; PAGE_MAX_ORDER + 1 if no block is large enough. */
unsigned page_order_for(uint64_t bytes);

/* Prints the free block count per order and the page totals, for debug keys. */
void page_alloc_dump(fmt_sink_fn sink, void *ctx);

/*
 * Called when the allocator finds a broken invariant (a caller's bug or corrupted metadata):
 * the hypervisor maps it to panic(); host tests record the call. If it returns, the offending
 * operation is abandoned.
 */
void page_alloc_fatal(const char *why);

#endif
