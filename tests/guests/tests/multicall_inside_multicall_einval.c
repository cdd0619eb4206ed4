// SPDX-License-Identifier: Apache-2.0
/*
 * A multicall entry that is itself a multicall gets -EINVAL (Xen 4.17 common/multicall.c:
 * "Multicall reentry is disallowed") without running the inner list; the entries after it
 * still run and the outer call returns 0.
 */
#include "rt.h"

void test_main(void)
{
	struct multicall_entry inner = {
	    .op = HYPERVISOR_xen_version, .result = 0x5555, .args = {XENVER_pagesize}};
	struct multicall_entry outer[2] = {
	    {.op = HYPERVISOR_multicall, .result = 0x5555, .args = {(uint64_t)&inner, 1}},
	    {.op = HYPERVISOR_xen_version, .result = 0x5555, .args = {XENVER_pagesize}},
	};

	CHECK_EQ(rt_hypercall(HYPERVISOR_multicall, (uint64_t)outer, 2, 0, 0, 0), 0, "multicall");
	CHECK_EQ((long)outer[0].result, -XEN_EINVAL, "nested multicall entry");
	CHECK_EQ(inner.result, 0x5555, "the inner list did not run");
	CHECK_EQ(outer[1].result, 4096, "the entry after it ran");
}
