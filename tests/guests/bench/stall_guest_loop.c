// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * The reference for the stall benchmarks (rt/bench.h, bench_stall): the hostile domain only
 * spins in its own code for 100 ms of counter time, making no hypercall, so the canary's longest
 * gap is what the scheduler's ordinary turns cost it.
 */
#include "bench.h"

static const char *spin(void)
{
	uint64_t end = rt_cntvct() + rt_cntfrq() / 10;

	while (rt_cntvct() < end)
		;
	return NULL;
}

void test_main(void)
{
	bench_stall("stall_guest_loop", spin);
}
