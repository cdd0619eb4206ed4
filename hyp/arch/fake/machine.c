// SPDX-License-Identifier: Apache-2.0
/*
 * The fake machine as a whole (fake/arch.h): resetting it, the calls that
 * never return on hardware, and the failures a test arms.
 */
#include "fake.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf *stop_target;
static enum fake_stop last_stop;
static unsigned fail_countdown[FAKE_NR_FAILURES];

void fake_arch_reset(unsigned nr_cpus)
{
	if (nr_cpus == 0 || nr_cpus > CONFIG_NR_CPUS) {
		fprintf(stderr, "fake_arch_reset: %u CPUs (1 to %u)\n", nr_cpus,
			(unsigned)CONFIG_NR_CPUS);
		abort();
	}
	memset(pcpus, 0, sizeof(pcpus));
	for (unsigned i = 0; i < nr_cpus; i++) {
		pcpus[i].id = i;
		pcpus[i].mpidr = i;
		pcpus[i].online = true;
	}
	nr_pcpus = nr_cpus;
	fake_current_cpu = &pcpus[0];
	memset(fail_countdown, 0, sizeof(fail_countdown));
	last_stop = FAKE_RETURNED;
	fake_time_reset();
	fake_lock_orders_reset();
	fake_irq_reset();
	fake_on_vcpu_drop(NULL, NULL);
	fake_cache_clear();
	fake_uart_clear();
}

void fake_cpu_switch(unsigned cpu)
{
	if (cpu >= nr_pcpus) {
		fprintf(stderr, "fake_cpu_switch: no CPU %u (%u online)\n", cpu, nr_pcpus);
		abort();
	}
	fake_current_cpu = &pcpus[cpu];
}

enum fake_stop fake_run(void (*fn)(void *), void *arg)
{
	jmp_buf here;
	jmp_buf *outer = stop_target;
	int why = setjmp(here);

	if (why == 0) {
		stop_target = &here;
		fake_timer_spins_reset();
		fn(arg);
		stop_target = outer;
		return FAKE_RETURNED;
	}
	stop_target = outer;
	return (enum fake_stop)why;
}

enum fake_stop fake_last_stop(void)
{
	return last_stop;
}

static const char *const stop_names[] = {
    "returned",
    "system off",
    "system reset",
    "CPU halted",
    "guests run",
    "idle forever",
    "CPU waits for another CPU",
};

_Noreturn void fake_stop(enum fake_stop why)
{
	last_stop = why;
	if (!stop_target) {
		fprintf(stderr, "fake arch: %s outside fake_run(): nothing to return to\n",
			stop_names[why]);
		abort();
	}
	longjmp(*stop_target, (int)why);
}

bool fake_failure_due(enum fake_failure what)
{
	if (!fail_countdown[what])
		return false;
	return --fail_countdown[what] == 0;
}

void fake_fail_at(enum fake_failure what, unsigned nth)
{
	fail_countdown[what] = nth;
}
