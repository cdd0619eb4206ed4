// SPDX-License-Identifier: Apache-2.0
/*
 * The weighted fair scheduling policy (hyp/core/sched_vtime.c) on simulated
 * time: shares in the ratio of weights, caps, blocked units, yielding,
 * wake-up placement and idle CPUs pulling work within hard affinity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <punt/sched_policy.h>

#define MS    1000000UL
#define SLICE (10 * MS)

struct sim {
	struct runq rq[4];
	struct runq *rqs[4];
	struct sched_dom dom[4];
	struct sched_unit unit[4];
	uint64_t now;
};

static struct sim s;

static int setup(void **state)
{
	(void)state;
	memset(&s, 0, sizeof(s));
	s.now = 1000 * MS; /* not at 0: periods and floors must not depend on it */
	for (unsigned c = 0; c < 4; c++) {
		runq_init(&s.rq[c], c);
		s.rqs[c] = &s.rq[c];
	}
	return 0;
}

/* Unit i of a domain of its own with weight w and cap, allowed on the CPUs in `cpus` (bits). */
static struct sched_unit *add(unsigned i, unsigned cpu, unsigned w, unsigned cap, unsigned cpus)
{
	cpumask_t aff;

	cpumask_clear(&aff);
	for (unsigned c = 0; c < 4; c++)
		if (cpus & (1u << c))
			cpumask_set(&aff, c);
	sched_dom_init(&s.dom[i], w, cap, &aff);
	s.unit[i] = (struct sched_unit){.dom = &s.dom[i]};
	runq_add(&s.rq[cpu], &s.unit[i]);
	return &s.unit[i];
}

/* Run CPU `cpu` for `total` ns the way sched.c does: charge, pick, run until told. */
static void run_cpu(unsigned cpu, uint64_t total)
{
	struct runq *rq = &s.rq[cpu];
	uint64_t end = s.now + total;

	while (s.now < end) {
		uint64_t until;
		sched_charge(rq, s.now);
		struct sched_unit *u = sched_pick(rq, s.now, SLICE, &until);
		sched_set_curr(rq, u, s.now);
		uint64_t next = until && until < end ? until : end;
		s.now = next > s.now ? next : s.now + 1;
	}
	sched_charge(rq, s.now);
}

static double ratio(const struct sched_unit *a, const struct sched_unit *b)
{
	return (double)a->runtime_ns / (double)b->runtime_ns;
}

static void weights_2_to_1_share_one_cpu_2_to_1(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 512, 0, 1), *b = add(1, 0, 256, 0, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	sched_set_runnable(&s.rq[0], b, true, s.now);
	run_cpu(0, 3000 * MS);
	double r = ratio(a, b);
	if (r < 1.95 || r > 2.05)
		fail_msg("expected A:B close to 2:1, got %.3f (%lu ms : %lu ms)", r,
			 a->runtime_ns / MS, b->runtime_ns / MS);
	assert_true(a->runtime_ns + b->runtime_ns == 3000 * MS);
}

static void equal_weights_alternate_by_slices(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 1), *b = add(1, 0, 256, 0, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	sched_set_runnable(&s.rq[0], b, true, s.now);
	run_cpu(0, 1000 * MS);
	uint64_t diff = a->runtime_ns > b->runtime_ns ? a->runtime_ns - b->runtime_ns
						      : b->runtime_ns - a->runtime_ns;
	if (diff > SLICE)
		fail_msg("expected equal shares within one slice, got %lu and %lu ms",
			 a->runtime_ns / MS, b->runtime_ns / MS);
}

/* Equals sharing a CPU take turns of half a millisecond, not whole slices. */
static void equal_units_take_short_turns(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 1), *b = add(1, 0, 256, 0, 1);
	struct runq *rq = &s.rq[0];
	uint64_t longest = 0, shortest = UINT64_MAX, turns = 0, end = s.now + 100 * MS;
	sched_set_runnable(rq, a, true, s.now);
	sched_set_runnable(rq, b, true, s.now);
	while (s.now < end) {
		uint64_t until;
		sched_charge(rq, s.now);
		struct sched_unit *u = sched_pick(rq, s.now, SLICE, &until);
		assert_true(u == a || u == b);
		assert_true(until > s.now);
		sched_set_curr(rq, u, s.now);
		uint64_t turn = until - s.now;
		longest = turn > longest ? turn : longest;
		shortest = turn < shortest ? turn : shortest;
		turns++;
		s.now = until;
	}
	if (longest > MS / 2 || shortest < MS / 4)
		fail_msg("expected turns of 0.25 to 0.5 ms, got %lu to %lu us over %lu turns",
			 shortest / 1000, longest / 1000, turns);
	assert_true(turns >= 200);
}

/* A unit far behind the next in line runs until it catches up, one slice at most. */
static void a_unit_far_behind_runs_at_most_one_slice(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 1), *b = add(1, 0, 256, 0, 1);
	uint64_t until;
	sched_set_runnable(&s.rq[0], a, true, s.now);
	sched_set_runnable(&s.rq[0], b, true, s.now);
	b->vtime = a->vtime + 50 * SLICE;
	assert_ptr_equal(sched_pick(&s.rq[0], s.now, SLICE, &until), a);
	assert_int_equal(until, s.now + SLICE);
	b->vtime = a->vtime + 3 * MS;
	assert_ptr_equal(sched_pick(&s.rq[0], s.now, SLICE, &until), a);
	assert_int_equal(until, s.now + 3 * MS + MS / 4);
	/* A heavier unit needs more real time for the same virtual lead. */
	s.dom[0].weight = 512;
	assert_ptr_equal(sched_pick(&s.rq[0], s.now, SLICE, &until), a);
	assert_int_equal(until, s.now + 6 * MS + MS / 2);
}

static void a_lone_unit_runs_without_a_slice_timer(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 1);
	uint64_t until;
	sched_set_runnable(&s.rq[0], a, true, s.now);
	assert_ptr_equal(sched_pick(&s.rq[0], s.now, SLICE, &until), a);
	assert_int_equal(until, 0);
}

static void blocked_unit_is_never_picked_and_gets_nothing(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 1), *b = add(1, 0, 65535, 0, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	run_cpu(0, 500 * MS);
	assert_int_equal(b->runtime_ns, 0);
	assert_int_equal(s.rq[0].nr_runnable, 1);
	assert_int_equal(a->runtime_ns, 500 * MS);
}

static void nothing_runnable_means_idle_without_timer(void **state)
{
	(void)state;
	uint64_t until = 1;
	add(0, 0, 256, 0, 1);
	assert_null(sched_pick(&s.rq[0], s.now, SLICE, &until));
	assert_int_equal(until, 0);
}

static void cap_holds_a_lone_domain_to_its_percent(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 25, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	run_cpu(0, 1000 * MS);
	if (a->runtime_ns < 245 * MS || a->runtime_ns > 255 * MS)
		fail_msg("expected about 250 ms of 1000 with cap 25%%, got %lu ms",
			 a->runtime_ns / MS);
}

static void cap_holds_even_when_weight_would_give_more(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 4096, 30, 1), *b = add(1, 0, 256, 0, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	sched_set_runnable(&s.rq[0], b, true, s.now);
	run_cpu(0, 1000 * MS);
	if (a->runtime_ns > 305 * MS || a->runtime_ns < 280 * MS)
		fail_msg("expected about 300 ms for the capped domain, got %lu ms",
			 a->runtime_ns / MS);
	assert_int_equal(a->runtime_ns + b->runtime_ns, 1000 * MS);
}

static void out_of_budget_unit_waits_for_next_period(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 10, 1);
	uint64_t until;
	s.now = 2000 * MS; /* start of a period */
	sched_set_runnable(&s.rq[0], a, true, s.now);
	assert_ptr_equal(sched_pick(&s.rq[0], s.now, SLICE, &until), a);
	assert_int_equal(until, s.now + 1 * MS); /* 10% of a 10 ms period */
	sched_set_curr(&s.rq[0], a, s.now);
	s.now += 1 * MS;
	sched_charge(&s.rq[0], s.now);
	assert_true(sched_out_of_budget(a, s.now));
	assert_null(sched_pick(&s.rq[0], s.now, SLICE, &until));
	assert_int_equal(until, 2010 * MS);
	assert_ptr_equal(sched_pick(&s.rq[0], until, SLICE, &until), a);
}

static void sleeper_does_not_hoard_cpu_when_it_wakes(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 1), *b = add(1, 0, 256, 0, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	run_cpu(0, 5000 * MS); /* b sleeps all along */
	sched_set_runnable(&s.rq[0], b, true, s.now);
	uint64_t a_before = a->runtime_ns;
	run_cpu(0, 200 * MS);
	/* Without the floor, b would run the whole 200 ms (5 s behind in vtime). */
	if (a->runtime_ns - a_before < 80 * MS)
		fail_msg("expected the running unit to keep about half after a wake, got %lu ms",
			 (a->runtime_ns - a_before) / MS);
}

static void woken_unit_far_behind_preempts_the_running_one(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 1), *b = add(1, 0, 256, 0, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	run_cpu(0, 100 * MS);
	sched_set_runnable(&s.rq[0], b, true, s.now);
	assert_true(sched_wake_preempts(&s.rq[0], b, s.now));
	assert_false(sched_wake_preempts(&s.rq[0], a, s.now));
}

static void woken_unit_waits_until_the_running_one_had_1ms(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 1), *b = add(1, 0, 256, 0, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	run_cpu(0, 100 * MS);
	sched_set_curr(&s.rq[0], a, s.now); /* a turn that starts now */
	sched_set_runnable(&s.rq[0], b, true, s.now);
	assert_false(sched_wake_preempts(&s.rq[0], b, s.now));
	assert_false(sched_wake_preempts(&s.rq[0], b, s.now + MS - 1));
	assert_true(sched_wake_preempts(&s.rq[0], b, s.now + MS));
}

static void wake_on_idle_cpu_always_preempts(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	assert_true(sched_wake_preempts(&s.rq[0], a, s.now));
}

static void yielding_unit_lets_the_other_run_once(void **state)
{
	(void)state;
	uint64_t until;
	struct sched_unit *a = add(0, 0, 256, 0, 1), *b = add(1, 0, 256, 0, 1);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	sched_set_runnable(&s.rq[0], b, true, s.now);
	b->vtime = a->vtime + 5 * MS;
	sched_set_curr(&s.rq[0], a, s.now);
	a->yielded = true;
	assert_ptr_equal(sched_pick(&s.rq[0], s.now, SLICE, &until), b);
	assert_false(a->yielded);
	assert_ptr_equal(sched_pick(&s.rq[0], s.now, SLICE, &until), a);
}

static void waking_unit_goes_to_an_idle_cpu_in_its_affinity(void **state)
{
	(void)state;
	struct sched_unit *busy = add(0, 0, 256, 0, 0xf), *w = add(1, 0, 256, 0, 0x5);
	sched_set_runnable(&s.rq[0], busy, true, s.now);
	sched_set_curr(&s.rq[0], busy, s.now);
	sched_set_runnable(&s.rq[0], w, true, s.now);
	/* CPU 1 is idle but not allowed; CPU 2 is idle and allowed. */
	assert_int_equal(sched_place(w, s.rqs, 4), 2);
}

static void waking_unit_stays_when_its_cpu_is_idle_or_it_is_loaded(void **state)
{
	(void)state;
	struct sched_unit *w = add(0, 1, 256, 0, 0xf), *busy = add(1, 3, 256, 0, 0xf);
	assert_int_equal(sched_place(w, s.rqs, 4), 1);
	sched_set_runnable(&s.rq[3], busy, true, s.now);
	sched_set_curr(&s.rq[3], busy, s.now);
	runq_remove(&s.rq[1], w);
	runq_add(&s.rq[3], w);
	w->loaded = true;
	assert_int_equal(sched_place(w, s.rqs, 4), 3);
}

static void waking_unit_outside_its_affinity_moves_to_the_least_loaded(void **state)
{
	(void)state;
	struct sched_unit *u[3];
	for (unsigned i = 0; i < 3; i++) {
		u[i] = add(i, i, 256, 0, 0xf);
		sched_set_runnable(&s.rq[i], u[i], true, s.now);
		sched_set_curr(&s.rq[i], u[i], s.now);
	}
	struct sched_unit *w = add(3, 0, 256, 0, 0x6);
	sched_set_runnable(&s.rq[2], u[0], false, s.now); /* CPU 2: one runnable... */
	sched_set_runnable(&s.rq[0], w, true, s.now);
	assert_int_equal(sched_place(w, s.rqs, 4), 2);
}

static void idle_cpu_pulls_only_what_its_affinity_allows(void **state)
{
	(void)state;
	struct sched_unit *r = add(0, 0, 256, 0, 0xf), *pinned = add(1, 0, 256, 0, 0x1),
			  *free = add(2, 0, 256, 0, 0x3);
	sched_set_runnable(&s.rq[0], r, true, s.now);
	sched_set_runnable(&s.rq[0], pinned, true, s.now);
	sched_set_curr(&s.rq[0], r, s.now);
	assert_int_equal(sched_busiest(s.rqs, 4, 1), 0);
	assert_null(sched_steal_candidate(&s.rq[0], 1, s.now)); /* free is blocked */
	sched_set_runnable(&s.rq[0], free, true, s.now);
	assert_ptr_equal(sched_steal_candidate(&s.rq[0], 1, s.now), free);
	assert_null(sched_steal_candidate(&s.rq[0], 2, s.now)); /* nothing may run on 2 */
	free->loaded = true;
	assert_null(sched_steal_candidate(&s.rq[0], 1, s.now));
}

static void busiest_ignores_the_idle_cpu_and_running_units(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 1, 256, 0, 0xf);
	sched_set_runnable(&s.rq[1], a, true, s.now);
	sched_set_curr(&s.rq[1], a, s.now);
	assert_int_equal(sched_busiest(s.rqs, 4, 0), 4);
	struct sched_unit *b = add(1, 1, 256, 0, 0xf);
	sched_set_runnable(&s.rq[1], b, true, s.now);
	assert_int_equal(sched_busiest(s.rqs, 4, 0), 1);
	assert_int_equal(sched_busiest(s.rqs, 4, 1), 4);
}

static void migration_keeps_the_place_relative_to_the_queue(void **state)
{
	(void)state;
	struct sched_unit *a = add(0, 0, 256, 0, 0xf);
	sched_set_runnable(&s.rq[0], a, true, s.now);
	s.rq[0].min_vtime = 100 * MS;
	s.rq[1].min_vtime = 7 * MS;
	a->vtime = 102 * MS;
	sched_migrate(&s.rq[0], &s.rq[1], a);
	assert_int_equal(a->vtime, 9 * MS);
	assert_int_equal(a->cpu, 1);
	assert_int_equal(s.rq[0].nr_runnable, 0);
	assert_int_equal(s.rq[1].nr_runnable, 1);
}

static void idle_cpu_pulling_work_keeps_both_cpus_busy(void **state)
{
	(void)state;
	/* Three CPU-bound units start on CPU 0; CPU 1 idles and pulls, as sched.c does. */
	struct sched_unit *u[3];
	for (unsigned i = 0; i < 3; i++) {
		u[i] = add(i, 0, 256, 0, 0x3);
		sched_set_runnable(&s.rq[0], u[i], true, s.now);
	}
	uint64_t end = s.now + 3000 * MS;
	for (; s.now < end; s.now += SLICE) {
		for (unsigned c = 0; c < 2; c++) {
			struct runq *rq = &s.rq[c];
			uint64_t until;
			sched_charge(rq, s.now);
			struct sched_unit *next = sched_pick(rq, s.now, SLICE, &until);
			if (!next) {
				unsigned src = sched_busiest(s.rqs, 2, c);
				struct sched_unit *v =
				    src < 2 ? sched_steal_candidate(&s.rq[src], c, s.now) : NULL;
				assert_non_null(v);
				sched_migrate(&s.rq[src], rq, v);
				next = sched_pick(rq, s.now, SLICE, &until);
			}
			sched_set_curr(rq, next, s.now);
		}
	}
	sched_charge(&s.rq[0], s.now);
	sched_charge(&s.rq[1], s.now);
	uint64_t total = u[0]->runtime_ns + u[1]->runtime_ns + u[2]->runtime_ns;
	assert_int_equal(total, 6000 * MS);
	for (unsigned i = 0; i < 3; i++)
		assert_true(u[i]->runtime_ns >= 1400 * MS);
}

static void configuration_checks_name_the_problem(void **state)
{
	(void)state;
	assert_non_null(sched_check_weight(0));
	assert_non_null(sched_check_weight(65536));
	assert_null(sched_check_weight(1));
	assert_null(sched_check_weight(65535));
	assert_null(sched_check_cap(0, 2));
	assert_null(sched_check_cap(200, 2));
	assert_non_null(sched_check_cap(201, 2));
}

static void cpu_lists_parse_and_print(void **state)
{
	(void)state;
	cpumask_t m;
	char buf[32];
	assert_int_equal(cpumask_parse("0-2,5", 5, &m), 0);
	assert_int_equal(cpumask_weight(&m, 8), 4);
	assert_true(cpumask_test(&m, 5));
	assert_false(cpumask_test(&m, 3));
	cpumask_format(&m, 8, buf, sizeof(buf));
	assert_string_equal(buf, "0-2,5");
	assert_int_equal(cpumask_nth(&m, 3, 8), 5);
	assert_int_equal(cpumask_nth(&m, 4, 8), 0);
	assert_int_equal(cpumask_nth(&m, 1, 1), 0);
	assert_int_equal(cpumask_parse("3", 1, &m), 0);
	assert_int_equal(cpumask_weight(&m, 8), 1);
	static const char *const bad[] = {"", "a", "1-", "3-1", "1,", ",1", "8", "0-8", "1 2"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cpumask_parse(bad[i], strlen(bad[i]), &m) == 0)
			fail_msg("expected \"%s\" to be refused", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(weights_2_to_1_share_one_cpu_2_to_1, setup),
	    cmocka_unit_test_setup(equal_weights_alternate_by_slices, setup),
	    cmocka_unit_test_setup(equal_units_take_short_turns, setup),
	    cmocka_unit_test_setup(a_unit_far_behind_runs_at_most_one_slice, setup),
	    cmocka_unit_test_setup(a_lone_unit_runs_without_a_slice_timer, setup),
	    cmocka_unit_test_setup(blocked_unit_is_never_picked_and_gets_nothing, setup),
	    cmocka_unit_test_setup(nothing_runnable_means_idle_without_timer, setup),
	    cmocka_unit_test_setup(cap_holds_a_lone_domain_to_its_percent, setup),
	    cmocka_unit_test_setup(cap_holds_even_when_weight_would_give_more, setup),
	    cmocka_unit_test_setup(out_of_budget_unit_waits_for_next_period, setup),
	    cmocka_unit_test_setup(sleeper_does_not_hoard_cpu_when_it_wakes, setup),
	    cmocka_unit_test_setup(woken_unit_far_behind_preempts_the_running_one, setup),
	    cmocka_unit_test_setup(woken_unit_waits_until_the_running_one_had_1ms, setup),
	    cmocka_unit_test_setup(wake_on_idle_cpu_always_preempts, setup),
	    cmocka_unit_test_setup(yielding_unit_lets_the_other_run_once, setup),
	    cmocka_unit_test_setup(waking_unit_goes_to_an_idle_cpu_in_its_affinity, setup),
	    cmocka_unit_test_setup(waking_unit_stays_when_its_cpu_is_idle_or_it_is_loaded, setup),
	    cmocka_unit_test_setup(waking_unit_outside_its_affinity_moves_to_the_least_loaded,
				   setup),
	    cmocka_unit_test_setup(idle_cpu_pulls_only_what_its_affinity_allows, setup),
	    cmocka_unit_test_setup(busiest_ignores_the_idle_cpu_and_running_units, setup),
	    cmocka_unit_test_setup(migration_keeps_the_place_relative_to_the_queue, setup),
	    cmocka_unit_test_setup(idle_cpu_pulling_work_keeps_both_cpus_busy, setup),
	    cmocka_unit_test_setup(configuration_checks_name_the_problem, setup),
	    cmocka_unit_test_setup(cpu_lists_parse_and_print, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
