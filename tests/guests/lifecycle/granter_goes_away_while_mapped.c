// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * Punt-only (Xen keeps a dom0less domain that powered off, so nothing is torn down there):
 * one domain grants a page, the other maps it, then the granter powers off. Punt destroys
 * the granter at once: the mapping is revoked (the page leaves the mapper's stage-2 before
 * it is reused), the static channel's far end closes so the mapper's end is unbound again,
 * the mapper's handle still unmaps cleanly, and a new map names a domain that is gone.
 * tests/system/test_domain_lifecycle.py checks Punt's memory accounting around it.
 */
#include "rt.h"

#define REF 10

static uint8_t page[PAGE_SIZE] PAGE_ALIGNED;

static void granter(void)
{
	memset(page, 0x6b, sizeof(page));
	rt_grant(REF, rt_scn.peer, page, GTF_permit_access);
	rt_peer_send(1);
	rt_peer_recv(); /* mapped and read */
			/* rt_finish() prints the verdict and powers this domain off. */
}

static bool peer_gone(void)
{
	struct evtchn_status st = {.dom = DOMID_SELF, .port = rt_scn.port[0]};

	return rt_evtchn_status(rt_scn.port[0], &st) == 0 && st.status == EVTCHNSTAT_unbound;
}

static void mapper(void)
{
	uint64_t area = rt_foreign_area();
	struct gnttab_map_grant_ref map = {
	    .host_addr = area, .flags = GNTMAP_host_map, .ref = REF, .dom = rt_scn.peer};
	struct gnttab_unmap_grant_ref unmap = {.host_addr = area};

	rt_peer_recv();
	REQUIRE_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, &map, 1), 0, "map returns");
	REQUIRE_EQ(map.status, GNTST_okay, "map the granted page");
	CHECK_EQ(*(volatile uint8_t *)area, 0x6b, "the granted page's contents");
	rt_peer_send(2);

	uint64_t start = rt_cntvct();
	while (!peer_gone()) {
		if (rt_cntvct() - start > 20 * rt_cntfrq())
			rt_error("the granter's end of the static channel never closed");
		rt_delay_ms(10);
	}
	/* Nothing is mapped there any more: removing the page finds a hole (not a grant). */
	struct xen_remove_from_physmap xrfp = {.domid = DOMID_SELF, .gpfn = area >> 12};
	CHECK_EQ(hyp_memory_op(XENMEM_remove_from_physmap, &xrfp), -XEN_ENOENT,
		 "the revoked page left our physmap");
	unmap.handle = map.handle;
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 1), 0, "unmap returns");
	CHECK_EQ(unmap.status, GNTST_okay, "the revoked mapping's handle unmaps");
	map.status = 99;
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, &map, 1), 0, "map returns");
	CHECK_EQ(map.status, GNTST_bad_domain, "map from the domain that went away");
}

void test_main(void)
{
	rt_scenario_run(granter, mapper);
}
