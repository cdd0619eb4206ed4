// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, time: the machine's counter (the same on every CPU,
 * never going back), nanoseconds since it started, each CPU's deadline timer
 * that ends a scheduler turn or wakes a sleeping vCPU, and the vCPU timers
 * the architecture emulates in software. Counts are counter ticks; 0 means
 * "none" wherever a deadline is passed or returned.
 */
#ifndef PUNT_ARCH_TIMER_H
#define PUNT_ARCH_TIMER_H

#include <stdint.h>

struct vcpu;

/* The counter now. */
uint64_t arch_timer_count(void);
/* Conversions between ticks and nanoseconds, rounded down. */
uint64_t arch_count_to_ns(uint64_t count);
uint64_t arch_ns_to_count(uint64_t ns);
/* Nanoseconds since the counter started: Punt's time and its guests' system time. */
uint64_t arch_now_ns(void);
/*
 * This CPU's deadline timer fires at count (at once if count is past), which
 * ends in sched_tick() (punt/sched.h); 0 cancels. One deadline per CPU: a new
 * one replaces the old.
 */
void arch_timer_set_deadline(uint64_t count);

/*
 * The vCPU timers the architecture emulates (on Arm the EL1 physical timer;
 * the virtual timer runs in hardware while its vCPU is loaded, and
 * arch_vcpu_save() answers for it when it is not). The count at which one of
 * v's emulated timers fires, 0 when none will: the scheduler arms the
 * deadline timer for it even while v is loaded.
 */
uint64_t arch_vcpu_emulated_timer_deadline(const struct vcpu *v);
/* Before v enters its guest: raise the interrupt of an emulated timer of v that has expired. */
void arch_vcpu_emulated_timer_check(struct vcpu *v);

#endif
