// SPDX-License-Identifier: Apache-2.0
/*
 * The work-pending word (struct pcpu's `work`, punt/cpu.h) on the real core and the fake
 * architecture. The pass before guest entry (guest_prepare_entry(), core/sched.c) goes
 * straight back into the vCPU that trapped when its CPU's word is 0, so every producer of
 * work for that pass must set its bit: one test per producer, each of which fails if that
 * producer forgets (its change is never seen while the vCPU keeps trapping). Each test first
 * settles the CPU (passes until no work is left), checks the next entry would be the fast
 * one, then makes the change, often from the other CPU, and enters once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/vcpu.h>
#include <punt/arch/irq.h>
#include <punt/cpu.h>
#include <punt/sched.h>

#define MS 1000000UL

static int two_cpus(void **state)
{
	(void)state;
	machine_boot(2);
	return 0;
}

static int one_cpu(void **state)
{
	(void)state;
	machine_boot(1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

/* CPU cpu takes its interrupts, passes through the scheduler and enters; which vCPU runs. */
static struct vcpu *enter(unsigned cpu)
{
	fake_cpu_switch(cpu);
	irq_handle_pending();
	assert_int_equal(machine_pass(cpu), FAKE_RETURNED);
	return current_vcpu();
}

/* v runs on its CPU and that CPU has no work left: its next entry takes the fast way. */
static void settle(struct vcpu *v)
{
	machine_run(v);
	for (unsigned i = 0; i < 4 && pcpus[v->pcpu].work; i++)
		assert_ptr_equal(enter(v->pcpu), v);
	assert_int_equal(pcpus[v->pcpu].work, 0);
}

/* The fast way really is taken: with no work, an entry does nothing at all. */
static void an_entry_with_no_work_leaves_everything_as_it_was(void **state)
{
	(void)state;
	struct vcpu *a = machine_domain(1, 1, false)->vcpus[0];

	settle(a);
	unsigned flushes = a->arch.flushes, loads = a->arch.loads;
	fake_time_advance_ns(MS);
	assert_ptr_equal(enter(0), a);
	assert_int_equal(a->arch.flushes, flushes);
	assert_int_equal(a->arch.loads, loads);
}

/* Scheduler: a yield asks for a new decision (sched_yield_current(), CPU_WORK_SCHED). */
static void a_yield_is_seen_by_the_next_entry(void **state)
{
	(void)state;
	struct domain *d = machine_domain(1, 2, false);
	struct vcpu *a = d->vcpus[0], *b = d->vcpus[1];

	vcpu_set_online(b, true);
	settle(a);
	sched_yield_current();
	assert_ptr_equal(enter(a->pcpu), b);
}

/* Scheduler: the end of a turn comes as the CPU's timer interrupt (sched_tick()). */
static void the_end_of_a_turn_is_seen_by_the_next_entry(void **state)
{
	(void)state;
	struct domain *d = machine_domain(1, 2, false);
	struct vcpu *a = d->vcpus[0], *b = d->vcpus[1];

	vcpu_set_online(b, true);
	settle(a);
	assert_int_not_equal(pcpus[a->pcpu].arch.deadline, 0);
	fake_time_set(pcpus[a->pcpu].arch.deadline);
	assert_ptr_equal(enter(a->pcpu), b);
}

/*
 * Scheduler: a vCPU woken, without preempting it, on the CPU of a vCPU that ran alone starts
 * the running vCPU's turn there and then (start_turn()), so the entry after the wake-up takes
 * no decision: the CPU's timer must already be armed for the turn's end, when the woken vCPU
 * gets the CPU.
 */
static void a_wake_up_beside_a_vcpu_running_alone_arms_the_end_of_its_turn(void **state)
{
	(void)state;
	struct domain *d = machine_domain(1, 2, false);
	struct vcpu *a = d->vcpus[0], *b = d->vcpus[1];

	vcpu_set_online(b, true);
	settle(a);
	fake_time_set(pcpus[0].arch.deadline);
	assert_ptr_equal(enter(0), b);
	/* b runs nearly to its turn's end, ahead of a, then blocks: a runs alone, untimed. */
	fake_time_set(pcpus[0].arch.deadline - 1000);
	vcpu_block_current();
	assert_ptr_equal(enter(0), a);
	assert_int_equal(pcpus[0].arch.deadline, 0);
	vcpu_wake(b);
	assert_int_not_equal(pcpus[0].arch.deadline, 0);
	assert_ptr_equal(enter(0), a);
	fake_time_set(pcpus[0].arch.deadline);
	assert_ptr_equal(enter(0), b);
}

/* Scheduler: a run-state change made on another CPU (set_state(), CPU_WORK_SCHED). */
static void a_vcpu_taken_offline_from_another_cpu_leaves_its_cpu(void **state)
{
	(void)state;
	struct vcpu *a = machine_domain(1, 1, false)->vcpus[0];

	settle(a);
	fake_cpu_switch(1);
	vcpu_set_online(a, false);
	fake_cpu_switch(0);
	irq_handle_pending();
	assert_int_equal(machine_pass(0), FAKE_IDLE_FOREVER);
	assert_int_equal(a->state, VCPU_OFFLINE);
}

/* Scheduler: a vCPU that blocks (WFI) leaves its CPU (set_state(), CPU_WORK_SCHED). */
static void a_vcpu_that_blocks_leaves_its_cpu(void **state)
{
	(void)state;
	struct vcpu *a = machine_domain(1, 1, false)->vcpus[0];

	settle(a);
	vcpu_block_current();
	assert_int_equal(machine_pass(a->pcpu), FAKE_IDLE_FOREVER);
	assert_int_equal(a->state, VCPU_BLOCKED);
}

/* Scheduler: a wake-up from another CPU, of a vCPU whose CPU idles (made_runnable()). */
static void a_wake_up_from_another_cpu_is_seen_by_the_next_entry(void **state)
{
	(void)state;
	struct vcpu *a = machine_domain(1, 1, false)->vcpus[0];
	struct vcpu *b = machine_domain(2, 1, false)->vcpus[0];

	settle(a);
	settle(b);
	assert_int_not_equal(a->pcpu, b->pcpu);
	fake_cpu_switch(b->pcpu);
	vcpu_block_current();
	/* b is blocked, its CPU idles with it loaded; a runs on the other CPU. */
	assert_int_equal(machine_pass(b->pcpu), FAKE_IDLE_FOREVER);
	fake_cpu_switch(a->pcpu);
	vcpu_wake(b);
	assert_ptr_equal(enter(b->pcpu), b);
}

/* Reaper: a domain shut down while another domain keeps a CPU needs that CPU's passes. */
static void a_teardown_ends_while_another_domain_keeps_trapping(void **state)
{
	(void)state;
	struct vcpu *a = machine_domain(1, 1, false)->vcpus[0];
	struct vcpu *b = machine_domain(2, 1, false)->vcpus[0];

	assert_int_not_equal(a->pcpu, b->pcpu);
	settle(a);
	settle(b);
	fake_cpu_switch(a->pcpu);
	domain_shutdown(a->domain, 0);
	for (unsigned i = 0; i < 8 && domain_reap_pending(); i++) {
		assert_ptr_equal(enter(b->pcpu), b);
		fake_cpu_switch(a->pcpu);
		irq_handle_pending();
		machine_pass(a->pcpu);
	}
	assert_false(domain_reap_pending());
	assert_null(domain_lookup(1));
}

/* Timers: the running vCPU sets its emulated timer; the next entry arms the CPU's timer. */
static void an_emulated_timer_set_by_the_guest_is_armed_on_the_next_entry(void **state)
{
	(void)state;
	struct vcpu *a = machine_domain(1, 1, false)->vcpus[0];

	settle(a);
	assert_int_equal(pcpus[0].arch.deadline, 0);
	fake_vcpu_set_emulated_timer(a, 5000);
	assert_ptr_equal(enter(0), a);
	assert_int_equal(pcpus[0].arch.deadline, 5000);
	/* It fires: the vCPU gets its interrupt and the CPU's timer is disarmed. */
	fake_time_set(5000);
	assert_ptr_equal(enter(0), a);
	assert_true(a->arch.pending & FAKE_VIRQ_EMULATED_TIMER);
	assert_ptr_equal(enter(0), a);
	assert_int_equal(pcpus[0].arch.deadline, 0);
}

/*
 * vGIC: a device interrupt of a's domain, taken on the other CPU, is made pending for a there
 * and reaches its list registers when a next enters on its own CPU.
 */
static void a_device_interrupt_taken_on_another_cpu_is_flushed_on_the_next_entry(void **state)
{
	(void)state;
	struct vcpu *a = machine_domain(1, 1, false)->vcpus[0];

	assert_int_equal(irq_assign_to_domain(40, a->domain), 0);
	settle(a);
	unsigned flushes = a->arch.flushes;
	fake_irq_raise(1, 40);
	fake_cpu_switch(1);
	irq_handle_pending();
	assert_true(a->arch.pending & FAKE_VIRQ_DEVICE);
	assert_ptr_equal(enter(0), a);
	assert_int_equal(a->arch.flushes, flushes + 1);
}

/* vGIC: an upcall raised by the running vCPU's own hypercall (an event sent to itself). */
static void an_upcall_raised_by_the_vcpu_itself_is_flushed_on_the_next_entry(void **state)
{
	(void)state;
	struct vcpu *a = machine_domain(1, 1, false)->vcpus[0];

	settle(a);
	unsigned flushes = a->arch.flushes;
	arch_vcpu_raise_upcall(a);
	assert_ptr_equal(enter(0), a);
	assert_int_equal(a->arch.flushes, flushes + 1);
}

/* Runstate: an area registered from another CPU is written when the vCPU next enters. */
static void a_runstate_area_registered_from_another_cpu_is_written_on_the_next_entry(void **state)
{
	(void)state;
	struct vcpu *a = machine_domain(1, 1, false)->vcpus[0];
	struct vcpu_runstate_info area;

	memset(&area, 0xff, sizeof(area));
	settle(a);
	fake_cpu_switch(1);
	sched_register_runstate(a, (uint64_t)(uintptr_t)&area);
	assert_int_not_equal(area.state, RUNSTATE_running);
	assert_ptr_equal(enter(0), a);
	assert_int_equal(area.state, RUNSTATE_running);
}

#define M(f)  cmocka_unit_test_setup_teardown(f, two_cpus, teardown)
#define M1(f) cmocka_unit_test_setup_teardown(f, one_cpu, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    M(an_entry_with_no_work_leaves_everything_as_it_was),
	    M1(a_yield_is_seen_by_the_next_entry),
	    M1(the_end_of_a_turn_is_seen_by_the_next_entry),
	    M1(a_wake_up_beside_a_vcpu_running_alone_arms_the_end_of_its_turn),
	    M(a_vcpu_taken_offline_from_another_cpu_leaves_its_cpu),
	    M(a_vcpu_that_blocks_leaves_its_cpu),
	    M(a_wake_up_from_another_cpu_is_seen_by_the_next_entry),
	    M(a_teardown_ends_while_another_domain_keeps_trapping),
	    M(an_emulated_timer_set_by_the_guest_is_armed_on_the_next_entry),
	    M(a_device_interrupt_taken_on_another_cpu_is_flushed_on_the_next_entry),
	    M(an_upcall_raised_by_the_vcpu_itself_is_flushed_on_the_next_entry),
	    M(a_runstate_area_registered_from_another_cpu_is_written_on_the_next_entry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
