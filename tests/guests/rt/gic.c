// SPDX-License-Identifier: Apache-2.0
/* GICv3 as a guest sees it: system-register CPU interface plus the DT's GICD/GICR frames. */
#include "rt.h"

#define GICD_CTLR	     0x0000
#define GICD_CTLR_G1A	     (1u << 1)
#define GICD_CTLR_ARE_NS     (1u << 4)
#define GICR_TYPER	     0x0008
#define GICR_WAKER	     0x0014
#define GICR_STRIDE	     0x20000
#define GICR_SGI	     0x10000
#define GICR_IGROUPR0	     (GICR_SGI + 0x0080)
#define GICR_ISENABLER0	     (GICR_SGI + 0x0100)
#define GICR_IPRIORITYR	     (GICR_SGI + 0x0400)
#define TYPER_LAST	     (1ul << 4)
#define WAKER_SLEEP	     (1u << 1)
#define WAKER_CHILDREN_SLEEP (1u << 2)
#define SPURIOUS	     1020

volatile unsigned rt_irq_count[32];
void (*volatile rt_spi_handler)(unsigned intid);
void rt_irq(void);
void rt_evtchn_upcall(void);

static uint64_t my_gicr[RT_MAX_CPUS];

static uint32_t rd32(uint64_t a)
{
	return *(volatile uint32_t *)a;
}
static uint64_t rd64(uint64_t a)
{
	return *(volatile uint64_t *)a;
}
static void wr32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}
static void wr8(uint64_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

unsigned rt_cpu_index(void)
{
	uint64_t m = rt_mpidr() & 0xff00ffffffull;
	for (unsigned i = 0; i < rt_plat.nr_cpus; i++)
		if ((rt_plat.cpu_mpidr[i] & 0xff00ffffffull) == m)
			return i;
	return 0;
}

/* GICR_TYPER[63:32] holds Aff3.Aff2.Aff1.Aff0 of the frame's CPU. */
static uint64_t find_redistributor(void)
{
	uint64_t m = rt_mpidr();
	uint32_t aff = (uint32_t)((m & 0xffffff) | (m >> 32 & 0xff) << 24);

	for (uint64_t f = rt_plat.gicr; f < rt_plat.gicr + rt_plat.gicr_size; f += GICR_STRIDE) {
		uint64_t typer = rd64(f + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == aff)
			return f;
		if (typer & TYPER_LAST)
			break;
	}
	return 0;
}

void rt_gic_init(void)
{
	uint64_t sre;

	if (!rt_plat.gicd || !rt_plat.gicr)
		rt_error("no GICv3 node in the device tree");
	__asm__ volatile("mrs %0, icc_sre_el1" : "=r"(sre));
	__asm__ volatile("msr icc_sre_el1, %0; isb" ::"r"(sre | 1));
	__asm__ volatile("mrs %0, icc_sre_el1" : "=r"(sre));
	if (!(sre & 1))
		rt_error("ICC_SRE_EL1.SRE reads 0: no system-register GIC interface");
	wr32(rt_plat.gicd + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_G1A);
	uint64_t r = find_redistributor();
	if (!r)
		rt_error("no redistributor matches this vCPU's MPIDR");
	my_gicr[rt_cpu_index()] = r;
	wr32(r + GICR_WAKER, rd32(r + GICR_WAKER) & ~WAKER_SLEEP);
	for (unsigned i = 0; i < 1000000 && (rd32(r + GICR_WAKER) & WAKER_CHILDREN_SLEEP); i++)
		;
	__asm__ volatile("msr icc_pmr_el1, %0\n"
			 "msr icc_bpr1_el1, xzr\n"
			 "msr icc_igrpen1_el1, %1\n"
			 "isb" ::"r"(0xf0ul),
			 "r"(1ul));
}

void rt_irq_enable_ppi(unsigned intid)
{
	uint64_t r = my_gicr[rt_cpu_index()];

	if (!r || intid >= 32)
		rt_error("rt_irq_enable_ppi before rt_gic_init or not a PPI");
	wr32(r + GICR_IGROUPR0, rd32(r + GICR_IGROUPR0) | 1u << intid);
	wr8(r + GICR_IPRIORITYR + intid, 0xa0);
	wr32(r + GICR_ISENABLER0, 1u << intid);
	__asm__ volatile("dsb sy; isb");
}

void rt_irq_on(void)
{
	__asm__ volatile("msr daifclr, #2; isb" ::: "memory");
}

void rt_irq_off(void)
{
	__asm__ volatile("msr daifset, #2; isb" ::: "memory");
}

/* Called from the IRQ vector with interrupts masked. */
void rt_irq(void)
{
	uint64_t intid;

	__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(intid));
	if (intid >= SPURIOUS)
		return;
	if (intid < 32)
		rt_irq_count[intid]++;
	if (intid == 27) /* virtual timer: silence it, the test looks at the count */
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(2ul));
	if (rt_plat.evtchn_intid && intid == rt_plat.evtchn_intid)
		rt_evtchn_upcall();
	if (intid >= 32 && rt_spi_handler)
		rt_spi_handler((unsigned)intid);
	__asm__ volatile("msr icc_eoir1_el1, %0; isb" ::"r"(intid));
}

bool rt_wait_until(bool (*cond)(void), unsigned ms)
{
	uint64_t end = rt_cntvct() + rt_cntfrq() / 1000 * ms;

	while (!cond()) {
		if (rt_cntvct() >= end)
			return false;
		/* Poll: a WFI could sleep past the deadline if nothing is set to wake us. */
		__asm__ volatile("yield");
	}
	return true;
}

void rt_delay_ms(unsigned ms)
{
	uint64_t end = rt_cntvct() + rt_cntfrq() / 1000 * ms;
	while (rt_cntvct() < end)
		__asm__ volatile("yield");
}
