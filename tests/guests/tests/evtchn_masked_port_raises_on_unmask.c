// SPDX-License-Identifier: Apache-2.0
/*
 * With the mask bit set, send only sets the pending bit (no upcall); EVTCHNOP_unmask clears
 * the mask and, the port being pending, raises the upcall (Xen public/event_channel.h,
 * EVTCHNOP_unmask).
 */
#include "rt.h"

static uint32_t a, b;

static bool got_a(void)
{
	return rt_event_seen(a);
}

void test_main(void)
{
	rt_events_init();
	REQUIRE_EQ(rt_evtchn_loopback(&a, &b), 0, "loopback channel");
	rt_delay_ms(20);
	rt_port_set_mask(a, true);
	rt_events_reset();
	CHECK_EQ(rt_evtchn_send(b), 0, "send");
	rt_delay_ms(50);
	CHECK(rt_port_pending(a), "masked port pending");
	CHECK(!rt_event_seen(a), "no event dispatched while masked");
	struct evtchn_unmask op = {a};
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_unmask, &op), 0, "EVTCHNOP_unmask");
	CHECK(!rt_port_masked(a), "mask bit cleared by unmask");
	CHECK(rt_wait_until(got_a, 200), "upcall after unmask");
}
