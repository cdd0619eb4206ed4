// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * One domain grants two pages (v1 entries, one GTF_readonly) to the other, which maps them
 * with GNTTABOP_map_grant_ref at guest-physical addresses in a hole (on Arm host_addr is a
 * GPA) and reads and writes them; while mapped, the granter's entries carry GTF_reading,
 * plus GTF_writing for a writable mapping, and both clear on unmap. Xen 4.17's statuses:
 * a read-only grant mapped writable, an entry not granted (flags 0) and one granted to
 * another domain are GNTST_general_error; a ref beyond the table (far beyond, or the second
 * entry past the granter's only frame) GNTST_bad_gntref; no
 * GNTMAP_host_map in flags GNTST_bad_gntref; an unknown domain GNTST_bad_domain; unmap of a
 * handle not in use GNTST_bad_handle. The batch itself returns 0.
 */
#include "rt.h"

#define REF_RW	       10
#define REF_RO	       11
#define REF_NOT	       12
#define REF_OTHER      13
#define BEYOND_TABLE   0x100000
#define PAST_FRAME_0   513 /* 512 v1 entries per frame; the granter has one frame */
#define NO_SUCH_DOMAIN 77

static uint8_t rw_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t ro_page[PAGE_SIZE] PAGE_ALIGNED;

static uint16_t flags_of(grant_ref_t ref)
{
	return __atomic_load_n(&rt_gnttab()[ref].flags, __ATOMIC_SEQ_CST);
}

static void granter(void)
{
	memset(rw_page, 0xa5, sizeof(rw_page));
	memset(ro_page, 0x5a, sizeof(ro_page));
	rt_grant(REF_RW, rt_scn.peer, rw_page, GTF_permit_access);
	rt_grant(REF_RO, rt_scn.peer, ro_page, GTF_permit_access | GTF_readonly);
	rt_grant(REF_NOT, rt_scn.peer, rw_page, GTF_invalid);
	rt_grant(REF_OTHER, rt_scn.self, rw_page, GTF_permit_access);
	rt_peer_send(1);

	rt_peer_recv(); /* the writable mapping is in place */
	CHECK_EQ(flags_of(REF_RW), GTF_permit_access | GTF_reading | GTF_writing,
		 "entry while mapped writable");
	CHECK_EQ(__atomic_load_n(&rw_page[100], __ATOMIC_SEQ_CST), 0x3c,
		 "the mapper's write reached our page");
	rt_peer_send(2);

	rt_peer_recv(); /* the read-only mapping is in place */
	CHECK_EQ(flags_of(REF_RO), GTF_permit_access | GTF_readonly | GTF_reading,
		 "entry while mapped read-only");
	CHECK_EQ(flags_of(REF_NOT), GTF_invalid, "the refused entry is untouched");
	CHECK_EQ(flags_of(REF_OTHER), GTF_permit_access,
		 "the entry for another domain is untouched");
	rt_peer_send(3);

	rt_peer_recv(); /* both unmapped */
	CHECK_EQ(flags_of(REF_RW), GTF_permit_access, "entry after unmap");
	CHECK_EQ(flags_of(REF_RO), GTF_permit_access | GTF_readonly, "read-only entry after unmap");
}

static int16_t map(grant_ref_t ref, domid_t dom, uint64_t gpa, uint32_t flags, grant_handle_t *h)
{
	struct gnttab_map_grant_ref op = {
	    .host_addr = gpa, .flags = flags, .ref = ref, .dom = dom, .status = 99};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, &op, 1), 0, "map_grant_ref returns");
	if (h)
		*h = op.handle;
	return op.status;
}

static int16_t unmap(uint64_t gpa, grant_handle_t h)
{
	struct gnttab_unmap_grant_ref op = {.host_addr = gpa, .handle = h, .status = 99};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1), 0,
		 "unmap_grant_ref returns");
	return op.status;
}

static void mapper(void)
{
	uint64_t area = rt_foreign_area();
	grant_handle_t rw, ro;
	volatile uint8_t *p = (volatile uint8_t *)area, *q = p + PAGE_SIZE;

	rt_printf("foreign mappings at %#lx\n", area);
	rt_peer_recv(); /* granted */
	REQUIRE_EQ(map(REF_RW, rt_scn.peer, area, GNTMAP_host_map, &rw), GNTST_okay,
		   "map the writable grant");
	CHECK_EQ(p[0], 0xa5, "first byte of the granted page");
	CHECK_EQ(p[PAGE_SIZE - 1], 0xa5, "last byte of the granted page");
	p[100] = 0x3c;
	rt_peer_send(1);

	rt_peer_recv();
	REQUIRE_EQ(
	    map(REF_RO, rt_scn.peer, area + PAGE_SIZE, GNTMAP_host_map | GNTMAP_readonly, &ro),
	    GNTST_okay, "map the read-only grant read-only");
	CHECK_EQ(q[7], 0x5a, "a byte of the read-only page");
	CHECK_EQ(map(REF_RO, rt_scn.peer, area + 2 * PAGE_SIZE, GNTMAP_host_map, NULL),
		 GNTST_general_error, "map a read-only grant writable");
	CHECK_EQ(map(REF_NOT, rt_scn.peer, area + 3 * PAGE_SIZE, GNTMAP_host_map, NULL),
		 GNTST_general_error, "map an entry that grants nothing");
	CHECK_EQ(map(REF_OTHER, rt_scn.peer, area + 3 * PAGE_SIZE, GNTMAP_host_map, NULL),
		 GNTST_general_error, "map an entry granted to another domain");
	CHECK_EQ(map(BEYOND_TABLE, rt_scn.peer, area + 3 * PAGE_SIZE, GNTMAP_host_map, NULL),
		 GNTST_bad_gntref, "map a ref beyond the table");
	CHECK_EQ(map(PAST_FRAME_0, rt_scn.peer, area + 3 * PAGE_SIZE, GNTMAP_host_map, NULL),
		 GNTST_bad_gntref, "map a ref past the granter's only frame");
	CHECK_EQ(map(REF_RW, rt_scn.peer, area + 3 * PAGE_SIZE, 0, NULL), GNTST_bad_gntref,
		 "map without GNTMAP_host_map");
	CHECK_EQ(map(REF_RW, NO_SUCH_DOMAIN, area + 3 * PAGE_SIZE, GNTMAP_host_map, NULL),
		 GNTST_bad_domain, "map from a domain that does not exist");
	rt_peer_send(2);

	rt_peer_recv();
	CHECK_EQ(unmap(area, rw), GNTST_okay, "unmap the writable mapping");
	CHECK_EQ(unmap(area, rw), GNTST_bad_handle, "unmap the same handle again");
	CHECK_EQ(unmap(area + 3 * PAGE_SIZE, 0x7fff), GNTST_bad_handle,
		 "unmap a handle never issued");
	CHECK_EQ(unmap(area + PAGE_SIZE, ro), GNTST_okay, "unmap the read-only mapping");
	rt_peer_send(3);
}

void test_main(void)
{
	rt_scenario_run(granter, mapper);
}
