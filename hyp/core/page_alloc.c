// SPDX-License-Identifier: Apache-2.0
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "punt/arch/page.h"
#include "punt/format.h"
#include "punt/page_alloc.h"
#include "punt/spinlock.h"
#include "punt/string.h"

#define NR_ORDERS     (PAGE_MAX_ORDER + 1)
#define BITS_PER_WORD 64u
#define NO_PAGE	      UINT32_MAX /* end of a free list */
/* Page indexes are 32 bits; larger ranges are registered in pieces of this many pages. */
#define MAX_RANGE_PAGES (1ull << 31)

_Static_assert(PAGE_SIZE == 1UL << PAGE_SHIFT, "PAGE_SIZE and PAGE_SHIFT disagree");
_Static_assert(PAGE_ALLOC_INLINE_META_PAGES % BITS_PER_WORD == 0, "inline map: whole words");
_Static_assert(MAX_RANGE_PAGES % (1ull << PAGE_MAX_ORDER) == 0, "pieces: whole largest blocks");
_Static_assert(MAX_RANGE_PAGES < NO_PAGE, "page indexes must not reach NO_PAGE");
_Static_assert(NR_ORDERS <= 32, "orders_listed has one bit per order");

/* Neighbours, by page index in the same range, of a free block in its order's list. */
struct free_link {
	uint32_t next;
	uint32_t prev;
};

/*
 * A range's metadata, indexed by page (page i is at base + i pages). Only the bitmap says
 * whether a page starts a free block; links[i] and order[i] mean something only while it does.
 */
struct page_range {
	uint64_t span_start;	 /* first page registered, including the metadata pages */
	uint64_t base;		 /* first page the allocator hands out */
	uint64_t end;		 /* one past the last page */
	uint64_t *free_map;	 /* bit i set: page i starts a free block */
	struct free_link *links; /* list links of the free block starting at page i */
	uint8_t *order;		 /* order of the free block starting at page i */
	uint32_t heads[NR_ORDERS];
	uint32_t orders_listed; /* bit k set: heads[k] is a block */
	struct {
		uint64_t free_map[PAGE_ALLOC_INLINE_META_PAGES / BITS_PER_WORD];
		struct free_link links[PAGE_ALLOC_INLINE_META_PAGES];
		uint8_t order[PAGE_ALLOC_INLINE_META_PAGES];
	} inline_meta;
};

static struct {
	spinlock_t lock;
	unsigned nr_ranges;
	struct page_range ranges[PAGE_ALLOC_MAX_RANGES];
	uint64_t free_blocks[NR_ORDERS];
	uint64_t free_pages;
	uint64_t total_pages;
} pa_state = {.lock = SPINLOCK_INIT};

static uint64_t block_bytes(unsigned order)
{
	return PAGE_SIZE << order;
}

/* Range holding all of [pa, pa + bytes), or NULL. */
static struct page_range *range_holding(uint64_t pa, uint64_t bytes)
{
	unsigned i;

	for (i = 0; i < pa_state.nr_ranges; i++) {
		struct page_range *r = &pa_state.ranges[i];

		if (pa >= r->base && pa < r->end && bytes <= r->end - pa)
			return r;
	}
	return NULL;
}

static uint32_t page_index(const struct page_range *r, uint64_t pa)
{
	return (uint32_t)((pa - r->base) >> PAGE_SHIFT);
}

static uint64_t page_address(const struct page_range *r, uint32_t i)
{
	return r->base + ((uint64_t)i << PAGE_SHIFT);
}

static bool map_test(const struct page_range *r, uint32_t i)
{
	return (r->free_map[i / BITS_PER_WORD] >> (i % BITS_PER_WORD)) & 1u;
}

static void map_set(struct page_range *r, uint32_t i)
{
	r->free_map[i / BITS_PER_WORD] |= 1ull << (i % BITS_PER_WORD);
}

static void map_clear(struct page_range *r, uint32_t i)
{
	r->free_map[i / BITS_PER_WORD] &= ~(1ull << (i % BITS_PER_WORD));
}

/* Whether any bit in [first, first + count) of the map is set. */
static bool map_any(const struct page_range *r, uint64_t first, uint64_t count)
{
	uint64_t i = first;
	uint64_t end = first + count;

	while (i < end) {
		uint64_t bit = i % BITS_PER_WORD;
		uint64_t n = BITS_PER_WORD - bit;
		uint64_t mask;

		if (n > end - i)
			n = end - i;
		mask = (n == BITS_PER_WORD ? ~0ull : ((1ull << n) - 1)) << bit;
		if (r->free_map[i / BITS_PER_WORD] & mask)
			return true;
		i += n;
	}
	return false;
}

static void list_push(struct page_range *r, unsigned order, uint32_t i)
{
	uint32_t head = r->heads[order];

	r->links[i].prev = NO_PAGE;
	r->links[i].next = head;
	if (head != NO_PAGE)
		r->links[head].prev = i;
	r->heads[order] = i;
	r->orders_listed |= 1u << order;
}

static void list_remove(struct page_range *r, unsigned order, uint32_t i)
{
	struct free_link l = r->links[i];

	if (l.prev != NO_PAGE)
		r->links[l.prev].next = l.next;
	else
		r->heads[order] = l.next;
	if (l.next != NO_PAGE)
		r->links[l.next].prev = l.prev;
	if (r->heads[order] == NO_PAGE)
		r->orders_listed &= ~(1u << order);
}

static void insert_free(struct page_range *r, uint32_t i, unsigned order)
{
	r->order[i] = (uint8_t)order;
	list_push(r, order, i);
	map_set(r, i);
	pa_state.free_blocks[order]++;
	pa_state.free_pages += 1ull << order;
}

static void take_free(struct page_range *r, uint32_t i, unsigned order)
{
	list_remove(r, order, i);
	map_clear(r, i);
	pa_state.free_blocks[order]--;
	pa_state.free_pages -= 1ull << order;
}

/* Order of the free block starting at pa, or -1 if none starts there. */
static int free_order_at(const struct page_range *r, uint64_t pa)
{
	uint32_t i = page_index(r, pa);

	return map_test(r, i) ? (int)r->order[i] : -1;
}

/*
 * Whether [pa, pa + 2^order pages) overlaps a free block. Free blocks are naturally aligned, so
 * one that starts at or below pa starts at pa rounded down to its own order; one that starts
 * inside the block shows in the bitmap.
 */
static bool overlaps_free(const struct page_range *r, uint64_t pa, unsigned order)
{
	unsigned k;

	for (k = 0; k <= PAGE_MAX_ORDER; k++) {
		uint64_t head = pa & ~(block_bytes(k) - 1);
		int m;

		if (head < r->base)
			break;
		m = free_order_at(r, head);
		if (m >= 0 && head + block_bytes((unsigned)m) > pa)
			return true;
	}
	return map_any(r, page_index(r, pa), 1ull << order);
}

/* Lowest order >= order with a free block in r, or NR_ORDERS if none. */
static unsigned smallest_listed(const struct page_range *r, unsigned order)
{
	uint32_t usable = r->orders_listed & ~((1u << order) - 1);

	return usable ? (unsigned)__builtin_ctz(usable) : NR_ORDERS;
}

static uint64_t alloc_locked(unsigned order, const char **why)
{
	struct page_range *best = NULL;
	unsigned k = NR_ORDERS;
	unsigned i;
	uint32_t page;

	/* Best fit over every range: split the smallest block that is large enough. */
	for (i = 0; i < pa_state.nr_ranges; i++) {
		unsigned m = smallest_listed(&pa_state.ranges[i], order);

		if (m < k) {
			k = m;
			best = &pa_state.ranges[i];
		}
	}
	if (best == NULL)
		return 0;
	page = best->heads[k];
	if (!map_test(best, page) || best->order[page] != k) {
		*why = "page_alloc: free list and bitmap disagree";
		return 0;
	}
	take_free(best, page, k);
	/* Split: keep the lower half, give the upper halves back one order at a time. */
	while (k > order) {
		k--;
		insert_free(best, page + (1u << k), k);
	}
	return page_address(best, page);
}

static const char *free_locked(uint64_t pa, unsigned order)
{
	struct page_range *r;

	if (order > PAGE_MAX_ORDER)
		return "page_free: order too large";
	if (pa & (block_bytes(order) - 1))
		return "page_free: address not aligned to the block size";
	r = range_holding(pa, block_bytes(order));
	if (r == NULL)
		return "page_free: block outside every registered range";
	if (overlaps_free(r, pa, order))
		return "page_free: double free (block overlaps free memory)";
	while (order < PAGE_MAX_ORDER) {
		uint64_t buddy = pa ^ block_bytes(order);

		if (buddy < r->base || block_bytes(order) > r->end - buddy)
			break;
		if (free_order_at(r, buddy) != (int)order)
			break;
		take_free(r, page_index(r, buddy), order);
		pa &= ~block_bytes(order);
		order++;
	}
	insert_free(r, page_index(r, pa), order);
	return NULL;
}

void page_alloc_init(void)
{
	memset(&pa_state, 0, sizeof(pa_state));
	pa_state.lock = (spinlock_t)SPINLOCK_INIT;
}

/* Largest order of a naturally aligned block at pa that ends at or before end. */
static unsigned largest_fit(uint64_t pa, uint64_t end)
{
	unsigned order = 0;

	while (order < PAGE_MAX_ORDER && !(pa & block_bytes(order)) &&
	       block_bytes(order + 1) <= end - pa)
		order++;
	return order;
}

static bool overlaps_registered(uint64_t start, uint64_t end)
{
	unsigned i;

	for (i = 0; i < pa_state.nr_ranges; i++) {
		const struct page_range *r = &pa_state.ranges[i];

		if (start < r->end && r->span_start < end)
			return true;
	}
	return false;
}

static uint64_t map_bytes_for(uint64_t npages)
{
	return (npages + BITS_PER_WORD - 1) / BITS_PER_WORD * sizeof(uint64_t);
}

/*
 * Places the metadata of a range of npages pages at start (bitmap, then links, then orders, so
 * each array is naturally aligned) and returns the first page handed out. Small ranges keep it
 * in their descriptor, so a range of one page is still one usable page.
 */
static uint64_t place_meta(struct page_range *r, uint64_t start, uint64_t npages)
{
	uint64_t map_bytes = map_bytes_for(npages);
	uint64_t links_bytes = npages * sizeof(struct free_link);
	uint64_t meta_bytes = map_bytes + links_bytes + npages;

	if (npages <= PAGE_ALLOC_INLINE_META_PAGES) {
		r->free_map = r->inline_meta.free_map;
		r->links = r->inline_meta.links;
		r->order = r->inline_meta.order;
		memset(&r->inline_meta, 0, sizeof(r->inline_meta));
		return start;
	}
	r->free_map = (uint64_t *)(uintptr_t)start;
	r->links = (struct free_link *)(uintptr_t)(start + map_bytes);
	r->order = (uint8_t *)(uintptr_t)(start + map_bytes + links_bytes);
	/* Only the bitmap must start clear: links and orders are written before they are read. */
	memset(r->free_map, 0, (size_t)map_bytes);
	return start + (((meta_bytes + PAGE_SIZE - 1) >> PAGE_SHIFT) << PAGE_SHIFT);
}

/* Registers [start, end), whole pages, at most MAX_RANGE_PAGES of them. */
static const char *add_piece_locked(uint64_t start, uint64_t end)
{
	struct page_range *r;
	unsigned k;
	uint64_t pa;

	if (overlaps_registered(start, end))
		return "page_alloc: range overlaps a registered range";
	if (pa_state.nr_ranges == PAGE_ALLOC_MAX_RANGES)
		return "page_alloc: too many ranges";
	r = &pa_state.ranges[pa_state.nr_ranges];
	r->span_start = start;
	r->end = end;
	r->base = place_meta(r, start, (end - start) >> PAGE_SHIFT);
	if (r->base >= end)
		return NULL;
	for (k = 0; k < NR_ORDERS; k++)
		r->heads[k] = NO_PAGE;
	r->orders_listed = 0;
	pa_state.nr_ranges++;
	pa_state.total_pages += (end - r->base) >> PAGE_SHIFT;
	for (pa = r->base; pa < end;) {
		unsigned order = largest_fit(pa, end);

		insert_free(r, page_index(r, pa), order);
		pa += block_bytes(order);
	}
	return NULL;
}

static const char *add_range_locked(uint64_t base, uint64_t size)
{
	uint64_t last = size > UINT64_MAX - base ? UINT64_MAX : base + size;
	uint64_t end = last & ~(PAGE_SIZE - 1);
	uint64_t start;

	if (base > end)
		return NULL; /* no whole page, and rounding base up could wrap */
	start = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (start == 0)
		start = PAGE_SIZE; /* 0 is the failure value: never hand it out */
	while (start < end) {
		uint64_t stop = end;
		const char *why;

		/* Cut at a largest-block boundary, so the cut splits no block that could exist. */
		if ((end - start) >> PAGE_SHIFT > MAX_RANGE_PAGES)
			stop = (start + (MAX_RANGE_PAGES << PAGE_SHIFT)) &
			       ~(block_bytes(PAGE_MAX_ORDER) - 1);
		why = add_piece_locked(start, stop);

		if (why != NULL)
			return why;
		start = stop;
	}
	return NULL;
}

void page_alloc_add_range(uint64_t base, uint64_t size)
{
	const char *why;

	spin_lock(&pa_state.lock);
	why = add_range_locked(base, size);
	spin_unlock(&pa_state.lock);
	if (why != NULL)
		page_alloc_fatal(why);
}

uint64_t page_alloc(unsigned order)
{
	const char *why = NULL;
	uint64_t pa;

	if (order > PAGE_MAX_ORDER)
		return 0;
	spin_lock(&pa_state.lock);
	pa = alloc_locked(order, &why);
	spin_unlock(&pa_state.lock);
	if (why != NULL)
		page_alloc_fatal(why);
	return pa;
}

uint64_t page_alloc_zeroed(unsigned order)
{
	uint64_t pa = page_alloc(order);

	if (pa != 0)
		arch_zero_pages(pa, block_bytes(order));
	return pa;
}

void page_free(uint64_t pa, unsigned order)
{
	const char *why;

	spin_lock(&pa_state.lock);
	why = free_locked(pa, order);
	spin_unlock(&pa_state.lock);
	if (why != NULL)
		page_alloc_fatal(why);
}

void page_free_range(uint64_t pa, uint64_t bytes)
{
	const char *why = NULL;

	spin_lock(&pa_state.lock);
	while (bytes && !why) {
		struct page_range *r = range_holding(pa, PAGE_SIZE);
		if (r == NULL) {
			why = "page_free_range: page outside every registered range";
			break;
		}
		/* Blocks never straddle two registered ranges. */
		uint64_t end = r->end - pa < bytes ? r->end : pa + bytes;
		unsigned order = largest_fit(pa, end);
		why = free_locked(pa, order);
		pa += block_bytes(order);
		bytes -= block_bytes(order);
	}
	spin_unlock(&pa_state.lock);
	if (why != NULL)
		page_alloc_fatal(why);
}

uint64_t page_alloc_free_pages(void)
{
	uint64_t n;

	spin_lock(&pa_state.lock);
	n = pa_state.free_pages;
	spin_unlock(&pa_state.lock);
	return n;
}

uint64_t page_alloc_total_pages(void)
{
	uint64_t n;

	spin_lock(&pa_state.lock);
	n = pa_state.total_pages;
	spin_unlock(&pa_state.lock);
	return n;
}

uint64_t page_alloc_free_blocks(unsigned order)
{
	uint64_t n;

	if (order > PAGE_MAX_ORDER)
		return 0;
	spin_lock(&pa_state.lock);
	n = pa_state.free_blocks[order];
	spin_unlock(&pa_state.lock);
	return n;
}

unsigned page_order_for(uint64_t bytes)
{
	unsigned order = 0;

	while (order <= PAGE_MAX_ORDER && block_bytes(order) < bytes)
		order++;
	return order;
}

void page_alloc_dump(fmt_sink_fn sink, void *ctx)
{
	uint64_t blocks[NR_ORDERS];
	uint64_t free_pages;
	uint64_t total_pages;
	unsigned order;

	/* Snapshot under the lock, print outside it: the sink may be a slow console. */
	spin_lock(&pa_state.lock);
	memcpy(blocks, pa_state.free_blocks, sizeof(blocks));
	free_pages = pa_state.free_pages;
	total_pages = pa_state.total_pages;
	spin_unlock(&pa_state.lock);

	fmt_print(sink, ctx, "page_alloc: %llu of %llu pages free\n",
		  (unsigned long long)free_pages, (unsigned long long)total_pages);
	for (order = 0; order <= PAGE_MAX_ORDER; order++)
		fmt_print(sink, ctx, "  order %2u: %llu free\n", order,
			  (unsigned long long)blocks[order]);
}
