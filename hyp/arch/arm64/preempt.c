// SPDX-License-Identifier: Apache-2.0
/* Polling for pending interrupts, and re-issuing a hypercall (punt/arch/preempt.h). */
#include <asm/regs.h>
#include <asm/sysreg.h>
#include <asm/vcpu.h>
#include <punt/arch/preempt.h>

/* ISR_EL1.I: at EL2 it shows the physical IRQ signalled to this PE (Arm ARM D19.2.69). */
#define ISR_I (1UL << 7)

bool arch_irq_pending(void)
{
	return read_sysreg(isr_el1) & ISR_I;
}

void arch_hypercall_restart(unsigned n, const uint64_t *args)
{
	struct cpu_regs *regs = arch_guest_frame();

	for (unsigned i = 0; i < n && i < 5; i++)
		regs->x[i] = args[i];
	/* ELR_EL2 points past the HVC (an exception taken on an instruction that completed). */
	regs->elr -= 4;
}
