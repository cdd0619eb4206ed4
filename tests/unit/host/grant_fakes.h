// SPDX-License-Identifier: Apache-2.0
/* Host stand-ins for what the grant table code uses (grant_fakes.c). */
#ifndef GRANT_FAKES_H
#define GRANT_FAKES_H

#include "core_fakes.h"

#include <punt/domain.h>
#include <punt/grant_table.h>
#include <punt/arch/p2m.h>

#define FAKE_RAM_GFN   0x40000UL /* every fake domain's RAM starts here */
#define FAKE_RAM_PAGES 8

/* A domain with FAKE_RAM_PAGES pages of RAM mapped at FAKE_RAM_GFN, and a grant table. */
struct domain *fake_domain(domid_t id, bool privileged);
/* Dying and unpublished (domain.c step 2, before it relinquishes), not yet freed. */
void fake_domain_start_dying(struct domain *d);
/* Relinquish (grant_mappings_release) and free, as the reaper does. */
void fake_domain_free(struct domain *d);
/* Host pointer to page i of d's RAM. */
uint8_t *fake_ram(struct domain *d, unsigned i);
/* Entries of d's stage-2 that hold anything other than its own RAM. */
unsigned fake_p2m_extra_entries(struct domain *d);

/* Machine addresses below this are devices (memory_is_ram() says no). */
#define FAKE_DEVICE_END 0x10000UL

/* The last data cache maintenance asked for (GNTTABOP_cache_flush). */
enum fake_cache_kind {
	FAKE_CACHE_NONE,
	FAKE_CACHE_CLEAN,
	FAKE_CACHE_CLEAN_INVAL,
	FAKE_CACHE_INVAL
};
struct fake_cache_op {
	enum fake_cache_kind kind;
	uint64_t start, size;
};
extern struct fake_cache_op fake_cache_last;

#endif
