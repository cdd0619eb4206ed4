// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * Each domain grants a page to the other and, with GNTTABOP_copy, writes into the peer's
 * page (dest by grant ref) and reads from it (source by grant ref); both land, and the
 * entries carry no GTF_reading/GTF_writing afterwards. Xen 4.17's per-copy statuses: a
 * source entry that grants nothing GNTST_general_error, a ref beyond the table
 * GNTST_bad_gntref, a foreign frame named by number (no GNTCOPY_*_gref)
 * GNTST_permission_denied, an unknown domain GNTST_bad_domain, writing through a read-only
 * grant GNTST_general_error, offset + length beyond the page GNTST_bad_copy_arg (one byte
 * past is enough; ending exactly at the page end is fine), and a local frame in a hole
 * GNTST_bad_page. The batch itself returns 0.
 */
#include "rt.h"

#define REF_RW	       10
#define REF_RO	       11
#define REF_NOT	       12
#define BEYOND_TABLE   0x100000
#define NO_SUCH_DOMAIN 77
#define LEN	       64
#define READ_AT	       1024

static uint8_t shared[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t ro_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t local[PAGE_SIZE] PAGE_ALIGNED;

static uint8_t tag(unsigned index)
{
	return (uint8_t)(0xe0 + index);
}

static uint8_t data(unsigned index)
{
	return (uint8_t)(0xc0 + index);
}

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

static int16_t copy(struct gnttab_copy_ptr src, struct gnttab_copy_ptr dst, uint16_t len,
		    uint16_t flags)
{
	struct gnttab_copy op = {
	    .source = src, .dest = dst, .len = len, .flags = flags, .status = 99};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_copy, &op, 1), 0, "GNTTABOP_copy returns");
	return op.status;
}

static bool all(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void copies(void)
{
	domid_t peer = rt_scn.peer;
	unsigned me = rt_scn.index, other = me ^ 1;

	memset(local, data(me), sizeof(local));
	CHECK_EQ(copy(by_frame(DOMID_SELF, (uint64_t)local, 0), by_ref(peer, REF_RW, 0), LEN,
		      GNTCOPY_dest_gref),
		 GNTST_okay, "copy into the peer's page");
	memset(local, 0, sizeof(local));
	CHECK_EQ(copy(by_ref(peer, REF_RW, READ_AT), by_frame(DOMID_SELF, (uint64_t)local, 0), LEN,
		      GNTCOPY_source_gref),
		 GNTST_okay, "copy from the peer's page");
	CHECK(all(local, LEN, tag(other)), "bytes read from the peer's page");
	CHECK_EQ(copy(by_ref(peer, REF_RO, 0), by_frame(DOMID_SELF, (uint64_t)local, 0), LEN,
		      GNTCOPY_source_gref),
		 GNTST_okay, "copy from a read-only grant");

	struct gnttab_copy_ptr mine = by_frame(DOMID_SELF, (uint64_t)local, 0);
	CHECK_EQ(copy(by_ref(peer, REF_NOT, 0), mine, LEN, GNTCOPY_source_gref),
		 GNTST_general_error, "copy from an entry that grants nothing");
	CHECK_EQ(copy(by_ref(peer, BEYOND_TABLE, 0), mine, LEN, GNTCOPY_source_gref),
		 GNTST_bad_gntref, "copy from a ref beyond the table");
	CHECK_EQ(copy(by_frame(peer, (uint64_t)shared, 0), mine, LEN, 0), GNTST_permission_denied,
		 "copy from a peer frame named by number");
	CHECK_EQ(copy(by_ref(NO_SUCH_DOMAIN, REF_RW, 0), mine, LEN, GNTCOPY_source_gref),
		 GNTST_bad_domain, "copy from a domain that does not exist");
	CHECK_EQ(copy(mine, by_ref(peer, REF_RO, 0), LEN, GNTCOPY_dest_gref), GNTST_general_error,
		 "copy into a read-only grant");
	CHECK_EQ(copy(by_ref(peer, REF_RW, 4000), mine, 200, GNTCOPY_source_gref),
		 GNTST_bad_copy_arg, "copy beyond the end of the page");
	CHECK_EQ(copy(by_ref(peer, REF_RW, 4000), mine, 97, GNTCOPY_source_gref),
		 GNTST_bad_copy_arg, "copy one byte beyond the end of the page");
	CHECK_EQ(copy(by_ref(peer, REF_RW, 4000), mine, 96, GNTCOPY_source_gref), GNTST_okay,
		 "copy ending exactly at the end of the page");
	CHECK_EQ(copy(by_ref(peer, REF_RW, 0), by_frame(DOMID_SELF, rt_foreign_area(), 0), LEN,
		      GNTCOPY_source_gref),
		 GNTST_bad_page, "copy into a local frame in a hole");
}

void test_main(void)
{
	unsigned me, other;

	rt_scenario_init();
	me = rt_scn.index;
	other = me ^ 1;
	memset(shared, tag(me), sizeof(shared));
	memset(ro_page, tag(me), sizeof(ro_page));
	rt_grant(REF_RW, rt_scn.peer, shared, GTF_permit_access);
	rt_grant(REF_RO, rt_scn.peer, ro_page, GTF_permit_access | GTF_readonly);
	rt_grant(REF_NOT, rt_scn.peer, shared, GTF_invalid);
	/* Both have granted (the even side speaks first), then the even side copies, then the odd.
	 */
	if (me % 2 == 0) {
		rt_peer_send(1);
		rt_peer_recv();
		copies();
		rt_peer_send(2);
		rt_peer_recv();
	} else {
		rt_peer_recv();
		rt_peer_send(1);
		rt_peer_recv();
		copies();
		rt_peer_send(2);
	}
	CHECK(all(shared, LEN, data(other)), "the peer's copy landed in our page");
	CHECK(all(shared + LEN, PAGE_SIZE - LEN, tag(me)), "the rest of our page is untouched");
	CHECK(all(ro_page, PAGE_SIZE, tag(me)), "our read-only page is untouched");
	CHECK_EQ(rt_gnttab()[REF_RW].flags, GTF_permit_access, "our entry after the copies");
	CHECK_EQ(rt_gnttab()[REF_RO].flags, GTF_permit_access | GTF_readonly,
		 "our read-only entry after the copies");
}
