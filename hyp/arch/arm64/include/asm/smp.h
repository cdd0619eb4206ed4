// SPDX-License-Identifier: Apache-2.0
/* Bringing up secondary CPUs and signalling between CPUs (SGIs). */
#ifndef ASM_SMP_H
#define ASM_SMP_H

struct boot_info;

/* SGIs Punt uses between physical CPUs. */
#define SGI_KICK 0 /* re-evaluate: something changed for the vCPU running here */
#define SGI_STOP 1 /* panic elsewhere: halt */

void smp_init_boot_cpu(void);
void smp_boot_secondaries(const struct boot_info *bi);
void smp_kick(unsigned cpu);
void smp_stop_others(void);
_Noreturn void arch_halt_this_cpu(void);

#endif
