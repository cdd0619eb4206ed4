// SPDX-License-Identifier: Apache-2.0
/*
 * Physical CPUs. One struct pcpu per CPU the device tree lists, indexed in DT
 * order (CPU 0 is the one Punt booted on). Each CPU only writes its own
 * block, except `online`, which the boot CPU waits on, and `work`, which any
 * CPU may add bits to (cpu_work_set()). The architecture's part of each block
 * is struct arch_pcpu (punt/arch/types.h).
 */
#ifndef PUNT_CPU_H
#define PUNT_CPU_H

#include <punt/arch/types.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

struct pcpu {
	struct arch_pcpu arch; /* first: the architecture's boot code may rely on its place */
	unsigned id;
	uint64_t mpidr; /* its identity in the device tree's cpu nodes (reg) */
	volatile bool online;
	struct vcpu *current; /* vCPU whose state is loaded, or NULL */
	uint64_t irq_count;
	/*
	 * Work pending before this CPU enters a guest again (CPU_WORK_*). The pass before
	 * every guest entry (guest_prepare_entry(), core/sched.c) tests it once: when it is 0
	 * the CPU goes straight back into the vCPU that trapped, without looking at the
	 * reaper, the run queue, the timers, the runstate or the list registers.
	 *
	 * The rule, for every producer: whoever changes what that pass acts on sets the
	 * matching bit on the CPU concerned with cpu_work_set(), after the change and before
	 * kicking that CPU (arch_cpu_kick(), vcpu_kick()). The pass takes the word with one
	 * atomic exchange and then looks at everything, so a bit set after the exchange is
	 * seen on the next entry, and the kick makes sure there is one. A producer that
	 * forgets its bit leaves its change unseen for as long as the guest keeps trapping
	 * for other reasons; tests/unit/test_work.c has a test for each producer.
	 */
	unsigned work;
};

/* The scheduler must decide again: a run state, a reschedule request, the turn's end. */
#define CPU_WORK_SCHED (1u << 0)
/* A domain is being torn down: every CPU polls the reaper (and counts its grace period). */
#define CPU_WORK_REAP (1u << 1)
/* The current vCPU's emulated timer was set: its deadline must be armed. */
#define CPU_WORK_TIMER (1u << 2)
/* A vCPU of this CPU has virtual interrupts to put in list registers. */
#define CPU_WORK_IRQ (1u << 3)
/* A vCPU's runstate changed: its registered area must be rewritten. */
#define CPU_WORK_RUNSTATE (1u << 4)

/* Filled by the architecture as it brings CPUs up (core/cpu.c holds them). */
extern struct pcpu pcpus[CONFIG_NR_CPUS];
extern unsigned nr_pcpus;

/* The CPU this runs on (punt/arch/cpu.h, arch_this_cpu()). */
static inline struct pcpu *this_cpu(void)
{
	return arch_this_cpu();
}
static inline unsigned this_cpu_id(void)
{
	return this_cpu()->id;
}

/* Add work bits to cpu's word (the rule is at struct pcpu's `work`). */
static inline void cpu_work_set(unsigned cpu, unsigned bits)
{
	__atomic_fetch_or(&pcpus[cpu].work, bits, __ATOMIC_RELEASE);
}

/* The pass before guest entry: take this CPU's pending work, leaving none. */
static inline unsigned cpu_work_take(struct pcpu *cpu)
{
	if (!__atomic_load_n(&cpu->work, __ATOMIC_RELAXED))
		return 0;
	return __atomic_exchange_n(&cpu->work, 0, __ATOMIC_ACQUIRE);
}

#endif
