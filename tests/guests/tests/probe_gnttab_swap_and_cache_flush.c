// SPDX-License-Identifier: Apache-2.0
/*
 * GNTTABOP_swap_grant_ref and GNTTABOP_cache_flush as dom0 on its own grant table and pages
 * (Xen public/grant_table.h; xen/common/grant_table.c, swap_grant_ref and _cache_flush).
 * swap exchanges two entries of the caller's table unless a ref is beyond the table
 * (GNTST_bad_gntref) or in use (GNTST_eagain). cache_flush checks offset and length within
 * the page and the op bits (-EINVAL, GNTTAB_CACHE_SOURCE_GREF included), does nothing for an
 * empty range or op, and refuses a non-RAM address (-EINVAL) and a frame no domain owns
 * (-EPERM). Every expected value is what Xen 4.17 returned to this guest.
 */
#include "rt.h"

#define REF_A	     20
#define REF_B	     21
#define REF_MAPPED   22
#define BEYOND_TABLE 0x100000
/* QEMU virt's RAM (scripts/qemu.py: 2 GiB at 1 GiB); a page of it that is not ours. */
#define HOST_RAM_BASE 0x40000000ull
#define HOST_RAM_END  0xc0000000ull
#define UART_PA	      0x09000000ull

static uint8_t page_a[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t page_b[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t page_c[PAGE_SIZE] PAGE_ALIGNED;

static long swap_op(struct gnttab_swap_grant_ref *op, uint64_t count)
{
	return rt_hypercall(HYPERVISOR_grant_table_op, GNTTABOP_swap_grant_ref, (uint64_t)op, count,
			    0, 0);
}

static int16_t swap(grant_ref_t a, grant_ref_t b)
{
	struct gnttab_swap_grant_ref op = {.ref_a = a, .ref_b = b, .status = 99};

	REQUIRE_EQ(swap_op(&op, 1), 0, "swap_grant_ref returns 0");
	return op.status;
}

static void swaps(void)
{
	volatile struct grant_entry_v1 *gt = rt_gnttab();
	struct gnttab_map_grant_ref map = {
	    .host_addr = rt_foreign_area(), .flags = GNTMAP_host_map, .ref = REF_MAPPED, .dom = 0};
	struct gnttab_map_grant_ref map_self = map;
	struct gnttab_unmap_grant_ref unmap = {.host_addr = rt_foreign_area()};
	struct gnttab_swap_grant_ref two[2] = {
	    {.ref_a = REF_A, .ref_b = REF_B, .status = 99},
	    {.ref_a = REF_A, .ref_b = BEYOND_TABLE, .status = 99}};

	rt_grant(REF_A, 5, page_a, GTF_permit_access);
	rt_grant(REF_B, 6, page_b, GTF_permit_access | GTF_readonly);
	PROBE("swap", swap(REF_A, REF_B), GNTST_okay);
	PROBE("swap_moved_b_to_a",
	      gt[REF_A].domid == 6 && gt[REF_A].frame == (uint64_t)page_b >> 12 &&
		  gt[REF_A].flags == (GTF_permit_access | GTF_readonly),
	      1);
	PROBE("swap_moved_a_to_b",
	      gt[REF_B].domid == 5 && gt[REF_B].frame == (uint64_t)page_a >> 12, 1);
	PROBE("bad_swap_same_ref", swap(REF_A, REF_A), GNTST_okay);
	PROBE("bad_swap_ref_a_beyond_table", swap(BEYOND_TABLE, REF_B), GNTST_bad_gntref);
	PROBE("bad_swap_ref_b_beyond_table", swap(REF_A, BEYOND_TABLE), GNTST_bad_gntref);
	PROBE("bad_swap_count_0", swap_op((void *)RT_UNMAPPED_VA, 0), 0);
	PROBE("bad_swap_bad_pointer", swap_op((void *)RT_UNMAPPED_VA, 1), -XEN_EFAULT);
	PROBE("bad_swap_count_2_31", swap_op(two, 1u << 31), -XEN_EINVAL);
	PROBE("swap_batch_of_2", swap_op(two, 2), 0);
	PROBE("swap_batch_of_2_first", two[0].status, GNTST_okay);
	PROBE("bad_swap_batch_of_2_second", two[1].status, GNTST_bad_gntref);

	/* An entry mapped (pinned) cannot be swapped until it is unmapped. */
	rt_grant(REF_MAPPED, 0, page_c, GTF_permit_access);
	/* A mapping names the granter by its id: DOMID_SELF is no domain here. */
	map_self.dom = DOMID_SELF;
	REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, &map_self, 1), 0,
		   "map as DOMID_SELF");
	PROBE("bad_map_domid_self", map_self.status, GNTST_bad_domain);
	REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, &map, 1), 0, "map our own grant");
	REQUIRE_EQ(map.status, GNTST_okay, "map our own grant: status");
	PROBE("bad_swap_mapped_entry", swap(REF_MAPPED, REF_A), GNTST_eagain);
	PROBE("bad_swap_with_mapped_entry", swap(REF_A, REF_MAPPED), GNTST_eagain);
	unmap.handle = map.handle;
	REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 1), 0, "unmap");
	REQUIRE_EQ(unmap.status, GNTST_okay, "unmap: status");
	PROBE("swap_after_unmap", swap(REF_MAPPED, REF_A), GNTST_okay);
}

static long flush_op(struct gnttab_cache_flush *op, uint64_t count)
{
	return rt_hypercall(HYPERVISOR_grant_table_op, GNTTABOP_cache_flush, (uint64_t)op, count, 0,
			    0);
}

static long flush(uint64_t addr, uint16_t offset, uint16_t length, uint32_t op)
{
	struct gnttab_cache_flush f = {.offset = offset, .length = length, .op = op};

	f.a.dev_bus_addr = addr;
	return flush_op(&f, 1);
}

static bool ours(uint64_t pa)
{
	for (unsigned i = 0; i < rt_plat.nr_banks; i++)
		if (pa >= rt_plat.bank[i].base && pa - rt_plat.bank[i].base < rt_plat.bank[i].size)
			return true;
	return false;
}

/* A page of the machine's RAM that is not one of ours (dom0's RAM is machine RAM 1:1). */
static uint64_t not_our_ram(void)
{
	for (uint64_t pa = HOST_RAM_END - PAGE_SIZE; pa >= HOST_RAM_BASE; pa -= 64 << 20)
		if (!ours(pa))
			return pa;
	rt_error("all of the machine's RAM is ours");
}

static void flushes(void)
{
	uint64_t a = (uint64_t)page_a;
	struct gnttab_cache_flush two[2] = {
	    {.length = 64, .op = GNTTAB_CACHE_CLEAN},
	    {.offset = 4095, .length = 2, .op = GNTTAB_CACHE_CLEAN}};

	memset(page_a, 0x3c, sizeof(page_a));
	PROBE("flush_clean", flush(a, 0, PAGE_SIZE, GNTTAB_CACHE_CLEAN), 0);
	PROBE("flush_invalidate", flush(a, 64, 128, GNTTAB_CACHE_INVAL), 0);
	PROBE("flush_clean_invalidate", flush(a, 1, 4095, GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL),
	      0);
	PROBE("flush_kept_data", page_a[0] == 0x3c && page_a[100] == 0x3c && page_a[4095] == 0x3c,
	      1);
	PROBE("bad_flush_offset_4096", flush(a, 4096, 0, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	PROBE("bad_flush_length_4097", flush(a, 0, 4097, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	PROBE("bad_flush_beyond_page_end", flush(a, 4000, 97, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	PROBE("bad_flush_unknown_op_bit", flush(a, 0, 64, GNTTAB_CACHE_CLEAN | 4), -XEN_EINVAL);
	PROBE("bad_flush_length_0", flush(a, 0, 0, GNTTAB_CACHE_CLEAN), 0);
	PROBE("bad_flush_op_0", flush(a, 0, 64, 0), 0);
	/* GNTTAB_CACHE_SOURCE_GREF fails the check of the op bits before anything else. */
	PROBE("bad_flush_by_grant_ref",
	      flush(REF_A, 0, 64, GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_SOURCE_GREF), -XEN_EINVAL);
	PROBE("bad_flush_device_address", flush(UART_PA, 0, 64, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	PROBE("bad_flush_beyond_ram", flush(1ull << 40, 0, 64, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	PROBE("bad_flush_ram_of_nobody", flush(not_our_ram(), 0, 64, GNTTAB_CACHE_CLEAN),
	      -XEN_EPERM);
	PROBE("bad_flush_bad_pointer", flush_op((void *)RT_UNMAPPED_VA, 1), -XEN_EFAULT);
	PROBE("bad_flush_count_2_31", flush_op(two, 1u << 31), -XEN_EINVAL);
	two[0].a.dev_bus_addr = two[1].a.dev_bus_addr = a;
	PROBE("bad_flush_batch_second_invalid", flush_op(two, 2), -XEN_EINVAL);
}

void test_main(void)
{
	swaps();
	flushes();
}
