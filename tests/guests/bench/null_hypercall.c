// SPDX-License-Identifier: Apache-2.0
/*
 * The cheapest hypercall there is: HVC to the hypervisor, dispatch, return a constant. Its
 * cost is the trap entry and exit path every other hypercall pays too.
 */
#include "bench.h"

static void __attribute__((noipa)) op(void)
{
	hyp_xen_version(XENVER_version, NULL);
}

void test_main(void)
{
	REQUIRE_EQ(hyp_xen_version(XENVER_version, NULL), 4 << 16 | 17, "xen_version is 4.17");
	bench_report("null_hypercall", BENCH_OPS, bench_ticks(op, BENCH_OPS));
}
