// SPDX-License-Identifier: Apache-2.0
/*
 * Arm64's internals for vCPU state: what vcpu.c, entry.S and the trap
 * handlers share beyond the contract (punt/arch/vcpu.h). struct arch_vcpu
 * itself is in punt/arch/types.h.
 */
#ifndef ASM_VCPU_H
#define ASM_VCPU_H

#include <punt/arch/types.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct cpu_regs;

void arch_vcpu_init(struct vcpu *v, uint64_t entry, uint64_t x0);
/* The virtual MPIDR of vCPU id (Aff0 = id % 16, Aff1 = id / 16), as dom0_fdt describes it. */
uint64_t vcpu_vmpidr(unsigned id);
void arch_vcpu_load(struct vcpu *v); /* put v's state on this CPU */
/* Take it off; returns the physical count at which one of its timers wants it woken, 0 none. */
uint64_t arch_vcpu_save(struct vcpu *v);
/* Take it off for good (its domain is going): stop its timer, keep nothing. */
void arch_vcpu_drop(struct vcpu *v);
_Noreturn void arch_enter_guest(struct cpu_regs *frame);
/* The guest frame at the top of this CPU's stack. */
struct cpu_regs *arch_guest_frame(void);

#endif
