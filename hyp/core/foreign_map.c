// SPDX-License-Identifier: Apache-2.0
/*
 * The mapping domain's table of foreign frames (punt/foreign_map.h): open addressing with
 * linear probing on the guest frame number, deletion by shifting the entries after the hole
 * back, so no tombstones accumulate over the builder's thousands of map/unmap pairs. The
 * table is allocated on the first foreign mapping.
 *
 * Beside it, one table for the whole machine of the machine frames mapped this way and how
 * many times (a machine frame has one owner, so its number alone names it): the owner asks
 * it before giving a page back (foreign_frame_mapped()). Same probing, keyed on the machine
 * frame; its own lock, a leaf; allocated with the first entry and freed with the last.
 */
#include <public/errno.h>
#include <punt/arch/p2m.h>
#include <punt/foreign_map.h>
#include <punt/page_alloc.h>
#include <punt/spinlock.h>

/* A power of two; kept at most three quarters full (FOREIGN_MAP_MAX). */
#define SLOTS (FOREIGN_MAP_MAX / 3 * 4)

_Static_assert((SLOTS & (SLOTS - 1)) == 0, "the table size must be a power of two");

/* key: a mapper's guest frame, or a machine frame in the frame table; value its datum. */
struct foreign_slot {
	uint64_t key_plus_1; /* 0: free */
	uint64_t value;
};

struct foreign_maps {
	unsigned count;
	struct foreign_slot slot[SLOTS];
};

/* The machine frames some domain maps as foreign pages: value is how many mappings. */
static struct {
	spinlock_t lock;
	struct foreign_maps *t;
} frames = {.lock = SPINLOCK_INIT};

static unsigned home(uint64_t key)
{
	return (unsigned)((key * 0x9e3779b97f4a7c15UL) >> 40) & (SLOTS - 1);
}

/* The slot holding key, or the free slot where it would go. */
static unsigned find(const struct foreign_maps *t, uint64_t key)
{
	unsigned i = home(key);

	while (t->slot[i].key_plus_1 && t->slot[i].key_plus_1 != key + 1)
		i = (i + 1) & (SLOTS - 1);
	return i;
}

/* Empty slot i, moving back every later entry of the run that may no longer be found. */
static void delete_at(struct foreign_maps *t, unsigned i)
{
	for (unsigned j = i;;) {
		j = (j + 1) & (SLOTS - 1);
		if (!t->slot[j].key_plus_1)
			break;
		unsigned k = home(t->slot[j].key_plus_1 - 1);
		/* The entry at j stays if its home lies cyclically in (i, j]. */
		bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (!stays) {
			t->slot[i] = t->slot[j];
			i = j;
		}
	}
	t->slot[i] = (struct foreign_slot){0, 0};
	t->count--;
}

static struct foreign_maps *table_alloc(void)
{
	return (struct foreign_maps *)page_alloc_zeroed(
	    page_order_for(sizeof(struct foreign_maps)));
}

static void table_free(struct foreign_maps *t)
{
	page_free((uint64_t)(uintptr_t)t, page_order_for(sizeof(struct foreign_maps)));
}

/*
 * Count one more mapping of machine frame mfn. The table is allocated outside the frame
 * lock (the allocator's lock is a leaf too). false when it cannot be.
 */
static bool frame_get(uint64_t mfn)
{
	struct foreign_maps *spare = NULL;
	bool ok = false;

	for (;;) {
		spin_lock(&frames.lock);
		if (frames.t || spare)
			break;
		spin_unlock(&frames.lock);
		spare = table_alloc();
		if (!spare)
			return false;
	}
	if (!frames.t) {
		frames.t = spare;
		spare = NULL;
	}
	struct foreign_maps *t = frames.t;
	unsigned i = find(t, mfn);
	if (t->slot[i].key_plus_1) {
		t->slot[i].value++;
		ok = true;
	} else if (t->count < FOREIGN_MAP_MAX) {
		t->slot[i] = (struct foreign_slot){mfn + 1, 1};
		t->count++;
		ok = true;
	}
	spin_unlock(&frames.lock);
	if (spare)
		table_free(spare);
	return ok;
}

/* One mapping of machine frame mfn fewer; the table goes with its last entry. */
static void frame_put(uint64_t mfn)
{
	struct foreign_maps *empty = NULL;

	spin_lock(&frames.lock);
	struct foreign_maps *t = frames.t;
	unsigned i = t ? find(t, mfn) : 0;
	if (t && t->slot[i].key_plus_1 && !--t->slot[i].value) {
		delete_at(t, i);
		if (!t->count) {
			empty = t;
			frames.t = NULL;
		}
	}
	spin_unlock(&frames.lock);
	if (empty)
		table_free(empty);
}

bool foreign_frame_mapped(uint64_t mfn)
{
	spin_lock(&frames.lock);
	bool mapped = frames.t && frames.t->slot[find(frames.t, mfn)].key_plus_1;
	spin_unlock(&frames.lock);
	return mapped;
}

int foreign_map_add(struct domain_pair_locked l, uint64_t gfn, uint64_t mfn)
{
	struct domain *d = locked_domain(l.a), *owner = locked_domain(l.b);
	enum p2m_type there = p2m_lookup(d, gfn, NULL);

	/* An emptied frame, or the mapper's own RAM (Xen replaces it): nothing else. */
	if (there != P2M_INVALID && there != P2M_RAM_RW)
		return -XEN_EBUSY;
	if (!d->foreign) {
		d->foreign = table_alloc();
		if (!d->foreign)
			return -XEN_ENOMEM;
	}
	struct foreign_maps *t = d->foreign;
	if (t->count >= FOREIGN_MAP_MAX || !frame_get(mfn))
		return -XEN_ENOMEM;
	if (p2m_map(d, gfn, mfn, 1, P2M_FOREIGN_RW)) {
		frame_put(mfn);
		return -XEN_ENOMEM;
	}
	unsigned i = find(t, gfn);
	t->slot[i] = (struct foreign_slot){gfn + 1, (uint64_t)(uintptr_t)owner};
	t->count++;
	__atomic_add_fetch(&owner->foreign_refs, 1, __ATOMIC_SEQ_CST);
	return 0;
}

struct domain *foreign_map_remove(struct domain_locked l, uint64_t gfn)
{
	struct domain *d = locked_domain(l);
	struct foreign_maps *t = d->foreign;
	uint64_t mfn;

	if (!t || p2m_lookup(d, gfn, &mfn) != P2M_FOREIGN_RW)
		return NULL;
	unsigned i = find(t, gfn);
	if (!t->slot[i].key_plus_1)
		return NULL;
	struct domain *owner = (struct domain *)(uintptr_t)t->slot[i].value;
	/* Unmapped (and the TLBs flushed) before the count drops: the owner may then free it. */
	p2m_unmap(d, gfn, 1);
	frame_put(mfn);
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
		uint64_t mfn;
		if (!s.key_plus_1)
			continue;
		bool mapped = p2m_lookup(d, s.key_plus_1 - 1, &mfn) == P2M_FOREIGN_RW;
		p2m_unmap(d, s.key_plus_1 - 1, 1);
		if (mapped)
			frame_put(mfn);
		t->slot[i] = (struct foreign_slot){0, 0};
		t->count--;
		put((struct domain *)(uintptr_t)s.value);
	}
}

void foreign_map_destroy(struct domain *d)
{
	if (d->foreign)
		table_free(d->foreign);
	d->foreign = NULL;
}

unsigned foreign_map_count(const struct domain *d)
{
	return d->foreign ? d->foreign->count : 0;
}
