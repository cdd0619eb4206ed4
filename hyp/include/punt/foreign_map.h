// SPDX-License-Identifier: Apache-2.0
/*
 * Foreign mappings: the control domain maps another domain's RAM pages into its own stage-2
 * (Xen public/memory.h, XENMAPSPACE_gmfn_foreign through add_to_physmap_batch; also the grant
 * table frames acquire_resource hands out), as the domain builder and the console and
 * xenstore daemons do through Linux's privcmd. The mapping domain keeps a table of the frames
 * it maps this way and whose they are; each mapping holds a reference on the owner
 * (d->foreign_refs), and the owner is not freed while one is left (Xen keeps the page: a
 * destroyed domain stays listed as dying until dom0 unmaps it). remove_from_physmap gives the
 * reference back.
 *
 * Locking: the table is the mapping domain's, under its d->lock; adding takes both domains'
 * locks (domain_lock_pair). The machine-wide count of each mapped frame has a lock of its
 * own, a leaf (punt/domain.h's order, item 6). Giving a reference back takes the reaper's lock
 * (domain_foreign_put(), punt/domain.h), so it is done after the domain locks are dropped.
 */
#ifndef PUNT_FOREIGN_MAP_H
#define PUNT_FOREIGN_MAP_H

#include <punt/domain.h>
#include <stdint.h>

/* How many foreign frames one domain may map at a time. */
#define FOREIGN_MAP_MAX 24576

/*
 * Map machine frame mfn, a page of l.b's, at gfn of l.a (l.a != l.b), taking a reference on
 * l.b. 0, -XEN_EBUSY when gfn holds a mapping that is not ordinary RAM of l.a's own,
 * -XEN_ENOMEM when the table or the stage-2 is full.
 */
int foreign_map_add(struct domain_pair_locked l, uint64_t gfn, uint64_t mfn);
/*
 * Take the foreign mapping at gfn out of l's domain's stage-2 and table. Returns its owner,
 * whose reference the caller now holds and gives back with domain_foreign_put(); NULL when
 * gfn holds no foreign mapping.
 */
struct domain *foreign_map_remove(struct domain_locked l, uint64_t gfn);
/*
 * Take every foreign mapping d holds out of its stage-2 and table; put(owner) for each.
 * Teardown only (d unpublished, the reaper's lock held, which put() relies on).
 */
void foreign_map_release_all(struct domain *d, void (*put)(struct domain *owner));
/* Free d's table (it holds no mapping any more). */
void foreign_map_destroy(struct domain *d);
/* How many foreign frames d maps. */
unsigned foreign_map_count(const struct domain *d);
/*
 * Whether some domain maps machine frame mfn as a foreign page. Its owner, holding its own
 * lock, gets an answer no new mapping can change (foreign_map_add() needs that lock too).
 */
bool foreign_frame_mapped(uint64_t mfn);

#endif
