// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * Grant map and unmap batches: one GNTTABOP_map_grant_ref batch of 65,536 elements naming a
 * ref beyond the grant table and one GNTTABOP_unmap_grant_ref batch of 65,536 elements naming
 * handles never given out (each element is read, checked, refused and its status written),
 * then four rounds of real work: the domain maps a page it granted to itself, read-only, at
 * every page of its foreign-mapping area in one batch and unmaps them in another (Punt gives
 * a domU no extended region: 16 pages; on Xen 4.17 the first extended region, capped at 128
 * pages: the 129th map of a dom0less domU fails there). The canary's longest stall beside it
 * (rt/bench.h). Every status must be the expected one.
 */
#include "bench.h"

#define REFUSED	 65536u
#define MAX_MAPS 128u
#define ROUNDS	 4
#define REF	 9u

static uint8_t page[PAGE_SIZE] PAGE_ALIGNED;
static struct gnttab_map_grant_ref maps[REFUSED];
static struct gnttab_unmap_grant_ref unmaps[REFUSED];

/* Pages of the foreign area: the first extended region, or the runtime's small fallback. */
static unsigned area_pages(uint64_t area)
{
	for (unsigned i = 0; i < rt_plat.nr_ext; i++)
		if (rt_plat.ext[i].base == area)
			return rt_plat.ext[i].size / PAGE_SIZE < MAX_MAPS
				   ? (unsigned)(rt_plat.ext[i].size / PAGE_SIZE)
				   : MAX_MAPS;
	return RT_FOREIGN_PAGES;
}

static void refused_batches(uint64_t area)
{
	for (unsigned i = 0; i < REFUSED; i++) {
		maps[i] = (struct gnttab_map_grant_ref){.host_addr = area,
							.flags = GNTMAP_host_map,
							.ref = 0xfffff,
							.dom = rt_scn.self,
							.status = 1};
		unmaps[i] = (struct gnttab_unmap_grant_ref){
		    .host_addr = area, .handle = 0xfffff - i, .status = 1};
	}
	REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, maps, REFUSED), 0, "map batch");
	for (unsigned i = 0; i < REFUSED; i++)
		REQUIRE_EQ(maps[i].status, GNTST_bad_gntref, "refused map status");
	REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_unmap_grant_ref, unmaps, REFUSED), 0, "unmap batch");
	for (unsigned i = 0; i < REFUSED; i++)
		REQUIRE_EQ(unmaps[i].status, GNTST_bad_handle, "refused unmap status");
}

static void real_rounds(uint64_t area, unsigned n)
{
	for (unsigned r = 0; r < ROUNDS; r++) {
		for (unsigned i = 0; i < n; i++)
			maps[i] = (struct gnttab_map_grant_ref){
			    .host_addr = area + (uint64_t)i * PAGE_SIZE,
			    .flags = GNTMAP_host_map | GNTMAP_readonly,
			    .ref = REF,
			    .dom = rt_scn.self};
		REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, maps, n), 0, "map batch");
		for (unsigned i = 0; i < n; i++) {
			if (maps[i].status != GNTST_okay)
				rt_printf("map %u of %u at %#lx: status %d\n", i, n,
					  maps[i].host_addr, maps[i].status);
			REQUIRE_EQ(maps[i].status, GNTST_okay, "map status");
			unmaps[i] = (struct gnttab_unmap_grant_ref){.host_addr = maps[i].host_addr,
								    .handle = maps[i].handle};
		}
		REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_unmap_grant_ref, unmaps, n), 0,
			   "unmap batch");
		for (unsigned i = 0; i < n; i++)
			REQUIRE_EQ(unmaps[i].status, GNTST_okay, "unmap status");
	}
}

static const char *map_storm(void)
{
	uint64_t area = rt_foreign_area();
	unsigned n = area_pages(area);

	rt_printf("%u refused maps and unmaps, then %u pages at %#lx mapped %u times\n", REFUSED, n,
		  area, ROUNDS);
	rt_grant(REF, rt_scn.self, page, GTF_permit_access | GTF_readonly);
	refused_batches(area);
	real_rounds(area, n);
	return NULL;
}

void test_main(void)
{
	bench_stall("stall_grant_map_unmap", map_storm);
}
