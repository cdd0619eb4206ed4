// SPDX-License-Identifier: Apache-2.0
/*
 * sched_op with an unknown command returns -ENOSYS. (7 is SCHEDOP_pin_override, which Xen
 * 4.17 accepts from the hardware domain even on Arm, so the first free number is 8.)
 */
#include "rt.h"

void test_main(void)
{
	uint64_t buf[4] = {0};

	CHECK_EQ(hyp_sched_op(99, buf), -XEN_ENOSYS, "sched_op(99)");
	CHECK_EQ(hyp_sched_op(8, buf), -XEN_ENOSYS, "sched_op(8)");
}
