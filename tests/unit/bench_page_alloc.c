// SPDX-License-Identifier: Apache-2.0
/*
 * Micro-benchmark of the page allocator on the host: nanoseconds per page_alloc + page_free
 * pair for three patterns. Built without sanitizers (`make -C tests/unit bench`); run it under
 * `valgrind --tool=callgrind` for instruction counts, which do not depend on machine load.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "punt/page_alloc.h"

#define ARENA_BYTES (64ull << 20)
#define ARENA_PAGES (ARENA_BYTES / PAGE_SIZE)

void page_alloc_fatal(const char *why)
{
	fprintf(stderr, "page_alloc_fatal: %s\n", why);
	exit(1);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void *arena;
static unsigned long nr_frees; /* page_free calls in the current run, for per-pair figures */

static void release(uint64_t pa, unsigned order)
{
	page_free(pa, order);
	nr_frees++;
}

static void fresh_allocator(void)
{
	page_alloc_init();
	page_alloc_add_range((uint64_t)(uintptr_t)arena, ARENA_BYTES);
}

/*
 * One page taken and given back, once every block below order 12 is taken: each round splits a
 * block of order 12 or more down to one page and merges it all the way back.
 */
static void split_and_merge(unsigned long rounds)
{
	for (unsigned o = 0; o < 12; o++)
		while (page_alloc_free_blocks(o) > 0)
			page_alloc(o);
	for (unsigned long i = 0; i < rounds; i++)
		release(page_alloc(0), 0);
}

/* Half the pages live as single pages, freed in random order: long lists, short merges. */
static void fragmented_pages(unsigned long rounds)
{
	static uint64_t live[ARENA_PAGES / 2];

	for (unsigned long i = 0; i < ARENA_PAGES / 2; i++)
		live[i] = page_alloc(0);
	for (unsigned long i = 0; i < rounds; i++) {
		unsigned long k = (unsigned long)(rng_next() % (ARENA_PAGES / 2));

		release(live[k], 0);
		live[k] = page_alloc(0);
	}
	for (unsigned long i = 0; i < ARENA_PAGES / 2; i++)
		release(live[i], 0);
}

/* Blocks of order 0 to 6, about half the arena live: the mix a running system sees. */
static void mixed_orders(unsigned long rounds)
{
	enum { MAX_LIVE = 2048 };
	static uint64_t pa[MAX_LIVE];
	static unsigned order[MAX_LIVE];
	unsigned nr = 0;

	for (unsigned long i = 0; i < rounds; i++) {
		if (nr == 0 || (nr < MAX_LIVE && rng_next() % 2 == 0)) {
			unsigned o = (unsigned)(rng_next() % 7);
			uint64_t p = page_alloc(o);

			if (p != 0) {
				pa[nr] = p;
				order[nr++] = o;
			}
		} else {
			unsigned k = (unsigned)(rng_next() % nr);

			release(pa[k], order[k]);
			pa[k] = pa[--nr];
			order[k] = order[nr];
		}
	}
	while (nr > 0) {
		nr--;
		release(pa[nr], order[nr]);
	}
}

/*
 * Runs one pattern `reps` times and prints the best time per pair and the number of pairs of
 * one run (divide callgrind's instruction count for page_alloc and page_free by reps x pairs).
 */
static void run(const char *name, void (*fn)(unsigned long), unsigned long rounds, int reps)
{
	double best = 0;

	for (int rep = 0; rep < reps; rep++) {
		double t0;
		double per_pair;

		fresh_allocator();
		nr_frees = 0;
		t0 = now_ns();
		fn(rounds);
		per_pair = (now_ns() - t0) / (double)nr_frees;
		if (rep == 0 || per_pair < best)
			best = per_pair;
	}
	printf("%-18s %8.1f ns per alloc+free (best of %d), %lu pairs per run\n", name, best, reps,
	       nr_frees);
}

static const struct {
	const char *name;
	void (*fn)(unsigned long);
} patterns[] = {
    {"split_and_merge", split_and_merge},
    {"fragmented_pages", fragmented_pages},
    {"mixed_orders", mixed_orders},
};

/* Usage: bench_page_alloc [rounds [reps [pattern]]] */
int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	const char *only = argc > 3 ? argv[3] : NULL;

	arena = aligned_alloc(ARENA_BYTES, ARENA_BYTES);
	if (arena == NULL)
		return 1;
	memset(arena, 0, ARENA_BYTES);
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		if (only == NULL || strcmp(only, patterns[i].name) == 0)
			run(patterns[i].name, patterns[i].fn, rounds, reps);
	free(arena);
	return 0;
}
