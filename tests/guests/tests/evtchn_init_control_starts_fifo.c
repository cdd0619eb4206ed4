// SPDX-License-Identifier: Apache-2.0
/*
 * EVTCHNOP_init_control with a page of the guest for vCPU 0's FIFO control block: Xen 4.17
 * implements the FIFO event-channel ABI, returns 0 and reports 17 link bits
 * (EVTCHN_FIFO_LINK_BITS). Punt offers only the 2-level ABI and answers -ENOSYS, which makes
 * Linux stay on 2-level: a known difference (docs/conformance.md).
 */
#include "rt.h"

#define FIFO_LINK_BITS 17

static uint8_t control[PAGE_SIZE] PAGE_ALIGNED;

void test_main(void)
{
	struct evtchn_init_control ic = {.control_gfn = (uint64_t)control >> 12};

	rt_shared_info();
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_init_control, &ic), 0, "init_control");
	CHECK_EQ(ic.link_bits, FIFO_LINK_BITS, "init_control link_bits");
}
