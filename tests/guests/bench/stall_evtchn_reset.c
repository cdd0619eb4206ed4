// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * EVTCHNOP_reset with many ports bound: the domain fills its port space with loopback
 * interdomain pairs (alloc_unbound to itself, bind_interdomain to that port) and resets its
 * own event channels, eight times. The reset also closes the static channels to the canary,
 * whose ends become unbound: they are bound again afterwards to say "done". The canary's
 * longest stall beside it (rt/bench.h).
 */
#include "bench.h"

#define ROUNDS	  8
#define MAX_PAIRS 2000

static unsigned fill_with_pairs(void)
{
	unsigned ports = 0;

	for (unsigned i = 0; i < MAX_PAIRS; i++) {
		uint32_t unbound, bound;
		if (rt_evtchn_loopback(&unbound, &bound))
			break;
		ports += 2;
	}
	return ports;
}

static const char *reset_storm(void)
{
	uint32_t peer_port[2];

	for (unsigned i = 0; i < 2; i++) {
		struct evtchn_status st;
		REQUIRE_EQ(rt_evtchn_status(rt_scn.port[i], &st), 0, "static channel status");
		REQUIRE_EQ(st.status, EVTCHNSTAT_interdomain, "static channel bound");
		peer_port[i] = st.u.interdomain.port;
	}
	for (unsigned r = 0; r < ROUNDS; r++) {
		unsigned ports = fill_with_pairs();
		if (r == 0)
			rt_printf("%u ports bound before each reset\n", ports);
		struct evtchn_reset reset = {.dom = DOMID_SELF};
		REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_reset, &reset), 0, "EVTCHNOP_reset");
	}
	for (unsigned i = 0; i < 2; i++) {
		struct evtchn_bind_interdomain b = {.remote_dom = rt_scn.peer,
						    .remote_port = peer_port[i]};
		REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_bind_interdomain, &b), 0,
			   "bind the canary again");
		rt_scn.port[i] = b.local_port;
	}
	return NULL;
}

void test_main(void)
{
	bench_stall("stall_evtchn_reset", reset_storm);
}
