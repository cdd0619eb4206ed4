// SPDX-License-Identifier: Apache-2.0
/*
 * Physical CPUs. One struct pcpu per CPU the device tree lists, indexed in DT
 * order (CPU 0 is the one Punt booted on). Each CPU only writes its own
 * block, except `online`, which the boot CPU waits on.
 */
#ifndef PUNT_CPU_H
#define PUNT_CPU_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

struct pcpu {
	uint64_t stack_top; /* read by head.S: must stay first */
	uint64_t stack_base;
	unsigned id;
	uint64_t mpidr;
	volatile bool online;
	struct vcpu *current; /* vCPU whose state is loaded, or NULL */
	uint64_t redist_base; /* physical GIC redistributor of this CPU */
	uint64_t irq_count;
};

extern struct pcpu pcpus[CONFIG_NR_CPUS];
extern unsigned nr_pcpus;

struct pcpu *this_cpu(void);
static inline unsigned this_cpu_id(void)
{
	return this_cpu()->id;
}

#endif
