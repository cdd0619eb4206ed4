// SPDX-License-Identifier: Apache-2.0
#include <asm/gic.h>
#include <asm/sysreg.h>
#include <asm/timer.h>
#include <punt/bootinfo.h>
#include <punt/console.h>
#include <punt/arch/irq.h>
#include <punt/sched.h>

static uint64_t freq;
static uint32_t hyp_intid, vtimer_intid;

uint64_t timer_freq(void)
{
	return freq;
}

uint32_t timer_vtimer_intid(void)
{
	return vtimer_intid;
}

uint64_t arch_timer_count(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_count_to_ns(uint64_t count)
{
	/* Split so no 128-bit division is needed: freq < 2^32. */
	return count / freq * 1000000000u + count % freq * 1000000000u / freq;
}

uint64_t arch_ns_to_count(uint64_t ns)
{
	return ns / 1000000000u * freq + ns % 1000000000u * freq / 1000000000u;
}

uint64_t arch_now_ns(void)
{
	return arch_count_to_ns(arch_timer_count());
}

void arch_timer_set_deadline(uint64_t count)
{
	if (!count) {
		write_sysreg(cnthp_ctl_el2, 0);
		return;
	}
	write_sysreg(cnthp_cval_el2, count);
	write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
	isb();
}

static void hyp_timer_fired(uint32_t intid)
{
	(void)intid;
	write_sysreg(cnthp_ctl_el2, 0);
	sched_tick();
}

void timer_init(const struct boot_info *bi)
{
	freq = read_sysreg(cntfrq_el0);
	if (!freq && bi->timer.freq_hz)
		freq = bi->timer.freq_hz;
	hyp_intid = bi->timer.hyp_intid ? bi->timer.hyp_intid : 26;
	vtimer_intid = bi->timer.virt_intid ? bi->timer.virt_intid : 27;
	irq_register(hyp_intid, hyp_timer_fired);
	printk("Timer: %lu Hz, EL2 timer IRQ %u, virtual timer IRQ %u\n", freq, hyp_intid,
	       vtimer_intid);
}

void timer_init_cpu(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	write_sysreg(cntvoff_el2, 0);
	gic_set_edge(hyp_intid, false);
	gic_enable(hyp_intid);
	gic_enable(vtimer_intid);
}
