// SPDX-License-Identifier: Apache-2.0
/*
 * The cheapest hypercall there is: HVC to the hypervisor, dispatch, return a constant. Its
 * cost is the trap entry and exit path every other hypercall pays too. Measured three times:
 * as the guest boots (its distributor off), once it has enabled its distributor as Linux does
 * at boot (GICD_CTLR), and once it has also configured and enabled every SPI, as Linux does
 * for its devices: nothing is pending in either, so neither should cost more.
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
	rt_gic_init();
	bench_report("null_hypercall_gicd_on", BENCH_OPS, bench_ticks(op, BENCH_OPS));
	REQUIRE_EQ(bench_configure_all_spis() >= 32, 1, "the distributor has SPIs");
	bench_report("null_hypercall_spis_on", BENCH_OPS, bench_ticks(op, BENCH_OPS));
}
