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
#ifndef BENCH_OPS
#define BENCH_OPS 10000u
#endif
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

/*
 * Configure every SPI of the guest's distributor as Linux does for the devices it drives
 * (after rt_gic_init() has enabled the distributor): group 1, priority 0xa0, level, routed to
 * this vCPU, enabled. Nothing raises them: they show what configured but idle interrupts cost
 * the hypervisor on every entry. Returns how many SPIs the distributor has.
 */
unsigned bench_configure_all_spis(void);
/* The same for one SPI (group 1, priority 0xa0, routed to this vCPU, enabled); trigger as is. */
void bench_configure_spi(unsigned intid);

/*
 * A canary's longest stall beside a hostile operation, for benchmarks booted as two domains on
 * one pCPU ("// domains: 2"). Domain index 1 is the canary: it says "ready" on the static
 * channel's port1, then reads CNTVCT in a tight loop and keeps the longest gap between two
 * reads until "done" arrives on port0, and prints "STALL name ticks=T hz=F". Domain index 0
 * waits for "ready", calls hostile(), which returns NULL once it ran the operation or says why
 * it could not (the hypervisor refused it: the hostile domain prints "STALL name n/a why",
 * which outranks the canary's figure), and says "done". A hostile() that closes the static
 * channels must bind them again (rt_scn.port[]).
 */
void bench_stall(const char *name, const char *(*hostile)(void));

#endif
