// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, a domain's physical-to-machine map (stage-2 on Arm): the
 * only way a domain reaches memory. Frame numbers are 4 KiB. Every change
 * takes the domain's p2m lock; a replaced or removed entry is invalidated
 * from the TLBs before the call returns, so the old frame may be reused at
 * once. The map is created and freed with the domain (arch_domain_init(),
 * arch_domain_destroy(), punt/arch/domain.h).
 */
#ifndef PUNT_ARCH_P2M_H
#define PUNT_ARCH_P2M_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

enum p2m_type {
	P2M_INVALID,
	P2M_RAM_RW,
	P2M_RAM_RO,
	P2M_DEVICE,
	P2M_GRANT_RW, /* another domain's page, mapped through a grant */
	P2M_GRANT_RO,
	P2M_FOREIGN_RW, /* another domain's RAM page, mapped by the control domain (gmfn_foreign) */
};

/* Map nr frames gfn.. to mfn..; replaces what was there. 0, or -XEN_ENOMEM. */
int p2m_map(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t nr, enum p2m_type t);
int p2m_unmap(struct domain *d, uint64_t gfn, uint64_t nr);
/* What gfn maps to (*mfn set, when mfn is not NULL), or P2M_INVALID. */
enum p2m_type p2m_lookup(struct domain *d, uint64_t gfn, uint64_t *mfn);
/* Pages the map's own tables take (what it costs beyond the frames it maps). */
uint64_t p2m_table_pages(struct domain *d);
/* How many bits of guest-physical address every domain has. */
unsigned p2m_ipa_bits(void);

#endif
