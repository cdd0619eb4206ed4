// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * The hostile operation of issue 11: one multicall of 512 GNTTABOP_copy batches, each of 512
 * whole-page copies from a page the domain granted to itself to one of its own frames (262,144
 * page copies in one hypercall). The canary's longest stall beside it (rt/bench.h). Every copy
 * must succeed: the hypercall's work is checked, not just its length.
 */
#include "bench.h"

#define ENTRIES 512
#define BATCH	512
#define REF	8u

static uint8_t src_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t dst_page[PAGE_SIZE] PAGE_ALIGNED;
static struct gnttab_copy ops[BATCH];
static struct multicall_entry mc[ENTRIES];

static const char *copy_storm(void)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		src_page[i] = (uint8_t)(i * 13 + 7);
	rt_grant(REF, rt_scn.self, src_page, GTF_permit_access);
	for (unsigned i = 0; i < BATCH; i++)
		ops[i] = (struct gnttab_copy){
		    .source = {.u.ref = REF, .domid = DOMID_SELF},
		    .dest = {.u.gmfn = (uint64_t)dst_page >> 12, .domid = DOMID_SELF},
		    .len = PAGE_SIZE,
		    .flags = GNTCOPY_source_gref,
		};
	for (unsigned i = 0; i < ENTRIES; i++)
		mc[i] = (struct multicall_entry){.op = HYPERVISOR_grant_table_op,
						 .result = 0x5555,
						 .args = {GNTTABOP_copy, (uint64_t)ops, BATCH}};
	long rc = rt_hypercall(HYPERVISOR_multicall, (uint64_t)mc, ENTRIES, 0, 0, 0);
	if (rc == -XEN_ENOSYS)
		return "(GNTTABOP_copy: -ENOSYS)";
	REQUIRE_EQ(rc, 0, "multicall");
	for (unsigned i = 0; i < ENTRIES; i++)
		REQUIRE_EQ(mc[i].result, 0, "multicall entry result");
	for (unsigned i = 0; i < BATCH; i++)
		REQUIRE_EQ(ops[i].status, GNTST_okay, "copy status");
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		REQUIRE_EQ(dst_page[i], src_page[i], "copied byte");
	return NULL;
}

void test_main(void)
{
	bench_stall("stall_multicall_grant_copy", copy_storm);
}
