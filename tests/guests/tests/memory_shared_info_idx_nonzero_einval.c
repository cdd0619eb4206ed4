// SPDX-License-Identifier: Apache-2.0
/*
 * add_to_physmap(shared_info) with idx != 0 returns -EINVAL: there is one shared_info page.
 * The page named by gpfn stays the guest's RAM: a pattern written before the call reads back
 * whole afterwards (had shared_info been mapped there, its contents would show instead).
 */
#include "rt.h"

#define PATTERN 0xa5

static uint8_t page[PAGE_SIZE] PAGE_ALIGNED;

/* Volatile accesses and a compiler barrier: the compiler may neither drop nor move them. */
static void fill(volatile uint8_t *p, uint8_t v)
{
	for (size_t i = 0; i < PAGE_SIZE; i++)
		p[i] = v;
	__asm__ volatile("" ::: "memory");
}

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
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_shared_info,
				       .idx = 1,
				       .gpfn = (uint64_t)page >> 12};

	fill(page, PATTERN);
	CHECK_EQ(hyp_memory_op(XENMEM_add_to_physmap, &x), -XEN_EINVAL, "idx 1");
	CHECK_EQ(bytes_not(page, PATTERN), 0, "bytes of the page changed by the refused call");
	fill(page, (uint8_t)~PATTERN);
	CHECK_EQ(bytes_not(page, (uint8_t)~PATTERN), 0, "bytes of the page that do not read back");
}
