// SPDX-License-Identifier: Apache-2.0
/*
 * Physical CPUs. One struct pcpu per CPU the device tree lists, indexed in DT
 * order (CPU 0 is the one Punt booted on). Each CPU only writes its own
 * block, except `online`, which the boot CPU waits on. The architecture's
 * part of each block is struct arch_pcpu (punt/arch/types.h).
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
};

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

#endif
