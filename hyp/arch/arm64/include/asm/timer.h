// SPDX-License-Identifier: Apache-2.0
/* The generic timer: Punt's clock and its per-CPU EL2 deadline timer. */
#ifndef ASM_TIMER_H
#define ASM_TIMER_H

#include <stdint.h>

struct boot_info;

void timer_init(const struct boot_info *bi);
void timer_init_cpu(void);
uint64_t timer_count(void); /* physical count */
uint64_t timer_freq(void);
uint64_t now_ns(void);
uint64_t ns_to_count(uint64_t ns);
uint64_t count_to_ns(uint64_t count);
/* Fire the EL2 timer interrupt on this CPU at `count`; 0 cancels. */
void timer_set_deadline(uint64_t count);
uint32_t timer_vtimer_intid(void);

#endif
