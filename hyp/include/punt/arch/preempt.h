// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, preemption: what generic code asks of the architecture
 * so that long hypercalls can stop and continue later (core/hypercall.c
 * builds continuations on top of it). Punt runs with interrupts masked at
 * EL2 and is never interrupted inside a hypercall, so a loop over
 * guest-sized work polls instead. Both functions act on the calling CPU only
 * and take no lock.
 */
#ifndef PUNT_ARCH_PREEMPT_H
#define PUNT_ARCH_PREEMPT_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Whether an interrupt is waiting to be taken by this CPU (the scheduler's
 * timer, a kick from another CPU, a device): cheap enough to ask once per
 * element of a batch.
 */
bool arch_irq_pending(void);

/*
 * The hypercall that trapped on this CPU is issued again when its vCPU next
 * runs: the guest PC goes back to the hypercall instruction and the first n
 * argument registers (n <= 5) take args[0..n-1]. The hypercall number and the
 * other argument registers stay as the guest set them.
 */
void arch_hypercall_restart(unsigned n, const uint64_t *args);

#endif
