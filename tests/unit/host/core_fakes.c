// SPDX-License-Identifier: Apache-2.0
/*
 * The parts of Punt's core that every host test of a subsystem needs: the
 * domain table and its lookups, guest access that treats guest addresses as
 * host pointers (0 faults), calloc-backed pages and a printk that prints and
 * remembers its last message. Each subsystem's fakes add the rest.
 */
#include "core_fakes.h"

#include <public/errno.h>
#include <punt/hypercall.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct domain *domains[MAX_DOMAINS];
struct domain *existing_domains[MAX_DOMAINS];

struct domain *domain_lookup(domid_t id)
{
	return id < MAX_DOMAINS ? domains[id] : NULL;
}

struct domain *domain_lookup_existing(domid_t id)
{
	return id < MAX_DOMAINS ? existing_domains[id] : NULL;
}

struct domain *domain_from_guest_id(struct domain *caller, domid_t id)
{
	return id == DOMID_SELF ? caller : domain_lookup(id);
}

int domain_target(struct domain *caller, domid_t id, struct domain **out)
{
	struct domain *d = id == DOMID_SELF ? caller : domain_lookup(id);

	*out = NULL;
	if (!d)
		return -XEN_ESRCH;
	if (d != caller && !caller->privileged)
		return -XEN_EPERM;
	*out = d;
	return 0;
}

/* In domid order, as domain.c's: the fake spinlock refuses the opposite order. */
void domain_lock_pair(struct domain *a, struct domain *b)
{
	struct domain *first = a->id <= b->id ? a : b, *second = first == a ? b : a;

	spin_lock(&first->lock);
	if (a != b)
		spin_lock(&second->lock);
}

void domain_unlock_pair(struct domain *a, struct domain *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
	if (!gva)
		return -XEN_EFAULT;
	memcpy(dst, (const void *)(uintptr_t)gva, len);
	return 0;
}

int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
	if (!gva)
		return -XEN_EFAULT;
	memcpy((void *)(uintptr_t)gva, src, len);
	return 0;
}

unsigned page_order_for(uint64_t bytes)
{
	unsigned order = 0;

	while ((4096UL << order) < bytes)
		order++;
	return order;
}

uint64_t page_alloc_zeroed(unsigned order)
{
	void *p = aligned_alloc(4096, 4096UL << order);

	if (p)
		memset(p, 0, 4096UL << order);
	return (uint64_t)(uintptr_t)p;
}

void page_free(uint64_t pa, unsigned order)
{
	(void)order;
	free((void *)(uintptr_t)pa);
}

unsigned printk_calls;
char printk_last[256];

void printk(const char *fmt, ...)
{
	va_list ap;

	printk_calls++;
	va_start(ap, fmt);
	vsnprintf(printk_last, sizeof(printk_last), fmt, ap);
	va_end(ap);
	fputs(printk_last, stdout);
}

static unsigned preempt_at;
unsigned fake_preempt_checks;
unsigned fake_continuations;
unsigned fake_continue_n;
uint64_t fake_continue_args[5];

void fake_preempt_at(unsigned nth_check)
{
	preempt_at = nth_check;
	fake_preempt_checks = 0;
	fake_continuations = 0;
}

bool hypercall_preempt_check(void)
{
	return ++fake_preempt_checks == preempt_at;
}

long hypercall_continue(unsigned n, const uint64_t *args)
{
	fake_continuations++;
	fake_continue_n = n;
	memset(fake_continue_args, 0, sizeof(fake_continue_args));
	memcpy(fake_continue_args, args, n * sizeof(args[0]));
	return (long)args[0];
}
