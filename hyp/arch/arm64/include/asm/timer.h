// SPDX-License-Identifier: Apache-2.0
/*
 * The generic timer: Punt's clock and its per-CPU EL2 deadline timer. What
 * generic code may ask of it is in the contract (punt/arch/timer.h).
 */
#ifndef ASM_TIMER_H
#define ASM_TIMER_H

#include <punt/arch/timer.h>
#include <stdint.h>

struct boot_info;

void timer_init(const struct boot_info *bi);
void timer_init_cpu(void);
uint64_t timer_freq(void);
uint32_t timer_vtimer_intid(void);

#endif
