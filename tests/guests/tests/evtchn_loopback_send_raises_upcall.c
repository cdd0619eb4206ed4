// SPDX-License-Identifier: Apache-2.0
/*
 * A loopback channel (alloc_unbound(self, self) + bind_interdomain(self, port)): send on one
 * end sets the other end's pending bit and, with the port unmasked, raises the upcall PPI;
 * the 2-level upcall loop then finds exactly that port (Xen public/event_channel.h, EVTCHNOP_send).
 * Xen hands out the lowest free ports: 1 and 2 in a domain that has none yet.
 */
#include "rt.h"

static uint32_t a, b;

static bool got_a(void)
{
	return rt_event_seen(a);
}

static bool got_b(void)
{
	return rt_event_seen(b);
}

void test_main(void)
{
	rt_events_init();
	REQUIRE_EQ(rt_evtchn_loopback(&a, &b), 0, "loopback channel");
	CHECK_EQ(a, 1, "the unbound end's port");
	CHECK_EQ(b, 2, "the bound end's port");
	CHECK(rt_wait_until(got_b, 200), "upcall for the bound end after bind (marked pending)");
	rt_events_reset();
	CHECK_EQ(rt_evtchn_send(b), 0, "send on the bound end");
	CHECK(rt_wait_until(got_a, 200), "upcall for the unbound end after send");
	CHECK(!rt_event_seen(b), "sender's own port not raised");
	CHECK(rt_upcalls >= 1, "at least one upcall");
	rt_events_reset();
	CHECK_EQ(rt_evtchn_send(a), 0, "send on the other end");
	CHECK(rt_wait_until(got_b, 200), "upcall for the bound end");
}
