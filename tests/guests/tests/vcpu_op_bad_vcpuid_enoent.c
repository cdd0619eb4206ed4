// SPDX-License-Identifier: Apache-2.0
/* vcpu_op on a vCPU id the domain does not have returns -ENOENT, whatever the sub-op. */
#include "rt.h"

static uint8_t page[PAGE_SIZE] PAGE_ALIGNED;

void test_main(void)
{
	struct vcpu_register_vcpu_info r = {.mfn = (uint64_t)page >> 12, .offset = 0};

	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, rt_plat.nr_cpus, &r), -XEN_ENOENT,
		 "vcpu nr_cpus");
	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, 4096, &r), -XEN_ENOENT, "vcpu 4096");
	CHECK_EQ(hyp_vcpu_op(99, 4096, &r), -XEN_ENOENT, "unknown sub-op on vcpu 4096");
}
