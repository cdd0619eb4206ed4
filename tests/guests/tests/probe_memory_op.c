// SPDX-License-Identifier: Apache-2.0
/*
 * memory_op as dom0, with bad input of every kind (xen/common/memory.c, do_memory_op; Arm's
 * arch_memory_op). The command is an unsigned long: bits 6 and up carry a continuation's
 * start extent, which only the reservation ops and add_to_physmap(_batch) accept (the others
 * say -EINVAL); commands Xen on Arm does not know are -ENOSYS even with those bits set. The
 * reservation ops never fail with an error code: any bad argument (list, domain, order,
 * count, flags) makes them return the extents done so far, here 0. Every expected value is
 * what Xen 4.17 returned to this guest as dom0 (512 MiB of a 2 GiB machine, 1:1).
 */
#include "rt.h"

#define NO_SUCH_DOMAIN 77
#define EXTENT(n)      ((uint64_t)(n) << MEMOP_EXTENT_SHIFT)
/* A device page dom0 owns on both hypervisors: QEMU virt's first virtio-mmio transport. */
#define VIRTIO_MMIO_PFN 0xa000

static uint8_t spare[4][PAGE_SIZE] PAGE_ALIGNED;

static long memop(uint64_t cmd, void *arg)
{
	return rt_hypercall(HYPERVISOR_memory_op, cmd, (uint64_t)arg, 0, 0, 0);
}

static uint64_t pfn(const void *p)
{
	return (uint64_t)p >> 12;
}

static void unknown_commands(void)
{
	/* x86-only and withdrawn commands, unknown to Xen on Arm. */
	static const struct {
		const char *name;
		unsigned cmd;
	} x86[] = {
	    {"bad_machphys_mfn_list", 5},
	    {"bad_translate_gpfn_list", 8},
	    {"bad_memory_map", 9},
	    {"bad_machine_memory_map", 10},
	    {"bad_machphys_mapping", 12},
	    {"bad_set_memory_map", 13},
	    {"bad_set_pod_target", 16},
	    {"bad_get_pod_target", 17},
	    {"bad_paging_op", 20},
	    {"bad_sharing_op", 22},
	    {"bad_machphys_compat_mfn_list", 25},
	    {"bad_cmd_29", 29},
	    {"bad_cmd_63", 63},
	};
	uint8_t buf[64] = {0};

	for (unsigned i = 0; i < sizeof(x86) / sizeof(x86[0]); i++)
		PROBE(x86[i].name, memop(x86[i].cmd, buf), -XEN_ENOSYS);
	/* Page sharing is not there on Arm: it has shared and freed nothing. */
	PROBE("sharing_freed_pages", memop(XENMEM_get_sharing_freed_pages, NULL), 0);
	PROBE("sharing_shared_pages", memop(XENMEM_get_sharing_shared_pages, NULL), 0);
	/* Arm's handler sees the whole command as an int: with extent bits it is no command. */
	PROBE("bad_sharing_freed_pages_with_extent",
	      memop(XENMEM_get_sharing_freed_pages | EXTENT(1), NULL), -XEN_ENOSYS);
	PROBE("bad_cmd_63_with_extent", memop(63 | EXTENT(1), buf), -XEN_ENOSYS);
}

static void reservation_sizes(void)
{
	struct xen_memory_domain self = {.domid = DOMID_SELF}, none = {.domid = NO_SUCH_DOMAIN};

	/* QEMU virt: RAM from 1 GiB to 3 GiB. */
	PROBE("maximum_ram_page", memop(XENMEM_maximum_ram_page, NULL), 0xc0000);
	PROBE("bad_maximum_ram_page_with_extent", memop(XENMEM_maximum_ram_page | EXTENT(1), NULL),
	      -XEN_EINVAL);
	PROBE("bad_maximum_ram_page_upper_half",
	      memop(XENMEM_maximum_ram_page | (1ull << 32), NULL), -XEN_EINVAL);
	/* dom0_mem=512M. */
	PROBE("current_reservation", memop(XENMEM_current_reservation, &self), 0x20000);
	PROBE("bad_current_reservation_unknown_domain", memop(XENMEM_current_reservation, &none),
	      -XEN_ESRCH);
	PROBE("bad_current_reservation_bad_pointer",
	      memop(XENMEM_current_reservation, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	PROBE("bad_current_reservation_with_extent",
	      memop(XENMEM_current_reservation | EXTENT(2), &self), -XEN_EINVAL);
	PROBE("maximum_reservation", memop(XENMEM_maximum_reservation, &self), 0x20000);
	PROBE("bad_maximum_reservation_unknown_domain", memop(XENMEM_maximum_reservation, &none),
	      -XEN_ESRCH);
}

static long reserve(unsigned cmd, uint64_t *list, uint64_t nr, unsigned order, unsigned flags,
		    domid_t dom)
{
	struct xen_memory_reservation r = {.extent_start_gva = (uint64_t)list,
					   .nr_extents = nr,
					   .extent_order = order,
					   .mem_flags = flags,
					   .domid = dom};

	return memop(cmd, &r);
}

static void reservations(void)
{
	uint64_t one[1] = {pfn(spare[0])};
	uint64_t hole[1] = {pfn((void *)rt_foreign_area())};
	unsigned dec = XENMEM_decrease_reservation, pop = XENMEM_populate_physmap;

	PROBE("bad_decrease_bad_list", reserve(dec, (void *)RT_UNMAPPED_VA, 1, 0, 0, DOMID_SELF),
	      0);
	PROBE("bad_decrease_unknown_domain", reserve(dec, one, 1, 0, 0, NO_SUCH_DOMAIN), 0);
	/* dom0 may use extents up to order 18 (Xen on Arm's MAX_ORDER for the control domain). */
	PROBE("bad_decrease_order_19", reserve(dec, one, 1, 19, 0, DOMID_SELF), 0);
	PROBE("bad_decrease_order_63", reserve(dec, one, 1, 63, 0, DOMID_SELF), 0);
	PROBE("bad_decrease_order_10_hole", reserve(dec, hole, 1, 10, 0, DOMID_SELF), 0);
	/* More extents than a continuation could count (UINT_MAX >> 6). */
	PROBE("bad_decrease_nr_2_26", reserve(dec, one, 1ull << 26, 0, 0, DOMID_SELF), 0);
	PROBE("bad_decrease_nr_2_40", reserve(dec, one, 1ull << 40, 0, 0, DOMID_SELF), 0);
	PROBE("bad_decrease_hole", reserve(dec, hole, 1, 0, 0, DOMID_SELF), 0);
	PROBE("bad_decrease_address_bits_12",
	      reserve(dec, one, 1, 0, XENMEMF_address_bits(12), DOMID_SELF), 0);
	PROBE("bad_decrease_node_1", reserve(dec, one, 1, 0, XENMEMF_node(1), DOMID_SELF), 0);
	/* Resuming at or past the end: the start is the answer. */
	{
		struct xen_memory_reservation r = {
		    .extent_start_gva = (uint64_t)one, .nr_extents = 3, .domid = DOMID_SELF};
		PROBE("bad_decrease_start_past_end", memop(dec | EXTENT(5), &r), 5);
		r.nr_extents = 0;
		PROBE("decrease_nothing", memop(dec, &r), 0);
	}
	PROBE("decrease_one_page", reserve(dec, one, 1, 0, 0, DOMID_SELF), 1);
	PROBE("bad_decrease_same_page_again", reserve(dec, one, 1, 0, 0, DOMID_SELF), 0);
	PROBE("bad_populate_on_demand_self",
	      reserve(pop, one, 1, 0, XENMEMF_populate_on_demand, DOMID_SELF), 0);
	PROBE("bad_populate_address_bits_12",
	      reserve(pop, one, 1, 0, XENMEMF_address_bits(12), DOMID_SELF), 0);
	PROBE("bad_populate_order_19", reserve(pop, one, 1, 19, 0, DOMID_SELF), 0);
	PROBE("bad_populate_bad_list", reserve(pop, (void *)RT_UNMAPPED_VA, 1, 0, 0, DOMID_SELF),
	      0);
	PROBE("bad_populate_hole", reserve(pop, hole, 1, 0, 0, DOMID_SELF), 0);
	PROBE("populate_one_page", reserve(pop, one, 1, 0, XENMEMF_address_bits(40), DOMID_SELF),
	      1);
	spare[0][0] = 0x77;
	PROBE("populated_page_usable", spare[0][0], 0x77);
	PROBE("populate_mapped_page_again", reserve(pop, one, 1, 0, 0, DOMID_SELF), 1);
	/* An extent need not be aligned to its order. */
	{
		uint64_t odd[1] = {pfn(spare[1]) | 1}; /* spare[1] or spare[2], and the next */
		uint64_t each[2] = {odd[0], odd[0] + 1};
		PROBE("decrease_misaligned_order_1", reserve(dec, odd, 1, 1, 0, DOMID_SELF), 1);
		PROBE("populate_misaligned_order_1", reserve(pop, odd, 1, 1, 0, DOMID_SELF), 1);
		PROBE("populate_two_pages", reserve(pop, each, 2, 0, 0, DOMID_SELF), 2);
	}
	/* Nothing to hand out: a 1:1 dom0 cannot grow (and Xen gives it no GFN for the page). */
	PROBE("bad_increase_bad_list",
	      reserve(XENMEM_increase_reservation, (void *)RT_UNMAPPED_VA, 1, 0, 0, DOMID_SELF), 0);
	PROBE("bad_increase_unknown_domain",
	      reserve(XENMEM_increase_reservation, one, 1, 0, 0, NO_SUCH_DOMAIN), 0);
	PROBE("increase_nothing", reserve(XENMEM_increase_reservation, one, 0, 0, 0, DOMID_SELF),
	      0);
}

static long remove_pfn(uint64_t cmd, uint64_t gpfn, domid_t dom)
{
	struct xen_remove_from_physmap r = {.domid = dom, .gpfn = gpfn};

	return memop(cmd, &r);
}

static long add(uint64_t cmd, unsigned space, uint64_t idx, uint64_t gpfn, domid_t dom)
{
	struct xen_add_to_physmap a = {.domid = dom, .space = space, .idx = idx, .gpfn = gpfn};

	return memop(cmd, &a);
}

static void physmap(void)
{
	unsigned rm = XENMEM_remove_from_physmap, ad = XENMEM_add_to_physmap;
	uint64_t back[1] = {pfn(spare[1])};

	PROBE("bad_remove_device_page", remove_pfn(rm, VIRTIO_MMIO_PFN, DOMID_SELF), -XEN_ENOENT);
	PROBE("bad_remove_hole", remove_pfn(rm, pfn((void *)rt_foreign_area()), DOMID_SELF),
	      -XEN_ENOENT);
	PROBE("bad_remove_beyond_ipa", remove_pfn(rm, 1ull << 40, DOMID_SELF), -XEN_ENOENT);
	PROBE("bad_remove_unknown_domain", remove_pfn(rm, pfn(spare[1]), NO_SUCH_DOMAIN),
	      -XEN_ESRCH);
	PROBE("bad_remove_with_extent", remove_pfn(rm | EXTENT(1), pfn(spare[1]), DOMID_SELF),
	      -XEN_EINVAL);
	PROBE("bad_remove_bad_pointer", memop(rm, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	PROBE("remove_ram_page", remove_pfn(rm, pfn(spare[1]), DOMID_SELF), 0);
	PROBE("bad_remove_ram_page_again", remove_pfn(rm, pfn(spare[1]), DOMID_SELF), -XEN_ENOENT);
	PROBE("populate_removed_page", reserve(XENMEM_populate_physmap, back, 1, 0, 0, DOMID_SELF),
	      1);

	PROBE("bad_add_space_gmfn",
	      add(ad, XENMAPSPACE_gmfn, pfn(spare[1]), pfn(spare[1]), DOMID_SELF), -XEN_ENOSYS);
	PROBE("bad_add_space_gmfn_foreign",
	      add(ad, XENMAPSPACE_gmfn_foreign, 0, pfn((void *)rt_foreign_area()), DOMID_SELF),
	      -XEN_ENOSYS);
	PROBE("bad_add_space_99", add(ad, 99, 0, pfn((void *)rt_foreign_area()), DOMID_SELF),
	      -XEN_ENOSYS);
	PROBE("bad_add_unknown_domain",
	      add(ad, XENMAPSPACE_grant_table, 0, pfn((void *)rt_foreign_area()), NO_SUCH_DOMAIN),
	      -XEN_ESRCH);
	PROBE("bad_add_grant_frame_64",
	      add(ad, XENMAPSPACE_grant_table, 64, pfn((void *)rt_foreign_area()), DOMID_SELF),
	      -XEN_EINVAL);
	PROBE("bad_add_grant_status_frame",
	      add(ad, XENMAPSPACE_grant_table, XENMAPIDX_grant_table_status,
		  pfn((void *)rt_foreign_area()), DOMID_SELF),
	      -XEN_EINVAL);
	PROBE("bad_add_bad_pointer", memop(ad, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	/* add_to_physmap takes a start extent below 2^16 (and ignores it but for gmfn_range). */
	PROBE("bad_add_extent_2_16",
	      add(ad | EXTENT(1 << 16), XENMAPSPACE_grant_table, 0, pfn((void *)rt_foreign_area()),
		  DOMID_SELF),
	      -XEN_EDOM);
	PROBE("add_grant_frame_with_extent",
	      add(ad | EXTENT(3), XENMAPSPACE_grant_table, 1, pfn((void *)rt_foreign_area()),
		  DOMID_SELF),
	      0);
}

static void other_commands(void)
{
	struct xen_memory_exchange x = {.in = {.extent_start_gva = (uint64_t)spare[0] >> 12},
					.out = {.extent_start_gva = (uint64_t)spare[1] >> 12}};
	uint64_t in[1] = {pfn(spare[0])}, out[1] = {0};
	struct xen_vnuma_topology_info vn = {.domid = DOMID_SELF};

	PROBE("bad_exchange_bad_pointer", memop(XENMEM_exchange, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	PROBE("bad_exchange_with_extent", memop(XENMEM_exchange | EXTENT(1), &x), -XEN_EINVAL);
	PROBE("exchange_nothing", memop(XENMEM_exchange, &x), 0);
	x.in.nr_extents = 1;
	PROBE("bad_exchange_sizes_differ", memop(XENMEM_exchange, &x), -XEN_EINVAL);
	x.out.nr_extents = 1;
	x.out.domid = 5;
	PROBE("bad_exchange_domains_differ", memop(XENMEM_exchange, &x), -XEN_EINVAL);
	x.out.domid = 0;
	x.in.extent_order = x.out.extent_order = 19;
	PROBE("bad_exchange_order_19", memop(XENMEM_exchange, &x), -XEN_EPERM);
	x.in.extent_order = x.out.extent_order = 0;
	x.in.extent_start_gva = (uint64_t)in;
	x.out.extent_start_gva = (uint64_t)out;
	x.in.domid = x.out.domid = NO_SUCH_DOMAIN;
	PROBE("bad_exchange_unknown_domain", memop(XENMEM_exchange, &x), -XEN_ESRCH);
	x.in.domid = x.out.domid = DOMID_SELF;
	/* Xen on Arm cannot take a page away from a domain (steal_page). */
	PROBE("exchange_page", memop(XENMEM_exchange, &x), -XEN_EOPNOTSUPP);
	PROBE("exchange_page_nr_exchanged", x.nr_exchanged, 0);
	/* A hole fails the same way (observed; not -EINVAL from the frame check). */
	in[0] = pfn((void *)rt_foreign_area());
	PROBE("bad_exchange_hole", memop(XENMEM_exchange, &x), -XEN_EOPNOTSUPP);
	x.in.extent_start_gva = RT_UNMAPPED_VA;
	PROBE("bad_exchange_bad_in_list", memop(XENMEM_exchange, &x), -XEN_EFAULT);

	PROBE("bad_vnumainfo_bad_pointer", memop(XENMEM_get_vnumainfo, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	vn.pad = 1;
	PROBE("bad_vnumainfo_pad", memop(XENMEM_get_vnumainfo, &vn), -XEN_EINVAL);
	vn.pad = 0;
	vn.domid = NO_SUCH_DOMAIN;
	PROBE("bad_vnumainfo_unknown_domain", memop(XENMEM_get_vnumainfo, &vn), -XEN_ESRCH);
	vn.domid = DOMID_SELF;
	PROBE("vnumainfo_none", memop(XENMEM_get_vnumainfo, &vn), -XEN_EOPNOTSUPP);
	PROBE("bad_vnumainfo_with_extent", memop(XENMEM_get_vnumainfo | EXTENT(1), &vn),
	      -XEN_EINVAL);
}

void test_main(void)
{
	unknown_commands();
	reservation_sizes();
	reservations();
	physmap();
	other_commands();
}
