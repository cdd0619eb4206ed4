// SPDX-License-Identifier: Apache-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "punt/id_alloc.h"

/* VMIDs: 0 is reserved, so 8-bit VMIDs give 255 ids and 16-bit ones 65535. */
#define VMID8_LIMIT  (1u << 8)
#define VMID16_LIMIT (1u << 16)

static uint64_t bitmap[ID_ALLOC_WORDS(VMID16_LIMIT)];
static struct id_alloc pool;

static void pool_of(uint32_t first, uint32_t limit)
{
	memset(bitmap, 0xa5, sizeof(bitmap)); /* init must not rely on a clear bitmap */
	id_alloc_init(&pool, bitmap, first, limit);
}

static void every_id_is_handed_out_once_then_none(void **state)
{
	static bool seen[VMID8_LIMIT];

	(void)state;
	memset(seen, 0, sizeof(seen));
	pool_of(1, VMID8_LIMIT);
	for (uint32_t n = 1; n < VMID8_LIMIT; n++) {
		int64_t id = id_alloc_get(&pool);

		if (id < 1 || id >= VMID8_LIMIT || seen[id])
			fail_msg("get %u: expected a fresh id in [1, 255], got %lld", n,
				 (long long)id);
		seen[id] = true;
	}
	assert_int_equal(pool.in_use, 255);
	assert_int_equal(id_alloc_get(&pool), -1);
	assert_int_equal(pool.in_use, 255);
}

static void ids_below_first_are_never_handed_out(void **state)
{
	int64_t id;

	(void)state;
	pool_of(3, 70);
	while ((id = id_alloc_get(&pool)) >= 0)
		assert_true(id >= 3 && id < 70);
	assert_int_equal(pool.in_use, 67);
	assert_false(id_alloc_is_used(&pool, 70));
	assert_int_equal(id_alloc_put(&pool, 0), -1);
	assert_int_equal(id_alloc_put(&pool, 2), -1);
	assert_int_equal(pool.in_use, 67);
}

static void an_id_given_back_is_handed_out_again_when_it_is_the_last_free(void **state)
{
	(void)state;
	pool_of(1, VMID8_LIMIT);
	for (int i = 1; i < (int)VMID8_LIMIT; i++)
		assert_int_equal(id_alloc_get(&pool), i);
	assert_int_equal(id_alloc_put(&pool, 77), 0);
	assert_false(id_alloc_is_used(&pool, 77));
	assert_int_equal(pool.in_use, 254);
	assert_int_equal(id_alloc_get(&pool), 77);
	assert_int_equal(id_alloc_get(&pool), -1);
}

static void an_id_given_back_is_not_reused_while_others_are_free(void **state)
{
	int64_t a;

	(void)state;
	pool_of(1, VMID8_LIMIT);
	a = id_alloc_get(&pool);
	assert_int_equal(id_alloc_put(&pool, (uint32_t)a), 0);
	for (uint32_t n = 1; n < VMID8_LIMIT - 1; n++)
		assert_int_not_equal(id_alloc_get(&pool), a);
	assert_int_equal(id_alloc_get(&pool), a);
}

static void the_search_wraps_to_ids_below_the_last_handed_out(void **state)
{
	(void)state;
	pool_of(1, VMID8_LIMIT);
	for (uint32_t n = 1; n < VMID8_LIMIT; n++)
		assert_true(id_alloc_get(&pool) > 0);
	assert_int_equal(id_alloc_put(&pool, 200), 0);
	assert_int_equal(id_alloc_get(&pool), 200);
	/* Every id above 200 is taken: the only free one lies below where the search starts. */
	assert_int_equal(id_alloc_put(&pool, 100), 0);
	assert_int_equal(id_alloc_get(&pool), 100);
	assert_int_equal(id_alloc_get(&pool), -1);
}

static void a_free_id_early_in_the_next_word_is_found(void **state)
{
	(void)state;
	pool_of(1, VMID8_LIMIT);
	for (uint32_t n = 1; n < VMID8_LIMIT; n++)
		assert_true(id_alloc_get(&pool) > 0);
	assert_int_equal(id_alloc_put(&pool, 59), 0);
	assert_int_equal(id_alloc_get(&pool), 59); /* the next search starts at 60, mid-word */
	assert_int_equal(id_alloc_put(&pool, 65), 0);
	assert_int_equal(id_alloc_get(&pool), 65);
}

static void giving_back_a_free_or_foreign_id_is_refused(void **state)
{
	(void)state;
	pool_of(1, VMID8_LIMIT);
	assert_int_equal(id_alloc_get(&pool), 1);
	assert_int_equal(id_alloc_put(&pool, 2), -1);	/* never handed out */
	assert_int_equal(id_alloc_put(&pool, 0), -1);	/* reserved */
	assert_int_equal(id_alloc_put(&pool, 256), -1); /* past the pool */
	assert_int_equal(id_alloc_put(&pool, UINT32_MAX), -1);
	assert_int_equal(pool.in_use, 1);
	assert_int_equal(id_alloc_put(&pool, 1), 0);
	assert_int_equal(id_alloc_put(&pool, 1), -1); /* twice */
	assert_int_equal(pool.in_use, 0);
}

static void sixteen_bit_pool_hands_out_65535_distinct_ids(void **state)
{
	static bool seen[VMID16_LIMIT];

	(void)state;
	memset(seen, 0, sizeof(seen));
	pool_of(1, VMID16_LIMIT);
	for (uint32_t n = 1; n < VMID16_LIMIT; n++) {
		int64_t id = id_alloc_get(&pool);

		if (id < 1 || id >= VMID16_LIMIT || seen[id])
			fail_msg("get %u: got %lld", n, (long long)id);
		seen[id] = true;
	}
	assert_int_equal(id_alloc_get(&pool), -1);
}

/*
 * A VMID scheme under test: get returns the VMID the hardware will use (what a TLB entry is
 * tagged with), put gives it back when the domain is destroyed.
 */
struct vmid_scheme {
	int64_t (*get)(void);
	void (*put)(uint32_t vmid);
};

/* The scheme Punt had: a 16-bit counter, never reused, while VTCR_EL2.VS=0 uses 8 bits. */
static uint16_t counter_next;

static int64_t counter_get(void)
{
	return counter_next++ & 0xff;
}

static void counter_put(uint32_t vmid)
{
	(void)vmid;
}

static int64_t pool_get(void)
{
	return id_alloc_get(&pool);
}

static void pool_put(uint32_t vmid)
{
	assert_int_equal(id_alloc_put(&pool, vmid), 0);
}

/*
 * dom0 and a canary stay alive while a guest reboots itself `cycles` times (destroyed, then
 * created again). Returns the first cycle whose new VMID equals a live domain's, or -1.
 */
static int first_collision(const struct vmid_scheme *s, int cycles)
{
	int64_t dom0 = s->get();
	int64_t canary = s->get();
	int64_t guest = s->get();

	for (int cycle = 0; cycle < cycles; cycle++) {
		s->put((uint32_t)guest);
		guest = s->get();
		if (guest < 0)
			fail_msg("cycle %d: no VMID for the rebooted guest", cycle);
		if (guest == dom0 || guest == canary)
			return cycle;
	}
	return -1;
}

static void rebooting_guest_never_gets_a_live_domains_vmid(void **state)
{
	const struct vmid_scheme old = {counter_get, counter_put};
	const struct vmid_scheme ids = {pool_get, pool_put};
	int cycle;

	(void)state;
	/*
	 * The scenario does catch the collision: with the old counter (dom0 1, canary 2, guest 3)
	 * the guest's 254th reboot counts to 257, whose low 8 bits are dom0's VMID.
	 */
	counter_next = 1;
	cycle = first_collision(&old, 300);
	if (cycle != 253)
		fail_msg("the old counter scheme: expected a collision at cycle 253, got %d",
			 cycle);
	pool_of(1, VMID8_LIMIT);
	cycle = first_collision(&ids, 300);
	if (cycle >= 0)
		fail_msg("cycle %d: the rebooted guest got a live domain's VMID", cycle);
	assert_int_equal(pool.in_use, 3);
}

static void full_pool_refuses_until_a_domain_is_destroyed(void **state)
{
	(void)state;
	pool_of(1, VMID8_LIMIT);
	for (uint32_t n = 1; n < VMID8_LIMIT; n++)
		assert_true(id_alloc_get(&pool) > 0);
	for (int tries = 0; tries < 3; tries++)
		assert_int_equal(id_alloc_get(&pool), -1);
	assert_int_equal(id_alloc_put(&pool, 200), 0);
	assert_int_equal(id_alloc_get(&pool), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_id_is_handed_out_once_then_none),
	    cmocka_unit_test(ids_below_first_are_never_handed_out),
	    cmocka_unit_test(an_id_given_back_is_handed_out_again_when_it_is_the_last_free),
	    cmocka_unit_test(an_id_given_back_is_not_reused_while_others_are_free),
	    cmocka_unit_test(the_search_wraps_to_ids_below_the_last_handed_out),
	    cmocka_unit_test(a_free_id_early_in_the_next_word_is_found),
	    cmocka_unit_test(giving_back_a_free_or_foreign_id_is_refused),
	    cmocka_unit_test(sixteen_bit_pool_hands_out_65535_distinct_ids),
	    cmocka_unit_test(rebooting_guest_never_gets_a_live_domains_vmid),
	    cmocka_unit_test(full_pool_refuses_until_a_domain_is_destroyed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
