// SPDX-License-Identifier: Apache-2.0
/*
 * Fake interrupts (punt/arch/irq.h, punt/arch/preempt.h). Physical lines are
 * raised by the test (fake_irq_raise()) or by time reaching a CPU's deadline,
 * and taken by irq_handle_pending() as the GIC code takes them on Arm: a
 * kick only makes the CPU pass through the scheduler, the deadline timer ends
 * the turn (sched_tick()), a line Punt handles runs its handler, a forwarded
 * one becomes a virtual interrupt of its domain. Virtual interrupts are bits
 * in the vCPU (struct arch_vcpu.pending) until the test takes them.
 */
#include "fake.h"

#include <punt/arch/irq.h>
#include <punt/arch/preempt.h>
#include <punt/arch/timer.h>
#include <punt/domain.h>
#include <punt/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static irq_handler_fn handlers[FAKE_NR_IRQ_LINES];
static struct domain *owners[FAKE_NR_IRQ_LINES];
static bool enabled[FAKE_NR_IRQ_LINES];
static unsigned preempt_at, preempt_polls;

void fake_irq_reset(void)
{
	memset(handlers, 0, sizeof(handlers));
	memset(owners, 0, sizeof(owners));
	memset(enabled, 0, sizeof(enabled));
	preempt_at = preempt_polls = 0;
}

static bool raised(const struct pcpu *cpu, uint32_t intid)
{
	return cpu->arch.raised[intid / 64] & (1UL << (intid % 64));
}

void fake_irq_raise(unsigned cpu, uint32_t intid)
{
	if (cpu >= nr_pcpus || intid < 32 || intid >= FAKE_NR_IRQ_LINES) {
		fprintf(stderr, "fake_irq_raise: no line %u at CPU %u\n", intid, cpu);
		abort();
	}
	pcpus[cpu].arch.raised[intid / 64] |= 1UL << (intid % 64);
}

bool fake_irq_enabled(uint32_t intid)
{
	return intid < FAKE_NR_IRQ_LINES && enabled[intid];
}

static bool deadline_passed(const struct pcpu *cpu)
{
	return cpu->arch.deadline && arch_timer_count() >= cpu->arch.deadline;
}

bool fake_cpu_has_pending(const struct pcpu *cpu)
{
	return cpu->arch.kick_pending || deadline_passed(cpu) || cpu->arch.raised[0] ||
	       cpu->arch.raised[1];
}

void irq_register(uint32_t intid, irq_handler_fn fn)
{
	if (intid < FAKE_NR_IRQ_LINES)
		handlers[intid] = fn;
}

void irq_enable(uint32_t intid)
{
	if (intid < FAKE_NR_IRQ_LINES)
		enabled[intid] = true;
}

int irq_assign_to_domain(uint32_t intid, struct domain *d)
{
	if (intid < 32 || intid >= FAKE_NR_IRQ_LINES || handlers[intid])
		return -1;
	owners[intid] = d;
	return 0;
}

unsigned irq_assign_unclaimed(struct domain *d)
{
	unsigned assigned = 0;

	for (uint32_t intid = 32; intid < FAKE_NR_IRQ_LINES; intid++)
		if (!irq_assign_to_domain(intid, d))
			assigned++;
	return assigned;
}

struct domain *irq_owner(uint32_t intid)
{
	return intid < FAKE_NR_IRQ_LINES ? owners[intid] : NULL;
}

static void handle_line(uint32_t intid)
{
	if (owners[intid]) {
		fake_vcpu_inject(owners[intid]->vcpus[0], FAKE_VIRQ_DEVICE);
		return;
	}
	if (handlers[intid])
		handlers[intid](intid);
	else
		enabled[intid] = false; /* as on Arm: an interrupt nobody claims is disabled */
}

void irq_handle_pending(void)
{
	struct pcpu *cpu = fake_current_cpu;

	cpu->arch.kick_pending = false;
	if (deadline_passed(cpu)) {
		cpu->arch.deadline = 0;
		sched_tick();
	}
	for (uint32_t intid = 32; intid < FAKE_NR_IRQ_LINES; intid++) {
		if (!raised(cpu, intid))
			continue;
		cpu->arch.raised[intid / 64] &= ~(1UL << (intid % 64));
		handle_line(intid);
	}
}

void fake_preempt_at(unsigned nth_poll)
{
	preempt_at = nth_poll;
	preempt_polls = 0;
}

unsigned fake_preempt_polls(void)
{
	return preempt_polls;
}

bool arch_irq_pending(void)
{
	if (++preempt_polls == preempt_at) {
		preempt_at = 0;
		return true;
	}
	return fake_cpu_has_pending(fake_current_cpu);
}

void fake_vcpu_inject(struct vcpu *v, uint32_t virq)
{
	v->arch.pending |= virq;
	vcpu_wake(v);
	vcpu_kick(v);
}

void arch_vcpu_raise_upcall(struct vcpu *v)
{
	v->arch.upcalls++;
	fake_vcpu_inject(v, FAKE_VIRQ_UPCALL);
}

bool arch_vcpu_has_pending_irq(struct vcpu *v)
{
	return v->arch.pending != 0;
}

void arch_vcpu_flush_interrupts(struct vcpu *v)
{
	v->arch.flushes++;
}

void fake_vcpu_take_irqs(struct vcpu *v)
{
	v->arch.pending = 0;
}
