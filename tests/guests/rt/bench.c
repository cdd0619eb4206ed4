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

/* Distributor registers (Arm GIC architecture specification, 12.9). */
#define GICD_TYPER	0x0004
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER	0x6000

/*
 * Plain register stores, as Linux's writel_relaxed(): an access with writeback gives the
 * hypervisor no syndrome to emulate it from (ESR_EL2.ISV is 0).
 */
static void mmio_w8(uint64_t a, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" ::"r"(v), "r"(a) : "memory");
}

static void mmio_w32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(a) : "memory");
}

static void mmio_w64(uint64_t a, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" ::"r"(v), "r"(a) : "memory");
}

unsigned bench_configure_all_spis(void)
{
	uint64_t gicd = rt_plat.gicd;
	unsigned lines = ((*(volatile uint32_t *)(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	uint64_t mpidr = rt_mpidr();
	uint64_t route = (mpidr & 0xffffff) | (mpidr >> 32 & 0xff) << 32;

	if (lines > 1020)
		lines = 1020;
	for (unsigned n = 32; n < lines; n++) {
		mmio_w8(gicd + GICD_IPRIORITYR + n, 0xa0);
		mmio_w64(gicd + GICD_IROUTER + 8 * n, route);
	}
	for (unsigned w = 1; w < lines / 32; w++) {
		mmio_w32(gicd + GICD_IGROUPR + 4 * w, ~0u);
		mmio_w32(gicd + GICD_ISENABLER + 4 * w, ~0u);
	}
	__asm__ volatile("dsb sy; isb" ::: "memory");
	return lines - 32;
}

void bench_configure_spi(unsigned intid)
{
	uint64_t gicd = rt_plat.gicd;
	uint64_t mpidr = rt_mpidr();
	uint64_t route = (mpidr & 0xffffff) | (mpidr >> 32 & 0xff) << 32;
	uint32_t bit = 1u << (intid % 32);
	uint64_t word = 4 * (intid / 32);

	mmio_w8(gicd + GICD_IPRIORITYR + intid, 0xa0);
	mmio_w64(gicd + GICD_IROUTER + 8 * intid, route);
	mmio_w32(gicd + GICD_IGROUPR + word,
		 *(volatile uint32_t *)(gicd + GICD_IGROUPR + word) | bit);
	mmio_w32(gicd + GICD_ISENABLER + word, bit);
	__asm__ volatile("dsb sy; isb" ::: "memory");
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
