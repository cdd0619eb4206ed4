// SPDX-License-Identifier: Apache-2.0
/*
 * Arm64's internals for vCPU state: what vcpu.c, entry.S and the trap
 * handlers share beyond the contract (punt/arch/vcpu.h). struct arch_vcpu
 * itself is in punt/arch/types.h.
 */
#ifndef ASM_VCPU_H
#define ASM_VCPU_H

#include <punt/arch/types.h>
#include <punt/arch/vcpu.h>
#include <stdint.h>

/* The virtual MPIDR of vCPU id (Aff0 = id % 16, Aff1 = id / 16), as dom0_fdt describes it. */
uint64_t vcpu_vmpidr(unsigned id);
/* entry.S: enter the guest whose registers are in frame (the top of this CPU's stack). */
_Noreturn void arch_enter_guest(struct cpu_regs *frame);
/* The guest frame at the top of this CPU's stack. */
struct cpu_regs *arch_guest_frame(void);

#endif
