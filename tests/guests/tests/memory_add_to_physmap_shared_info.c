// SPDX-License-Identifier: Apache-2.0
/*
 * XENMEM_add_to_physmap(space shared_info, idx 0) maps the domain's shared_info page at the
 * given GFN and returns 0 (reference §3.2). The page then reads as a shared_info: wallclock
 * version even, and nothing pending for an idle dom0 except what the hypervisor raised.
 */
#include "rt.h"

void test_main(void)
{
	struct shared_info *s = rt_shared_info();

	CHECK_EQ(s->wc_version & 1, 0, "wc_version is even");
	CHECK_EQ(s->vcpu_info[0].time.version & 1, 0, "vcpu_info[0].time.version is even");
	rt_printf("wc %u.%09u version %u, pending[0] %#lx mask[0] %#lx\n", s->wc_sec, s->wc_nsec,
		  s->wc_version, (unsigned long)s->evtchn_pending[0],
		  (unsigned long)s->evtchn_mask[0]);
}
