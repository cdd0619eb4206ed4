// SPDX-License-Identifier: Apache-2.0
/* Measurement loops and the BENCH report lines (see bench.h). */
#include "bench.h"

/* Out of line and opaque to the optimiser, so both loops pay the same call. */
static void __attribute__((noipa)) empty_op(void)
{
	__asm__ volatile("" ::: "memory");
}

static uint64_t __attribute__((noipa)) loop_ticks(void (*op)(void), unsigned n)
{
	uint64_t t0 = rt_cntvct();
	for (unsigned i = 0; i < n; i++)
		op();
	return rt_cntvct() - t0;
}

uint64_t bench_ticks(void (*op)(void), unsigned n)
{
	loop_ticks(op, BENCH_WARMUP_OPS);
	uint64_t with_op = loop_ticks(op, n);
	uint64_t empty = loop_ticks(empty_op, n);
	return with_op > empty ? with_op - empty : 0;
}

void bench_report(const char *name, unsigned ops, uint64_t ticks)
{
	rt_printf("BENCH %s ops=%u ticks=%lu hz=%lu\n", name, ops, ticks, rt_cntfrq());
}

void bench_not_available(const char *name, const char *why)
{
	rt_printf("BENCH %s n/a %s\n", name, why);
}
