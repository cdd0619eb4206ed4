// SPDX-License-Identifier: Apache-2.0
/*
 * The mapping domain's table of foreign frames (punt/foreign_map.h): open addressing with
 * linear probing on the guest frame number, deletion by shifting the entries after the hole
 * back, so no tombstones accumulate over the builder's thousands of map/unmap pairs. The
 * table is allocated on the first foreign mapping.
 */
#include <public/errno.h>
#include <punt/arch/p2m.h>
#include <punt/foreign_map.h>
#include <punt/page_alloc.h>

/* A power of two; kept at most three quarters full (FOREIGN_MAP_MAX). */
#define SLOTS (FOREIGN_MAP_MAX / 3 * 4)

_Static_assert((SLOTS & (SLOTS - 1)) == 0, "the table size must be a power of two");

struct foreign_slot {
	uint64_t gfn_plus_1; /* 0: free */
	struct domain *owner;
};

struct foreign_maps {
	unsigned count;
	struct foreign_slot slot[SLOTS];
};

static unsigned home(uint64_t gfn)
{
	return (unsigned)((gfn * 0x9e3779b97f4a7c15UL) >> 40) & (SLOTS - 1);
}

/* The slot holding gfn, or the free slot where it would go. */
static unsigned find(const struct foreign_maps *t, uint64_t gfn)
{
	unsigned i = home(gfn);

	while (t->slot[i].gfn_plus_1 && t->slot[i].gfn_plus_1 != gfn + 1)
		i = (i + 1) & (SLOTS - 1);
	return i;
}

/* Empty slot i, moving back every later entry of the run that may no longer be found. */
static void delete_at(struct foreign_maps *t, unsigned i)
{
	for (unsigned j = i;;) {
		j = (j + 1) & (SLOTS - 1);
		if (!t->slot[j].gfn_plus_1)
			break;
		unsigned k = home(t->slot[j].gfn_plus_1 - 1);
		/* The entry at j stays if its home lies cyclically in (i, j]. */
		bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (!stays) {
			t->slot[i] = t->slot[j];
			i = j;
		}
	}
	t->slot[i] = (struct foreign_slot){0, NULL};
	t->count--;
}

int foreign_map_add(struct domain_pair_locked l, uint64_t gfn, uint64_t mfn)
{
	struct domain *d = locked_domain(l.a), *owner = locked_domain(l.b);
	enum p2m_type there = p2m_lookup(d, gfn, NULL);

	/* An emptied frame, or the mapper's own RAM (Xen replaces it): nothing else. */
	if (there != P2M_INVALID && there != P2M_RAM_RW)
		return -XEN_EBUSY;
	if (!d->foreign) {
		d->foreign = (struct foreign_maps *)page_alloc_zeroed(
		    page_order_for(sizeof(struct foreign_maps)));
		if (!d->foreign)
			return -XEN_ENOMEM;
	}
	struct foreign_maps *t = d->foreign;
	if (t->count >= FOREIGN_MAP_MAX)
		return -XEN_ENOMEM;
	if (p2m_map(d, gfn, mfn, 1, P2M_FOREIGN_RW))
		return -XEN_ENOMEM;
	unsigned i = find(t, gfn);
	t->slot[i] = (struct foreign_slot){gfn + 1, owner};
	t->count++;
	__atomic_add_fetch(&owner->foreign_refs, 1, __ATOMIC_SEQ_CST);
	return 0;
}

struct domain *foreign_map_remove(struct domain_locked l, uint64_t gfn)
{
	struct domain *d = locked_domain(l);
	struct foreign_maps *t = d->foreign;

	if (!t || p2m_lookup(d, gfn, NULL) != P2M_FOREIGN_RW)
		return NULL;
	unsigned i = find(t, gfn);
	if (!t->slot[i].gfn_plus_1)
		return NULL;
	struct domain *owner = t->slot[i].owner;
	p2m_unmap(d, gfn, 1);
	delete_at(t, i);
	/* The table goes back with its last entry: free memory returns to what it was. */
	if (!t->count)
		foreign_map_destroy(d);
	return owner;
}

void foreign_map_release_all(struct domain *d, void (*put)(struct domain *owner))
{
	struct foreign_maps *t = d->foreign;

	if (!t)
		return;
	for (unsigned i = 0; i < SLOTS; i++) {
		struct foreign_slot s = t->slot[i];
		if (!s.gfn_plus_1)
			continue;
		p2m_unmap(d, s.gfn_plus_1 - 1, 1);
		t->slot[i] = (struct foreign_slot){0, NULL};
		t->count--;
		put(s.owner);
	}
}

void foreign_map_destroy(struct domain *d)
{
	if (d->foreign)
		page_free((uint64_t)d->foreign, page_order_for(sizeof(struct foreign_maps)));
	d->foreign = NULL;
}

unsigned foreign_map_count(const struct domain *d)
{
	return d->foreign ? d->foreign->count : 0;
}
