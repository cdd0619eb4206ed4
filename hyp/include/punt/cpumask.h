// SPDX-License-Identifier: Apache-2.0
/*
 * Sets of physical CPUs (a scheduler's hard affinity), and their text form:
 * a list of CPU numbers and ranges, "0-3,6", as in xl.cfg's cpus= and Xen's
 * dom0_vcpus_pin-style boot arguments.
 */
#ifndef PUNT_CPUMASK_H
#define PUNT_CPUMASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPUMASK_WORDS ((CONFIG_NR_CPUS + 63) / 64)

typedef struct {
	uint64_t bits[CPUMASK_WORDS];
} cpumask_t;

static inline void cpumask_clear(cpumask_t *m)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		m->bits[i] = 0;
}

static inline void cpumask_set(cpumask_t *m, unsigned cpu)
{
	if (cpu < CONFIG_NR_CPUS)
		m->bits[cpu / 64] |= 1UL << (cpu % 64);
}

static inline bool cpumask_test(const cpumask_t *m, unsigned cpu)
{
	return cpu < CONFIG_NR_CPUS && (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}

/* CPUs 0 to n-1. */
static inline void cpumask_first_n(cpumask_t *m, unsigned n)
{
	cpumask_clear(m);
	for (unsigned c = 0; c < n && c < CONFIG_NR_CPUS; c++)
		cpumask_set(m, c);
}

/* How many CPUs below `limit` are in the set. */
unsigned cpumask_weight(const cpumask_t *m, unsigned limit);
/* The n-th CPU (counting from 0, wrapping) of those below `limit` in the set; limit if none. */
unsigned cpumask_nth(const cpumask_t *m, unsigned n, unsigned limit);
/* "0-3,6": 0, or -1 on junk, an empty list, a reversed range or a CPU >= CONFIG_NR_CPUS. */
int cpumask_parse(const char *s, size_t len, cpumask_t *out);
/* Writes the list form of the set (CPUs below limit) into buf, always terminated. */
void cpumask_format(const cpumask_t *m, unsigned limit, char *buf, size_t size);

#endif
