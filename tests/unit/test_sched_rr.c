// SPDX-License-Identifier: Apache-2.0
/*
 * The round-robin policy (hyp/core/sched_rr.c), linked ahead of the library in place of the
 * default policy: first on its own on simulated queues (turns in queue order, slices only
 * when others wait, wake-ups, placement, no stealing, weights and caps ignored), then under
 * the real mechanism (hyp/core/sched.c) on the fake machine, where vCPUs take turns on a CPU,
 * a wake-up waits for the running turn to end and a waiting vCPU stays on its CPU while
 * another idles. The mechanism's own checks that do not depend on the policy (the slice
 * argument, a domain's scheduling parameters, runstate, the 'r' debug key) are here too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/vcpu.h>
#include <punt/console.h>
#include <punt/arch/irq.h>
#include <punt/cpu.h>
#include <punt/sched.h>
#include <punt/sched_policy.h>

#define MS    1000000UL
#define SLICE (10 * MS) /* SCHED_DEFAULT_SLICE_MS */

/* ---- the policy on its own ---------------------------------------------------------------- */

static struct runq rq[2];
static struct runq *rqs[2] = {&rq[0], &rq[1]};
static struct sched_dom dom[2];
static struct sched_unit unit[3];

static int policy_setup(void **state)
{
	(void)state;
	cpumask_t all;

	cpumask_clear(&all);
	cpumask_set(&all, 0);
	cpumask_set(&all, 1);
	runq_init(&rq[0], 0);
	runq_init(&rq[1], 1);
	sched_dom_init(&dom[0], SCHED_DEFAULT_WEIGHT, 0, &all);
	sched_dom_init(&dom[1], SCHED_MAX_WEIGHT, 10, &all);
	for (unsigned i = 0; i < 3; i++) {
		unit[i] = (struct sched_unit){.dom = &dom[i & 1]};
		runq_add(&rq[0], &unit[i]);
	}
	return 0;
}

/* CPU 0 decides at `now`, as sched.c does: charge, pick, run. */
static struct sched_unit *decide(uint64_t now, uint64_t *until)
{
	sched_charge(&rq[0], now);
	struct sched_unit *u = sched_pick(&rq[0], now, SLICE, until);
	sched_set_curr(&rq[0], u, now);
	return u;
}

static void the_policy_is_round_robin(void **state)
{
	(void)state;
	assert_string_equal(sched_policy_name, "round robin");
}

static void turns_go_in_queue_order_and_wrap(void **state)
{
	(void)state;
	uint64_t until;

	for (unsigned i = 0; i < 3; i++)
		sched_set_runnable(&rq[0], &unit[i], true, 0);
	for (unsigned turn = 0; turn < 7; turn++)
		assert_ptr_equal(decide(turn * SLICE, &until), &unit[turn % 3]);
}

static void units_that_do_not_want_the_cpu_are_skipped(void **state)
{
	(void)state;
	uint64_t until;

	sched_set_runnable(&rq[0], &unit[0], true, 0);
	sched_set_runnable(&rq[0], &unit[2], true, 0);
	assert_ptr_equal(decide(0, &until), &unit[0]);
	assert_ptr_equal(decide(SLICE, &until), &unit[2]);
	assert_ptr_equal(decide(2 * SLICE, &until), &unit[0]);
	/* The running one stops wanting the CPU: the next in line, wrapping past the end. */
	sched_set_runnable(&rq[0], &unit[0], false, 2 * SLICE + MS);
	assert_ptr_equal(decide(2 * SLICE + MS, &until), &unit[2]);
	assert_int_equal(until, 0);
}

static void nothing_runnable_picks_nothing(void **state)
{
	(void)state;
	uint64_t until = 1;

	assert_null(decide(0, &until));
	assert_int_equal(until, 0);
	assert_int_equal(rq[0].nr_runnable, 0);
}

static void the_runnable_count_changes_only_on_a_change(void **state)
{
	(void)state;
	sched_set_runnable(&rq[0], &unit[1], true, 0);
	sched_set_runnable(&rq[0], &unit[1], true, 0);
	assert_int_equal(rq[0].nr_runnable, 1);
	sched_set_runnable(&rq[0], &unit[1], false, 0);
	sched_set_runnable(&rq[0], &unit[1], false, 0);
	assert_int_equal(rq[0].nr_runnable, 0);
}

static void a_turn_ends_after_a_slice_only_when_another_waits(void **state)
{
	(void)state;
	uint64_t until;

	sched_set_runnable(&rq[0], &unit[0], true, 0);
	assert_ptr_equal(decide(5 * MS, &until), &unit[0]);
	assert_int_equal(until, 0);
	assert_int_equal(sched_turn_end(&rq[0], &unit[0], 5 * MS, SLICE), 0);
	sched_set_runnable(&rq[0], &unit[1], true, 6 * MS);
	assert_int_equal(sched_turn_end(&rq[0], &unit[0], 6 * MS, SLICE), 6 * MS + SLICE);
	assert_ptr_equal(decide(6 * MS, &until), &unit[1]);
	assert_int_equal(until, 6 * MS + SLICE);
}

static void runtime_is_charged_forward_only(void **state)
{
	(void)state;
	uint64_t until;

	sched_set_runnable(&rq[0], &unit[0], true, 0);
	decide(100 * MS, &until);
	sched_charge(&rq[0], 103 * MS);
	assert_int_equal(unit[0].runtime_ns, 3 * MS);
	sched_charge(&rq[0], 101 * MS); /* a time before the last charge counts nothing */
	assert_int_equal(unit[0].runtime_ns, 3 * MS);
	sched_charge(&rq[0], 110 * MS);
	assert_int_equal(unit[0].runtime_ns, 10 * MS);
	char line[32];
	sched_describe(&unit[0], line, sizeof(line));
	assert_string_equal(line, "ran 10 ms");
}

/* dom[1] has the largest weight and a 10% cap: round robin gives it a turn like any other. */
static void weights_and_caps_are_ignored(void **state)
{
	(void)state;
	uint64_t until, now = 0;

	sched_set_runnable(&rq[0], &unit[0], true, 0);
	sched_set_runnable(&rq[0], &unit[1], true, 0);
	for (unsigned turn = 0; turn < 10; turn++) {
		struct sched_unit *u = decide(now, &until);
		assert_false(sched_out_of_budget(u, now));
		assert_int_equal(until, now + SLICE);
		now = until;
	}
	sched_charge(&rq[0], now);
	assert_int_equal(unit[0].runtime_ns, 5 * SLICE);
	assert_int_equal(unit[1].runtime_ns, 5 * SLICE);
}

static void a_wake_up_takes_only_an_idle_cpu(void **state)
{
	(void)state;
	uint64_t until;

	assert_true(sched_wake_preempts(&rq[0], &unit[1], 0));
	sched_set_runnable(&rq[0], &unit[0], true, 0);
	decide(0, &until);
	sched_set_runnable(&rq[0], &unit[1], true, MS);
	assert_false(sched_wake_preempts(&rq[0], &unit[1], MS));
}

/* Hard affinity decides only where a unit starts: it stays there, even next to an idle CPU. */
static void units_stay_on_their_cpu_and_nothing_is_stolen(void **state)
{
	(void)state;
	uint64_t until;

	for (unsigned i = 0; i < 3; i++)
		sched_set_runnable(&rq[0], &unit[i], true, 0);
	decide(0, &until);
	assert_int_equal(sched_place(&unit[1], rqs, 2), 0);
	assert_int_equal(sched_busiest(rqs, 2, 1), 2);
	assert_null(sched_steal_candidate(&rq[0], 1, 0));
}

static void a_migration_moves_the_unit_between_queues(void **state)
{
	(void)state;
	sched_migrate(&rq[0], &rq[1], &unit[1]);
	assert_ptr_equal(rq[1].head, &unit[1]);
	assert_int_equal(unit[1].cpu, 1);
	for (struct sched_unit *u = rq[0].head; u; u = u->next)
		assert_ptr_not_equal(u, &unit[1]);
}

/* ---- under the mechanism, on the fake machine ------------------------------------------------ */

static int teardown(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

static int one_cpu(void **state)
{
	(void)state;
	machine_boot(1);
	return 0;
}

static int two_cpus(void **state)
{
	(void)state;
	machine_boot(2);
	return 0;
}

/*
 * CPU cpu takes its interrupts (the slice timer among them), passes through the scheduler and
 * enters what it chose; which vCPU that is.
 */
static struct vcpu *enter(unsigned cpu)
{
	fake_cpu_switch(cpu);
	irq_handle_pending();
	assert_int_equal(machine_pass(cpu), FAKE_RETURNED);
	return current_vcpu();
}

static void vcpus_sharing_a_cpu_take_turns_of_one_slice(void **state)
{
	(void)state;
	struct domain *d = machine_domain(1, 2, false);
	struct vcpu *a = d->vcpus[0], *b = d->vcpus[1];

	vcpu_set_online(a, true);
	vcpu_set_online(b, true);
	assert_ptr_equal(enter(0), a);
	fake_time_advance_ns(SLICE - MS);
	assert_ptr_equal(enter(0), a);
	fake_time_advance_ns(MS);
	assert_ptr_equal(enter(0), b);
	fake_time_advance_ns(SLICE);
	assert_ptr_equal(enter(0), a);
}

static void a_vcpu_alone_keeps_its_cpu_without_a_slice(void **state)
{
	(void)state;
	struct domain *d = machine_domain(1, 2, false);
	struct vcpu *a = d->vcpus[0];

	vcpu_set_online(a, true);
	assert_ptr_equal(enter(0), a);
	fake_time_advance_ns(50 * SLICE);
	assert_ptr_equal(enter(0), a);
	struct vcpu_runstate_info r;
	sched_runstate(a, &r);
	assert_int_equal(r.state, RUNSTATE_running);
	assert_int_equal(r.time[RUNSTATE_running], 50 * SLICE);
}

/* A wake-up does not preempt: the running vCPU's turn starts then, and ends a slice later. */
static void a_woken_vcpu_waits_for_the_running_turn_to_end(void **state)
{
	(void)state;
	struct domain *d = machine_domain(1, 2, false);
	struct vcpu *a = d->vcpus[0], *b = d->vcpus[1];

	vcpu_set_online(a, true);
	assert_ptr_equal(enter(0), a);
	fake_time_advance_ns(30 * MS);
	vcpu_set_online(b, true);
	assert_ptr_equal(enter(0), a);
	fake_time_advance_ns(SLICE - MS);
	assert_ptr_equal(enter(0), a);
	struct vcpu_runstate_info r;
	sched_runstate(b, &r);
	assert_int_equal(r.state, RUNSTATE_runnable);
	fake_time_advance_ns(MS);
	assert_ptr_equal(enter(0), b);
}

/* With the CPU idle, a wake-up takes it at once. */
static void a_wake_up_on_an_idle_cpu_runs_at_once(void **state)
{
	(void)state;
	struct domain *d = machine_domain(1, 1, false);
	struct vcpu *a = d->vcpus[0];

	machine_run(a);
	vcpu_block_current();
	assert_int_equal(machine_pass(0), FAKE_IDLE_FOREVER);
	vcpu_wake(a);
	assert_ptr_equal(enter(0), a);
	assert_int_equal(a->state, VCPU_RUNNABLE);
}

/*
 * Three vCPUs on two CPUs: v0 and v2 start on CPU 0, v1 on CPU 1. With v1 blocked CPU 1
 * idles, and v2 still waits on CPU 0 for its turn: round robin never moves a vCPU.
 */
static void a_waiting_vcpu_stays_on_its_cpu_while_another_idles(void **state)
{
	(void)state;
	struct domain *d = machine_domain(2, 3, false);
	struct vcpu *v0 = d->vcpus[0], *v1 = d->vcpus[1], *v2 = d->vcpus[2];

	assert_int_equal(v0->pcpu, 0);
	assert_int_equal(v1->pcpu, 1);
	assert_int_equal(v2->pcpu, 0);
	machine_run(v1);
	vcpu_block_current();
	vcpu_set_online(v0, true);
	vcpu_set_online(v2, true);
	assert_ptr_equal(enter(0), v0);
	assert_int_equal(machine_pass(1), FAKE_IDLE_FOREVER);
	fake_cpu_switch(1);
	assert_ptr_not_equal(current_vcpu(), v2);
	assert_int_equal(v2->pcpu, 0);
	fake_time_advance_ns(SLICE);
	assert_ptr_equal(enter(0), v2);
}

/* ---- the mechanism's checks and views ------------------------------------------------------- */

static void the_slice_argument_is_taken_from_1_to_1000_ms(void **state)
{
	(void)state;
	fake_uart_clear();
	sched_configure("sched_slice_ms=25");
	assert_non_null(strstr(fake_uart_output(), "Scheduler: round robin, slice 25 ms"));
	fake_uart_clear();
	sched_configure("sched_slice_ms=0");
	assert_non_null(
	    strstr(fake_uart_output(), "sched_slice_ms=0 is not 1 to 1000: using 25 ms"));
	fake_uart_clear();
	sched_configure("sched_slice_ms=1001 quiet");
	assert_non_null(strstr(fake_uart_output(), "sched_slice_ms=1001 is not 1 to 1000"));
	fake_uart_clear();
	sched_configure("sched_slice_ms");
	assert_non_null(strstr(fake_uart_output(), "sched_slice_ms= is not 1 to 1000"));
	sched_configure("sched_slice_ms=10");
	assert_non_null(strstr(fake_uart_output(), "Scheduler: round robin, slice 10 ms"));
}

static void a_domains_scheduling_parameters_are_checked(void **state)
{
	(void)state;
	char err[96];
	cpumask_t aff;

	cpumask_clear(&aff);
	cpumask_set(&aff, 1);
	assert_int_equal(sched_domain_check(256, 0, &aff, err, sizeof(err)), 0);
	assert_int_equal(sched_domain_check(0, 0, &aff, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "weight = 0: "));
	assert_int_equal(sched_domain_check(256, 201, &aff, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cap = 201: "));
	cpumask_set(&aff, 2);
	assert_int_equal(sched_domain_check(256, 0, &aff, err, sizeof(err)), -1);
	assert_string_equal(err, "affinity names CPU 2, but there are only 2");
	cpumask_clear(&aff);
	assert_int_equal(sched_domain_check(256, 0, &aff, err, sizeof(err)), -1);
	assert_string_equal(err, "affinity names no CPU");
}

static void debug_key_r_shows_each_cpus_queue(void **state)
{
	(void)state;
	struct domain *d = machine_domain(2, 3, false);

	vcpu_set_online(d->vcpus[0], true);
	vcpu_set_online(d->vcpus[2], true);
	assert_ptr_equal(enter(0), d->vcpus[0]);
	console_focus_first();
	fake_uart_input("\x01\x01\x01", 3);
	console_rx_interrupt();
	fake_uart_clear();
	fake_uart_input("r", 1);
	console_rx_interrupt();
	const char *out = fake_uart_output();
	assert_non_null(strstr(out, "Scheduler: round robin, slice 10 ms"));
	assert_non_null(strstr(out, "CPU 0: 2 runnable, min vtime 0 us, running d2v0"));
	assert_non_null(strstr(out, "CPU 1: 0 runnable, min vtime 0 us, running nothing (idle)"));
	assert_non_null(
	    strstr(out, "  d2v0 running  ran 0 ms; runstate ms: run 0 wait 0 blocked 0"));
	assert_non_null(strstr(out, "  d2v2 runnable ran 0 ms"));
	assert_non_null(strstr(out, "  d2v1 offline  ran 0 ms"));
}

#define P(f)	   cmocka_unit_test_setup(f, policy_setup)
#define M(f, boot) cmocka_unit_test_setup_teardown(f, boot, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    P(the_policy_is_round_robin),
	    P(turns_go_in_queue_order_and_wrap),
	    P(units_that_do_not_want_the_cpu_are_skipped),
	    P(nothing_runnable_picks_nothing),
	    P(the_runnable_count_changes_only_on_a_change),
	    P(a_turn_ends_after_a_slice_only_when_another_waits),
	    P(runtime_is_charged_forward_only),
	    P(weights_and_caps_are_ignored),
	    P(a_wake_up_takes_only_an_idle_cpu),
	    P(units_stay_on_their_cpu_and_nothing_is_stolen),
	    P(a_migration_moves_the_unit_between_queues),
	    M(vcpus_sharing_a_cpu_take_turns_of_one_slice, one_cpu),
	    M(a_vcpu_alone_keeps_its_cpu_without_a_slice, one_cpu),
	    M(a_woken_vcpu_waits_for_the_running_turn_to_end, one_cpu),
	    M(a_wake_up_on_an_idle_cpu_runs_at_once, one_cpu),
	    M(a_waiting_vcpu_stays_on_its_cpu_while_another_idles, two_cpus),
	    M(the_slice_argument_is_taken_from_1_to_1000_ms, two_cpus),
	    M(a_domains_scheduling_parameters_are_checked, two_cpus),
	    M(debug_key_r_shows_each_cpus_queue, two_cpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
