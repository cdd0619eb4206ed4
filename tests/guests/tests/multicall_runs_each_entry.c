// SPDX-License-Identifier: Apache-2.0
/*
 * multicall(list, 2) runs each entry {op, result, args[6]} (64 bytes) and stores its return
 * in `result`; the call itself returns 0: here xen_version(version) and xen_version(pagesize).
 */
#include "rt.h"

void test_main(void)
{
	struct multicall_entry mc[2] = {
	    {.op = HYPERVISOR_xen_version, .result = 0x5555, .args = {XENVER_version}},
	    {.op = HYPERVISOR_xen_version, .result = 0x5555, .args = {XENVER_pagesize}},
	};

	CHECK_EQ(rt_hypercall(HYPERVISOR_multicall, (uint64_t)mc, 2, 0, 0, 0), 0, "multicall");
	CHECK_EQ(mc[0].result, hyp_xen_version(XENVER_version, NULL), "entry 0 result");
	CHECK_EQ(mc[1].result, 4096, "entry 1 result");
}
