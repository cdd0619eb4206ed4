// SPDX-License-Identifier: Apache-2.0
/*
 * GNTTABOP_query_size(DOMID_SELF) returns 0 with status GNTST_okay, 1 <= nr_frames <=
 * max_nr_frames, and the /hypervisor grant window holds max_nr_frames pages (Linux maps
 * exactly that many, reference §1.1).
 */
#include "rt.h"

void test_main(void)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF, .status = 0x55};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_query_size, &q, 1), 0, "query_size");
	CHECK_EQ(q.status, GNTST_okay, "status");
	rt_printf("nr_frames %u max_nr_frames %u window %#lx bytes\n", q.nr_frames, q.max_nr_frames,
		  (unsigned long)rt_plat.gnttab.size);
	CHECK(q.nr_frames >= 1 && q.nr_frames <= q.max_nr_frames, "1 <= nr_frames <= max");
	CHECK(q.max_nr_frames * PAGE_SIZE <= rt_plat.gnttab.size, "window holds max_nr_frames");
}
