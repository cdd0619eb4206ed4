// SPDX-License-Identifier: Apache-2.0
/*
 * memory_op (hyp/core/memory_op.c) for translated guests, through the real dispatch table on
 * domains the core built on the fake architecture: add_to_physmap and remove_from_physmap of
 * shared_info and grant-table frames, the reservation calls a domain without 1:1 memory
 * gets, current/maximum_reservation, exchange, get_vnumainfo and unknown commands. The
 * answers are Xen 4.17's, as the conformance guests expect them
 * (tests/guests/tests/memory_*.c); the direct-mapped dom0's paths are in test_boot.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/errno.h>
#include <public/memory.h>
#include <public/xen.h>
#include <punt/arch/irq.h>
#include <punt/foreign_map.h>
#include <punt/grant_table.h>
#include <punt/hypercall.h>
#include <punt/page_alloc.h>

static struct domain *dom0, *d1, *d2;

static int setup(void **state)
{
	(void)state;
	machine_boot(2);
	dom0 = machine_domain(0, 1, true);
	d1 = machine_domain(1, 1, false);
	d2 = machine_domain(2, 1, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

/* v traps with memory_op(cmd, arg) on its CPU. */
static long memory_op(struct domain *d, uint64_t cmd, const void *arg)
{
	struct vcpu *v = d->vcpus[0];

	machine_run(v);
	irq_handle_pending();
	return do_hypercall(v, HYPERVISOR_memory_op,
			    (const uint64_t[5]){cmd, (uint64_t)(uintptr_t)arg, 0, 0, 0});
}

/* A frame of the domain's RAM, away from where the builder put the kernel. */
#define RAM_GFN(n) (MACHINE_DOMAIN_GFN + MACHINE_DOMAIN_PAGES - 1 - (n))

static long add(struct domain *caller, domid_t domid, unsigned space, uint64_t idx, uint64_t gfn)
{
	struct xen_add_to_physmap x = {.domid = domid, .space = space, .idx = idx, .gpfn = gfn};

	return memory_op(caller, XENMEM_add_to_physmap, &x);
}

static long remove_gfn(struct domain *caller, domid_t domid, uint64_t gfn)
{
	struct xen_remove_from_physmap r = {.domid = domid, .gpfn = gfn};

	return memory_op(caller, XENMEM_remove_from_physmap, &r);
}

/* The machine frame gfn of d maps, 0 when it is not mapped as RAM. */
static uint64_t ram_mfn(struct domain *d, uint64_t gfn)
{
	uint64_t mfn = 0;

	if (p2m_lookup(d, gfn, &mfn) != P2M_RAM_RW)
		return 0;
	return mfn;
}

static uint64_t shared_info_mfn(struct domain *d)
{
	return (uint64_t)(uintptr_t)d->shared_info >> 12;
}

/* ---- shared_info ------------------------------------------------------------------------ */

static void shared_info_maps_over_a_ram_frame(void **state)
{
	(void)state;
	uint64_t gfn = RAM_GFN(0);

	assert_int_not_equal(ram_mfn(d1, gfn), shared_info_mfn(d1));
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, gfn), 0);
	assert_int_equal(ram_mfn(d1, gfn), shared_info_mfn(d1));
	assert_int_equal(d1->shared_info_gfn, gfn);
}

static void shared_info_idx_other_than_0_is_einval_and_leaves_the_frame(void **state)
{
	(void)state;
	uint64_t gfn = RAM_GFN(0), before = ram_mfn(d1, gfn);

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 1, gfn), -XEN_EINVAL);
	assert_int_equal(ram_mfn(d1, gfn), before);
	assert_int_equal(d1->shared_info_gfn, ~0UL);
}

static void shared_info_mapped_again_at_the_same_frame_is_fine(void **state)
{
	(void)state;
	uint64_t gfn = RAM_GFN(0);

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, gfn), 0);
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, gfn), 0);
	assert_int_equal(ram_mfn(d1, gfn), shared_info_mfn(d1));
}

/* memory_shared_info_remap_then_remove.c: -EBUSY elsewhere until the first is removed. */
static void shared_info_elsewhere_is_ebusy_until_removed(void **state)
{
	(void)state;
	uint64_t first = RAM_GFN(0), second = RAM_GFN(1), second_ram = ram_mfn(d1, second);

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, first), 0);
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, second), -XEN_EBUSY);
	assert_int_equal(ram_mfn(d1, second), second_ram);
	assert_int_equal(remove_gfn(d1, DOMID_SELF, first), 0);
	assert_int_equal(p2m_lookup(d1, first, NULL), P2M_INVALID);
	assert_int_equal(d1->shared_info_gfn, ~0UL);
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, second), 0);
	assert_int_equal(ram_mfn(d1, second), shared_info_mfn(d1));
}

static void a_frame_past_the_guest_address_space_is_einval(void **state)
{
	(void)state;
	uint64_t beyond = 1UL << (p2m_ipa_bits() - 12);

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, beyond), -XEN_EINVAL);
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, 0, beyond), -XEN_EINVAL);
	assert_int_equal(d1->shared_info_gfn, ~0UL);
}

static void the_control_domain_maps_a_guests_shared_info(void **state)
{
	(void)state;
	uint64_t gfn = RAM_GFN(2);

	assert_int_equal(add(dom0, 1, XENMAPSPACE_shared_info, 0, gfn), 0);
	assert_int_equal(ram_mfn(d1, gfn), shared_info_mfn(d1));
	assert_int_equal(dom0->shared_info_gfn, ~0UL);
}

static void a_guest_cannot_map_into_another_guest(void **state)
{
	(void)state;
	uint64_t gfn = RAM_GFN(0), before = ram_mfn(d2, gfn);

	assert_int_equal(add(d1, 2, XENMAPSPACE_shared_info, 0, gfn), -XEN_EPERM);
	assert_int_equal(remove_gfn(d1, 2, gfn), -XEN_EPERM);
	assert_int_equal(add(d1, 77, XENMAPSPACE_shared_info, 0, gfn), -XEN_ESRCH);
	assert_int_equal(ram_mfn(d2, gfn), before);
}

static void spaces_punt_does_not_offer_are_enosys(void **state)
{
	(void)state;
	uint64_t gfn = RAM_GFN(0), before = ram_mfn(d1, gfn);

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_gmfn, 0, gfn), -XEN_ENOSYS);
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_gmfn_range, 0, gfn), -XEN_ENOSYS);
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_dev_mmio, 0, gfn), -XEN_ENOSYS);
	/* Foreign frames only through add_to_physmap_batch, before the domain is even looked up. */
	assert_int_equal(add(d1, 77, XENMAPSPACE_gmfn_foreign, 0, gfn), -XEN_ENOSYS);
	assert_int_equal(ram_mfn(d1, gfn), before);
}

/* ---- grant-table frames ----------------------------------------------------------------- */

static void a_grant_frame_maps_where_the_guest_says(void **state)
{
	(void)state;
	uint64_t gfn = RAM_GFN(3);

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, 0, gfn), 0);
	assert_int_equal(ram_mfn(d1, gfn), d1->grant->frame_pa[0] >> 12);
	assert_int_equal(d1->grant->frame_gfn[0], gfn);
}

static void a_grant_frame_mapped_elsewhere_leaves_its_old_frame(void **state)
{
	(void)state;
	uint64_t first = RAM_GFN(3), second = RAM_GFN(4);

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, 0, first), 0);
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, 0, second), 0);
	assert_int_equal(p2m_lookup(d1, first, NULL), P2M_INVALID);
	assert_int_equal(ram_mfn(d1, second), d1->grant->frame_pa[0] >> 12);
}

static void grant_frames_grow_the_table_up_to_its_maximum(void **state)
{
	(void)state;
	unsigned max = d1->grant->max_frames;

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, max - 1, RAM_GFN(5)), 0);
	assert_int_equal(d1->grant->nr_frames, max);
	assert_int_equal(ram_mfn(d1, RAM_GFN(5)), d1->grant->frame_pa[max - 1] >> 12);
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, max, RAM_GFN(6)),
			 -XEN_EINVAL);
}

static void removing_a_grant_frames_gfn_forgets_it(void **state)
{
	(void)state;
	uint64_t gfn = RAM_GFN(3);

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, 0, gfn), 0);
	assert_int_equal(remove_gfn(d1, DOMID_SELF, gfn), 0);
	assert_int_equal(p2m_lookup(d1, gfn, NULL), P2M_INVALID);
	assert_int_equal(d1->grant->frame_gfn[0], ~0UL);
}

/* ---- remove_from_physmap ---------------------------------------------------------------- */

static void removing_a_ram_frame_unmaps_it(void **state)
{
	(void)state;
	uint64_t gfn = RAM_GFN(7);

	assert_int_not_equal(ram_mfn(d1, gfn), 0);
	assert_int_equal(remove_gfn(d1, DOMID_SELF, gfn), 0);
	assert_int_equal(p2m_lookup(d1, gfn, NULL), P2M_INVALID);
	/* Nothing there any more. */
	assert_int_equal(remove_gfn(d1, DOMID_SELF, gfn), -XEN_ENOENT);
}

static void removing_a_hole_or_a_frame_past_the_address_space_is_enoent(void **state)
{
	(void)state;

	assert_int_equal(remove_gfn(d1, DOMID_SELF, MACHINE_DOMAIN_GFN + MACHINE_DOMAIN_PAGES),
			 -XEN_ENOENT);
	assert_int_equal(remove_gfn(d1, DOMID_SELF, 1UL << (p2m_ipa_bits() - 12)), -XEN_ENOENT);
}

/* memory_reservation_starts_at_start_extent.c: a start extent means nothing here. */
static void remove_from_physmap_with_a_start_extent_is_einval(void **state)
{
	(void)state;
	struct xen_remove_from_physmap r = {.domid = DOMID_SELF, .gpfn = RAM_GFN(7)};

	assert_int_equal(
	    memory_op(d1, XENMEM_remove_from_physmap | (1UL << MEMOP_EXTENT_SHIFT), &r),
	    -XEN_EINVAL);
	assert_int_not_equal(ram_mfn(d1, RAM_GFN(7)), 0);
}

static void add_to_physmap_start_extents_past_16_bits_are_edom(void **state)
{
	(void)state;
	struct xen_add_to_physmap x = {
	    .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .gpfn = RAM_GFN(0)};

	assert_int_equal(
	    memory_op(d1, XENMEM_add_to_physmap | (0x10000UL << MEMOP_EXTENT_SHIFT), &x),
	    -XEN_EDOM);
	assert_int_equal(d1->shared_info_gfn, ~0UL);
	/* Up to 0xffff the start is ignored: shared_info has no extents. */
	assert_int_equal(
	    memory_op(d1, XENMEM_add_to_physmap | (0xffffUL << MEMOP_EXTENT_SHIFT), &x), 0);
	assert_int_equal(d1->shared_info_gfn, RAM_GFN(0));
}

static void arguments_the_guest_cannot_give_are_efault(void **state)
{
	(void)state;
	const void *bad = (const void *)16; /* below 4096: the fake faults */

	assert_int_equal(memory_op(d1, XENMEM_add_to_physmap, bad), -XEN_EFAULT);
	assert_int_equal(memory_op(d1, XENMEM_remove_from_physmap, bad), -XEN_EFAULT);
	assert_int_equal(memory_op(d1, XENMEM_current_reservation, bad), -XEN_EFAULT);
	assert_int_equal(memory_op(d1, XENMEM_exchange, bad), -XEN_EFAULT);
	assert_int_equal(memory_op(d1, XENMEM_get_vnumainfo, bad), -XEN_EFAULT);
	/* The reservation calls answer with the extents done: none. */
	assert_int_equal(memory_op(d1, XENMEM_decrease_reservation, bad), 0);
}

/* ---- reservations on a domain without 1:1 memory ------------------------------------------ */

static xen_pfn_t extents[4];

static long reserve(struct domain *caller, unsigned op, uint64_t start, uint64_t nr, uint32_t order,
		    uint32_t flags, domid_t domid)
{
	struct xen_memory_reservation r = {.extent_start_gva = (uint64_t)(uintptr_t)extents,
					   .nr_extents = nr,
					   .extent_order = order,
					   .mem_flags = flags,
					   .domid = domid};

	return memory_op(caller, op | (start << MEMOP_EXTENT_SHIFT), &r);
}

static void a_guest_that_holds_max_pages_cannot_populate_more(void **state)
{
	(void)state;
	/* It holds all it was built with (max_pages): populate_physmap does no extent. */
	extents[0] = RAM_GFN(0) + MACHINE_DOMAIN_PAGES;
	assert_int_equal(reserve(d1, XENMEM_populate_physmap, 0, 1, 0, 0, DOMID_SELF), 0);
	assert_int_equal(p2m_lookup(d1, extents[0], NULL), P2M_INVALID);
}

/* Every CPU passes its scheduler twice: a given-back page's grace period is over. */
static void pass_every_cpu(void)
{
	for (unsigned round = 0; round < 3; round++)
		for (unsigned c = 0; c < nr_pcpus; c++)
			machine_pass(c);
}

static void a_guest_gives_pages_back_and_populates_them_again(void **state)
{
	(void)state;
	uint64_t tot = d1->tot_pages, free_before = page_alloc_free_pages();

	extents[0] = RAM_GFN(0);
	extents[1] = RAM_GFN(7);
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 2, 0, 0, DOMID_SELF), 2);
	assert_int_equal(ram_mfn(d1, RAM_GFN(0)), 0);
	assert_int_equal(ram_mfn(d1, RAM_GFN(7)), 0);
	assert_int_not_equal(ram_mfn(d1, RAM_GFN(1)), 0);
	assert_int_equal(d1->tot_pages, tot - 2);
	/* The pages reach the allocator once every CPU has left the hypervisor once. */
	pass_every_cpu();
	assert_int_equal(page_alloc_free_pages(), free_before + 2);
	/* A second give-back of the same frame is no extent done. */
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 0);
	/* populate_physmap (a balloon driver growing again) maps fresh pages there. */
	assert_int_equal(reserve(d1, XENMEM_populate_physmap, 0, 2, 0, 0, DOMID_SELF), 2);
	assert_int_not_equal(ram_mfn(d1, RAM_GFN(0)), 0);
	assert_int_not_equal(ram_mfn(d1, RAM_GFN(7)), 0);
	assert_int_equal(d1->tot_pages, tot);
	assert_int_equal(page_alloc_free_pages(), free_before);
}

static void the_control_domain_takes_a_guests_pages_back_within_max_pages(void **state)
{
	(void)state;
	uint64_t tot = d1->tot_pages;

	extents[0] = RAM_GFN(4);
	assert_int_equal(reserve(dom0, XENMEM_decrease_reservation, 0, 1, 0, 0, 1), 1);
	assert_int_equal(d1->tot_pages, tot - 1);
	/* max_pages lowered to what it holds (xl mem-set): nothing more may come back. */
	d1->max_pages = d1->tot_pages;
	assert_int_equal(reserve(d1, XENMEM_populate_physmap, 0, 1, 0, 0, DOMID_SELF), 0);
	d1->max_pages = tot;
	assert_int_equal(reserve(d1, XENMEM_populate_physmap, 0, 1, 0, 0, DOMID_SELF), 1);
	assert_int_equal(d1->tot_pages, tot);
}

static void decrease_stops_at_the_first_frame_that_is_not_the_guests_ram(void **state)
{
	(void)state;
	uint64_t tot = d1->tot_pages;

	extents[0] = RAM_GFN(3);
	extents[1] = MACHINE_DOMAIN_GFN + MACHINE_DOMAIN_PAGES + 5; /* a hole */
	extents[2] = RAM_GFN(2);
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 3, 0, 0, DOMID_SELF), 1);
	assert_int_equal(d1->tot_pages, tot - 1);
	assert_int_not_equal(ram_mfn(d1, RAM_GFN(2)), 0);
	/* Past the guest address space, and a range that would wrap it. */
	extents[0] = 1UL << 40;
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 0);
	extents[0] = ~0UL;
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 9, 0, DOMID_SELF), 0);
	assert_int_equal(d1->tot_pages, tot - 1);
}

static void an_extent_given_back_in_part_is_not_counted_but_stays_given(void **state)
{
	(void)state;
	uint64_t tot = d1->tot_pages;

	/* Order 2 from the second-last page: two pages are RAM, then the end of it. */
	extents[0] = RAM_GFN(1);
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 2, 0, DOMID_SELF), 0);
	assert_int_equal(d1->tot_pages, tot - 2);
	assert_int_equal(ram_mfn(d1, RAM_GFN(0)), 0);
	/* A whole order-3 extent inside its RAM is one extent done. */
	extents[0] = RAM_GFN(15);
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 3, 0, DOMID_SELF), 1);
	assert_int_equal(d1->tot_pages, tot - 10);
}

static void the_shared_info_frame_given_back_is_only_unmapped(void **state)
{
	(void)state;
	uint64_t gfn = MACHINE_DOMAIN_GFN + MACHINE_DOMAIN_PAGES + 9, tot = d1->tot_pages;
	uint64_t free_before = page_alloc_free_pages();

	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, gfn), 0);
	extents[0] = gfn;
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 1);
	assert_int_equal(p2m_lookup(d1, gfn, NULL), P2M_INVALID);
	assert_int_equal(d1->shared_info_gfn, ~0UL);
	pass_every_cpu();
	/* Punt's page, not the guest's: not freed, and the guest holds as many pages as before. */
	assert_int_equal(d1->tot_pages, tot);
	assert_int_equal(page_alloc_free_pages(), free_before);
	assert_int_equal(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, gfn), 0);
}

static void a_page_another_domain_has_pinned_is_not_given_back(void **state)
{
	(void)state;
	uint64_t mfn, tot = d1->tot_pages;

	struct domain_locked l = domain_lock(d1);
	struct grant_entry_v1 *e = grant_entry(l, 3);
	e->domid = 2;
	e->frame = (uint32_t)RAM_GFN(5);
	e->flags = GTF_permit_access;
	assert_int_equal(grant_pin(l, 3, 2, false, &mfn), GNTST_okay);
	assert_int_equal(mfn, ram_mfn(d1, RAM_GFN(5)));
	/* The guest points the entry elsewhere: the pin keeps the frame it had. */
	e->frame = (uint32_t)RAM_GFN(6);
	assert_int_equal(grant_pin(l, 3, 2, true, &mfn), GNTST_okay);
	assert_int_equal(mfn, ram_mfn(d1, RAM_GFN(5)));
	domain_unlock(&l);

	extents[0] = RAM_GFN(5);
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 0);
	assert_int_equal(ram_mfn(d1, RAM_GFN(5)), mfn);
	assert_int_equal(d1->tot_pages, tot);
	/* The entry's new frame is not pinned. */
	extents[0] = RAM_GFN(6);
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 1);

	l = domain_lock(d1);
	grant_unpin(l, 3, true);
	grant_unpin(l, 3, false);
	domain_unlock(&l);
	extents[0] = RAM_GFN(5);
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 1);
	assert_int_equal(d1->tot_pages, tot - 2);
}

static void the_page_of_a_registered_vcpu_info_is_not_given_back(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];
	struct vcpu_info *saved = v->vcpu_info;

	v->vcpu_info = (struct vcpu_info *)(uintptr_t)((ram_mfn(d1, RAM_GFN(8)) << 12) + 64);
	v->vcpu_info_registered = true;
	extents[0] = RAM_GFN(8);
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 0);
	assert_int_not_equal(ram_mfn(d1, RAM_GFN(8)), 0);
	v->vcpu_info = saved;
	v->vcpu_info_registered = false;
}

/* dom0 maps page gfn of d1 at its own frame dom0_gfn (privcmd's mmap, add_to_physmap_batch). */
static void dom0_maps(uint64_t gfn, uint64_t dom0_gfn)
{
	xen_ulong_t idx = gfn;
	xen_pfn_t at = dom0_gfn;
	int err = -1;
	struct xen_add_to_physmap_batch b = {.domid = DOMID_SELF,
					     .space = XENMAPSPACE_gmfn_foreign,
					     .size = 1,
					     .foreign_domid = d1->id,
					     .idxs_gva = (uint64_t)(uintptr_t)&idx,
					     .gpfns_gva = (uint64_t)(uintptr_t)&at,
					     .errs_gva = (uint64_t)(uintptr_t)&err};

	assert_int_equal(memory_op(dom0, XENMEM_add_to_physmap_batch, &b), 0);
	assert_int_equal(err, 0);
}

static void a_page_the_control_domain_maps_is_kept_and_the_others_go(void **state)
{
	(void)state;
	uint64_t mapped = RAM_GFN(9), other = RAM_GFN(10), mfn = ram_mfn(d1, mapped);

	/* As xenconsoled keeps the console ring mapped: that page stays, the rest may go. */
	dom0_maps(mapped, 0x90000);
	dom0_maps(mapped, 0x90001);
	extents[0] = mapped;
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 0);
	assert_int_equal(ram_mfn(d1, mapped), mfn);
	extents[0] = other;
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 1);
	assert_int_equal(ram_mfn(d1, other), 0);
	/* Still held while one of the two mappings is left. */
	assert_int_equal(remove_gfn(dom0, DOMID_SELF, 0x90000), 0);
	extents[0] = mapped;
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 0);
	assert_true(foreign_frame_mapped(mfn));
	assert_int_equal(remove_gfn(dom0, DOMID_SELF, 0x90001), 0);
	assert_false(foreign_frame_mapped(mfn));
	assert_int_equal(d1->foreign_refs, 0);
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF), 1);
	assert_int_equal(ram_mfn(d1, mapped), 0);
}

static void given_back_pages_are_freed_with_the_rest_at_teardown(void **state)
{
	(void)state;
	uint64_t free_before = page_alloc_free_pages();
	struct domain *d3 = machine_domain(3, 1, false);

	for (unsigned i = 0; i < 4; i++)
		extents[i] = MACHINE_DOMAIN_GFN + 3 * i + 1;
	assert_int_equal(reserve(d3, XENMEM_decrease_reservation, 0, 4, 0, 0, DOMID_SELF), 4);
	machine_destroy(d3);
	pass_every_cpu();
	assert_int_equal(page_alloc_free_pages(), free_before);
}

static void a_balloon_half_given_back_and_taken_again_keeps_few_runs(void **state)
{
	(void)state;
	uint64_t free_before = page_alloc_free_pages();
	struct domain *d3 = machine_domain(3, 1, false);
	unsigned runs = d3->nr_extents, half = MACHINE_DOMAIN_PAGES / 2;
	uint64_t free_built = page_alloc_free_pages();

	/* Every other page: as many holes as the table has slots were a split a new run each. */
	for (unsigned i = 0; i < half; i++) {
		extents[0] = MACHINE_DOMAIN_GFN + 2 * i + 1;
		assert_int_equal(reserve(d3, XENMEM_decrease_reservation, 0, 1, 0, 0, DOMID_SELF),
				 1);
	}
	assert_int_equal(d3->tot_pages, MACHINE_DOMAIN_PAGES - half);
	assert_in_range(d3->nr_extents, half, half + runs);
	pass_every_cpu();
	assert_int_equal(page_alloc_free_pages(), free_built + half);
	/* The allocator hands the same pages out again: each fills its hole and joins two runs. */
	for (unsigned i = 0; i < half; i++) {
		extents[0] = MACHINE_DOMAIN_GFN + 2 * i + 1;
		assert_int_equal(reserve(d3, XENMEM_populate_physmap, 0, 1, 0, 0, DOMID_SELF), 1);
	}
	assert_int_equal(d3->tot_pages, MACHINE_DOMAIN_PAGES);
	assert_in_range(d3->nr_extents, 1, runs);
	machine_destroy(d3);
	pass_every_cpu();
	assert_int_equal(page_alloc_free_pages(), free_before);
}

static void increase_reservation_gives_nothing(void **state)
{
	(void)state;
	uint64_t pages = d1->tot_pages;

	extents[0] = MACHINE_DOMAIN_GFN + MACHINE_DOMAIN_PAGES;
	assert_int_equal(reserve(d1, XENMEM_increase_reservation, 0, 1, 0, 0, DOMID_SELF), 0);
	assert_int_equal(d1->tot_pages, pages);
}

static void bad_reservation_arguments_answer_the_start_extent(void **state)
{
	(void)state;
	unsigned op = XENMEM_decrease_reservation;

	extents[0] = RAM_GFN(0);
	/* A start at or past nr_extents: nothing to do. */
	assert_int_equal(reserve(d1, op, 4, 4, 0, 0, DOMID_SELF), 4);
	assert_int_equal(reserve(d1, op, 20, 4, 0, 0, DOMID_SELF), 20);
	/* More extents than a continuation could count. */
	assert_int_equal(reserve(d1, op, 0, 1UL << 58, 0, 0, DOMID_SELF), 0);
	/* Another guest, or none. */
	assert_int_equal(reserve(d1, op, 0, 1, 0, 0, 2), 0);
	assert_int_equal(reserve(d1, op, 0, 1, 0, 0, 77), 0);
	/* An order above a guest's 9. */
	assert_int_equal(reserve(d1, op, 0, 1, 10, 0, DOMID_SELF), 0);
	/* An address limit within one page. */
	assert_int_equal(reserve(d1, op, 0, 1, 0, XENMEMF_address_bits(12), DOMID_SELF), 0);
	/* A guest may not insist on a node. */
	assert_int_equal(
	    reserve(d1, op, 0, 1, 0, XENMEMF_node(0) | XENMEMF_exact_node_request, DOMID_SELF), 0);
	/* No populate-on-demand on Arm. */
	assert_int_equal(
	    reserve(d1, XENMEM_populate_physmap, 0, 1, 0, XENMEMF_populate_on_demand, DOMID_SELF),
	    0);
	assert_int_not_equal(ram_mfn(d1, RAM_GFN(0)), 0);
}

static void node_requests_the_checks_let_through(void **state)
{
	(void)state;
	unsigned op = XENMEM_decrease_reservation;
	uint64_t tot = d1->tot_pages;

	/* A node that is only a preference, and a virtual node, reach the domain. */
	extents[0] = RAM_GFN(0);
	assert_int_equal(reserve(d1, op, 0, 1, 0, XENMEMF_node(0), DOMID_SELF), 1);
	extents[0] = RAM_GFN(1);
	assert_int_equal(reserve(d1, op, 0, 1, 0,
				 XENMEMF_node(3) | XENMEMF_exact_node_request | XENMEMF_vnode,
				 DOMID_SELF),
			 1);
	/* The control domain may name node 0, the only one, but not node 1. */
	extents[0] = RAM_GFN(2);
	assert_int_equal(reserve(dom0, op, 0, 1, 0, XENMEMF_node(1), 1), 0);
	assert_int_equal(reserve(dom0, op, 0, 1, 0, XENMEMF_node(0), 1), 1);
	/* And an order up to 18 (the extent then reaches past the guest's RAM: not counted). */
	extents[0] = RAM_GFN(4);
	assert_int_equal(reserve(dom0, op, 0, 1, 19, 0, 1), 0);
	assert_int_equal(d1->tot_pages, tot - 3);
	assert_int_equal(reserve(dom0, op, 0, 1, 18, 0, 1), 0);
	assert_int_equal(d1->tot_pages, tot - 5);
}

/* ---- current / maximum reservation ------------------------------------------------------ */

static void a_domain_has_the_pages_it_was_built_with(void **state)
{
	(void)state;
	struct xen_memory_domain md = {.domid = DOMID_SELF};

	assert_true(d1->tot_pages >= MACHINE_DOMAIN_PAGES);
	assert_int_equal(memory_op(d1, XENMEM_current_reservation, &md), (long)d1->tot_pages);
	assert_int_equal(memory_op(d1, XENMEM_maximum_reservation, &md), (long)d1->tot_pages);
	md.domid = 2;
	assert_int_equal(memory_op(dom0, XENMEM_current_reservation, &md), (long)d2->tot_pages);
}

static void another_guests_reservation_is_not_a_guests_to_read(void **state)
{
	(void)state;
	struct xen_memory_domain md = {.domid = 2};

	assert_int_equal(memory_op(d1, XENMEM_current_reservation, &md), -XEN_EPERM);
	md.domid = 77;
	assert_int_equal(memory_op(d1, XENMEM_maximum_reservation, &md), -XEN_ESRCH);
	md.domid = DOMID_SELF;
	assert_int_equal(
	    memory_op(d1, XENMEM_current_reservation | (1UL << MEMOP_EXTENT_SHIFT), &md),
	    -XEN_EINVAL);
	assert_int_equal(memory_op(d1, XENMEM_maximum_ram_page | (1UL << MEMOP_EXTENT_SHIFT), NULL),
			 -XEN_EINVAL);
}

/* ---- exchange --------------------------------------------------------------------------- */

static xen_pfn_t in_gfns[8];

static struct xen_memory_exchange exchange_of(uint64_t in_nr, uint32_t in_order, uint64_t out_nr,
					      uint32_t out_order)
{
	return (struct xen_memory_exchange){
	    .in = {.extent_start_gva = (uint64_t)(uintptr_t)in_gfns,
		   .nr_extents = in_nr,
		   .extent_order = in_order,
		   .domid = DOMID_SELF},
	    .out = {.extent_start_gva = (uint64_t)(uintptr_t)extents,
		    .nr_extents = out_nr,
		    .extent_order = out_order,
		    .domid = DOMID_SELF},
	};
}

/* Xen on Arm cannot take a page from a guest: the first extent fails, nothing is exchanged. */
static void exchange_fails_at_its_first_extent(void **state)
{
	(void)state;
	struct xen_memory_exchange x = exchange_of(2, 0, 2, 0);

	in_gfns[0] = RAM_GFN(0);
	in_gfns[1] = RAM_GFN(1);
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EOPNOTSUPP);
	assert_int_equal(x.nr_exchanged, 0);
	assert_int_not_equal(ram_mfn(d1, RAM_GFN(0)), 0);
}

/* A resumed exchange goes back to the start of the chunk of in extents one out extent takes. */
static void exchange_resumes_at_its_chunk(void **state)
{
	(void)state;
	struct xen_memory_exchange x = exchange_of(8, 0, 2, 2);

	x.nr_exchanged = 6;
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EOPNOTSUPP);
	assert_int_equal(x.nr_exchanged, 4);
	x = exchange_of(8, 0, 8, 0);
	x.nr_exchanged = 5;
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EOPNOTSUPP);
	assert_int_equal(x.nr_exchanged, 5);
}

static void an_exchange_already_done_is_0(void **state)
{
	(void)state;
	struct xen_memory_exchange x = exchange_of(2, 0, 2, 0);

	x.nr_exchanged = 2;
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), 0);
	assert_int_equal(x.nr_exchanged, 2);
}

static void exchange_argument_checks_in_xens_order(void **state)
{
	(void)state;
	struct xen_memory_exchange x;

	/* Orders first: -EPERM even when the sizes do not match either. */
	x = exchange_of(1, 10, 3, 0);
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EPERM);
	x = exchange_of(1, 0, 1, 10);
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EPERM);
	/* Sizes that do not match. */
	x = exchange_of(2, 0, 1, 0);
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EINVAL);
	/* More done than asked. */
	x = exchange_of(2, 0, 2, 0);
	x.nr_exchanged = 3;
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EINVAL);
	/* in and out for different domains. */
	x = exchange_of(1, 0, 1, 0);
	x.out.domid = 1;
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EINVAL);
	/* An extent count that overflows with its order. */
	x = exchange_of(1UL << 60, 8, 1UL << 60, 8);
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EINVAL);
	/* A node a guest insists on. */
	x = exchange_of(1, 0, 1, 0);
	x.out.mem_flags = XENMEMF_node(0) | XENMEMF_exact_node_request;
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EINVAL);
	/* Another guest's memory. */
	x = exchange_of(1, 0, 1, 0);
	x.in.domid = x.out.domid = 2;
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EPERM);
	/* A start extent. */
	x = exchange_of(1, 0, 1, 0);
	assert_int_equal(memory_op(d1, XENMEM_exchange | (1UL << MEMOP_EXTENT_SHIFT), &x),
			 -XEN_EINVAL);
}

static void an_exchange_whose_extent_list_faults_is_efault(void **state)
{
	(void)state;
	struct xen_memory_exchange x = exchange_of(1, 0, 1, 0);

	x.in.extent_start_gva = 16;
	assert_int_equal(memory_op(d1, XENMEM_exchange, &x), -XEN_EFAULT);
}

/* ---- the rest ------------------------------------------------------------------------------ */

static void no_domain_has_a_virtual_numa_layout(void **state)
{
	(void)state;
	struct xen_vnuma_topology_info t = {.domid = DOMID_SELF};

	assert_int_equal(memory_op(d1, XENMEM_get_vnumainfo, &t), -XEN_EOPNOTSUPP);
	t.pad = 1;
	assert_int_equal(memory_op(d1, XENMEM_get_vnumainfo, &t), -XEN_EINVAL);
	t = (struct xen_vnuma_topology_info){.domid = 2};
	assert_int_equal(memory_op(d1, XENMEM_get_vnumainfo, &t), -XEN_EPERM);
	t.domid = DOMID_SELF;
	assert_int_equal(memory_op(d1, XENMEM_get_vnumainfo | (1UL << MEMOP_EXTENT_SHIFT), &t),
			 -XEN_EINVAL);
}

/* memory_unknown_cmd_enosys.c, and what Arm's arch_memory_op knows. */
static void unknown_and_unoffered_commands_are_enosys(void **state)
{
	(void)state;
	struct xen_memory_domain md = {.domid = DOMID_SELF};

	assert_int_equal(memory_op(d1, 63, NULL), -XEN_ENOSYS);
	assert_int_equal(memory_op(d1, 50, NULL), -XEN_ENOSYS);
	assert_int_equal(memory_op(d1, XENMEM_maximum_gpfn, &md), -XEN_ENOSYS);
	assert_int_equal(memory_op(d1, XENMEM_claim_pages, NULL), -XEN_ENOSYS);
	/* Arm shares no pages: both counters are 0, but only for the plain command. */
	assert_int_equal(memory_op(d1, XENMEM_get_sharing_freed_pages, NULL), 0);
	assert_int_equal(memory_op(d1, XENMEM_get_sharing_shared_pages, NULL), 0);
	assert_int_equal(
	    memory_op(d1, XENMEM_get_sharing_shared_pages | (1UL << MEMOP_EXTENT_SHIFT), NULL),
	    -XEN_ENOSYS);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(shared_info_maps_over_a_ram_frame),
	    T(shared_info_idx_other_than_0_is_einval_and_leaves_the_frame),
	    T(shared_info_mapped_again_at_the_same_frame_is_fine),
	    T(shared_info_elsewhere_is_ebusy_until_removed),
	    T(a_frame_past_the_guest_address_space_is_einval),
	    T(the_control_domain_maps_a_guests_shared_info),
	    T(a_guest_cannot_map_into_another_guest),
	    T(spaces_punt_does_not_offer_are_enosys),
	    T(a_grant_frame_maps_where_the_guest_says),
	    T(a_grant_frame_mapped_elsewhere_leaves_its_old_frame),
	    T(grant_frames_grow_the_table_up_to_its_maximum),
	    T(removing_a_grant_frames_gfn_forgets_it),
	    T(removing_a_ram_frame_unmaps_it),
	    T(removing_a_hole_or_a_frame_past_the_address_space_is_enoent),
	    T(remove_from_physmap_with_a_start_extent_is_einval),
	    T(add_to_physmap_start_extents_past_16_bits_are_edom),
	    T(arguments_the_guest_cannot_give_are_efault),
	    T(a_guest_that_holds_max_pages_cannot_populate_more),
	    T(a_guest_gives_pages_back_and_populates_them_again),
	    T(the_control_domain_takes_a_guests_pages_back_within_max_pages),
	    T(decrease_stops_at_the_first_frame_that_is_not_the_guests_ram),
	    T(an_extent_given_back_in_part_is_not_counted_but_stays_given),
	    T(the_shared_info_frame_given_back_is_only_unmapped),
	    T(a_page_another_domain_has_pinned_is_not_given_back),
	    T(the_page_of_a_registered_vcpu_info_is_not_given_back),
	    T(a_page_the_control_domain_maps_is_kept_and_the_others_go),
	    T(given_back_pages_are_freed_with_the_rest_at_teardown),
	    T(a_balloon_half_given_back_and_taken_again_keeps_few_runs),
	    T(increase_reservation_gives_nothing),
	    T(bad_reservation_arguments_answer_the_start_extent),
	    T(node_requests_the_checks_let_through),
	    T(a_domain_has_the_pages_it_was_built_with),
	    T(another_guests_reservation_is_not_a_guests_to_read),
	    T(exchange_fails_at_its_first_extent),
	    T(exchange_resumes_at_its_chunk),
	    T(an_exchange_already_done_is_0),
	    T(exchange_argument_checks_in_xens_order),
	    T(an_exchange_whose_extent_list_faults_is_efault),
	    T(no_domain_has_a_virtual_numa_layout),
	    T(unknown_and_unoffered_commands_are_enosys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
