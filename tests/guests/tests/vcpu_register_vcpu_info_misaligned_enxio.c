// SPDX-License-Identifier: Apache-2.0
/* register_vcpu_info with an offset that is not 8-byte aligned is refused (-ENXIO on Xen). */
#include "rt.h"

static uint8_t page[PAGE_SIZE] PAGE_ALIGNED;

void test_main(void)
{
	struct vcpu_register_vcpu_info r = {.mfn = (uint64_t)page >> 12, .offset = 4};

	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_ENXIO, "offset 4");
	r.offset = 64; /* the failure left the vCPU unregistered */
	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), 0, "offset 64 afterwards");
}
