// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * vCPU switch between two domains on one pCPU: both loop on SCHEDOP_yield, so every yield
 * hands the CPU to the other domain. One iteration of a loop is two switches and the other
 * domain's yield; the figure is ticks per switch (half an iteration, the yield included).
 * No channel is needed: each domain first yields long enough for the other to finish booting,
 * measures, then keeps yielding while the other measures. If yield did not switch, an
 * iteration would cost no more than one hypercall; that is checked against this domain's
 * own null-hypercall cost, measured first.
 */
#include "bench.h"

#define SETTLE_YIELDS 20000u

static void __attribute__((noipa)) yield(void)
{
	hyp_sched_op(SCHEDOP_yield, NULL);
}

static void __attribute__((noipa)) null_hypercall(void)
{
	hyp_xen_version(XENVER_version, NULL);
}

/* The cheapest of a few short loops: a loop the other domain preempted is not the cost. */
static uint64_t null_ticks_per_100(void)
{
	uint64_t best = UINT64_MAX;

	for (unsigned i = 0; i < 5; i++) {
		uint64_t t = bench_ticks(null_hypercall, 100);
		best = t < best ? t : best;
	}
	return best;
}

void test_main(void)
{
	rt_scenario_init();
	uint64_t null100 = null_ticks_per_100();
	for (unsigned i = 0; i < SETTLE_YIELDS; i++)
		yield();
	uint64_t ticks = bench_ticks(yield, BENCH_OPS);
	for (unsigned i = 0; i < SETTLE_YIELDS; i++)
		yield();
	rt_printf("null hypercall %lu ticks per 100, yield loop %lu ticks per %u\n", null100, ticks,
		  BENCH_OPS);
	/* A switching iteration holds two hypercalls at least; compare per 100 iterations. */
	REQUIRE_EQ(ticks / (BENCH_OPS / 100) > 2 * null100, 1,
		   "yield switches to the other domain");
	if (rt_scn.index == 0)
		bench_report("sched_yield_switch", 2 * BENCH_OPS, ticks);
}
