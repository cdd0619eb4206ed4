// SPDX-License-Identifier: Apache-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "punt/page_alloc.h"
#include <fake/arch.h>

/*
 * Arenas from aligned_alloc() stand in for physical RAM: their addresses are the "physical"
 * addresses the allocator sees.
 */

#define KIB	   1024ull
#define MIB	   (1024ull * KIB)
#define MAX_ARENAS 20

static void *arenas[MAX_ARENAS];
static unsigned nr_arenas;

static unsigned fatal_calls;
static const char *last_fatal;

void page_alloc_fatal(const char *why)
{
	/* The allocator promises to call the hook without its lock held. */
	assert_int_equal(fake_spin_locks_held(), 0);
	fatal_calls++;
	last_fatal = why;
}

static uint64_t new_arena(uint64_t size, uint64_t align)
{
	void *p = aligned_alloc((size_t)align, (size_t)size);

	assert_non_null(p);
	assert_true(nr_arenas < MAX_ARENAS);
	arenas[nr_arenas++] = p;
	return (uint64_t)(uintptr_t)p;
}

static int setup(void **state)
{
	(void)state;
	page_alloc_init();
	fatal_calls = 0;
	last_fatal = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	while (nr_arenas > 0)
		free(arenas[--nr_arenas]);
	assert_int_equal(fake_spin_locks_held(), 0);
	return 0;
}

static void expect_fatal(unsigned calls_before, const char *what)
{
	if (fatal_calls != calls_before + 1)
		fail_msg("%s: expected page_alloc_fatal to be called once, got %u calls", what,
			 fatal_calls - calls_before);
	assert_non_null(last_fatal);
}

static void snapshot_blocks(uint64_t counts[PAGE_MAX_ORDER + 1])
{
	for (unsigned o = 0; o <= PAGE_MAX_ORDER; o++)
		counts[o] = page_alloc_free_blocks(o);
}

static void assert_blocks_equal(const uint64_t want[PAGE_MAX_ORDER + 1])
{
	for (unsigned o = 0; o <= PAGE_MAX_ORDER; o++) {
		uint64_t got = page_alloc_free_blocks(o);

		if (got != want[o])
			fail_msg("order %u: expected %llu free blocks, got %llu", o,
				 (unsigned long long)want[o], (unsigned long long)got);
	}
}

static void aligned_range_becomes_one_block(void **state)
{
	uint64_t base = new_arena(256 * KIB, 256 * KIB);

	(void)state;
	page_alloc_add_range(base, 256 * KIB);
	assert_int_equal(page_alloc_total_pages(), 64);
	assert_int_equal(page_alloc_free_pages(), 64);
	assert_int_equal(page_alloc_free_blocks(6), 1);
	for (unsigned o = 0; o <= PAGE_MAX_ORDER; o++)
		if (o != 6)
			assert_int_equal(page_alloc_free_blocks(o), 0);
	assert_int_equal(page_alloc(6), base);
	assert_int_equal(fatal_calls, 0);
}

static void unaligned_range_is_trimmed_and_split_maximally(void **state)
{
	uint64_t arena = new_arena(64 * KIB, 64 * KIB);

	(void)state;
	/* Covers part of page 0 and of page 9: only pages 1..8 are whole. */
	page_alloc_add_range(arena + 100, 9 * PAGE_SIZE - 50);
	assert_int_equal(page_alloc_total_pages(), 8);
	/* Maximal aligned pieces of pages 1..8: {1} {2,3} {4..7} {8}. */
	assert_int_equal(page_alloc_free_blocks(0), 2);
	assert_int_equal(page_alloc_free_blocks(1), 1);
	assert_int_equal(page_alloc_free_blocks(2), 1);
	assert_int_equal(page_alloc_free_blocks(3), 0);
	assert_int_equal(page_alloc(2), arena + 4 * PAGE_SIZE);
}

static void range_without_a_whole_page_adds_nothing(void **state)
{
	uint64_t arena = new_arena(16 * KIB, 16 * KIB);

	(void)state;
	page_alloc_add_range(arena + 1, PAGE_SIZE);
	page_alloc_add_range(arena + 2 * PAGE_SIZE, PAGE_SIZE - 1);
	page_alloc_add_range(arena, 0);
	assert_int_equal(page_alloc_total_pages(), 0);
	assert_int_equal(page_alloc(0), 0);
	assert_int_equal(fatal_calls, 0);
}

static void large_range_keeps_its_metadata_in_its_first_pages(void **state)
{
	uint64_t base = new_arena(4 * MIB, 4 * MIB);
	uint64_t pa;

	(void)state;
	page_alloc_add_range(base, 4 * MIB);
	/* 1024 pages x 9.125 bytes of metadata (bitmap bit, order byte, two links) = 3 pages. */
	assert_int_equal(page_alloc_total_pages(), 1021);
	while ((pa = page_alloc(0)) != 0)
		assert_true(pa >= base + 3 * PAGE_SIZE && pa < base + 4 * MIB);
	assert_int_equal(page_alloc_free_pages(), 0);
}

static void small_range_keeps_its_metadata_in_its_descriptor(void **state)
{
	uint64_t inline_bytes = PAGE_ALLOC_INLINE_META_PAGES * PAGE_SIZE;
	uint64_t base = new_arena(4 * inline_bytes, 4 * inline_bytes);

	(void)state;
	page_alloc_add_range(base, inline_bytes);
	assert_int_equal(page_alloc_total_pages(), PAGE_ALLOC_INLINE_META_PAGES);
	/* One page more no longer fits the descriptor: the range gives up its first page. */
	page_alloc_add_range(base + inline_bytes, inline_bytes + PAGE_SIZE);
	assert_int_equal(page_alloc_total_pages(), 2 * PAGE_ALLOC_INLINE_META_PAGES);
	assert_int_equal(fatal_calls, 0);
}

static void exhaust_and_refill_restores_original_blocks(void **state)
{
	uint64_t base = new_arena(4 * MIB, 2 * MIB);
	uint64_t before[PAGE_MAX_ORDER + 1];
	uint64_t *pages;
	uint64_t total;
	uint64_t n = 0;
	uint64_t pa;

	(void)state;
	page_alloc_add_range(base, 4 * MIB);
	total = page_alloc_total_pages();
	snapshot_blocks(before);
	pages = calloc((size_t)total, sizeof(*pages));
	assert_non_null(pages);
	while ((pa = page_alloc(0)) != 0) {
		assert_true(n < total);
		pages[n++] = pa;
	}
	assert_int_equal(n, total);
	assert_int_equal(page_alloc_free_pages(), 0);
	assert_int_equal(page_alloc(0), 0);
	/* Free in an order unrelated to allocation order, so coalescing happens out of order. */
	for (uint64_t i = 0; i < n; i += 2)
		page_free(pages[i], 0);
	for (uint64_t i = 1; i < n; i += 2)
		page_free(pages[n - i - (n % 2 == 0 ? 0 : 1)], 0);
	free(pages);
	assert_int_equal(fatal_calls, 0);
	assert_int_equal(page_alloc_free_pages(), total);
	assert_blocks_equal(before);
}

static void every_block_is_naturally_aligned(void **state)
{
	uint64_t base = new_arena(8 * MIB, 8 * MIB);
	uint64_t pa;

	(void)state;
	page_alloc_add_range(base + PAGE_SIZE * 3, 8 * MIB - PAGE_SIZE * 5);
	for (unsigned order = 0; order <= 10; order++) {
		for (int i = 0; i < 3; i++) {
			pa = page_alloc(order);
			if (pa == 0)
				continue;
			if (pa % (PAGE_SIZE << order) != 0)
				fail_msg("order %u block at %#llx is not aligned", order,
					 (unsigned long long)pa);
			assert_true(pa >= base && pa + (PAGE_SIZE << order) <= base + 8 * MIB);
		}
	}
	assert_int_equal(fatal_calls, 0);
}

static void alloc_fails_when_no_block_is_large_enough(void **state)
{
	uint64_t base = new_arena(256 * KIB, 256 * KIB);

	(void)state;
	page_alloc_add_range(base, 256 * KIB);
	assert_int_equal(page_alloc(7), 0);
	assert_int_equal(page_alloc(PAGE_MAX_ORDER + 1), 0);
	assert_int_equal(page_alloc_free_pages(), 64);
	assert_int_equal(page_alloc(6), base);
	assert_int_equal(page_alloc(0), 0);
}

static void a_range_freed_in_uneven_pieces_coalesces_back(void **state)
{
	uint64_t base = new_arena(256 * KIB, 256 * KIB);

	(void)state;
	page_alloc_add_range(base, 256 * KIB);
	assert_int_equal(page_alloc(6), base);
	/* Runs of 3, 1 and 60 pages of one block (a guest's memory after ballooning). */
	page_free_range(base + 4 * 4096, 60 * 4096);
	assert_int_equal(page_alloc_free_pages(), 60);
	page_free_range(base, 3 * 4096);
	page_free_range(base + 3 * 4096, 4096);
	assert_int_equal(page_alloc_free_pages(), 64);
	assert_int_equal(page_alloc_free_blocks(6), 1);
	/* A page freed twice is the same fatal error as with page_free(). */
	assert_int_equal(page_alloc(6), base);
	page_free_range(base, 2 * 4096);
	page_free_range(base + 4096, 4096);
	expect_fatal(0, "page_free: double free (block overlaps free memory)");
}

static void zeroed_alloc_clears_the_whole_block(void **state)
{
	uint64_t base = new_arena(64 * KIB, 64 * KIB);
	const unsigned char *p;
	uint64_t pa;

	(void)state;
	memset((void *)(uintptr_t)base, 0xa5, 64 * KIB);
	page_alloc_add_range(base, 64 * KIB);
	pa = page_alloc_zeroed(3);
	assert_int_not_equal(pa, 0);
	p = (const unsigned char *)(uintptr_t)pa;
	for (size_t i = 0; i < 8 * PAGE_SIZE; i++)
		if (p[i] != 0)
			fail_msg("byte %zu of zeroed block is %#x", i, p[i]);
}

/* Deterministic generator so a failing storm can be replayed. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct live_block {
	uint64_t pa;
	unsigned order;
	uint32_t tag;
};

/* Every page of a live block carries its tag in its first and last word. */
static void stamp(const struct live_block *b)
{
	for (uint64_t i = 0; i < (1ull << b->order); i++) {
		uint32_t *page = (uint32_t *)(uintptr_t)(b->pa + i * PAGE_SIZE);

		page[0] = b->tag;
		page[PAGE_SIZE / sizeof(uint32_t) - 1] = b->tag;
	}
}

static void check_stamp(const struct live_block *b)
{
	for (uint64_t i = 0; i < (1ull << b->order); i++) {
		const uint32_t *page = (const uint32_t *)(uintptr_t)(b->pa + i * PAGE_SIZE);

		if (page[0] != b->tag || page[PAGE_SIZE / sizeof(uint32_t) - 1] != b->tag)
			fail_msg("block %#llx order %u: page %llu was overwritten",
				 (unsigned long long)b->pa, b->order, (unsigned long long)i);
	}
}

static void random_storm_never_overlaps_and_coalesces_back(void **state)
{
	enum { ARENA = 4 * 1024 * 1024, PAGES = ARENA / 4096, MAX_LIVE = 512 };
	static uint32_t owner[PAGES]; /* shadow map: tag of the live block holding each page */
	static struct live_block live[MAX_LIVE];
	uint64_t base = new_arena(ARENA, 1 * MIB);
	uint64_t before[PAGE_MAX_ORDER + 1];
	uint64_t total;
	unsigned nr_live = 0;
	uint32_t next_tag = 1;

	(void)state;
	rng_state = 0x2545f4914f6cdd1dull;
	memset(owner, 0, sizeof(owner));
	/* Odd edges: the range starts and ends mid-page. */
	page_alloc_add_range(base + 123, ARENA - 123 - 77);
	total = page_alloc_total_pages();
	snapshot_blocks(before);
	for (int step = 0; step < 50000; step++) {
		bool do_alloc = nr_live == 0 || (nr_live < MAX_LIVE && rng_next() % 100 < 55);

		if (do_alloc) {
			struct live_block b = {.order = (unsigned)(rng_next() % 7),
					       .tag = next_tag++};
			uint64_t first;

			b.pa = page_alloc(b.order);
			if (b.pa == 0)
				continue;
			assert_true(b.pa % (PAGE_SIZE << b.order) == 0);
			assert_true(b.pa >= base && b.pa + (PAGE_SIZE << b.order) <= base + ARENA);
			first = (b.pa - base) / PAGE_SIZE;
			for (uint64_t i = first; i < first + (1ull << b.order); i++) {
				if (owner[i] != 0)
					fail_msg(
					    "step %d: page %llu handed out twice (tags %u, %u)",
					    step, (unsigned long long)i, owner[i], b.tag);
				owner[i] = b.tag;
			}
			stamp(&b);
			live[nr_live++] = b;
		} else {
			unsigned k = (unsigned)(rng_next() % nr_live);
			struct live_block b = live[k];
			uint64_t first = (b.pa - base) / PAGE_SIZE;

			check_stamp(&b);
			for (uint64_t i = first; i < first + (1ull << b.order); i++)
				owner[i] = 0;
			page_free(b.pa, b.order);
			live[k] = live[--nr_live];
		}
	}
	while (nr_live > 0) {
		check_stamp(&live[nr_live - 1]);
		page_free(live[nr_live - 1].pa, live[nr_live - 1].order);
		nr_live--;
	}
	assert_int_equal(fatal_calls, 0);
	assert_int_equal(page_alloc_free_pages(), total);
	assert_blocks_equal(before);
}

/*
 * A hostile guest that kept a mapping of pages after they were freed writes whatever it likes
 * into them while the allocator hands them out and takes them back.
 */
enum { HOSTILE_ARENA = 4 * 1024 * 1024, HOSTILE_PAGES = HOSTILE_ARENA / 4096, HOSTILE_LIVE = 256 };

static struct {
	uint64_t base;
	bool allocatable[HOSTILE_PAGES]; /* the pages the allocator hands out */
	uint32_t owner[HOSTILE_PAGES];	 /* tag of the live block holding each page, 0 if free */
	struct live_block live[HOSTILE_LIVE];
	unsigned nr_live;
	uint32_t next_tag;
	uint64_t total;
} hostile;

static uint64_t hostile_page(uint64_t pa)
{
	return (pa - hostile.base) / PAGE_SIZE;
}

/* Registers a range with ragged edges and learns which pages it hands out by taking them all. */
static void hostile_setup(void)
{
	uint64_t pa;
	uint64_t n = 0;

	memset(&hostile, 0, sizeof(hostile));
	hostile.base = new_arena(HOSTILE_ARENA, 1 * MIB);
	hostile.next_tag = 1;
	rng_state = 0x9e3779b97f4a7c15ull;
	page_alloc_add_range(hostile.base + 123, HOSTILE_ARENA - 123 - 77);
	hostile.total = page_alloc_total_pages();
	while ((pa = page_alloc(0)) != 0) {
		hostile.allocatable[hostile_page(pa)] = true;
		n++;
	}
	assert_int_equal(n, hostile.total);
	for (uint64_t i = 0; i < HOSTILE_PAGES; i++)
		if (hostile.allocatable[i])
			page_free(hostile.base + i * PAGE_SIZE, 0);
	assert_int_equal(page_alloc_free_pages(), hostile.total);
	assert_int_equal(fatal_calls, 0);
}

static void hostile_no_fatal(int step, const char *op)
{
	if (fatal_calls != 0)
		fail_msg("step %d, %s: page_alloc_fatal(\"%s\"): the allocator read guest-written "
			 "data as its own",
			 step, op, last_fatal);
}

static void hostile_alloc(int step)
{
	struct live_block b = {.order = (unsigned)(rng_next() % 7), .tag = hostile.next_tag++};
	uint64_t first;

	b.pa = page_alloc(b.order);
	hostile_no_fatal(step, "page_alloc");
	if (b.pa == 0)
		return;
	assert_true(b.pa % (PAGE_SIZE << b.order) == 0);
	first = hostile_page(b.pa);
	for (uint64_t i = first; i < first + (1ull << b.order); i++) {
		if (i >= HOSTILE_PAGES || !hostile.allocatable[i])
			fail_msg("step %d: page %#llx is not one the allocator hands out", step,
				 (unsigned long long)(hostile.base + i * PAGE_SIZE));
		if (hostile.owner[i] != 0)
			fail_msg("step %d: page %llu handed out twice (tags %u, %u)", step,
				 (unsigned long long)i, hostile.owner[i], b.tag);
		hostile.owner[i] = b.tag;
	}
	stamp(&b);
	hostile.live[hostile.nr_live++] = b;
}

static void hostile_free(int step, unsigned k)
{
	struct live_block b = hostile.live[k];
	uint64_t first = hostile_page(b.pa);

	check_stamp(&b);
	for (uint64_t i = first; i < first + (1ull << b.order); i++)
		hostile.owner[i] = 0;
	page_free(b.pa, b.order);
	hostile_no_fatal(step, "page_free");
	hostile.live[k] = hostile.live[--hostile.nr_live];
}

static void hostile_storm(int steps)
{
	for (int step = 0; step < steps; step++) {
		bool do_alloc = hostile.nr_live == 0 ||
				(hostile.nr_live < HOSTILE_LIVE && rng_next() % 100 < 55);

		if (do_alloc)
			hostile_alloc(step);
		else
			hostile_free(step, (unsigned)(rng_next() % hostile.nr_live));
	}
}

static void hostile_free_all(void)
{
	while (hostile.nr_live > 0)
		hostile_free(-1, hostile.nr_live - 1);
}

static bool hostile_page_is_free(uint64_t i)
{
	return hostile.allocatable[i] && hostile.owner[i] == 0;
}

static void spray_garbage_over_free_pages(void)
{
	for (uint64_t i = 0; i < HOSTILE_PAGES; i++) {
		uint64_t *page = (uint64_t *)(uintptr_t)(hostile.base + i * PAGE_SIZE);

		if (!hostile_page_is_free(i))
			continue;
		for (size_t w = 0; w < PAGE_SIZE / sizeof(uint64_t); w++)
			page[w] = rng_next();
	}
}

/* Every page the allocator hands out is handed out exactly once when it is drained. */
static void drain_hands_out_each_page_once(void)
{
	uint64_t n = 0;
	uint64_t pa;

	while ((pa = page_alloc(0)) != 0) {
		uint64_t i = hostile_page(pa);

		hostile_no_fatal(-1, "draining page_alloc");
		if (i >= HOSTILE_PAGES || !hostile.allocatable[i] || hostile.owner[i] != 0)
			fail_msg("drain: page %#llx is not a free page of the range",
				 (unsigned long long)pa);
		hostile.owner[i] = UINT32_MAX;
		n++;
	}
	hostile_no_fatal(-1, "draining page_alloc");
	assert_int_equal(n, hostile.total);
}

static void garbage_over_every_free_page_leaves_the_allocator_consistent(void **state)
{
	uint64_t before[PAGE_MAX_ORDER + 1];
	uint64_t during[PAGE_MAX_ORDER + 1];

	(void)state;
	hostile_setup();
	snapshot_blocks(before);
	hostile_storm(3000);
	for (int round = 0; round < 20; round++) {
		uint64_t free_pages = page_alloc_free_pages();

		snapshot_blocks(during);
		spray_garbage_over_free_pages();
		assert_int_equal(page_alloc_free_pages(), free_pages);
		assert_blocks_equal(during);
		hostile_storm(1000);
	}
	hostile_free_all();
	spray_garbage_over_free_pages();
	assert_int_equal(fatal_calls, 0);
	assert_int_equal(page_alloc_free_pages(), hostile.total);
	assert_blocks_equal(before);
	drain_hands_out_each_page_once();
}

/*
 * The guest reads its stale mapping and points every word that looks like an address in RAM at
 * a victim buffer of the hypervisor's: an allocator that kept its list links in free pages would
 * write through them.
 */
static void redirected_words_in_free_pages_are_never_followed(void **state)
{
	static unsigned char victim[PAGE_SIZE];
	unsigned char pristine[PAGE_SIZE];
	uint64_t redirected = 0;

	(void)state;
	memset(victim, 0x5a, PAGE_SIZE);
	memcpy(pristine, victim, PAGE_SIZE);
	hostile_setup();
	hostile_storm(3000);
	for (uint64_t i = 0; i < HOSTILE_PAGES; i++) {
		uint64_t *page = (uint64_t *)(uintptr_t)(hostile.base + i * PAGE_SIZE);

		if (!hostile_page_is_free(i))
			continue;
		for (size_t w = 0; w < PAGE_SIZE / sizeof(uint64_t); w++) {
			if (page[w] >= hostile.base && page[w] < hostile.base + HOSTILE_ARENA) {
				page[w] = (uint64_t)(uintptr_t)victim;
				redirected++;
			}
		}
	}
	for (int step = 0; step < 2000; step++) {
		hostile_storm(1);
		if (memcmp(victim, pristine, PAGE_SIZE) != 0) {
			size_t at = 0;

			while (victim[at] == pristine[at])
				at++;
			fail_msg("step %d: the allocator wrote to the victim at offset %zu "
				 "(%llu words redirected)",
				 step, at, (unsigned long long)redirected);
		}
	}
	hostile_free_all();
	assert_int_equal(page_alloc_free_pages(), hostile.total);
}

static void double_free_is_fatal_and_changes_nothing(void **state)
{
	uint64_t base = new_arena(256 * KIB, 256 * KIB);
	uint64_t blocks[PAGE_MAX_ORDER + 1];
	uint64_t pa;
	uint64_t spare;

	(void)state;
	page_alloc_add_range(base, 256 * KIB);
	pa = page_alloc(0);
	spare = page_alloc(0); /* keeps pa's buddy allocated so pa stays an order-0 block */
	assert_int_not_equal(spare, 0);
	page_free(pa, 0);
	snapshot_blocks(blocks);
	page_free(pa, 0);
	expect_fatal(0, "second free of the same page");
	assert_blocks_equal(blocks);
	assert_int_equal(page_alloc_free_pages(), 63);
}

static void freeing_part_of_a_merged_free_block_is_fatal(void **state)
{
	uint64_t base = new_arena(256 * KIB, 256 * KIB);
	uint64_t pa;

	(void)state;
	page_alloc_add_range(base, 256 * KIB);
	pa = page_alloc(3);
	page_free(pa, 3); /* merges back into the single order-6 block */
	assert_int_equal(page_alloc_free_blocks(6), 1);
	page_free(pa + 5 * PAGE_SIZE, 0);
	expect_fatal(0, "page inside a larger free block");
	page_free(pa, 2);
	expect_fatal(1, "block inside a larger free block");
	assert_int_equal(page_alloc_free_pages(), 64);
	assert_int_equal(page_alloc_free_blocks(6), 1);
}

static void freeing_a_block_that_contains_free_pages_is_fatal(void **state)
{
	uint64_t base = new_arena(256 * KIB, 256 * KIB);
	uint64_t pa;

	(void)state;
	page_alloc_add_range(base, 256 * KIB);
	pa = page_alloc(2);
	page_free(pa + 3 * PAGE_SIZE, 0); /* return the last page of the block on its own */
	page_free(pa, 2);
	expect_fatal(0, "block whose last page is already free");
	assert_int_equal(page_alloc_free_pages(), 64 - 4 + 1);
}

static void freeing_outside_registered_ranges_is_fatal(void **state)
{
	uint64_t base = new_arena(1 * MIB, 1 * MIB);
	uint64_t other = new_arena(64 * KIB, 64 * KIB);

	(void)state;
	page_alloc_add_range(base, 64 * KIB);
	page_free(other, 0);
	expect_fatal(0, "page in no range");
	page_free(base + 64 * KIB, 0);
	expect_fatal(1, "page just past the range");
	page_free(base, 5); /* 128 KiB block: its second half lies past the range */
	expect_fatal(2, "block straddling the range end");
	assert_int_equal(page_alloc_free_pages(), 16);
}

static void misaligned_or_oversized_free_is_fatal(void **state)
{
	uint64_t base = new_arena(256 * KIB, 256 * KIB);
	uint64_t pa;

	(void)state;
	page_alloc_add_range(base, 256 * KIB);
	pa = page_alloc(2);
	page_free(pa + PAGE_SIZE, 2);
	expect_fatal(0, "order-2 free at an odd page");
	page_free(pa + 12, 0);
	expect_fatal(1, "address inside a page");
	page_free(pa, PAGE_MAX_ORDER + 1);
	expect_fatal(2, "order above the maximum");
	page_free(pa, 2);
	assert_int_equal(fatal_calls, 3);
	assert_int_equal(page_alloc_free_pages(), 64);
}

static void forged_header_in_an_allocated_page_is_not_trusted(void **state)
{
	uint64_t base = new_arena(8 * KIB, 8 * KIB);
	uint64_t pa;

	(void)state;
	page_alloc_add_range(base, 8 * KIB);
	pa = page_alloc(1);
	assert_int_equal(pa, base);
	page_free(pa + PAGE_SIZE, 0);
	/* The owner of pa copies a genuine free-block header into its own page. */
	memcpy((void *)(uintptr_t)pa, (const void *)(uintptr_t)(pa + PAGE_SIZE), 64);
	assert_int_equal(page_alloc(0), pa + PAGE_SIZE);
	page_free(pa + PAGE_SIZE, 0);
	assert_int_equal(page_alloc_free_blocks(0), 1);
	assert_int_equal(page_alloc_free_blocks(1), 0);
	page_free(pa, 0);
	assert_int_equal(fatal_calls, 0);
	assert_int_equal(page_alloc_free_blocks(1), 1);
}

static void overlapping_or_excess_ranges_are_fatal(void **state)
{
	uint64_t base = new_arena(1 * MIB, 1 * MIB);

	(void)state;
	page_alloc_add_range(base, 64 * KIB);
	page_alloc_add_range(base + 60 * KIB, 8 * KIB);
	expect_fatal(0, "range overlapping the first");
	assert_int_equal(page_alloc_total_pages(), 16);
	for (unsigned i = 1; i < PAGE_ALLOC_MAX_RANGES; i++)
		page_alloc_add_range(base + i * 64 * KIB, 64 * KIB);
	assert_int_equal(fatal_calls, 1);
	page_alloc_add_range(base + PAGE_ALLOC_MAX_RANGES * 64 * KIB, PAGE_SIZE);
	expect_fatal(1, "one range too many");
	assert_int_equal(page_alloc_total_pages(), 256);
}

static void blocks_never_merge_across_ranges(void **state)
{
	uint64_t base = new_arena(64 * KIB, 64 * KIB);

	(void)state;
	/* Two adjacent halves registered separately stay two order-3 blocks. */
	page_alloc_add_range(base, 32 * KIB);
	page_alloc_add_range(base + 32 * KIB, 32 * KIB);
	assert_int_equal(page_alloc_free_blocks(3), 2);
	assert_int_equal(page_alloc(4), 0);
	page_free(page_alloc(3), 3);
	assert_int_equal(page_alloc_free_blocks(3), 2);
	assert_int_equal(page_alloc_free_blocks(4), 0);
}

static void order_for_rounds_bytes_up_to_a_block(void **state)
{
	(void)state;
	assert_int_equal(page_order_for(0), 0);
	assert_int_equal(page_order_for(1), 0);
	assert_int_equal(page_order_for(PAGE_SIZE), 0);
	assert_int_equal(page_order_for(PAGE_SIZE + 1), 1);
	assert_int_equal(page_order_for(2 * PAGE_SIZE), 1);
	assert_int_equal(page_order_for(3 * PAGE_SIZE), 2);
	assert_int_equal(page_order_for(1ull << 30), PAGE_MAX_ORDER);
	assert_int_equal(page_order_for((1ull << 30) + 1), PAGE_MAX_ORDER + 1);
	assert_int_equal(page_order_for(UINT64_MAX), PAGE_MAX_ORDER + 1);
}

struct text {
	char data[2048];
	size_t len;
};

static void append(void *ctx, const char *s, size_t n)
{
	struct text *t = ctx;

	assert_true(t->len + n < sizeof(t->data));
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

static void dump_lists_free_blocks_per_order(void **state)
{
	uint64_t base = new_arena(64 * KIB, 64 * KIB);
	struct text out = {.len = 0};

	(void)state;
	page_alloc_add_range(base + PAGE_SIZE, 15 * PAGE_SIZE);
	assert_int_not_equal(page_alloc(0), 0);
	page_alloc_dump(append, &out);
	if (strstr(out.data, "14 of 15 pages free") == NULL ||
	    strstr(out.data, "order  1: 1 free\n") == NULL ||
	    strstr(out.data, "order  3: 1 free\n") == NULL ||
	    strstr(out.data, "order 18: 0 free\n") == NULL)
		fail_msg("unexpected dump:\n%s", out.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(aligned_range_becomes_one_block, setup, teardown),
	    cmocka_unit_test_setup_teardown(unaligned_range_is_trimmed_and_split_maximally, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(range_without_a_whole_page_adds_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(large_range_keeps_its_metadata_in_its_first_pages,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(small_range_keeps_its_metadata_in_its_descriptor, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(exhaust_and_refill_restores_original_blocks, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(every_block_is_naturally_aligned, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_range_freed_in_uneven_pieces_coalesces_back, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(alloc_fails_when_no_block_is_large_enough, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(zeroed_alloc_clears_the_whole_block, setup, teardown),
	    cmocka_unit_test_setup_teardown(random_storm_never_overlaps_and_coalesces_back, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		garbage_over_every_free_page_leaves_the_allocator_consistent, setup, teardown),
	    cmocka_unit_test_setup_teardown(redirected_words_in_free_pages_are_never_followed,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(double_free_is_fatal_and_changes_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(freeing_part_of_a_merged_free_block_is_fatal, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(freeing_a_block_that_contains_free_pages_is_fatal,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(freeing_outside_registered_ranges_is_fatal, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(misaligned_or_oversized_free_is_fatal, setup, teardown),
	    cmocka_unit_test_setup_teardown(forged_header_in_an_allocated_page_is_not_trusted,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(overlapping_or_excess_ranges_are_fatal, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(blocks_never_merge_across_ranges, setup, teardown),
	    cmocka_unit_test_setup_teardown(order_for_rounds_bytes_up_to_a_block, setup, teardown),
	    cmocka_unit_test_setup_teardown(dump_lists_free_blocks_per_order, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
