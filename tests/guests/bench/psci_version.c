// SPDX-License-Identifier: Apache-2.0
/*
 * The cheapest SMCCC call: PSCI_VERSION through HVC #0 (the conduit the device tree's psci
 * node names on Punt and on Xen), answered from a constant. It pays the same trap entry and
 * exit as the null hypercall, then the SMCCC dispatch instead of the hypercall table.
 * Measured with the guest's distributor off, then on (GICD_CTLR, as Linux enables it).
 */
#include "bench.h"

static void __attribute__((noipa)) op(void)
{
	rt_smccc(PSCI_VERSION, 0, 0, 0);
}

void test_main(void)
{
	uint64_t version = rt_smccc(PSCI_VERSION, 0, 0, 0);

	REQUIRE_EQ(version >= 0x10000 && version < 0x20000, 1, "PSCI 1.x");
	bench_report("psci_version", BENCH_OPS, bench_ticks(op, BENCH_OPS));
	rt_gic_init();
	bench_report("psci_version_gicd_on", BENCH_OPS, bench_ticks(op, BENCH_OPS));
}
