// SPDX-License-Identifier: Apache-2.0
/* Measurement loops and the BENCH report lines (see bench.h). */
#include "bench.h"

/* Out of line and opaque to the optimiser, so both loops pay the same call. */
static void __attribute__((noipa)) empty_op(void)
{
	__asm__ volatile("" ::: "memory");
}

static uint64_t __attribute__((noipa)) loop_ticks(void (*op)(void), unsigned n)
{
	uint64_t t0 = rt_cntvct();
	for (unsigned i = 0; i < n; i++)
		op();
	return rt_cntvct() - t0;
}

uint64_t bench_ticks(void (*op)(void), unsigned n)
{
	loop_ticks(op, BENCH_WARMUP_OPS);
	uint64_t with_op = loop_ticks(op, n);
	uint64_t empty = loop_ticks(empty_op, n);
	return with_op > empty ? with_op - empty : 0;
}

void bench_report(const char *name, unsigned ops, uint64_t ticks)
{
	rt_printf("BENCH %s ops=%u ticks=%lu hz=%lu\n", name, ops, ticks, rt_cntfrq());
}

void bench_not_available(const char *name, const char *why)
{
	rt_printf("BENCH %s n/a %s\n", name, why);
}

/* The canary: the longest gap between two reads of the counter until the hostile side is done. */
static uint64_t longest_gap(void)
{
	uint64_t last = rt_cntvct(), worst = 0;

	while (!rt_event_take(rt_scn.port[0])) {
		uint64_t now = rt_cntvct();
		if (now - last > worst)
			worst = now - last;
		last = now;
	}
	return worst;
}

/*
 * The hostile side says it is past the scenario's start-up with a value whose last bit is 0, so
 * its last event back from the canary comes on port0 and cannot merge with "ready" on port1.
 */
#define STALL_SYNCED 0x57a10u

void bench_stall(const char *name, const char *(*hostile)(void))
{
	rt_scenario_init();
	if (rt_scn.index % 2 == 0) {
		rt_peer_send(STALL_SYNCED);
		if (!rt_wait_until_event(rt_scn.port[1], RT_PEER_TIMEOUT_MS))
			rt_error("the canary did not say ready");
		const char *why = hostile();
		if (why)
			rt_printf("STALL %s n/a %s\n", name, why);
		REQUIRE_EQ(rt_evtchn_send(rt_scn.port[0]), 0, "done on a static channel");
		return;
	}
	REQUIRE_EQ(rt_peer_recv(), STALL_SYNCED, "the hostile domain is past start-up");
	REQUIRE_EQ(rt_evtchn_send(rt_scn.port[1]), 0, "ready on a static channel");
	uint64_t ticks = longest_gap();
	rt_printf("STALL %s ticks=%lu hz=%lu\n", name, ticks, rt_cntfrq());
}
