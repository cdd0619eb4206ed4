// SPDX-License-Identifier: Apache-2.0
/*
 * Send on a loopback channel with the receiving port unmasked: the hypervisor sets the
 * pending bit, raises the upcall PPI, and the guest takes the interrupt as the hypercall
 * returns; its handler runs the 2-level upcall loop (clearing the bit) and EOIs. Every
 * send must have been dispatched once, or the figure would not be what it claims.
 */
#include "bench.h"

static uint32_t rx, tx;

static void __attribute__((noipa)) op(void)
{
	rt_evtchn_send(tx);
}

static bool got_rx(void)
{
	return rt_event_seen(rx);
}

void test_main(void)
{
	rt_events_init();
	REQUIRE_EQ(rt_evtchn_loopback(&rx, &tx), 0, "loopback channel");
	rt_port_set_mask(tx, true); /* bind raised tx once; keep it out of the way */
	rt_wait_until(got_rx, 10);
	rt_events_reset();
	REQUIRE_EQ(rt_evtchn_send(tx), 0, "send");
	REQUIRE_EQ(rt_wait_until(got_rx, 100), 1, "upcall for the receiving port");
	rt_events_reset();
	uint64_t ticks = bench_ticks(op, BENCH_OPS);
	REQUIRE_EQ(rt_events_seen, BENCH_WARMUP_OPS + BENCH_OPS, "every send dispatched");
	REQUIRE_EQ(rt_upcalls, rt_events_seen, "one upcall per send");
	bench_report("evtchn_send_upcall", BENCH_OPS, ticks);
}
