// SPDX-License-Identifier: Apache-2.0
/*
 * The table of physical CPUs (punt/cpu.h). The architecture fills it as it
 * brings each CPU up; CPU 0 is the one Punt booted on.
 */
#include <punt/cpu.h>

struct pcpu pcpus[CONFIG_NR_CPUS];
unsigned nr_pcpus = 1;
