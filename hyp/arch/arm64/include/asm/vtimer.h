// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual timer each vCPU owns (CNTV_*). While a vCPU is loaded its
 * timer runs in hardware; when it fires, Punt masks it and injects the
 * virtual PPI, and the guest unmasks it when it re-arms the timer. Each
 * domain's virtual counter (CNTVOFF_EL2) is set up through its descriptor
 * (vtimer_vdev, asm/vdev.h).
 */
#ifndef ASM_VTIMER_H
#define ASM_VTIMER_H

#include <stdint.h>

struct vcpu;

void vtimer_init(void);
void vtimer_load(struct vcpu *v);
/* Returns the physical count at which one of v's timers wants it woken, 0 none. */
uint64_t vtimer_save(struct vcpu *v);

#endif
