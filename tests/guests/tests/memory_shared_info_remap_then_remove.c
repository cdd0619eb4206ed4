// SPDX-License-Identifier: Apache-2.0
/*
 * Mapping shared_info a second time at another GFN without removing the first mapping: Xen
 * 4.17 on Arm refuses with -EBUSY and the second page stays RAM. XENMEM_remove_from_physmap of
 * the mapped GFN returns 0, after which shared_info can be mapped again elsewhere (returns 0)
 * and shows there.
 */
#include "rt.h"

#define PATTERN 0x3c

static uint8_t pages[2][PAGE_SIZE] PAGE_ALIGNED;

static long map_at(void *p)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_shared_info,
				       .idx = 0,
				       .gpfn = (uint64_t)p >> 12};
	return hyp_memory_op(XENMEM_add_to_physmap, &x);
}

static long unmap_at(void *p)
{
	struct xen_remove_from_physmap r = {.domid = DOMID_SELF, .gpfn = (uint64_t)p >> 12};
	return hyp_memory_op(XENMEM_remove_from_physmap, &r);
}

/* Volatile reads after a compiler barrier: what is mapped there now, not a remembered value. */
static size_t bytes_not(const volatile uint8_t *p, uint8_t v)
{
	size_t wrong = 0;

	__asm__ volatile("" ::: "memory");
	for (size_t i = 0; i < PAGE_SIZE; i++)
		wrong += p[i] != v;
	return wrong;
}

void test_main(void)
{
	volatile uint8_t *second = pages[1];

	for (size_t i = 0; i < PAGE_SIZE; i++)
		second[i] = PATTERN;
	CHECK_EQ(map_at(pages[0]), 0, "first mapping");
	CHECK_EQ(map_at(pages[1]), -XEN_EBUSY, "second mapping without removal");
	CHECK_EQ(bytes_not(second, PATTERN), 0, "bytes of the refused page that changed");
	CHECK_EQ(unmap_at(pages[0]), 0, "remove_from_physmap of the first GFN");
	CHECK_EQ(map_at(pages[1]), 0, "mapping again after removal");
	CHECK(bytes_not(second, PATTERN) > 0, "the page shows shared_info once mapped there");
}
