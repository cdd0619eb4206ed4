// SPDX-License-Identifier: Apache-2.0
/*
 * Fake time (punt/arch/timer.h): a counter at FAKE_COUNTER_HZ that moves only
 * when a test or an idle CPU moves it, per-CPU deadlines that are recorded and
 * fire when time reaches them, and per-vCPU timers a test sets.
 */
#include "fake.h"

#include <punt/arch/irq.h>
#include <punt/arch/timer.h>
#include <punt/domain.h>
#include <punt/sched.h>
#include <string.h>

static uint64_t counter;
static unsigned spins[CONFIG_NR_CPUS];

void fake_timer_spins_reset(void)
{
	memset(spins, 0, sizeof(spins));
}

void fake_time_reset(void)
{
	counter = 0;
}

void fake_time_set(uint64_t count)
{
	counter = count;
}

void fake_time_advance_ns(uint64_t ns)
{
	counter += arch_ns_to_count(ns);
}

uint64_t arch_timer_count(void)
{
	return counter;
}

uint64_t arch_count_to_ns(uint64_t count)
{
	return count / FAKE_COUNTER_HZ * 1000000000u +
	       count % FAKE_COUNTER_HZ * 1000000000u / FAKE_COUNTER_HZ;
}

uint64_t arch_ns_to_count(uint64_t ns)
{
	return ns / 1000000000u * FAKE_COUNTER_HZ +
	       ns % 1000000000u * FAKE_COUNTER_HZ / 1000000000u;
}

uint64_t arch_now_ns(void)
{
	return arch_count_to_ns(counter);
}

void arch_timer_set_deadline(uint64_t count)
{
	fake_current_cpu->arch.deadline = count;
	if (++spins[fake_current_cpu->id] == FAKE_SPIN_LIMIT)
		fake_stop(FAKE_CPU_WAITS);
}

void fake_vcpu_set_timer(struct vcpu *v, uint64_t count)
{
	v->arch.timer = count;
}

void fake_vcpu_set_emulated_timer(struct vcpu *v, uint64_t count)
{
	v->arch.emulated_timer = count;
	v->arch.emulated_timer_fired = false;
	/* As the vCPU's own timer write does on Arm (vptimer.c): its CPU arms the deadline. */
	cpu_work_set(v->pcpu, CPU_WORK_TIMER);
}

uint64_t arch_vcpu_emulated_timer_deadline(const struct vcpu *v)
{
	return v->arch.emulated_timer_fired ? 0 : v->arch.emulated_timer;
}

void arch_vcpu_emulated_timer_check(struct vcpu *v)
{
	uint64_t when = arch_vcpu_emulated_timer_deadline(v);

	if (!when || counter < when)
		return;
	v->arch.emulated_timer_fired = true;
	cpu_work_set(v->pcpu, CPU_WORK_TIMER);
	fake_vcpu_inject(v, FAKE_VIRQ_EMULATED_TIMER);
}
