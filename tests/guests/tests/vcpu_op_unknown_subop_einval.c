// SPDX-License-Identifier: Apache-2.0
/*
 * On Arm only register_vcpu_info and register_runstate_memory_area exist; any other vcpu_op
 * (VCPUOP_initialise 0, up 1, is_up 3, 99) returns -EINVAL.
 */
#include "rt.h"

void test_main(void)
{
	CHECK_EQ(hyp_vcpu_op(0, 0, NULL), -XEN_EINVAL, "VCPUOP_initialise");
	CHECK_EQ(hyp_vcpu_op(1, 0, NULL), -XEN_EINVAL, "VCPUOP_up");
	CHECK_EQ(hyp_vcpu_op(3, 0, NULL), -XEN_EINVAL, "VCPUOP_is_up");
	CHECK_EQ(hyp_vcpu_op(99, 0, NULL), -XEN_EINVAL, "vcpu_op 99");
}
