// SPDX-License-Identifier: Apache-2.0
/*
 * Mapping shared_info a second time at another GFN without removing the first mapping:
 * Xen on Arm returns -EBUSY... or moves it. XENMEM_remove_from_physmap of the mapped GFN
 * returns 0, after which shared_info can be mapped again elsewhere (returns 0).
 */
#include "rt.h"

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

void test_main(void)
{
	CHECK_EQ(map_at(pages[0]), 0, "first mapping");
	rt_printf("second mapping without removal: %ld\n", map_at(pages[1]));
	CHECK_EQ(unmap_at(pages[0]), 0, "remove_from_physmap of the first GFN");
	long rc = map_at(pages[1]);
	CHECK(rc == 0 || rc == -XEN_EBUSY, "mapping again after removal");
	rt_printf("mapping again: %ld\n", rc);
}
