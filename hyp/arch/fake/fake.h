// SPDX-License-Identifier: Apache-2.0
/* What the fake architecture's files share among themselves (not for tests: fake/arch.h is). */
#ifndef FAKE_FAKE_H
#define FAKE_FAKE_H

#include <fake/arch.h>
#include <punt/cpu.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* The call that fake_run() made ends here with why (never FAKE_RETURNED). */
_Noreturn void fake_stop(enum fake_stop why);
/* Counts down an armed failure: true when this call is the one that fails. */
bool fake_failure_due(enum fake_failure what);

void fake_time_reset(void);
/* Forget the lock orders seen so far (spinlock.c). */
void fake_lock_orders_reset(void);
/* A new fake_run(): no CPU has re-armed its deadline in it yet. */
void fake_timer_spins_reset(void);
void fake_irq_reset(void);
/* A virtual interrupt (FAKE_VIRQ_*) for v: pending, and v woken and kicked, as hardware would. */
void fake_vcpu_inject(struct vcpu *v, uint32_t virq);
/* Something is waiting for this CPU: a kick, a raised line, a deadline that has passed. */
bool fake_cpu_has_pending(const struct pcpu *cpu);

#endif
