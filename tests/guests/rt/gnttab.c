// SPDX-License-Identifier: Apache-2.0
/* Granting pages from the guest side: our own v1 grant table and where foreign pages go. */
#include "rt.h"

static volatile struct grant_entry_v1 *table;

volatile struct grant_entry_v1 *rt_gnttab(void)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_grant_table,
				       .idx = 0,
				       .gpfn = rt_plat.gnttab.base >> 12};

	if (table)
		return table;
	if (!rt_plat.gnttab.size)
		rt_error("/hypervisor has no grant-table window");
	REQUIRE_EQ(hyp_memory_op(XENMEM_add_to_physmap, &x), 0, "map grant frame 0");
	table = (volatile struct grant_entry_v1 *)rt_plat.gnttab.base;
	return table;
}

void rt_grant(grant_ref_t ref, domid_t to, const void *page, uint16_t flags)
{
	volatile struct grant_entry_v1 *e = &rt_gnttab()[ref];

	e->domid = to;
	e->frame = (uint32_t)((uint64_t)page >> 12);
	/* The hypervisor may act on the entry as soon as flags say so: fill it in first. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	e->flags = flags;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static bool in_ram(uint64_t a)
{
	for (unsigned i = 0; i < rt_plat.nr_banks; i++)
		if (a >= rt_plat.bank[i].base && a - rt_plat.bank[i].base < rt_plat.bank[i].size)
			return true;
	return false;
}

uint64_t rt_foreign_area(void)
{
	uint64_t top = 4ull << 30; /* the end of what our stage-1 map covers as Normal memory */

	for (unsigned i = 0; i < rt_plat.nr_ext; i++) {
		const struct rt_region *r = &rt_plat.ext[i];
		if (r->size >= RT_FOREIGN_PAGES * PAGE_SIZE &&
		    r->base + RT_FOREIGN_PAGES * PAGE_SIZE <= top)
			return r->base;
	}
	/* No extended region: a stretch below 4 GiB that no memory bank covers. */
	uint64_t a = top - RT_FOREIGN_PAGES * PAGE_SIZE;
	if (in_ram(a) || in_ram(top - 1))
		rt_error("no extended region and no hole below 4 GiB for foreign mappings");
	return a;
}
