// SPDX-License-Identifier: Apache-2.0
/* Host stand-ins shared by the subsystem fakes (core_fakes.c). */
#ifndef CORE_FAKES_H
#define CORE_FAKES_H

#include <punt/domain.h>
#include <punt/guest_access.h>
#include <punt/page_alloc.h>

extern struct domain *domains[MAX_DOMAINS];
/* Created and not yet freed, dying ones included (domain_lookup_existing()). */
extern struct domain *existing_domains[MAX_DOMAINS];

void printk(const char *fmt, ...);
/* How many times printk was called, and the last message. */
extern unsigned printk_calls;
extern char printk_last[256];

#endif
