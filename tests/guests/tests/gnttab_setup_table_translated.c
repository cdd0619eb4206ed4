// SPDX-License-Identifier: Apache-2.0
/*
 * GNTTABOP_setup_table(DOMID_SELF, nr_frames 1) for an auto-translated guest returns 0 with
 * status okay and writes one frame number: the GFN where frame 0 is mapped, which is still
 * none (INVALID_GFN, all ones) since the guest has not mapped it; a nr_frames above the
 * maximum gives status GNTST_general_error.
 */
#include "rt.h"

void test_main(void)
{
	uint64_t frames[2] = {0x5555, 0x5555};
	struct gnttab_setup_table st = {
	    .dom = DOMID_SELF, .nr_frames = 1, .frame_list_gva = (uint64_t)frames};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table(1)");
	CHECK_EQ(st.status, GNTST_okay, "status");
	CHECK_EQ(frames[0], ~0ull, "frame 0, not mapped yet: INVALID_GFN");
	CHECK_EQ(frames[1], 0x5555, "only nr_frames entries written");
	st.nr_frames = 100000;
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table(100000)");
	CHECK_EQ(st.status, GNTST_general_error, "too many frames");
}
