// SPDX-License-Identifier: Apache-2.0
/*
 * The scheduler interface. This first scheduler keeps one run queue per
 * physical CPU; each vCPU is assigned to one physical CPU when it is created
 * and runs there round-robin with the others assigned to it, with a time
 * slice enforced by the EL2 timer. A blocked vCPU costs nothing: it is
 * skipped until an interrupt for it wakes it.
 */
#ifndef PUNT_SCHED_H
#define PUNT_SCHED_H

#include <asm/regs.h>
#include <stdbool.h>

struct vcpu;

void sched_init_cpu(void);
void sched_add_vcpu(struct vcpu *v, unsigned pcpu);
void sched_remove_vcpu(struct vcpu *v);
/* Blocked or offline -> runnable; makes its physical CPU look again. */
void vcpu_wake(struct vcpu *v);
/* PSCI CPU_ON / CPU_OFF and domain start. */
void vcpu_set_online(struct vcpu *v, bool online);
/* Make v's physical CPU notice new pending interrupts for v. */
void vcpu_kick(struct vcpu *v);
/* The running vCPU stops until woken (WFI, SCHEDOP_block/poll). */
void vcpu_block_current(void);
void sched_yield_current(void);
/* Time slice expired on this CPU. */
void sched_tick(void);
/* Start scheduling on this CPU; never returns. */
_Noreturn void sched_start(void);
/* Called by entry.S before every return to a guest: picks what runs here. */
void guest_prepare_entry(struct cpu_regs *frame);

#endif
