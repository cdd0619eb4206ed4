// SPDX-License-Identifier: Apache-2.0
/*
 * VCPUOP_register_runstate_memory_area(vcpu 0, {VA}) returns 0 and Xen writes the current
 * runstate at once: state 0 (running) for the calling vCPU.
 */
#include "rt.h"

struct runstate {
	int32_t state;
	uint32_t pad;
	uint64_t state_entry_time;
	uint64_t time[4];
};
static struct runstate rs __attribute__((aligned(64)));

void test_main(void)
{
	uint64_t va = (uint64_t)&rs;

	rs.state = 0x55;
	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &va), 0,
		 "register_runstate_memory_area");
	CHECK_EQ(rs.state, 0, "runstate.state (running)");
}
