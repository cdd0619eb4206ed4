// SPDX-License-Identifier: Apache-2.0
/*
 * Interrupt injection latency: a device interrupt routed to dom0, from the device raising it
 * to the first instruction of the guest's IRQ vector. The device is QEMU virt's PL031
 * real-time clock (0x9010000, SPI 2 = INTID 34), which Punt and Xen both hand to dom0 as they
 * do every device they do not use themselves: its registers mapped 1:1 in dom0's stage-2, its
 * interrupt routed to dom0. The PL031 raises its alarm the moment its match register is
 * written with the current count (QEMU's hw/rtc/pl031.c, pl031_set_alarm()), so one sample is:
 * read the count, stamp CNTVCT, write the match register; the physical interrupt traps to the
 * hypervisor, which injects it as a virtual SPI; the IRQ vector stamps CNTVCT first thing
 * (rt_irq_entry_ticks). The handler clears the alarm before its EOI (the line is level). A
 * sample whose count moved on between the read and the write sets an alarm 2^32 seconds away
 * instead; it shows as no interrupt and is taken again.
 */
#include "bench.h"

#define SAMPLES	     1000u
#define WARMUP	     10u
#define PL031	     0x9010000ul
#define PL031_INTID  34u
#define RTCDR	     0x000
#define RTCMR	     0x004
#define RTCIMSC	     0x010
#define RTCICR	     0x01c
#define RTCPERIPHID0 0xfe0
#define RTCPERIPHID1 0xfe4
/* Polls of the taken count after the write: the interrupt comes within a few instructions. */
#define WAIT_POLLS 100000u

static volatile unsigned taken;

static uint32_t rtc_read(unsigned reg)
{
	return *(volatile uint32_t *)(PL031 + reg);
}

static void rtc_write(unsigned reg, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(PL031 + reg) : "memory");
}

static void rtc_interrupt(unsigned intid)
{
	if (intid != PL031_INTID)
		return;
	rtc_write(RTCICR, 1);
	__asm__ volatile("dsb sy" ::: "memory");
	taken++;
}

/* One sample: ticks from just before the match register write to the IRQ vector, or 0. */
static uint64_t sample(void)
{
	unsigned before = taken;
	uint32_t count = rtc_read(RTCDR);
	uint64_t t0 = rt_cntvct();

	rtc_write(RTCMR, count);
	for (unsigned i = 0; i < WAIT_POLLS && taken == before; i++)
		__asm__ volatile("" ::: "memory");
	if (taken == before)
		return 0;
	return rt_irq_entry_ticks - t0;
}

void test_main(void)
{
	uint64_t total = 0, worst = 0;
	unsigned got = 0, missed = 0;

	if ((rtc_read(RTCPERIPHID0) & 0xff) != 0x31 || (rtc_read(RTCPERIPHID1) & 0xff) != 0x10) {
		bench_not_available("irq_inject_latency", "(no PL031 at 0x9010000)");
		return;
	}
	rt_gic_init();
	bench_configure_spi(PL031_INTID);
	rt_spi_handler = rtc_interrupt;
	rtc_write(RTCICR, 1);
	rtc_write(RTCIMSC, 1);
	rt_irq_on();
	for (unsigned i = 0; i < WARMUP; i++)
		sample();
	while (got < SAMPLES) {
		uint64_t t = sample();
		if (!t) {
			REQUIRE_EQ(++missed < 10, 1, "the PL031 alarm interrupt arrives");
			continue;
		}
		REQUIRE_EQ(t < rt_cntfrq() / 1000, 1,
			   "interrupt within a millisecond of the write");
		total += t;
		worst = t > worst ? t : worst;
		got++;
	}
	rtc_write(RTCIMSC, 0);
	rt_printf("irq_inject_latency: worst sample %lu ticks, %u samples retaken\n", worst,
		  missed);
	bench_report("irq_inject_latency", SAMPLES, total);
}
