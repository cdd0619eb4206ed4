// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * Punt's 'd' debug key while one domain maps another's grants: the granter shows which of
 * its entries are in use and how (writable or not), the mapper shows its handles. The
 * mapper holds its mappings until a character arrives on its UART, which the system test
 * (tests/system/test_domain_lifecycle.py) types once it has read the dump.
 */
#include "rt.h"

#define REF_WRITABLE 10
#define REF_READONLY 11
#define HOLD_MS	     15000

static uint8_t pages[2][PAGE_SIZE] PAGE_ALIGNED;

static void granter(void)
{
	rt_grant(REF_WRITABLE, rt_scn.peer, pages[0], GTF_permit_access);
	rt_grant(REF_READONLY, rt_scn.peer, pages[1], GTF_permit_access | GTF_readonly);
	rt_peer_send(1);
	rt_peer_finish();
	CHECK_EQ(rt_gnttab()[REF_WRITABLE].flags, GTF_permit_access,
		 "the writable entry's in-use flags cleared by the unmap");
	CHECK_EQ(rt_gnttab()[REF_READONLY].flags, GTF_permit_access | GTF_readonly,
		 "the read-only entry's in-use flags cleared by the unmap");
}

static void mapper(void)
{
	uint64_t area = rt_foreign_area();
	struct gnttab_map_grant_ref map[2] = {
	    {.host_addr = area, .flags = GNTMAP_host_map, .ref = REF_WRITABLE, .dom = rt_scn.peer},
	    {.host_addr = area + PAGE_SIZE,
	     .flags = GNTMAP_host_map | GNTMAP_readonly,
	     .ref = REF_READONLY,
	     .dom = rt_scn.peer},
	};

	rt_peer_recv();
	REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, map, 2), 0, "map returns");
	REQUIRE_EQ(map[0].status, GNTST_okay, "map the writable grant");
	REQUIRE_EQ(map[1].status, GNTST_okay, "map the read-only grant");
	rt_printf("holding handles %u and %u until a key is typed\n", map[0].handle, map[1].handle);
	if (rt_getc(HOLD_MS) < 0)
		rt_error("no key typed while the grants were mapped");
	struct gnttab_unmap_grant_ref unmap[2] = {
	    {.host_addr = area, .handle = map[0].handle},
	    {.host_addr = area + PAGE_SIZE, .handle = map[1].handle},
	};
	REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_unmap_grant_ref, unmap, 2), 0, "unmap returns");
	CHECK_EQ(unmap[0].status, GNTST_okay, "unmap the writable grant");
	CHECK_EQ(unmap[1].status, GNTST_okay, "unmap the read-only grant");
	rt_peer_finish();
}

void test_main(void)
{
	rt_scenario_run(granter, mapper);
}
