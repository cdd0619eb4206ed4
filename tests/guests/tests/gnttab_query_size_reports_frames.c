// SPDX-License-Identifier: Apache-2.0
/*
 * GNTTABOP_query_size(DOMID_SELF) returns 0 with status GNTST_okay; dom0's table has 1 frame
 * of at most 64 (Xen 4.17's default gnttab_max_frames), and the /hypervisor grant window
 * holds exactly max_nr_frames pages (Linux maps that many, its /hypervisor node's first reg).
 */
#include "rt.h"

void test_main(void)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF, .status = 0x55};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_query_size, &q, 1), 0, "query_size");
	CHECK_EQ(q.status, GNTST_okay, "status");
	CHECK_EQ(q.nr_frames, 1, "nr_frames");
	CHECK_EQ(q.max_nr_frames, 64, "max_nr_frames");
	CHECK_EQ(rt_plat.gnttab.size, q.max_nr_frames * PAGE_SIZE, "grant window size");
}
