// SPDX-License-Identifier: Apache-2.0
/*
 * XENMEM_add_to_physmap(space shared_info, idx 0) maps the domain's shared_info page at the
 * given GFN and returns 0 (Xen public/memory.h, XENMAPSPACE_shared_info). The page then reads as a
 * fresh shared_info: the wallclock is 0.0 (no RTC on Arm, nobody set it yet) at version 2 (written
 * once), and no event channel port is pending or masked.
 */
#include "rt.h"

void test_main(void)
{
	struct shared_info *s = rt_shared_info();

	CHECK_EQ(s->wc_version & 1, 0, "wc_version is even");
	CHECK_EQ(s->vcpu_info[0].time.version & 1, 0, "vcpu_info[0].time.version is even");
	CHECK_EQ(s->wc_version, 2, "wc_version");
	CHECK_EQ(s->wc_sec, 0, "wc_sec");
	CHECK_EQ(s->wc_nsec, 0, "wc_nsec");
	unsigned pending = 0, masked = 0;
	for (unsigned i = 0; i < 64; i++) {
		pending += s->evtchn_pending[i] != 0;
		masked += s->evtchn_mask[i] != 0;
	}
	CHECK_EQ(pending, 0, "evtchn_pending words with a bit set");
	CHECK_EQ(masked, 0, "evtchn_mask words with a bit set");
}
