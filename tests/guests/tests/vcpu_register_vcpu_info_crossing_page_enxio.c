// SPDX-License-Identifier: Apache-2.0
/* register_vcpu_info where the 48-byte vcpu_info would cross the page end: -ENXIO. */
#include "rt.h"

static uint8_t page[PAGE_SIZE] PAGE_ALIGNED;

void test_main(void)
{
	struct vcpu_register_vcpu_info r = {.mfn = (uint64_t)page >> 12, .offset = 4096 - 40};

	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_ENXIO, "offset 4056");
	r.offset = 4096 - 48; /* exactly fits */
	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), 0, "offset 4048");
}
