// SPDX-License-Identifier: Apache-2.0
/*
 * The continuation encoding of memory_op's reservation operations (Xen 4.17 common/memory.c,
 * public/memory.h MEMOP_EXTENT_SHIFT = 6): the bits of cmd above the low 6 name the extent to
 * start from, and the result counts the extents done including those before it. A
 * decrease_reservation of 8 extents whose first 3 are holes stops at extent 0 when started
 * from 0 (result 0), and removes extents 3..7 when started from 3 (result 8). A start at or
 * past nr_extents does nothing and returns the start. remove_from_physmap with a start is
 * -EINVAL. The pages given back are never touched again.
 */
#include "rt.h"

#define EXTENTS 8
#define HOLES	3

static uint8_t pages[EXTENTS - HOLES][PAGE_SIZE] PAGE_ALIGNED;
static xen_pfn_t gfns[EXTENTS];

static long decrease(uint64_t start, uint64_t nr)
{
	struct xen_memory_reservation r = {
	    .extent_start_gva = (uint64_t)gfns, .nr_extents = nr, .domid = DOMID_SELF};

	return rt_hypercall(HYPERVISOR_memory_op, XENMEM_decrease_reservation | (start << 6),
			    (uint64_t)&r, 0, 0, 0);
}

void test_main(void)
{
	uint64_t hole = rt_foreign_area() >> 12;

	for (unsigned i = 0; i < EXTENTS; i++)
		gfns[i] = i < HOLES ? hole + i : ((uint64_t)pages[i - HOLES] >> 12);
	CHECK_EQ(decrease(0, EXTENTS), 0, "from extent 0: stops at the first hole");
	CHECK_EQ(decrease(EXTENTS, EXTENTS), EXTENTS, "start == nr_extents");
	CHECK_EQ(decrease(20, EXTENTS), 20, "start past nr_extents");
	CHECK_EQ(decrease(HOLES, EXTENTS), EXTENTS, "from extent 3: extents 3..7 given back");
	struct xen_remove_from_physmap x = {.domid = DOMID_SELF, .gpfn = hole};
	CHECK_EQ(rt_hypercall(HYPERVISOR_memory_op, XENMEM_remove_from_physmap | (1ul << 6),
			      (uint64_t)&x, 0, 0, 0),
		 -XEN_EINVAL, "remove_from_physmap with a start extent");
}
