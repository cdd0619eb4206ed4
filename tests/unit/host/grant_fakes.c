// SPDX-License-Identifier: Apache-2.0
/*
 * What the grant table code needs from the rest of Punt for host tests,
 * beyond core_fakes.c: a stage-2 kept as a small list per domain whose
 * machine frames are host pages (frame = host address >> 12).
 */
#include "grant_fakes.h"

#include <punt/arch/cache.h>
#include <public/errno.h>
#include <punt/memory.h>
#include <stdlib.h>
#include <string.h>

#define P2M_SLOTS 64

struct p2m_slot {
	uint64_t gfn, mfn;
	enum p2m_type type;
};

static struct p2m_slot p2m[MAX_DOMAINS][P2M_SLOTS];
static uint8_t *ram[MAX_DOMAINS][FAKE_RAM_PAGES];

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

struct domain *fake_domain(domid_t id, bool privileged)
{
	struct domain *d = calloc(1, sizeof(*d));

	d->id = id;
	d->privileged = privileged;
	memset(p2m[id], 0, sizeof(p2m[id]));
	for (unsigned i = 0; i < FAKE_RAM_PAGES; i++) {
		ram[id][i] = (uint8_t *)(uintptr_t)page_alloc_zeroed(0);
		p2m_map(d, FAKE_RAM_GFN + i, (uint64_t)(uintptr_t)ram[id][i] >> 12, 1, P2M_RAM_RW);
		/* Not 1:1: the machine memory it owns is listed, one page per extent. */
		d->extents[d->nr_extents++] =
		    (struct boot_region){(uint64_t)(uintptr_t)ram[id][i], 4096};
	}
	if (grant_table_init(d))
		abort();
	domains[id] = d;
	existing_domains[id] = d;
	return d;
}

void fake_domain_start_dying(struct domain *d)
{
	d->dying = true;
	domains[d->id] = NULL;
}

void fake_domain_free(struct domain *d)
{
	/* As domain.c's reaper: unpublished and relinquished first, then freed. */
	fake_domain_start_dying(d);
	grant_mappings_release(d);
	existing_domains[d->id] = NULL;
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

/* Everything but the first 64 KiB is RAM: that is where tests put device addresses. */
int memory_is_ram(uint64_t pa, size_t len)
{
	return pa >= FAKE_DEVICE_END && len;
}

struct fake_cache_op fake_cache_last;

static void cache_op(enum fake_cache_kind kind, uint64_t start, uint64_t size)
{
	fake_cache_last = (struct fake_cache_op){kind, start, size};
}

void arch_dcache_clean_range(uint64_t start, uint64_t size)
{
	cache_op(FAKE_CACHE_CLEAN, start, size);
}

void arch_dcache_clean_inval_range(uint64_t start, uint64_t size)
{
	cache_op(FAKE_CACHE_CLEAN_INVAL, start, size);
}

void arch_dcache_invalidate_keep_edges(uint64_t start, uint64_t size)
{
	cache_op(FAKE_CACHE_INVAL, start, size);
}
