// SPDX-License-Identifier: Apache-2.0
/*
 * The EL1 physical timer (CNTP_CTL/CVAL/TVAL_EL0), emulated. Punt keeps the
 * EL2 physical timer for itself and leaves guests the virtual one in hardware;
 * a guest that uses the physical timer anyway traps (CNTHCTL_EL2.EL1PCEN = 0)
 * and gets an emulated one, as on Xen: compared with the physical count the
 * guest reads directly, delivered as PPI 30 when it expires.
 */
#ifndef ASM_VPTIMER_H
#define ASM_VPTIMER_H

#include <punt/arch/timer.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

#define VPTIMER_PPI 30

/* A trapped access to one of the three registers (ISS sysreg encoding); false if not one. */
bool vptimer_access(struct vcpu *v, uint32_t reg, bool read, uint64_t *val);
/*
 * Its deadline and expiry check are the contract's emulated vCPU timer
 * (punt/arch/timer.h): arch_vcpu_emulated_timer_deadline() and _check().
 */

#endif
