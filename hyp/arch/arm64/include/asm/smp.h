// SPDX-License-Identifier: Apache-2.0
/*
 * Signalling between physical CPUs (SGIs). Bringing CPUs up, kicking and
 * stopping them are the contract's (punt/arch/cpu.h, smp.c).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <punt/arch/cpu.h>

/* SGIs Punt uses between physical CPUs. */
#define SGI_KICK 0 /* re-evaluate: something changed for the vCPU running here */
#define SGI_STOP 1 /* panic elsewhere: halt */

#endif
