// SPDX-License-Identifier: Apache-2.0
/*
 * multicall's nr_calls is 32 bits (Xen 4.17 do_multicall(call_list, uint32_t nr_calls)): with
 * 2^32 + 2 in the register, two entries run and the third is left as it was.
 */
#include "rt.h"

void test_main(void)
{
	struct multicall_entry mc[3];

	for (unsigned i = 0; i < 3; i++)
		mc[i] = (struct multicall_entry){
		    .op = HYPERVISOR_xen_version, .result = 0x5555, .args = {XENVER_pagesize}};
	CHECK_EQ(rt_hypercall(HYPERVISOR_multicall, (uint64_t)mc, (1ul << 32) | 2, 0, 0, 0), 0,
		 "multicall with nr 2^32 + 2");
	CHECK_EQ(mc[0].result, 4096, "entry 0 ran");
	CHECK_EQ(mc[1].result, 4096, "entry 1 ran");
	CHECK_EQ(mc[2].result, 0x5555, "entry 2 untouched");
}
