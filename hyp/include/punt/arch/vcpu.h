// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, a vCPU's architectural state (struct arch_vcpu,
 * punt/arch/types.h): registers, system state, FP, the virtual interrupt
 * controller's CPU interface and timers. A vCPU's state is either loaded on
 * one physical CPU (its registers live in the CPU) or saved in its struct
 * vcpu; only the scheduler moves it (core/sched.c), on the CPU concerned,
 * under no lock: a loaded vCPU never moves to another CPU.
 */
#ifndef PUNT_ARCH_VCPU_H
#define PUNT_ARCH_VCPU_H

#include <stdint.h>

struct vcpu;
struct vcpu_guest_context;

/* A new vCPU (domain_create()): its state as it is before its first start, not runnable. */
void arch_vcpu_init(struct vcpu *v);
/*
 * Power-on state, off its CPU (a builder's vCPU 0, or PSCI CPU_ON as the CPU
 * loading it applies it): it starts at entry with its first argument
 * register = arg, MMU and caches off, interrupts masked, at the guest's
 * kernel level. Its private virtual interrupts (the upcall and its timers'),
 * pending or active, are gone; shared ones routed to it stay pending. Sets
 * v->needs_load.
 */
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg);
/*
 * The toolstack's register state (XEN_DOMCTL_setvcpucontext) for v, which is off every CPU:
 * c's general and EL1 registers, the rest as arch_vcpu_reset() leaves it. 0, or -XEN_EINVAL
 * for a mode a guest may not run in (Xen arch/arm/domain.c arch_set_info_guest).
 */
int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c);
/* Put v's state on this CPU (v was saved, or reset). */
void arch_vcpu_load(struct vcpu *v);
/*
 * Take v's state off this CPU into v. Returns the timer count at which one
 * of v's timers wants it woken, 0 none: nothing watches them while v is off.
 */
uint64_t arch_vcpu_save(struct vcpu *v);
/* Take v off this CPU for good (its domain is going): stop its timers, keep nothing. */
void arch_vcpu_drop(struct vcpu *v);
/* Where v would run next (its saved program counter), for debug dumps; v is not loaded. */
uint64_t arch_vcpu_pc(const struct vcpu *v);

#endif
