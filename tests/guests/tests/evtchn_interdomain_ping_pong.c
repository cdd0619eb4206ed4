// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * Two domains linked from boot by a static event channel (xen,evtchn-v1) see it as an
 * interdomain channel to each other and can ping-pong over it; a channel made at run time
 * (EVTCHNOP_alloc_unbound naming the peer, then the peer's EVTCHNOP_bind_interdomain) works
 * the same way, and EVTCHNOP_status on both ends names the other end. (The static channel
 * carries the runtime's messages, so a lost or duplicated event there ends in ERROR.)
 */
#include "rt.h"

#define ROUND_TRIPS 100

static bool ping(uint32_t port, unsigned rounds)
{
	for (unsigned i = 0; i < rounds; i++) {
		if (rt_evtchn_send(port))
			return false;
		if (!rt_wait_until_event(port, RT_PEER_TIMEOUT_MS))
			return false;
	}
	return true;
}

static bool pong(uint32_t port, unsigned rounds)
{
	for (unsigned i = 0; i < rounds; i++) {
		if (!rt_wait_until_event(port, RT_PEER_TIMEOUT_MS))
			return false;
		if (rt_evtchn_send(port))
			return false;
	}
	return true;
}

static void check_interdomain(uint32_t port, domid_t dom, uint32_t remote_port, const char *what)
{
	struct evtchn_status st;

	CHECK_EQ(rt_evtchn_status(port, &st), 0, what);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain, what);
	CHECK_EQ(st.u.interdomain.dom, dom, what);
	CHECK_EQ(st.u.interdomain.port, remote_port, what);
}

/* Domain 0 of the pair: allocates the run-time channel and starts each ping-pong. */
static void first(void)
{
	uint32_t peer_static = rt_peer_recv();
	check_interdomain(rt_scn.port[0], rt_scn.peer, peer_static, "status of the static channel");
	rt_peer_ping_pong(ROUND_TRIPS);

	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = rt_scn.peer};
	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_alloc_unbound, &au), 0, "alloc_unbound for the peer");
	struct evtchn_status st;
	CHECK_EQ(rt_evtchn_status(au.port, &st), 0, "status of the unbound port");
	CHECK_EQ(st.status, EVTCHNSTAT_unbound, "an allocated port waits for the peer");
	CHECK_EQ(st.u.unbound.dom, rt_scn.peer, "the unbound port names the peer");
	rt_peer_send(au.port);
	uint32_t peer_port = rt_peer_recv();
	check_interdomain(au.port, rt_scn.peer, peer_port, "status once the peer bound");
	CHECK(pong(au.port, ROUND_TRIPS), "round trips over the run-time channel");
	rt_peer_send(0);
}

static void second(void)
{
	rt_peer_send(rt_scn.port[0]);
	rt_peer_ping_pong(ROUND_TRIPS);

	uint32_t remote = rt_peer_recv();
	struct evtchn_bind_interdomain bi = {.remote_dom = rt_scn.peer, .remote_port = remote};
	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_bind_interdomain, &bi), 0, "bind to the peer's port");
	check_interdomain(bi.local_port, rt_scn.peer, remote, "status of the bound port");
	rt_event_take(bi.local_port); /* binding marks the local end pending: not a pong */
	rt_peer_send(bi.local_port);
	CHECK(ping(bi.local_port, ROUND_TRIPS), "round trips over the run-time channel");
	rt_peer_recv();
}

void test_main(void)
{
	rt_scenario_run(first, second);
}
