// SPDX-License-Identifier: Apache-2.0
/*
 * A multicall has no entry limit of its own (Xen 4.17 common/multicall.c: nr_calls is a
 * uint32_t; a long list is preempted and continued, never refused): 1000 entries of
 * xen_version(XENVER_version) all run, each result is the version, the call returns 0.
 */
#include "rt.h"

#define ENTRIES 1000

static struct multicall_entry mc[ENTRIES];

void test_main(void)
{
	long version = hyp_xen_version(XENVER_version, NULL);

	for (unsigned i = 0; i < ENTRIES; i++)
		mc[i] = (struct multicall_entry){
		    .op = HYPERVISOR_xen_version, .result = 0x5555, .args = {XENVER_version}};
	CHECK_EQ(rt_hypercall(HYPERVISOR_multicall, (uint64_t)mc, ENTRIES, 0, 0, 0), 0,
		 "multicall of 1000 entries");
	unsigned wrong = 0;
	for (unsigned i = 0; i < ENTRIES; i++) {
		if (mc[i].result != (uint64_t)version && wrong++ < 4)
			CHECK_EQ(mc[i].result, version, "an entry's result");
	}
	CHECK_EQ(wrong, 0, "entries with a wrong result");
}
