// SPDX-License-Identifier: Apache-2.0
/*
 * Fake CPUs (punt/arch/cpu.h): bring-up fills pcpus[] from the boot
 * information, a kick is recorded on its target, and idling moves time on to
 * the CPU's deadline, since nothing else would happen on a machine with no
 * other thread.
 */
#include "fake.h"

#include <punt/bootinfo.h>
#include <punt/sched.h>
#include <stdio.h>

struct pcpu *fake_current_cpu = &pcpus[0];

void arch_boot_cpu_init(void)
{
	pcpus[0].id = 0;
	pcpus[0].online = true;
	fake_current_cpu = &pcpus[0];
}

int arch_init(const struct boot_info *bi, char *err, size_t errlen)
{
	(void)bi;
	(void)err;
	(void)errlen;
	return 0;
}

/* Each CPU is counted in and given its run queue; the test decides when each one runs. */
void arch_boot_secondaries(const struct boot_info *bi)
{
	unsigned max = bi->nr_cpus < CONFIG_NR_CPUS ? bi->nr_cpus : CONFIG_NR_CPUS;
	struct pcpu *boot = fake_current_cpu;

	for (unsigned i = nr_pcpus; i < max; i++) {
		pcpus[i].id = i;
		pcpus[i].mpidr = bi->cpu_mpidr[i];
		pcpus[i].online = true;
		fake_current_cpu = &pcpus[i];
		sched_init_cpu();
		nr_pcpus = i + 1;
	}
	fake_current_cpu = boot;
}

_Noreturn void arch_run_guests(void)
{
	fake_stop(FAKE_GUESTS_RUN);
}

void arch_cpu_kick(unsigned cpu)
{
	if (cpu >= nr_pcpus || &pcpus[cpu] == fake_current_cpu)
		return;
	pcpus[cpu].arch.kicks++;
	pcpus[cpu].arch.kick_pending = true;
}

void fake_cpu_idle(void)
{
	struct pcpu *cpu = fake_current_cpu;

	cpu->arch.idles++;
	if (fake_cpu_has_pending(cpu))
		return;
	if (!cpu->arch.deadline)
		fake_stop(FAKE_IDLE_FOREVER);
	fake_time_set(cpu->arch.deadline);
}

_Noreturn void arch_halt_this_cpu(void)
{
	fake_current_cpu->online = false;
	fake_stop(FAKE_CPU_HALTED);
}

void arch_cpu_stop_others(void)
{
	for (unsigned i = 0; i < nr_pcpus; i++)
		if (&pcpus[i] != fake_current_cpu)
			pcpus[i].online = false;
}

_Noreturn void arch_system_off(void)
{
	fake_stop(FAKE_SYSTEM_OFF);
}

_Noreturn void arch_system_reset(void)
{
	fake_stop(FAKE_SYSTEM_RESET);
}

void print_backtrace(uint64_t fp, uint64_t pc)
{
	(void)fp;
	fprintf(stderr, "fake arch: backtrace asked for at pc %#lx\n", (unsigned long)pc);
}
