// SPDX-License-Identifier: Apache-2.0
/*
 * GNTTABOP_copy with a count of 2048 (Xen 4.17 has no batch limit: count is an unsigned int
 * that must be non-negative as an int, and a long batch is preempted and continued): every
 * element is done and gets its own status. Element i copies 8 bytes from a page granted to
 * ourselves (ref 8) at offset 8 * (i % 512) to a local frame at the same offset; every 100th
 * names a ref beyond the table (GNTST_bad_gntref). A count of 2^31 is -EINVAL.
 */
#include "rt.h"

#define COUNT 2048
#define REF   8u

static uint8_t src_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t dst_page[PAGE_SIZE] PAGE_ALIGNED;
static struct gnttab_copy ops[COUNT];

static bool bad(unsigned i)
{
	return i % 100 == 99;
}

void test_main(void)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		src_page[i] = (uint8_t)(i * 7 + 1);
	rt_grant(REF, 0, src_page, GTF_permit_access); /* we boot as dom0: domain id 0 */
	for (unsigned i = 0; i < COUNT; i++) {
		uint16_t off = (uint16_t)(8 * (i % 512));
		ops[i] = (struct gnttab_copy){
		    .source = {.u.ref = bad(i) ? 0xfffff : REF, .domid = DOMID_SELF, .offset = off},
		    .dest = {.u.gmfn = (uint64_t)dst_page >> 12,
			     .domid = DOMID_SELF,
			     .offset = off},
		    .len = 8,
		    .flags = GNTCOPY_source_gref,
		    .status = 1, /* no GNTST_* value: shows the hypervisor wrote it */
		};
	}
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_copy, ops, 0x80000000u), -XEN_EINVAL, "count 2^31");
	CHECK_EQ(ops[0].status, 1, "nothing done for a refused count");
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_copy, ops, COUNT), 0, "copy batch of 2048");
	unsigned wrong = 0;
	for (unsigned i = 0; i < COUNT; i++) {
		int16_t want = bad(i) ? GNTST_bad_gntref : GNTST_okay;
		if (ops[i].status != want && wrong++ < 4)
			CHECK_EQ(ops[i].status, want, "an element's status");
	}
	CHECK_EQ(wrong, 0, "elements with a wrong status");
	unsigned differ = 0;
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		differ += dst_page[i] != src_page[i];
	CHECK_EQ(differ, 0, "bytes not copied");
	CHECK_EQ(rt_gnttab()[REF].flags, GTF_permit_access, "entry left without in-use flags");
}
