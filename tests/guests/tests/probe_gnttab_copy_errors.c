// SPDX-License-Identifier: Apache-2.0
/*
 * GNTTABOP_copy as dom0 on its own pages and grants, with bad input of every kind. Xen 4.17
 * (xen/common/grant_table.c, gnttab_copy_lock_domains and gnttab_copy_claim_buf) looks up the
 * source's domain and the destination's (GNTST_bad_domain), then refuses a frame named by
 * number with anything but DOMID_SELF (GNTST_permission_denied; Debian's 4.17.7 makes both
 * lookups before either such check, as observed), then claims the source, then the
 * destination, then checks the offsets; a fault reading an operation ends the batch with -EFAULT
 * after the statuses of the operations before it were written. Every expected value is what
 * Xen 4.17 returned to this guest.
 */
#include "rt.h"

#define NO_SUCH_DOMAIN 77
#define REF_RW	       10
#define REF_RO	       11
#define REF_INVALID    12
#define REF_OTHERS     13
#define BEYOND_TABLE   0x100000
#define LEN	       64

static uint8_t src_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t dst_page[PAGE_SIZE] PAGE_ALIGNED;

static struct gnttab_copy_ptr by_ref(domid_t dom, grant_ref_t ref, uint16_t off)
{
	struct gnttab_copy_ptr p = {.domid = dom, .offset = off};
	p.u.ref = ref;
	return p;
}

static struct gnttab_copy_ptr by_frame(domid_t dom, uint64_t gpa, uint16_t off)
{
	struct gnttab_copy_ptr p = {.domid = dom, .offset = off};
	p.u.gmfn = gpa >> 12;
	return p;
}

static long copy_op(struct gnttab_copy *op, uint64_t count)
{
	return rt_hypercall(HYPERVISOR_grant_table_op, GNTTABOP_copy, (uint64_t)op, count, 0, 0);
}

/* Runs one copy; returns its status (the batch's own result is a probe of its own). */
static int16_t copy(const char *name, struct gnttab_copy_ptr src, struct gnttab_copy_ptr dst,
		    uint16_t len, uint16_t flags)
{
	struct gnttab_copy op = {
	    .source = src, .dest = dst, .len = len, .flags = flags, .status = 99};
	long rc = copy_op(&op, 1);

	if (rc)
		PROBE(name, rc, 0); /* only printed when the batch itself fails */
	return op.status;
}

static struct gnttab_copy_ptr my_src(void)
{
	return by_frame(DOMID_SELF, (uint64_t)src_page, 0);
}

static struct gnttab_copy_ptr my_dst(void)
{
	return by_frame(DOMID_SELF, (uint64_t)dst_page, 0);
}

static void domains_and_frames(void)
{
	PROBE("copy_frame_to_frame", copy("copy_frame_to_frame_rc", my_src(), my_dst(), LEN, 0),
	      GNTST_okay);
	PROBE("copy_landed", dst_page[0] == 0x5a && dst_page[LEN - 1] == 0x5a, 1);
	PROBE("bad_copy_unknown_source_domain",
	      copy("bad_copy_unknown_source_domain_rc", by_ref(NO_SUCH_DOMAIN, REF_RW, 0), my_dst(),
		   LEN, GNTCOPY_source_gref),
	      GNTST_bad_domain);
	PROBE("bad_copy_unknown_dest_domain",
	      copy("bad_copy_unknown_dest_domain_rc", my_src(), by_ref(NO_SUCH_DOMAIN, REF_RW, 0),
		   LEN, GNTCOPY_dest_gref),
	      GNTST_bad_domain);
	/* The source's domain is judged before the destination is looked at. */
	PROBE("bad_copy_unknown_source_then_foreign_dest_frame",
	      copy("bad_copy_unknown_source_then_foreign_dest_frame_rc",
		   by_ref(NO_SUCH_DOMAIN, REF_RW, 0),
		   by_frame(NO_SUCH_DOMAIN, (uint64_t)dst_page, 0), LEN, GNTCOPY_source_gref),
	      GNTST_bad_domain);
	/* A frame may be named by number only with DOMID_SELF, not with one's own id. */
	PROBE("bad_copy_source_frame_own_domid",
	      copy("bad_copy_source_frame_own_domid_rc", by_frame(0, (uint64_t)src_page, 0),
		   my_dst(), LEN, 0),
	      GNTST_permission_denied);
	PROBE("bad_copy_dest_frame_own_domid",
	      copy("bad_copy_dest_frame_own_domid_rc", my_src(), by_frame(0, (uint64_t)dst_page, 0),
		   LEN, 0),
	      GNTST_permission_denied);
	/* Both sides' domains are looked up before either frame is judged. */
	PROBE("bad_copy_source_frame_unknown_domid",
	      copy("bad_copy_source_frame_unknown_domid_rc",
		   by_frame(NO_SUCH_DOMAIN, (uint64_t)src_page, 0), my_dst(), LEN, 0),
	      GNTST_bad_domain);
	PROBE("bad_copy_source_frame_own_domid_then_unknown_dest",
	      copy("bad_copy_source_frame_own_domid_then_unknown_dest_rc",
		   by_frame(0, (uint64_t)src_page, 0), by_ref(NO_SUCH_DOMAIN, REF_RW, 0), LEN,
		   GNTCOPY_dest_gref),
	      GNTST_bad_domain);
	PROBE("bad_copy_dest_frame_unknown_domid",
	      copy("bad_copy_dest_frame_unknown_domid_rc", my_src(),
		   by_frame(NO_SUCH_DOMAIN, (uint64_t)dst_page, 0), LEN, 0),
	      GNTST_bad_domain);
	PROBE("bad_copy_source_frame_in_hole",
	      copy("bad_copy_source_frame_in_hole_rc", by_frame(DOMID_SELF, rt_foreign_area(), 0),
		   my_dst(), LEN, 0),
	      GNTST_bad_page);
	PROBE("bad_copy_dest_frame_in_hole",
	      copy("bad_copy_dest_frame_in_hole_rc", my_src(),
		   by_frame(DOMID_SELF, rt_foreign_area(), 0), LEN, 0),
	      GNTST_bad_page);
	/* Our grant-table frame is a page of ours too (Xen: a xenheap page we own). */
	PROBE("copy_from_own_grant_frame",
	      copy("copy_from_own_grant_frame_rc", by_frame(DOMID_SELF, (uint64_t)rt_gnttab(), 0),
		   my_dst(), LEN, 0),
	      GNTST_okay);
	PROBE("copy_from_shared_info_frame",
	      copy("copy_from_shared_info_frame_rc",
		   by_frame(DOMID_SELF, (uint64_t)rt_shared_info(), 0), my_dst(), LEN, 0),
	      GNTST_okay);
}

static void grant_refs(void)
{
	PROBE("copy_from_own_grant",
	      copy("copy_from_own_grant_rc", by_ref(DOMID_SELF, REF_RW, 0), my_dst(), LEN,
		   GNTCOPY_source_gref),
	      GNTST_okay);
	PROBE("copy_into_own_grant",
	      copy("copy_into_own_grant_rc", my_src(), by_ref(DOMID_SELF, REF_RW, 0), LEN,
		   GNTCOPY_dest_gref),
	      GNTST_okay);
	PROBE("bad_copy_ref_beyond_table",
	      copy("bad_copy_ref_beyond_table_rc", by_ref(DOMID_SELF, BEYOND_TABLE, 0), my_dst(),
		   LEN, GNTCOPY_source_gref),
	      GNTST_bad_gntref);
	PROBE("bad_copy_ref_invalid_entry",
	      copy("bad_copy_ref_invalid_entry_rc", by_ref(DOMID_SELF, REF_INVALID, 0), my_dst(),
		   LEN, GNTCOPY_source_gref),
	      GNTST_general_error);
	PROBE("bad_copy_ref_granted_to_another",
	      copy("bad_copy_ref_granted_to_another_rc", by_ref(DOMID_SELF, REF_OTHERS, 0),
		   my_dst(), LEN, GNTCOPY_source_gref),
	      GNTST_general_error);
	PROBE("bad_copy_into_read_only_grant",
	      copy("bad_copy_into_read_only_grant_rc", my_src(), by_ref(DOMID_SELF, REF_RO, 0), LEN,
		   GNTCOPY_dest_gref),
	      GNTST_general_error);
	PROBE("bad_copy_beyond_page_end",
	      copy("bad_copy_beyond_page_end_rc", by_ref(DOMID_SELF, REF_RW, 4000), my_dst(), 200,
		   GNTCOPY_source_gref),
	      GNTST_bad_copy_arg);
	PROBE("bad_copy_dest_beyond_page_end",
	      copy("bad_copy_dest_beyond_page_end_rc", my_src(),
		   by_frame(DOMID_SELF, (uint64_t)dst_page, 4095), 2, 0),
	      GNTST_bad_copy_arg);
	PROBE("bad_copy_len_0", copy("bad_copy_len_0_rc", my_src(), my_dst(), 0, 0), GNTST_okay);
	PROBE("bad_copy_offset_4096_len_0",
	      copy("bad_copy_offset_4096_len_0_rc", by_frame(DOMID_SELF, (uint64_t)src_page, 4096),
		   my_dst(), 0, 0),
	      GNTST_okay);
	/* Flags other than the two GNTCOPY_*_gref bits are not looked at. */
	PROBE("bad_copy_unknown_flag",
	      copy("bad_copy_unknown_flag_rc", my_src(), my_dst(), LEN, 0x8), GNTST_okay);
	/* Entries are left as they were: no GTF_reading/GTF_writing stays behind. */
	PROBE("copy_left_entry_flags", rt_gnttab()[REF_RW].flags, GTF_permit_access);
}

/* The last bytes of our last RAM bank: an operation array that runs off the end of RAM. */
static struct gnttab_copy *at_end_of_ram(unsigned in_ram)
{
	const struct rt_region *b = &rt_plat.bank[rt_plat.nr_banks - 1];

	return (struct gnttab_copy *)(b->base + b->size - in_ram * sizeof(struct gnttab_copy));
}

static void batches(void)
{
	struct gnttab_copy op = {.source = my_src(), .dest = my_dst(), .len = LEN, .status = 99};
	struct gnttab_copy *edge = at_end_of_ram(1);

	PROBE("bad_copy_bad_pointer", copy_op((struct gnttab_copy *)RT_UNMAPPED_VA, 1),
	      -XEN_EFAULT);
	PROBE("copy_count_0", copy_op((struct gnttab_copy *)RT_UNMAPPED_VA, 0), 0);
	PROBE("bad_copy_count_upper_half", copy_op(&op, (1ull << 32) | 1), 0);
	PROBE("bad_copy_count_upper_half_status", op.status, GNTST_okay);
	*edge =
	    (struct gnttab_copy){.source = my_src(), .dest = my_dst(), .len = LEN, .status = 99};
	PROBE("bad_copy_second_op_past_ram", copy_op(edge, 2), -XEN_EFAULT);
	PROBE("bad_copy_second_op_past_ram_first_status", edge->status, GNTST_okay);
}

void test_main(void)
{
	memset(src_page, 0x5a, sizeof(src_page));
	rt_grant(REF_RW, 0, src_page, GTF_permit_access);
	rt_grant(REF_RO, 0, src_page, GTF_permit_access | GTF_readonly);
	rt_grant(REF_INVALID, 0, src_page, GTF_invalid);
	rt_grant(REF_OTHERS, 5, src_page, GTF_permit_access);
	domains_and_frames();
	grant_refs();
	batches();
}
