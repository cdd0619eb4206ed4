// SPDX-License-Identifier: Apache-2.0
/* Host stand-ins shared by the subsystem fakes (core_fakes.c). */
#ifndef CORE_FAKES_H
#define CORE_FAKES_H

#include <punt/domain.h>
#include <punt/arch/guest_access.h>
#include <punt/page_alloc.h>

extern struct domain *domains[MAX_DOMAINS];
/* Created and not yet freed, dying ones included (domain_lookup_existing()). */
extern struct domain *existing_domains[MAX_DOMAINS];

void printk(const char *fmt, ...);
/* How many times printk was called, and the last message. */
extern unsigned printk_calls;
extern char printk_last[256];

/*
 * Preemption (punt/hypercall.h): hypercall_preempt_check() answers yes on its
 * nth call after fake_preempt_at(n) (0: never, the default); each yes rearms
 * nothing. hypercall_continue() records its arguments here and returns the
 * first, as the hypervisor's does outside a multicall.
 */
void fake_preempt_at(unsigned nth_check);
extern unsigned fake_preempt_checks;
extern unsigned fake_continuations;
extern unsigned fake_continue_n;
extern uint64_t fake_continue_args[5];

#endif
