// SPDX-License-Identifier: Apache-2.0
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "punt/format.h"
#include "punt/page_alloc.h"
#include "punt/spinlock.h"
#include "punt/string.h"

#define NR_ORDERS	 (PAGE_MAX_ORDER + 1)
#define BITS_PER_WORD	 64u
#define INLINE_MAP_WORDS (PAGE_ALLOC_INLINE_MAP_PAGES / BITS_PER_WORD)
/* "PUNTFREE": marks the header at the start of every free block. */
#define FREE_BLOCK_MAGIC 0x50554e5446524545ull

_Static_assert(PAGE_SIZE == 1UL << PAGE_SHIFT, "PAGE_SIZE and PAGE_SHIFT disagree");
_Static_assert(PAGE_ALLOC_INLINE_MAP_PAGES % 64 == 0, "inline map must be whole words");

struct free_block {
	uint64_t magic;
	uint32_t order;
	uint32_t reserved;
	struct free_block *next;
	struct free_block *prev;
};

struct page_range {
	uint64_t span_start; /* first page registered, including the bitmap pages */
	uint64_t base;	     /* first page the allocator hands out */
	uint64_t end;	     /* one past the last page */
	uint64_t *free_map;  /* bit i set: the page at base + i pages starts a free block */
	uint64_t inline_map[INLINE_MAP_WORDS];
};

static struct {
	spinlock_t lock;
	unsigned nr_ranges;
	struct page_range ranges[PAGE_ALLOC_MAX_RANGES];
	struct free_block *free_lists[NR_ORDERS];
	uint64_t free_blocks[NR_ORDERS];
	uint64_t free_pages;
	uint64_t total_pages;
} pa_state = {.lock = SPINLOCK_INIT};

static uint64_t block_bytes(unsigned order)
{
	return PAGE_SIZE << order;
}

static struct free_block *block_at(uint64_t pa)
{
	return (struct free_block *)(uintptr_t)pa;
}

static uint64_t address_of(const struct free_block *b)
{
	return (uint64_t)(uintptr_t)b;
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

static uint64_t page_index(const struct page_range *r, uint64_t pa)
{
	return (pa - r->base) >> PAGE_SHIFT;
}

static bool map_test(const struct page_range *r, uint64_t pa)
{
	uint64_t i = page_index(r, pa);

	return (r->free_map[i / BITS_PER_WORD] >> (i % BITS_PER_WORD)) & 1u;
}

static void map_set(struct page_range *r, uint64_t pa)
{
	uint64_t i = page_index(r, pa);

	r->free_map[i / BITS_PER_WORD] |= 1ull << (i % BITS_PER_WORD);
}

static void map_clear(struct page_range *r, uint64_t pa)
{
	uint64_t i = page_index(r, pa);

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

static void list_push(unsigned order, struct free_block *b)
{
	struct free_block *head = pa_state.free_lists[order];

	b->prev = NULL;
	b->next = head;
	if (head != NULL)
		head->prev = b;
	pa_state.free_lists[order] = b;
}

static void list_remove(unsigned order, struct free_block *b)
{
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		pa_state.free_lists[order] = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
	b->next = NULL;
	b->prev = NULL;
}

static void insert_free(struct page_range *r, uint64_t pa, unsigned order)
{
	struct free_block *b = block_at(pa);

	b->magic = FREE_BLOCK_MAGIC;
	b->order = order;
	b->reserved = 0;
	list_push(order, b);
	map_set(r, pa);
	pa_state.free_blocks[order]++;
	pa_state.free_pages += 1ull << order;
}

static void take_free(struct page_range *r, uint64_t pa, unsigned order)
{
	struct free_block *b = block_at(pa);

	list_remove(order, b);
	/* Wipe the magic so a stale header is never mistaken for a live one. */
	b->magic = 0;
	map_clear(r, pa);
	pa_state.free_blocks[order]--;
	pa_state.free_pages -= 1ull << order;
}

/* Order of the free block starting at pa, or -1 if none starts there; *why set on corruption. */
static int free_order_at(const struct page_range *r, uint64_t pa, const char **why)
{
	const struct free_block *b;

	if (!map_test(r, pa))
		return -1;
	b = block_at(pa);
	if (b->magic != FREE_BLOCK_MAGIC || b->order > PAGE_MAX_ORDER) {
		*why = "page_alloc: corrupted free block header";
		return -1;
	}
	return (int)b->order;
}

/*
 * Whether [pa, pa + 2^order pages) overlaps a free block. Free blocks are naturally aligned, so
 * one that starts at or below pa starts at pa rounded down to its own order; one that starts
 * inside the block shows in the bitmap.
 */
static bool overlaps_free(const struct page_range *r, uint64_t pa, unsigned order, const char **why)
{
	unsigned k;

	for (k = 0; k <= PAGE_MAX_ORDER; k++) {
		uint64_t head = pa & ~(block_bytes(k) - 1);
		int m;

		if (head < r->base)
			break;
		m = free_order_at(r, head, why);
		if (m >= 0 && head + block_bytes((unsigned)m) > pa)
			return true;
	}
	return map_any(r, page_index(r, pa), 1ull << order);
}

static uint64_t alloc_locked(unsigned order, const char **why)
{
	unsigned k;

	for (k = order; k <= PAGE_MAX_ORDER; k++) {
		struct free_block *b = pa_state.free_lists[k];
		struct page_range *r;
		uint64_t pa;

		if (b == NULL)
			continue;
		pa = address_of(b);
		r = range_holding(pa, block_bytes(k));
		if (r == NULL || b->magic != FREE_BLOCK_MAGIC || b->order != k ||
		    !map_test(r, pa)) {
			*why = "page_alloc: corrupted free list";
			return 0;
		}
		take_free(r, pa, k);
		/* Split: keep the lower half, give the upper halves back one order at a time. */
		while (k > order) {
			k--;
			insert_free(r, pa + block_bytes(k), k);
		}
		return pa;
	}
	return 0;
}

static const char *free_locked(uint64_t pa, unsigned order)
{
	const char *why = NULL;
	struct page_range *r;

	if (order > PAGE_MAX_ORDER)
		return "page_free: order too large";
	if (pa & (block_bytes(order) - 1))
		return "page_free: address not aligned to the block size";
	r = range_holding(pa, block_bytes(order));
	if (r == NULL)
		return "page_free: block outside every registered range";
	if (overlaps_free(r, pa, order, &why))
		return "page_free: double free (block overlaps free memory)";
	if (why != NULL)
		return why;
	while (order < PAGE_MAX_ORDER) {
		uint64_t buddy = pa ^ block_bytes(order);

		if (buddy < r->base || block_bytes(order) > r->end - buddy)
			break;
		if (free_order_at(r, buddy, &why) != (int)order)
			break;
		take_free(r, buddy, order);
		pa &= ~block_bytes(order);
		order++;
	}
	if (why != NULL)
		return why;
	insert_free(r, pa, order);
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

/* Sets up the bitmap of a range of npages pages at start; returns the first allocatable page. */
static uint64_t place_map(struct page_range *r, uint64_t start, uint64_t npages)
{
	uint64_t map_bytes;
	uint64_t map_pages;

	if (npages <= PAGE_ALLOC_INLINE_MAP_PAGES) {
		r->free_map = r->inline_map;
		memset(r->inline_map, 0, sizeof(r->inline_map));
		return start;
	}
	map_bytes = (npages + BITS_PER_WORD - 1) / BITS_PER_WORD * sizeof(uint64_t);
	map_pages = (map_bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
	r->free_map = (uint64_t *)(uintptr_t)start;
	memset(r->free_map, 0, (size_t)map_bytes);
	return start + (map_pages << PAGE_SHIFT);
}

static const char *add_range_locked(uint64_t base, uint64_t size)
{
	uint64_t last = size > UINT64_MAX - base ? UINT64_MAX : base + size;
	uint64_t end = last & ~(PAGE_SIZE - 1);
	uint64_t start;
	struct page_range *r;
	uint64_t pa;

	if (base > end)
		return NULL; /* no whole page, and rounding base up could wrap */
	start = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (start == 0)
		start = PAGE_SIZE; /* 0 is the failure value: never hand it out */
	if (start >= end)
		return NULL;
	if (overlaps_registered(start, end))
		return "page_alloc: range overlaps a registered range";
	if (pa_state.nr_ranges == PAGE_ALLOC_MAX_RANGES)
		return "page_alloc: too many ranges";
	r = &pa_state.ranges[pa_state.nr_ranges];
	r->span_start = start;
	r->end = end;
	r->base = place_map(r, start, (end - start) >> PAGE_SHIFT);
	if (r->base >= end)
		return NULL;
	pa_state.nr_ranges++;
	pa_state.total_pages += (end - r->base) >> PAGE_SHIFT;
	for (pa = r->base; pa < end;) {
		unsigned order = largest_fit(pa, end);

		insert_free(r, pa, order);
		pa += block_bytes(order);
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
		memset((void *)(uintptr_t)pa, 0, (size_t)block_bytes(order));
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
