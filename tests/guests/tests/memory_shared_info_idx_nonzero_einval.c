// SPDX-License-Identifier: Apache-2.0
/* add_to_physmap(shared_info) with idx != 0 returns -EINVAL: there is one shared_info page. */
#include "rt.h"

static uint8_t page[PAGE_SIZE] PAGE_ALIGNED;

void test_main(void)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_shared_info,
				       .idx = 1,
				       .gpfn = (uint64_t)page >> 12};

	CHECK_EQ(hyp_memory_op(XENMEM_add_to_physmap, &x), -XEN_EINVAL, "idx 1");
	page[0] = 1; /* the RAM page must still be ours */
	CHECK_EQ(page[0], 1, "page still RAM");
}
