// SPDX-License-Identifier: Apache-2.0
/*
 * The machine memory a domain that is not 1:1 owns (d->extents): runs of contiguous pages,
 * any length. A page given back (decrease_reservation) trims a run or splits it in two; a page
 * populated next to a run joins it, and one that fills the gap between two runs joins both, so
 * a balloon driver that gives half its pages back and takes them again keeps the table small
 * (the allocator hands the freed pages out again, and fresh ones in ascending runs). When the
 * table is full the call that needs a new run fails, with everything left as it was.
 * Teardown gives every run back with page_free_range(). All under d->lock.
 */
#include <punt/domain.h>
#include <punt/page_alloc.h>

int domain_extent_find(const struct domain *d, uint64_t pa)
{
	for (unsigned i = 0; i < d->nr_extents; i++) {
		if (pa >= d->extents[i].base && pa - d->extents[i].base < d->extents[i].size)
			return (int)i;
	}
	return -1;
}

/* The run that ends at pa (below) and the one that starts at end (above), -1 when none. */
static void neighbours(const struct domain *d, uint64_t pa, uint64_t end, int *below, int *above)
{
	*below = *above = -1;
	for (unsigned i = 0; i < d->nr_extents; i++) {
		if (d->extents[i].base + d->extents[i].size == pa)
			*below = (int)i;
		if (d->extents[i].base == end)
			*above = (int)i;
	}
}

bool domain_extent_room(const struct domain *d, uint64_t pa, uint64_t size)
{
	int below, above;

	neighbours(d, pa, pa + size, &below, &above);
	return below >= 0 || above >= 0 || d->nr_extents < DOMAIN_MAX_EXTENTS;
}

static void remove_at(struct domain *d, unsigned i)
{
	d->extents[i] = d->extents[--d->nr_extents];
}

bool domain_extent_add(struct domain *d, uint64_t pa, uint64_t size)
{
	int below, above;

	neighbours(d, pa, pa + size, &below, &above);
	if (below >= 0 && above >= 0) {
		d->extents[below].size += size + d->extents[above].size;
		remove_at(d, (unsigned)above);
		return true;
	}
	if (below >= 0) {
		d->extents[below].size += size;
		return true;
	}
	if (above >= 0) {
		d->extents[above].base = pa;
		d->extents[above].size += size;
		return true;
	}
	if (d->nr_extents == DOMAIN_MAX_EXTENTS)
		return false;
	d->extents[d->nr_extents++] = (struct boot_region){pa, size};
	return true;
}

bool domain_extent_take_page(struct domain *d, unsigned i, uint64_t pa)
{
	struct boot_region *e = &d->extents[i];
	uint64_t end = e->base + e->size;

	if (e->size == PAGE_SIZE) {
		remove_at(d, i);
		return true;
	}
	if (pa == e->base) {
		e->base += PAGE_SIZE;
		e->size -= PAGE_SIZE;
		return true;
	}
	if (pa + PAGE_SIZE == end) {
		e->size -= PAGE_SIZE;
		return true;
	}
	if (d->nr_extents == DOMAIN_MAX_EXTENTS)
		return false;
	e->size = pa - e->base;
	d->extents[d->nr_extents++] = (struct boot_region){pa + PAGE_SIZE, end - pa - PAGE_SIZE};
	return true;
}

void domain_extents_free(struct domain *d)
{
	for (unsigned i = 0; i < d->nr_extents; i++)
		page_free_range(d->extents[i].base, d->extents[i].size);
	d->nr_extents = 0;
}
