// SPDX-License-Identifier: Apache-2.0
/*
 * The guest grants a page to itself (grant frame 0 mapped at the /hypervisor window, entry
 * with domid = our own id and GTF_permit_access) and copies it, 4096 bytes, to a local
 * frame given by GFN: the hypervisor validates the grant, pins it, copies and releases it.
 * A hypervisor without grant copy answers -ENOSYS: reported as n/a, not as a figure.
 */
#include "bench.h"

#define REF 8u

static uint8_t src_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t dst_page[PAGE_SIZE] PAGE_ALIGNED;
static struct gnttab_copy copy;

static long copy_once(void)
{
	copy.status = 1; /* no GNTST_* value: proves the hypervisor wrote it */
	return hyp_grant_table_op(GNTTABOP_copy, &copy, 1);
}

static void __attribute__((noipa)) op(void)
{
	copy_once();
}

/* The bench boots as dom0, domain id 0 on both hypervisors. */
#define MY_DOMID 0

static void grant_to_self(void)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_grant_table,
				       .idx = 0,
				       .gpfn = rt_plat.gnttab.base >> 12};

	if (!rt_plat.gnttab.size)
		rt_error("no grant window in /hypervisor");
	REQUIRE_EQ(hyp_memory_op(XENMEM_add_to_physmap, &x), 0, "map grant frame 0");
	volatile struct grant_entry_v1 *e = (volatile struct grant_entry_v1 *)rt_plat.gnttab.base;
	e[REF].domid = MY_DOMID;
	e[REF].frame = (uint32_t)((uint64_t)src_page >> 12);
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* frame and domid before the flag */
	e[REF].flags = GTF_permit_access;
}

void test_main(void)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		src_page[i] = (uint8_t)(i * 7 + 1);
	grant_to_self();
	copy = (struct gnttab_copy){
	    .source = {.u.ref = REF, .domid = DOMID_SELF},
	    .dest = {.u.gmfn = (uint64_t)dst_page >> 12, .domid = DOMID_SELF},
	    .len = PAGE_SIZE,
	    .flags = GNTCOPY_source_gref,
	};
	long rc = copy_once();
	if (rc == -XEN_ENOSYS) {
		bench_not_available("gnttab_copy_page", "(GNTTABOP_copy: -ENOSYS)");
		return;
	}
	REQUIRE_EQ(rc, 0, "GNTTABOP_copy");
	REQUIRE_EQ(copy.status, GNTST_okay, "copy status");
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		if (dst_page[i] != src_page[i])
			REQUIRE_EQ(dst_page[i], src_page[i], "copied byte");
	uint64_t ticks = bench_ticks(op, BENCH_OPS);
	REQUIRE_EQ(copy.status, GNTST_okay, "status after the loop");
	bench_report("gnttab_copy_page", BENCH_OPS, ticks);
}
