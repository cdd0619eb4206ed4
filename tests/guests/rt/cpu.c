// SPDX-License-Identifier: Apache-2.0
/* A second vCPU through PSCI CPU_ON: it joins the boot CPU's page tables, then runs fn(arg). */
#include "rt.h"

struct rt_secondary {
	uint64_t stack_top; /* read by secondary_entry with the MMU off: keep it first */
	void (*fn)(void *);
	void *arg;
};

struct rt_mmu_regs {
	uint64_t mair, tcr, ttbr0, sctlr;
};
extern struct rt_mmu_regs rt_mmu;
extern char secondary_entry[];
extern char _head[], _end[];
void rt_secondary_main(struct rt_secondary *s);
void rt_mmu_enable(void);

static uint8_t secondary_stack[16384] __attribute__((aligned(16)));
static struct rt_secondary secondary;

/* The new vCPU starts with its caches off: everything it reads first must be in memory. */
static void clean_invalidate_image(void)
{
	for (uint64_t a = (uint64_t)_head & ~63ul; a < (uint64_t)_end; a += 64)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy");
}

void rt_secondary_main(struct rt_secondary *s)
{
	rt_mmu_enable();
	/* The boot CPU's lines for this data may be newer than what we read uncached. */
	__asm__ volatile("dsb sy; isb");
	s->fn(s->arg);
	rt_smccc(PSCI_CPU_OFF, 0, 0, 0);
}

long rt_cpu_on(unsigned cpu, void (*fn)(void *), void *arg)
{
	if (cpu >= rt_plat.nr_cpus)
		return PSCI_RET_INVALID_PARAMS;
	secondary.stack_top = (uint64_t)(secondary_stack + sizeof(secondary_stack));
	secondary.fn = fn;
	secondary.arg = arg;
	clean_invalidate_image();
	return (long)rt_smccc(PSCI_CPU_ON_64, rt_plat.cpu_mpidr[cpu], (uint64_t)secondary_entry,
			      (uint64_t)&secondary);
}

uint64_t rt_secondary_context(void *stack, size_t size, void (*fn)(void *), void *arg)
{
	uint64_t top = ((uint64_t)stack + size - sizeof(struct rt_secondary)) & ~15ul;
	struct rt_secondary *s = (struct rt_secondary *)top;

	s->stack_top = top;
	s->fn = fn;
	s->arg = arg;
	/* Read with the MMU off by secondary_entry and rt_secondary_main: put it in memory. */
	for (uint64_t a = (uint64_t)stack & ~63ul; a < (uint64_t)stack + size; a += 64)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	for (uint64_t a = (uint64_t)&rt_mmu & ~63ul; a < (uint64_t)(&rt_mmu + 1); a += 64)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy");
	return top;
}
