// SPDX-License-Identifier: Apache-2.0
/*
 * What the grant table code needs from the rest of Punt, for host tests: a
 * domain table, a stage-2 kept as a small list per domain whose machine
 * frames are host pages (frame = host address >> 12), guest access that
 * treats guest addresses as host pointers, and calloc-backed pages.
 */
#include "grant_fakes.h"

#include <public/errno.h>
#include <punt/guest_access.h>
#include <punt/page_alloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P2M_SLOTS 64

struct p2m_slot {
	uint64_t gfn, mfn;
	enum p2m_type type;
};

struct domain *domains[MAX_DOMAINS];
static struct p2m_slot p2m[MAX_DOMAINS][P2M_SLOTS];
static uint8_t *ram[MAX_DOMAINS][FAKE_RAM_PAGES];

struct domain *domain_lookup(domid_t id)
{
	return id < MAX_DOMAINS ? domains[id] : NULL;
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

void domain_lock_pair(struct domain *a, struct domain *b)
{
	spin_lock(&a->lock);
	if (a != b)
		spin_lock(&b->lock);
}

void domain_unlock_pair(struct domain *a, struct domain *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

bool domain_is_ram(struct domain *d, uint64_t gfn)
{
	(void)d;
	return gfn >= FAKE_RAM_GFN && gfn < FAKE_RAM_GFN + FAKE_RAM_PAGES;
}

static struct p2m_slot *slot_of(struct domain *d, uint64_t gfn)
{
	for (unsigned i = 0; i < P2M_SLOTS; i++) {
		if (p2m[d->id][i].type != P2M_INVALID && p2m[d->id][i].gfn == gfn)
			return &p2m[d->id][i];
	}
	return NULL;
}

int p2m_map(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t nr, enum p2m_type t)
{
	for (uint64_t i = 0; i < nr; i++) {
		struct p2m_slot *s = slot_of(d, gfn + i);
		for (unsigned k = 0; !s && k < P2M_SLOTS; k++)
			if (p2m[d->id][k].type == P2M_INVALID)
				s = &p2m[d->id][k];
		if (!s)
			return -XEN_ENOMEM;
		*s = (struct p2m_slot){.gfn = gfn + i, .mfn = mfn + i, .type = t};
	}
	return 0;
}

int p2m_unmap(struct domain *d, uint64_t gfn, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++) {
		struct p2m_slot *s = slot_of(d, gfn + i);
		if (s)
			s->type = P2M_INVALID;
	}
	return 0;
}

enum p2m_type p2m_lookup(struct domain *d, uint64_t gfn, uint64_t *mfn)
{
	struct p2m_slot *s = slot_of(d, gfn);

	if (!s)
		return P2M_INVALID;
	if (mfn)
		*mfn = s->mfn;
	return s->type;
}

unsigned p2m_ipa_bits(void)
{
	return 40;
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

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

struct domain *fake_domain(domid_t id, bool privileged)
{
	struct domain *d = calloc(1, sizeof(*d));

	d->id = id;
	d->privileged = privileged;
	memset(p2m[id], 0, sizeof(p2m[id]));
	for (unsigned i = 0; i < FAKE_RAM_PAGES; i++) {
		ram[id][i] = (uint8_t *)(uintptr_t)page_alloc_zeroed(0);
		p2m_map(d, FAKE_RAM_GFN + i, (uint64_t)(uintptr_t)ram[id][i] >> 12, 1, P2M_RAM_RW);
	}
	if (grant_table_init(d))
		abort();
	domains[id] = d;
	return d;
}

void fake_domain_free(struct domain *d)
{
	/* As domain_destroy: unpublished first, then its grant state goes. */
	domains[d->id] = NULL;
	grant_table_destroy(d);
	for (unsigned i = 0; i < FAKE_RAM_PAGES; i++)
		page_free((uint64_t)(uintptr_t)ram[d->id][i], 0);
	free(d);
}

uint8_t *fake_ram(struct domain *d, unsigned i)
{
	return ram[d->id][i];
}

unsigned fake_p2m_extra_entries(struct domain *d)
{
	unsigned n = 0;

	for (unsigned i = 0; i < P2M_SLOTS; i++)
		if (p2m[d->id][i].type != P2M_INVALID && !domain_is_ram(d, p2m[d->id][i].gfn))
			n++;
	return n;
}
