// SPDX-License-Identifier: Apache-2.0
/*
 * EVTCHNOP_status on a port number below the 2-level limit (4096) that was never allocated:
 * Xen 4.17 checks the port against the ports it has allocated so far and returns -EINVAL.
 */
#include "rt.h"

void test_main(void)
{
	struct evtchn_status st;

	rt_shared_info();
	CHECK_EQ(rt_evtchn_status(4000, &st), -XEN_EINVAL, "status(4000)");
}
