// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * An interdomain event sent to a domain that does not take upcalls yet stays pending in its
 * shared_info and reaches it once it enables the event interrupt; the scenario runtime's
 * handshake (rt/scenario.c, sync_with_peer) must then answer it. Here the odd domain waits,
 * before rt_scenario_init(), until the even domain's first hello on port1 is pending; the
 * even domain then checks that this one hello was enough. Dropping it costs the even side
 * a 500 ms wait (HELLO_RESEND_MS) and a second hello (Xen public/event_channel.h, EVTCHNOP_send;
 * 2-level ABI).
 */
#include "rt.h"

/* Longer than any start-up of the peer, far shorter than the run's time limit. */
#define HELLO_WAIT_MS 5000

static bool hello_pending_before_init;

static void wait_for_first_hello(void)
{
	uint64_t index, port1;

	if (!rt_arg_u64("rt.index", &index) || !rt_arg_u64("rt.port1", &port1) || index % 2 == 0)
		return; /* rt_scenario_init() reports missing arguments */
	uint64_t end = rt_cntvct() + rt_cntfrq() / 1000 * HELLO_WAIT_MS;
	while (!rt_port_pending((uint32_t)port1) && rt_cntvct() < end)
		hyp_sched_op(SCHEDOP_yield, NULL);
	hello_pending_before_init = rt_port_pending((uint32_t)port1);
}

static void even(void)
{
	CHECK_EQ(rt_scn.hellos, 1u, "the peer answered the hello sent before it took upcalls");
	rt_peer_finish();
}

static void odd(void)
{
	CHECK(hello_pending_before_init, "the peer's hello pending before we took upcalls");
	rt_peer_finish();
}

void test_main(void)
{
	wait_for_first_hello();
	rt_scenario_run(even, odd);
}
