// SPDX-License-Identifier: Apache-2.0
/*
 * xen_version(XENVER_version, NULL) returns (major << 16) | minor of the hypervisor; Xen 4.17
 * returns 0x00040011, and the number matches the "xen,xen-4.17" compatible of /hypervisor.
 */
#include "rt.h"

void test_main(void)
{
	CHECK_EQ(hyp_xen_version(XENVER_version, NULL), 0x00040011, "XENVER_version");
	CHECK(!rt_strncmp(rt_plat.hypervisor_compat, "xen,xen-4.17", 13),
	      "/hypervisor compatible starts with xen,xen-4.17");
}
