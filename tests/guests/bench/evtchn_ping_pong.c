// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * Event-channel round trip between two domains sharing one pCPU: domain A sends on the
 * static channel and waits in WFI (as Linux idles); B, woken by the upcall, replies on the
 * same channel and waits again. One round trip is two sends, two upcalls, two wake-ups from
 * WFI and two switches between the domains. A reports ticks per round trip.
 * Needs the pair's static event channel (xen,evtchn-v1): without it, n/a.
 */
#include "bench.h"

#define SETTLE_YIELDS 1000u

static uint32_t port;

/*
 * Wait for the peer's event the way an idle guest does: WFI until the upcall saw it. IRQs
 * stay masked between the check and the WFI (which still wakes on a pending interrupt), or
 * an upcall taken in between would leave us asleep with the peer waiting for us.
 */
static void wait_event(void)
{
	rt_irq_off();
	while (!rt_event_take(port)) {
		__asm__ volatile("wfi");
		rt_irq_on();
		rt_irq_off();
	}
	rt_irq_on();
}

static void __attribute__((noipa)) round_trip(void)
{
	rt_evtchn_send(port);
	wait_event();
}

static bool linked(void)
{
	struct evtchn_status st;

	return rt_evtchn_status(port, &st) == 0 && st.status == EVTCHNSTAT_interdomain &&
	       st.u.interdomain.dom == rt_scn.peer;
}

void test_main(void)
{
	rt_scenario_init();
	port = rt_scn.port[0];
	if (!linked()) {
		bench_not_available("evtchn_ping_pong", "(no static event channel to the peer)");
		return;
	}
	/*
	 * Meet first without a protocol of our own: B drains anything left from boot and waits
	 * in WFI; A yields the CPU long enough for B to get there, drains too, then starts.
	 */
	rt_event_take(port);
	if (rt_scn.index == 0) {
		for (unsigned i = 0; i < SETTLE_YIELDS; i++)
			hyp_sched_op(SCHEDOP_yield, NULL);
		rt_event_take(port);
		bench_report("evtchn_ping_pong", BENCH_OPS, bench_ticks(round_trip, BENCH_OPS));
		return;
	}
	for (unsigned i = 0; i < BENCH_WARMUP_OPS + BENCH_OPS; i++) {
		wait_event();
		REQUIRE_EQ(rt_evtchn_send(port), 0, "reply");
	}
}
