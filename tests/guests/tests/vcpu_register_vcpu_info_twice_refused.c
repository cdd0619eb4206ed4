// SPDX-License-Identifier: Apache-2.0
/*
 * A second register_vcpu_info for the same vCPU is refused: Xen 4.17's map_vcpu_info()
 * returns -EINVAL when a vcpu_info is already mapped (the reference's -EBUSY is later Xen's).
 */
#include "rt.h"

static uint8_t page[PAGE_SIZE] PAGE_ALIGNED;

void test_main(void)
{
	struct vcpu_register_vcpu_info r = {.mfn = (uint64_t)page >> 12, .offset = 0};

	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), 0, "first registration");
	r.offset = 128;
	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_EINVAL, "second registration");
}
