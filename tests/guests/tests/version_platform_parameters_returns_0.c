// SPDX-License-Identifier: Apache-2.0
/*
 * XENVER_platform_parameters writes one xen_ulong_t (virt_start) and returns 0. Xen 4.17 on
 * arm64 reports its own HYPERVISOR_VIRT_START, 0x200000 (meaningless to a translated guest,
 * but toolstacks print it); Punt reports the same.
 */
#include "rt.h"

void test_main(void)
{
	struct xen_platform_parameters pp[2];

	memset(pp, 0x55, sizeof(pp));
	CHECK_EQ(hyp_xen_version(XENVER_platform_parameters, pp), 0, "XENVER_platform_parameters");
	CHECK_EQ(pp[0].virt_start, 0x200000, "virt_start");
	CHECK_EQ(pp[1].virt_start, 0x5555555555555555ull, "nothing written past the 8 bytes");
}
