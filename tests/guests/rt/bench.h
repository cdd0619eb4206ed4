// SPDX-License-Identifier: Apache-2.0
/*
 * Micro-benchmark support for guests in tests/guests/bench/. Under QEMU's
 * -icount shift=0,sleep=off one guest instruction is one nanosecond of virtual time and the
 * generic counter advances with it, so counter ticks are an exact instruction count: the
 * guest reports ticks, the driver (tests/guests/bench.py) converts them with CNTFRQ.
 * Each measure prints one line: "BENCH name ops=N ticks=T hz=F" or "BENCH name n/a why".
 */
#ifndef RT_BENCH_H
#define RT_BENCH_H

#include "rt.h"

/* Operations per measured loop: enough that the 16-instruction tick is below 0.01 per op. */
#define BENCH_OPS 10000u
/* Calls bench_ticks() makes before measuring: first-use paths stay out of the figure. */
#define BENCH_WARMUP_OPS 100u

/*
 * Counter ticks for n calls of op(), less the ticks of the same loop calling an empty
 * function: what remains is the operation itself. BENCH_WARMUP_OPS calls run first.
 */
uint64_t bench_ticks(void (*op)(void), unsigned n);
void bench_report(const char *name, unsigned ops, uint64_t ticks);
/* The operation cannot be measured here (e.g. the hypervisor lacks it): say why. */
void bench_not_available(const char *name, const char *why);

#endif
