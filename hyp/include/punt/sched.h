// SPDX-License-Identifier: Apache-2.0
/*
 * What the rest of the hypervisor asks of the scheduler. Each physical CPU
 * has a run queue with its own lock; each vCPU sits on one queue at a time
 * and may move to another (wake-up placement, idle CPUs pulling work) while
 * its registers are saved, within its domain's hard affinity. A time slice
 * (boot argument sched_slice_ms) is enforced by the EL2 timer. A blocked
 * vCPU costs nothing: it is never picked until an interrupt, its timer or a
 * poll timeout wakes it. Who runs is decided by the policy Kconfig selects
 * (punt/sched_policy.h); runstate accounting is done here for every policy.
 *
 * Locking: a run queue's lock guards the queue and the scheduling state of
 * every vCPU on it (state, sched, start, timer_wake, runstate: punt/domain.h).
 * The locks are sched.c's alone: none of the functions below is called with
 * one held, and inside sched.c every function that needs one takes its proof,
 * a struct runq_locked. Lock order: a run queue lock may be taken under the
 * reaper's lock or d->lock (punt/domain.h has the whole order), never the
 * other way round, and never under a p2m or vGIC lock. Under it only another
 * run queue's lock (in CPU order, or with a trylock) and the console's output
 * lock (the debug key's dump) are taken.
 */
#ifndef PUNT_SCHED_H
#define PUNT_SCHED_H

#include <public/vcpu.h>
#include <punt/cpumask.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpu_regs;
struct domain;
struct vcpu;

void sched_init_cpu(void);
/* Read the scheduler's boot arguments (sched_slice_ms). */
void sched_configure(const char *cmdline);
/* Whether weight, cap and hard affinity are valid on this machine: 0, or -1 with a message. */
int sched_domain_check(uint64_t weight, uint64_t cap, const cpumask_t *affinity, char *err,
		       size_t errlen);
/* Set a domain's (checked) parameters before its vCPUs are added. */
void sched_domain_apply(struct domain *d, uint64_t weight, uint64_t cap, const cpumask_t *affinity);
void sched_add_vcpu(struct vcpu *v, unsigned pcpu);
/*
 * Take an offline vCPU of a dying domain off its run queue for good. False while
 * a CPU still has it loaded (try again on a later pass); true once no CPU can
 * pick it, load it or find it on a queue again.
 */
bool sched_retire_vcpu(struct vcpu *v);
/* Blocked -> runnable; makes its physical CPU look again. */
void vcpu_wake(struct vcpu *v);
/*
 * PSCI CPU_ON: an offline vCPU starts at `entry` with x0 = arg. -XEN_EEXIST
 * when it is not offline, -XEN_ESRCH when its domain is dying.
 */
int vcpu_power_on(struct vcpu *v, uint64_t entry, uint64_t arg);
/* Domain start (registers already set by the builder) and PSCI CPU_OFF. */
void vcpu_set_online(struct vcpu *v, bool online);
/*
 * Its domain's pause counter changed (domain_pause_by_toolstack()): a paused domain's
 * vCPU that would run waits as VCPU_PAUSED, and leaves its CPU at that CPU's next pass
 * through the scheduler (which this forces); at 0 it is runnable again.
 */
void vcpu_pause_changed(struct vcpu *v);
/*
 * Make v's physical CPU notice new pending interrupts for v: CPU_WORK_IRQ on it
 * (vcpu_irq_work()), then a kick, which brings it out of a guest.
 */
void vcpu_kick(struct vcpu *v);
/* CPU_WORK_IRQ on v's CPU, no kick: for interrupts of the vCPU that trapped, or before a kick. */
void vcpu_irq_work(struct vcpu *v);
/* The running vCPU stops until woken (WFI, SCHEDOP_block/poll). */
void vcpu_block_current(void);
void sched_yield_current(void);
/* This CPU was asked to choose again (a wake-up that preempts, a slice's end). */
bool sched_resched_pending(void);
/* Time slice expired on this CPU. */
void sched_tick(void);
/* VCPUOP_register_runstate_memory_area: where to copy v's runstate. */
void sched_register_runstate(struct vcpu *v, uint64_t gva);
/* v's runstate with the current state's time counted up to now. */
void sched_runstate(struct vcpu *v, struct vcpu_runstate_info *out);
/* Start scheduling on this CPU; never returns. */
_Noreturn void sched_start(void);
/* Called by entry.S before every return to a guest: picks what runs here. */
void guest_prepare_entry(struct cpu_regs *frame);

#endif
