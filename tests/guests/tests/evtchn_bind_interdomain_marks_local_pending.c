// SPDX-License-Identifier: Apache-2.0
/* bind_interdomain marks the NEW LOCAL port pending once (Xen's evtchn_bind_interdomain). */
#include "rt.h"

void test_main(void)
{
	uint32_t a, b;

	rt_shared_info(); /* no upcalls: the pending bit stays for us to see */
	REQUIRE_EQ(rt_evtchn_loopback(&a, &b), 0, "loopback channel");
	CHECK(rt_port_pending(b), "bound (local) port pending after bind");
	CHECK(!rt_port_pending(a), "remote port not pending");
}
