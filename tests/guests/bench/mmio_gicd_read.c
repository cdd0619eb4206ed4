// SPDX-License-Identifier: Apache-2.0
/*
 * One emulated MMIO read: a 32-bit load of the virtual distributor's GICD_TYPER (GIC
 * architecture specification, GICD_TYPER). The stage-2 abort, its decode, the lookup of the
 * domain's emulated region and the register's handler are what every emulated device's
 * access pays.
 */
#include "bench.h"

#define GICD_TYPER 0x0004

static void __attribute__((noipa)) op(void)
{
	(void)*(volatile uint32_t *)(rt_plat.gicd + GICD_TYPER);
}

void test_main(void)
{
	uint32_t typer = *(volatile uint32_t *)(rt_plat.gicd + GICD_TYPER);

	/* ITLinesNumber is not 0: the distributor has SPIs, so the read reached a distributor. */
	REQUIRE_EQ((typer & 0x1f) != 0, 1, "GICD_TYPER reads as a distributor with SPIs");
	bench_report("mmio_gicd_read", BENCH_OPS, bench_ticks(op, BENCH_OPS));
}
