// SPDX-License-Identifier: Apache-2.0
/* XENVER_platform_parameters writes one xen_ulong_t (virt_start) and returns 0. */
#include "rt.h"

void test_main(void)
{
	struct xen_platform_parameters pp[2];

	memset(pp, 0x55, sizeof(pp));
	CHECK_EQ(hyp_xen_version(XENVER_platform_parameters, pp), 0, "XENVER_platform_parameters");
	CHECK_EQ(pp[1].virt_start, 0x5555555555555555ull, "nothing written past the 8 bytes");
	rt_printf("virt_start %#lx\n", (unsigned long)pp[0].virt_start);
}
