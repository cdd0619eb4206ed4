// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * memory_op extent lists: one multicall of 64 entries that alternately give back
 * (XENMEM_decrease_reservation) and take again (XENMEM_populate_physmap) the 2048 pages of an
 * 8 MiB buffer, one extent per page: 131,072 extents in one hypercall. The canary's longest
 * stall beside it (rt/bench.h). A hypervisor on which a domU cannot change its reservation
 * (Punt's domUs: -ENOSYS) gives n/a. Every call must do all its extents.
 */
#include "bench.h"

#define PAGES	2048
#define ENTRIES 64

static uint8_t buffer[PAGES][PAGE_SIZE] PAGE_ALIGNED;
static xen_pfn_t gfns[PAGES];
static struct multicall_entry mc[ENTRIES];

static const char *extent_storm(void)
{
	struct xen_memory_reservation r = {
	    .extent_start_gva = (uint64_t)gfns, .nr_extents = PAGES, .domid = DOMID_SELF};

	for (unsigned i = 0; i < PAGES; i++)
		gfns[i] = (uint64_t)buffer[i] >> 12;
	/* One round outside the multicall first: is it offered at all? */
	long rc = hyp_memory_op(XENMEM_decrease_reservation, &r);
	if (rc < 0) {
		static char why[64];
		rt_snprintf(why, sizeof(why), "(decrease_reservation from a domU: %ld)", rc);
		return why;
	}
	REQUIRE_EQ(rc, PAGES, "decrease_reservation");
	REQUIRE_EQ(hyp_memory_op(XENMEM_populate_physmap, &r), PAGES, "populate_physmap");
	for (unsigned i = 0; i < ENTRIES; i++) {
		unsigned op = i % 2 ? XENMEM_populate_physmap : XENMEM_decrease_reservation;
		mc[i] = (struct multicall_entry){
		    .op = HYPERVISOR_memory_op, .result = 0x5555, .args = {op, (uint64_t)&r}};
	}
	REQUIRE_EQ(rt_hypercall(HYPERVISOR_multicall, (uint64_t)mc, ENTRIES, 0, 0, 0), 0,
		   "multicall");
	for (unsigned i = 0; i < ENTRIES; i++)
		REQUIRE_EQ(mc[i].result, PAGES, "extents done by an entry");
	return NULL;
}

void test_main(void)
{
	bench_stall("stall_memory_op_extents", extent_storm);
}
