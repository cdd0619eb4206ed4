// SPDX-License-Identifier: Apache-2.0
/*
 * Arm64's share of the boot (arch_init(), punt/arch/cpu.h): the GICv3, PSCI,
 * the generic timer and the virtual GIC and timer, then the boot CPU's part
 * of each. Secondary CPUs do their part in smp.c.
 */
#include <asm/gic.h>
#include <asm/psci.h>
#include <asm/timer.h>
#include <asm/vgic.h>
#include <asm/vtimer.h>
#include <punt/arch/cpu.h>
#include <punt/bootinfo.h>
#include <punt/format.h>

int arch_init(const struct boot_info *bi, char *err, size_t errlen)
{
	if (gic_init(bi, err, (unsigned)errlen))
		return -1;
	if (gic_init_cpu()) {
		fmt_snprintf(err, errlen, "GICv3: no redistributor for the boot CPU");
		return -1;
	}
	psci_init(bi);
	timer_init(bi);
	timer_init_cpu();
	vtimer_init();
	vgic_init(bi->gic.maint_intid);
	vgic_init_cpu();
	return 0;
}
