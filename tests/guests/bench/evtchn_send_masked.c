// SPDX-License-Identifier: Apache-2.0
/*
 * The send path alone: on a loopback channel whose receiving port is masked, send sets the
 * pending bit and stops there (no upcall). The guest clears the bit before each send so the
 * hypervisor never takes its "already pending" shortcut; the empty loop clears it too.
 * Measured with the guest's distributor off, then on (GICD_CTLR, as Linux enables it).
 */
#include "bench.h"

static uint32_t rx, tx;

static void __attribute__((noipa)) clear(void)
{
	rt_port_clear_pending(rx);
}

static void __attribute__((noipa)) op(void)
{
	rt_port_clear_pending(rx);
	rt_evtchn_send(tx);
}

static void measure(const char *name)
{
	uint64_t with_clear = bench_ticks(op, BENCH_OPS);
	uint64_t clear_only = bench_ticks(clear, BENCH_OPS);

	REQUIRE_EQ(rt_upcalls, 0, "no upcall while masked");
	bench_report(name, BENCH_OPS, with_clear > clear_only ? with_clear - clear_only : 0);
}

void test_main(void)
{
	rt_shared_info();
	REQUIRE_EQ(rt_evtchn_loopback(&rx, &tx), 0, "loopback channel");
	rt_port_set_mask(rx, true);
	rt_port_clear_pending(rx);
	REQUIRE_EQ(rt_evtchn_send(tx), 0, "send");
	REQUIRE_EQ(rt_port_pending(rx), 1, "send marks the masked port pending");
	measure("evtchn_send_masked");
	rt_gic_init();
	measure("evtchn_send_masked_gicd_on");
}
