// SPDX-License-Identifier: Apache-2.0
/*
 * The FIFO ABI is not needed: Xen 4.17 offers it, Punt answers -ENOSYS so Linux uses the
 * 2-level ABI. This test records what each does with EVTCHNOP_init_control; expected -ENOSYS.
 */
#include "rt.h"

static uint8_t control[PAGE_SIZE] PAGE_ALIGNED;

void test_main(void)
{
	struct evtchn_init_control ic = {.control_gfn = (uint64_t)control >> 12};

	rt_shared_info();
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_init_control, &ic), -XEN_ENOSYS, "init_control");
}
