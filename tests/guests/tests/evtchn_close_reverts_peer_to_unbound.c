// SPDX-License-Identifier: Apache-2.0
/*
 * Closing one end of an interdomain channel frees it (status closed) and reverts the peer
 * to unbound, its remote domain being the closer (here dom0 itself, domid 0).
 */
#include "rt.h"

void test_main(void)
{
	uint32_t a, b;
	struct evtchn_status st;

	rt_shared_info();
	REQUIRE_EQ(rt_evtchn_loopback(&a, &b), 0, "loopback channel");
	CHECK_EQ(rt_evtchn_close(b), 0, "close");
	CHECK_EQ(rt_evtchn_status(b, &st), 0, "status of the closed port");
	CHECK_EQ(st.status, EVTCHNSTAT_closed, "closed port status");
	CHECK_EQ(rt_evtchn_status(a, &st), 0, "status of the peer");
	CHECK_EQ(st.status, EVTCHNSTAT_unbound, "peer status");
	CHECK_EQ(st.u.unbound.dom, 0, "peer's remote domain");
	CHECK_EQ(rt_evtchn_send(a), 0, "send on the now-unbound peer is ignored");
	CHECK_EQ(rt_evtchn_close(a), 0, "close the peer");
}
