// SPDX-License-Identifier: Apache-2.0
#include <asm/psci.h>
#include <asm/sysreg.h>
#include <punt/bootinfo.h>
#include <punt/console.h>

static enum psci_conduit conduit;
static uint32_t cpu_on_fn;

static uint64_t firmware_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (conduit == PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

void psci_init(const struct boot_info *bi)
{
	conduit = bi->psci_conduit;
	cpu_on_fn = bi->psci_cpu_on ? bi->psci_cpu_on : PSCI_0_2_FN_CPU_ON;
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	if (conduit == PSCI_NONE)
		return PSCI_NOT_SUPPORTED;
	return (int64_t)firmware_call(cpu_on_fn, mpidr, entry, context);
}

_Noreturn void arch_system_off(void)
{
	if (conduit != PSCI_NONE)
		firmware_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	printk("PSCI SYSTEM_OFF failed: halting\n");
	for (;;)
		wfi();
}

_Noreturn void arch_system_reset(void)
{
	if (conduit != PSCI_NONE)
		firmware_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	printk("PSCI SYSTEM_RESET failed: halting\n");
	for (;;)
		wfi();
}
