// SPDX-License-Identifier: Apache-2.0
/*
 * How late a timer interrupt reaches a guest that waits for it: program CNTV_CVAL a little
 * ahead, WFI (which the hypervisor traps, blocks the vCPU and arms its own timer), and stamp
 * CNTVCT in the first instructions of the IRQ vector (rt_irq_entry_ticks). The figure is
 * the stamp minus the deadline, averaged: the hypervisor's timer interrupt, injection and
 * return to the guest. Under icount with sleep=off the idle wait itself costs nothing.
 * Two distances: 1 ms ahead (the interrupt path alone) and 20 us ahead, shorter than the
 * timer coalescing ("slop", 50 us by default) Xen applies to its own timers.
 */
#include "bench.h"

#define SAMPLES	   1000u
#define PPI_VTIMER 27u

static bool fired(unsigned before)
{
	return __atomic_load_n(&rt_irq_count[PPI_VTIMER], __ATOMIC_SEQ_CST) != before;
}

/* One sample: ticks from the deadline to the IRQ vector. */
static uint64_t sample(uint64_t deadline_ticks)
{
	unsigned before = rt_irq_count[PPI_VTIMER];
	uint64_t cval = rt_cntvct() + deadline_ticks;

	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(cval), "r"(1ul));
	while (!fired(before))
		__asm__ volatile("wfi");
	return rt_irq_entry_ticks - cval;
}

static void measure(const char *name, uint64_t deadline_ticks)
{
	uint64_t total = 0, worst = 0;

	for (unsigned i = 0; i < 10; i++) /* warm-up */
		sample(deadline_ticks);
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t = sample(deadline_ticks);
		REQUIRE_EQ(t < rt_cntfrq(), 1, "interrupt within a second of its deadline");
		total += t;
		worst = t > worst ? t : worst;
	}
	rt_printf("%s: worst sample %lu ticks\n", name, worst);
	bench_report(name, SAMPLES, total);
}

void test_main(void)
{
	rt_gic_init();
	rt_irq_enable_ppi(PPI_VTIMER);
	rt_irq_on();
	measure("vtimer_irq_latency", rt_cntfrq() / 1000);
	measure("vtimer_irq_latency_20us", rt_cntfrq() / 50000);
}
