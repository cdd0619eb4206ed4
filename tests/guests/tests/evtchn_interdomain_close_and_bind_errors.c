// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * Binding to another domain's port: EVTCHNOP_bind_interdomain is -EINVAL for a port that
 * domain allocated for someone else, for a port that is closed or beyond its table and for
 * one already bound (its static channel), and -ESRCH for a domain that does not exist.
 * Closing one end of a run-time channel reverts the other end to unbound, waiting for the
 * closer again (status names the closer), and the closer can bind to it once more.
 */
#include "rt.h"

#define NO_SUCH_DOMAIN 77
#define CLOSED_PORT    40
#define BEYOND_TABLE   1000

static long bind(domid_t dom, uint32_t port, uint32_t *local)
{
	struct evtchn_bind_interdomain bi = {.remote_dom = dom, .remote_port = port};
	long rc = hyp_evtchn_op(EVTCHNOP_bind_interdomain, &bi);

	if (local)
		*local = bi.local_port;
	return rc;
}

static uint32_t alloc_for(domid_t dom)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = dom};

	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_alloc_unbound, &au), 0, "alloc_unbound");
	return au.port;
}

/* Even domain: offers two ports, one of them for itself, and watches its end of the channel. */
static void offerer(void)
{
	uint32_t for_peer = alloc_for(rt_scn.peer), for_self = alloc_for(rt_scn.self);
	struct evtchn_status st;

	rt_peer_send(for_peer);
	rt_peer_send(for_self);
	uint32_t peer_port = rt_peer_recv();
	CHECK_EQ(rt_evtchn_status(for_peer, &st), 0, "status once the peer bound");
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain, "bound by the peer");
	CHECK_EQ(st.u.interdomain.dom, rt_scn.peer, "bound to the peer");
	CHECK_EQ(st.u.interdomain.port, peer_port, "bound to the peer's port");
	rt_peer_send(1); /* now close your end */
	CHECK_EQ(rt_peer_recv(), 1, "the peer closed its end");
	CHECK_EQ(rt_evtchn_status(for_peer, &st), 0, "status after the peer closed");
	CHECK_EQ(st.status, EVTCHNSTAT_unbound, "reverted to unbound");
	CHECK_EQ(st.u.unbound.dom, rt_scn.peer, "waiting for the closer");
	rt_peer_send(2); /* bind again */
	CHECK_EQ(rt_peer_recv(), 2, "the peer bound again");
	CHECK_EQ(rt_evtchn_status(for_peer, &st), 0, "status after binding again");
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain, "bound again");
	CHECK_EQ(rt_evtchn_close(for_peer), 0, "close");
	CHECK_EQ(rt_evtchn_close(for_self), 0, "close");
}

static void binder(void)
{
	uint32_t for_me = rt_peer_recv(), for_other = rt_peer_recv(), local;
	struct evtchn_status st;

	CHECK_EQ(bind(rt_scn.peer, for_other, NULL), -XEN_EINVAL,
		 "bind to a port allocated for another domain");
	CHECK_EQ(bind(rt_scn.peer, CLOSED_PORT, NULL), -XEN_EINVAL, "bind to a closed port");
	CHECK_EQ(bind(rt_scn.peer, BEYOND_TABLE, NULL), -XEN_EINVAL,
		 "bind to a port beyond the peer's table");
	CHECK_EQ(bind(NO_SUCH_DOMAIN, for_me, NULL), -XEN_ESRCH,
		 "bind to a domain that does not exist");
	REQUIRE_EQ(bind(rt_scn.peer, for_me, &local), 0, "bind to the port offered to us");
	CHECK_EQ(bind(rt_scn.peer, for_me, NULL), -XEN_EINVAL, "bind to it a second time");
	rt_peer_send(local);
	CHECK_EQ(rt_peer_recv(), 1, "told to close");
	CHECK_EQ(rt_evtchn_close(local), 0, "close our end");
	CHECK_EQ(rt_evtchn_status(local, &st), 0, "status of our closed end");
	CHECK_EQ(st.status, EVTCHNSTAT_closed, "our end is closed");
	rt_peer_send(1);
	CHECK_EQ(rt_peer_recv(), 2, "told to bind again");
	CHECK_EQ(bind(rt_scn.peer, for_me, &local), 0, "bind again to the reverted port");
	rt_peer_send(2);
}

void test_main(void)
{
	rt_scenario_run(offerer, binder);
	rt_peer_finish(); /* the binder powering off would close the channel being checked */
}
