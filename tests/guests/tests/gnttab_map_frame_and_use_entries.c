// SPDX-License-Identifier: Apache-2.0
/*
 * XENMEM_add_to_physmap(grant_table, idx 0, gpfn in the /hypervisor window) maps grant frame 0
 * there and returns 0; the guest can write v1 entries through it. An idx at or beyond
 * max_nr_frames is refused (-EINVAL).
 */
#include "rt.h"

void test_main(void)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_grant_table,
				       .idx = 0,
				       .gpfn = rt_plat.gnttab.base >> 12};

	REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_query_size, &q, 1), 0, "query_size");
	CHECK_EQ(hyp_memory_op(XENMEM_add_to_physmap, &x), 0, "map grant frame 0");
	volatile struct grant_entry_v1 *e = (volatile struct grant_entry_v1 *)rt_plat.gnttab.base;
	e[8].domid = 0;
	e[8].frame = 0x12345;
	e[8].flags = 1;
	CHECK_EQ(e[8].frame, 0x12345, "entry 8 frame reads back");
	e[8].flags = 0;
	x.idx = q.max_nr_frames;
	x.gpfn = (rt_plat.gnttab.base >> 12) + 1;
	CHECK_EQ(hyp_memory_op(XENMEM_add_to_physmap, &x), -XEN_EINVAL, "idx max_nr_frames");
}
