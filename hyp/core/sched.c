// SPDX-License-Identifier: Apache-2.0
/*
 * Round-robin over the vCPUs assigned to each physical CPU. The vCPU that
 * ran last stays loaded while the CPU idles, so a lone vCPU that blocks and
 * wakes (the common case for dom0, one vCPU per CPU) costs no state switch.
 * Wake-ups never race with blocking: a vCPU first marks itself blocked, then
 * looks for pending interrupts again, while injectors first mark the
 * interrupt pending, then wake.
 */
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <asm/timer.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/domain.h>
#include <punt/irq.h>
#include <punt/sched.h>

#define SLICE_NS 10000000UL

static spinlock_t runq_lock[CONFIG_NR_CPUS];
static bool need_resched[CONFIG_NR_CPUS];

struct vcpu *current_vcpu(void)
{
	return this_cpu()->current;
}

void sched_init_cpu(void)
{
	runq_lock[this_cpu_id()] = (spinlock_t)SPINLOCK_INIT;
}

void sched_add_vcpu(struct vcpu *v, unsigned pcpu)
{
	struct pcpu *cpu = &pcpus[pcpu];

	v->pcpu = pcpu;
	spin_lock(&runq_lock[pcpu]);
	v->runq_next = cpu->run_head;
	cpu->run_head = v;
	cpu->nr_assigned++;
	spin_unlock(&runq_lock[pcpu]);
}

void sched_remove_vcpu(struct vcpu *v)
{
	struct pcpu *cpu = &pcpus[v->pcpu];

	spin_lock(&runq_lock[v->pcpu]);
	for (struct vcpu **p = &cpu->run_head; *p; p = &(*p)->runq_next) {
		if (*p == v) {
			*p = v->runq_next;
			cpu->nr_assigned--;
			break;
		}
	}
	spin_unlock(&runq_lock[v->pcpu]);
}

void vcpu_kick(struct vcpu *v)
{
	smp_kick(v->pcpu);
}

void vcpu_wake(struct vcpu *v)
{
	bool woke = false;

	spin_lock(&runq_lock[v->pcpu]);
	if (v->state == VCPU_BLOCKED) {
		v->state = VCPU_RUNNABLE;
		woke = true;
	}
	spin_unlock(&runq_lock[v->pcpu]);
	if (woke)
		vcpu_kick(v);
}

void vcpu_set_online(struct vcpu *v, bool online)
{
	spin_lock(&runq_lock[v->pcpu]);
	v->state = online ? VCPU_RUNNABLE : VCPU_OFFLINE;
	spin_unlock(&runq_lock[v->pcpu]);
	if (online)
		vcpu_kick(v);
	else if (v == current_vcpu())
		need_resched[this_cpu_id()] = true;
}

void vcpu_block_current(void)
{
	struct vcpu *v = current_vcpu();

	spin_lock(&runq_lock[v->pcpu]);
	if (v->state == VCPU_RUNNABLE)
		v->state = VCPU_BLOCKED;
	spin_unlock(&runq_lock[v->pcpu]);
	if (vgic_has_pending(v))
		vcpu_wake(v);
}

void sched_yield_current(void)
{
	need_resched[this_cpu_id()] = true;
}

void sched_tick(void)
{
	need_resched[this_cpu_id()] = true;
}

/* The next runnable vCPU after `after` in this CPU's queue (round robin), or NULL. */
static struct vcpu *pick_next(struct pcpu *cpu, const struct vcpu *after)
{
	struct vcpu *first = NULL, *next = NULL;
	bool passed = after == NULL;

	for (struct vcpu *v = cpu->run_head; v; v = v->runq_next) {
		if (v->state != VCPU_RUNNABLE)
			continue;
		if (!first)
			first = v;
		if (passed && !next)
			next = v;
		if (v == after)
			passed = true;
	}
	return next ? next : first;
}

static unsigned runnable_count(struct pcpu *cpu)
{
	unsigned n = 0;

	for (struct vcpu *v = cpu->run_head; v; v = v->runq_next)
		n += v->state == VCPU_RUNNABLE;
	return n;
}

/* Blocked vCPUs wait for their virtual timer (when not loaded) or a poll timeout. */
static uint64_t wake_expired_timers(struct pcpu *cpu)
{
	uint64_t now = timer_count(), earliest = 0;

	for (struct vcpu *v = cpu->run_head; v; v = v->runq_next) {
		if (v->state != VCPU_BLOCKED)
			continue;
		/* A loaded vCPU's virtual timer still fires in hardware. */
		uint64_t when = v == cpu->current ? 0 : v->arch.timer_deadline;
		if (v->wake_deadline && (!when || v->wake_deadline < when))
			when = v->wake_deadline;
		if (!when)
			continue;
		if (when <= now) {
			v->wake_deadline = 0;
			v->state = VCPU_RUNNABLE;
		} else if (!earliest || when < earliest) {
			earliest = when;
		}
	}
	return earliest;
}

static void switch_to(struct pcpu *cpu, struct vcpu *next)
{
	struct vcpu *prev = cpu->current;

	if (prev && prev != next) {
		arch_vcpu_save(prev);
		prev->on_cpu = false;
	}
	next->needs_load = false;
	arch_vcpu_load(next);
	next->on_cpu = true;
	cpu->current = next;
}

/* A vCPU of a domain that is shutting down leaves its CPU without being saved. */
static void drop_dying(struct pcpu *cpu)
{
	struct vcpu *v = cpu->current;

	arch_vcpu_drop(v);
	cpu->current = NULL;
	v->on_cpu = false;
	domain_vcpu_dropped(v);
}

static void idle_wait(void)
{
	wfi();
	irq_handle_pending();
}

void guest_prepare_entry(struct cpu_regs *frame)
{
	struct pcpu *cpu = this_cpu();
	unsigned id = cpu->id;

	(void)frame;
	for (;;) {
		domain_reaper_poll();
		if (cpu->current && cpu->current->domain->dying)
			drop_dying(cpu);
		spin_lock(&runq_lock[id]);
		uint64_t timer_wake = wake_expired_timers(cpu);
		struct vcpu *cur = cpu->current;
		struct vcpu *next;
		if (cur && cur->state == VCPU_RUNNABLE && !need_resched[id])
			next = cur;
		else
			next = pick_next(cpu, cur);
		need_resched[id] = false;
		unsigned others = runnable_count(cpu) - (next ? 1 : 0);
		spin_unlock(&runq_lock[id]);

		uint64_t deadline = others ? timer_count() + ns_to_count(SLICE_NS) : 0;
		if (timer_wake && (!deadline || timer_wake < deadline))
			deadline = timer_wake;
		timer_set_deadline(deadline);

		if (next) {
			if (next != cur || next->needs_load)
				switch_to(cpu, next);
			vgic_flush(next);
			return;
		}
		idle_wait();
	}
}

_Noreturn void sched_start(void)
{
	arch_enter_guest(arch_guest_frame());
}
