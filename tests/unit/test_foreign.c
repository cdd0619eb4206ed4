// SPDX-License-Identifier: Apache-2.0
/*
 * Building a domain's memory from dom0 (hyp/core/memory_op.c, foreign_map.c, domctl.c) on the
 * fake machine, as libxc's domain builder does it: populate_physmap for the new domain (orders,
 * alignment, max_pages, partial counts), foreign mappings of its pages into dom0 with
 * add_to_physmap_batch (per-entry errors, -EINVAL and never -ENOENT), the grant table through
 * acquire_resource, remove_from_physmap giving the reference back, a destroyed domain kept
 * until dom0 unmaps its last page, and setvcpucontext. Expected values are Xen 4.17's
 * (Xen common/memory.c, arch/arm/mm.c, common/domctl.c, arch/arm/domain.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/domctl.h>
#include <public/errno.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/xen.h>
#include <punt/arch/irq.h>
#include <punt/arch/p2m.h>
#include <punt/cpu.h>
#include <punt/domain.h>
#include <punt/foreign_map.h>
#include <punt/grant_table.h>
#include <punt/hypercall.h>
#include <punt/page_alloc.h>
#include <punt/sched.h>

#define RAM_GFN	  0x40000UL /* GUEST_RAM0_BASE >> 12 */
#define MAGIC_GFN 0x39000UL /* GUEST_MAGIC_BASE >> 12: the builder's console, xenstore pages */
/* Frames of dom0's address space where nothing is: where privcmd's mappings go. */
#define DOM0_HOLE 0x90000UL

static struct domain *dom0, *d1;
static uint64_t free_at_start;

static int setup(void **state)
{
	(void)state;
	machine_boot(2);
	dom0 = machine_domain(0, 2, true);
	d1 = machine_domain(1, 1, false);
	free_at_start = page_alloc_free_pages();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static long call(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1)
{
	machine_run(d->vcpus[0]);
	irq_handle_pending();
	return do_hypercall(d->vcpus[0], nr, (const uint64_t[5]){a0, a1, 0, 0, 0});
}

static long domctl(struct domain *d, struct xen_domctl *op)
{
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return call(d, HYPERVISOR_domctl, ptr(op), 0);
}

/* A domain from dom0 as libxl makes it: vcpus vCPUs, max_pages pages allowed, paused. */
static struct domain *create(unsigned vcpus, uint64_t max_pages)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_createdomain};
	struct xen_domctl_createdomain *c = &op.u.createdomain;

	c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c->max_vcpus = vcpus;
	c->max_evtchn_port = 1023;
	c->max_grant_frames = -1;
	c->max_maptrack_frames = -1;
	c->grant_opts = 1;
	assert_int_equal(domctl(dom0, &op), 0);
	struct domain *d = domain_lookup(op.domain);
	assert_non_null(d);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_max_mem, .domain = d->id};
	op.u.max_mem.max_memkb = max_pages * 4;
	assert_int_equal(domctl(dom0, &op), 0);
	return d;
}

static uint64_t gfns[8];

static long populate(struct domain *caller, domid_t target, uint64_t nr, unsigned order)
{
	struct xen_memory_reservation r = {.extent_start_gva = ptr(gfns),
					   .nr_extents = nr,
					   .extent_order = order,
					   .domid = target};

	return call(caller, HYPERVISOR_memory_op, XENMEM_populate_physmap, ptr(&r));
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- populate_physmap for another domain ---------------------------------------------- */

static void populate_physmap_gives_a_new_domain_zeroed_pages_up_to_max_pages(void **state)
{
	(void)state;
	struct domain *d = create(1, 512 + 4);

	gfns[0] = RAM_GFN;
	assert_int_equal(populate(dom0, d->id, 1, 9), 1);
	assert_int_equal(d->tot_pages, 512);
	uint8_t *page = machine_ram(d, RAM_GFN + 511);
	assert_non_null(page);
	assert_true(all_zero(page, 4096));
	/* The builder's four magic pages, then one more than max_pages allows. */
	for (unsigned i = 0; i < 5; i++)
		gfns[i] = MAGIC_GFN + i;
	assert_int_equal(populate(dom0, d->id, 5, 0), 4);
	assert_int_equal(d->tot_pages, 516);
	assert_null(machine_ram(d, MAGIC_GFN + 4));
	assert_true(domain_is_ram(d, MAGIC_GFN + 3));
}

static void populate_physmap_stops_at_a_misaligned_or_taken_frame_or_too_big_an_order(void **state)
{
	(void)state;
	struct domain *d = create(1, 4096);

	gfns[0] = RAM_GFN + 1; /* not 2 MiB aligned */
	assert_int_equal(populate(dom0, d->id, 1, 9), 0);
	gfns[0] = RAM_GFN;
	gfns[1] = RAM_GFN; /* already there */
	assert_int_equal(populate(dom0, d->id, 2, 0), 1);
	/* Above the control domain's order 18 (Xen's MAX_ORDER on Arm): nothing, no error. */
	gfns[0] = RAM_GFN + 512;
	assert_int_equal(populate(dom0, d->id, 1, 19), 0);
	/* A frame number so big it would wrap past the IPA space. */
	gfns[0] = ~0UL;
	assert_int_equal(populate(dom0, d->id, 1, 0), 0);
	/* A domU may not populate another domain: the start extent, as on Xen. */
	assert_int_equal(populate(d1, d->id, 1, 0), 0);
	assert_int_equal(d->tot_pages, 1);
}

/* ---- foreign mappings into dom0 ---------------------------------------------------------- */

static uint64_t idxs[4], dom0_gfns[4];
static int32_t errs[4];

static long map_batch(struct domain *caller, domid_t target, uint16_t space, domid_t foreign,
		      uint16_t size)
{
	struct xen_add_to_physmap_batch b = {.domid = target,
					     .space = space,
					     .size = size,
					     .foreign_domid = foreign,
					     .idxs_gva = ptr(idxs),
					     .gpfns_gva = ptr(dom0_gfns),
					     .errs_gva = ptr(errs)};

	memset(errs, 0x55, sizeof(errs));
	return call(caller, HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, ptr(&b));
}

static long remove_from_physmap(struct domain *caller, domid_t target, uint64_t gfn)
{
	struct xen_remove_from_physmap r = {.domid = target, .gpfn = gfn};

	return call(caller, HYPERVISOR_memory_op, XENMEM_remove_from_physmap, ptr(&r));
}

/* A populated new domain with one page that says so. */
static struct domain *built_domain(void)
{
	struct domain *d = create(1, 512);

	gfns[0] = RAM_GFN;
	assert_int_equal(populate(dom0, d->id, 1, 9), 1);
	memcpy(machine_ram(d, RAM_GFN + 7), "kernel", 7);
	return d;
}

static void a_foreign_mapping_shows_dom0_the_new_domains_page(void **state)
{
	(void)state;
	struct domain *d = built_domain();
	uint64_t mfn, dom0_mfn;

	idxs[0] = RAM_GFN + 7;
	dom0_gfns[0] = DOM0_HOLE;
	assert_int_equal(map_batch(dom0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, d->id, 1), 0);
	assert_int_equal(errs[0], 0);
	assert_int_equal(p2m_lookup(dom0, DOM0_HOLE, &dom0_mfn), P2M_FOREIGN_RW);
	assert_int_equal(p2m_lookup(d, RAM_GFN + 7, &mfn), P2M_RAM_RW);
	assert_int_equal(dom0_mfn, mfn);
	assert_string_equal((const char *)(uintptr_t)(dom0_mfn << 12), "kernel");
	assert_int_equal(d->foreign_refs, 1);
	assert_int_equal(foreign_map_count(dom0), 1);

	/* Nothing else may be mapped over it while it holds its reference. */
	struct xen_add_to_physmap x = {
	    .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .gpfn = DOM0_HOLE};
	assert_int_equal(call(dom0, HYPERVISOR_memory_op, XENMEM_add_to_physmap, ptr(&x)),
			 -XEN_EBUSY);
	x.space = XENMAPSPACE_grant_table;
	assert_int_equal(call(dom0, HYPERVISOR_memory_op, XENMEM_add_to_physmap, ptr(&x)),
			 -XEN_EBUSY);
	assert_int_equal(d->foreign_refs, 1);

	/* munmap: the reference goes back, and with the last one dom0's table. */
	assert_int_equal(remove_from_physmap(dom0, DOMID_SELF, DOM0_HOLE), 0);
	assert_int_equal(p2m_lookup(dom0, DOM0_HOLE, NULL), P2M_INVALID);
	assert_int_equal(d->foreign_refs, 0);
	assert_null(dom0->foreign);
	assert_int_equal(remove_from_physmap(dom0, DOMID_SELF, DOM0_HOLE), -XEN_ENOENT);
}

static void each_entry_of_a_batch_gets_xens_answer(void **state)
{
	(void)state;
	struct domain *d = built_domain();

	/* Good; not the owner's RAM (never -ENOENT, which privcmd retries for ever); itself. */
	idxs[0] = RAM_GFN;
	idxs[1] = RAM_GFN + 512;
	idxs[2] = MAGIC_GFN;
	idxs[3] = RAM_GFN + 1;
	for (unsigned i = 0; i < 4; i++)
		dom0_gfns[i] = DOM0_HOLE + i;
	assert_int_equal(map_batch(dom0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, d->id, 3), 0);
	assert_int_equal(errs[0], 0);
	assert_int_equal(errs[1], -XEN_EINVAL);
	assert_int_equal(errs[2], -XEN_EINVAL);
	assert_int_equal(d->foreign_refs, 1);
	/* A foreign frame number beyond the IPA space, not a wrapped-around RAM frame. */
	idxs[0] = RAM_GFN | (1UL << 52);
	dom0_gfns[0] = DOM0_HOLE + 4;
	assert_int_equal(map_batch(dom0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, d->id, 1), 0);
	assert_int_equal(errs[0], -XEN_EINVAL);
	/* A frame of dom0's that holds a mapping already. */
	idxs[0] = RAM_GFN;
	dom0_gfns[0] = DOM0_HOLE;
	assert_int_equal(map_batch(dom0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, d->id, 1), 0);
	assert_int_equal(errs[0], -XEN_EBUSY);
	/* Its own pages, a domain that does not exist. */
	assert_int_equal(map_batch(dom0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, DOMID_SELF, 1), 0);
	assert_int_equal(errs[0], -XEN_EINVAL);
	assert_int_equal(map_batch(dom0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 40, 1), 0);
	assert_int_equal(errs[0], -XEN_ESRCH);
	/* The call itself: gmfn_range is not for batches, a domU names dom0, a bad buffer. */
	assert_int_equal(map_batch(dom0, DOMID_SELF, XENMAPSPACE_gmfn_range, d->id, 1),
			 -XEN_EOPNOTSUPP);
	assert_int_equal(map_batch(d1, 0, XENMAPSPACE_gmfn_foreign, d->id, 1), -XEN_EPERM);
	/* A domU mapping another domain's page into itself: that entry is refused. */
	dom0_gfns[0] = DOM0_HOLE + 8;
	assert_int_equal(map_batch(d1, DOMID_SELF, XENMAPSPACE_gmfn_foreign, d->id, 1), 0);
	assert_int_equal(errs[0], -XEN_EPERM);
	assert_int_equal(d->foreign_refs, 1);
	assert_int_equal(remove_from_physmap(dom0, DOMID_SELF, DOM0_HOLE), 0);
}

static void a_destroyed_domain_stays_until_dom0_unmaps_its_last_page(void **state)
{
	(void)state;
	uint64_t free_before = page_alloc_free_pages();
	struct domain *d = built_domain();
	domid_t id = d->id;

	idxs[0] = RAM_GFN + 7;
	dom0_gfns[0] = DOM0_HOLE;
	assert_int_equal(map_batch(dom0, DOMID_SELF, XENMAPSPACE_gmfn_foreign, id, 1), 0);
	struct xen_domctl op = {.cmd = XEN_DOMCTL_destroydomain, .domain = id};
	assert_int_equal(domctl(dom0, &op), 0);
	machine_all_cpus_pass(8, dom0->vcpus[0]);
	/* Dead and listed, its page still readable by dom0, and no CPU kept busy for it. */
	assert_null(domain_lookup(id));
	assert_ptr_equal(domain_lookup_existing(id), d);
	assert_false(domain_reap_pending());
	uint64_t mfn;
	assert_int_equal(p2m_lookup(dom0, DOM0_HOLE, &mfn), P2M_FOREIGN_RW);
	assert_string_equal((const char *)(uintptr_t)(mfn << 12), "kernel");
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_getdomaininfo, .domain = id};
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(op.domain, id);
	assert_true(op.u.getdomaininfo.flags & XEN_DOMINF_dying);

	assert_int_equal(remove_from_physmap(dom0, DOMID_SELF, DOM0_HOLE), 0);
	machine_all_cpus_pass(4, dom0->vcpus[0]);
	assert_null(domain_lookup_existing(id));
	assert_int_equal(page_alloc_free_pages(), free_before);
}

/* ---- the grant table through acquire_resource ---------------------------------------------- */

static uint64_t frame_list[2];

static long acquire(struct domain *caller, domid_t target, uint16_t type, uint32_t id, uint32_t *nr,
		    uint64_t frame, bool with_list)
{
	struct xen_mem_acquire_resource r = {.domid = target,
					     .type = type,
					     .id = id,
					     .nr_frames = *nr,
					     .frame = frame,
					     .frame_list_gva = with_list ? ptr(frame_list) : 0};
	long rc = call(caller, HYPERVISOR_memory_op, XENMEM_acquire_resource, ptr(&r));

	*nr = r.nr_frames;
	return rc;
}

static void acquire_resource_maps_the_grant_table_for_seeding(void **state)
{
	(void)state;
	struct domain *d = create(1, 16);
	uint32_t nr = 0;

	/* The size first, as privcmd asks it. */
	assert_int_equal(acquire(dom0, d->id, XENMEM_resource_grant_table, 0, &nr, 0, false), 0);
	assert_int_equal(nr, GNTTAB_MAX_FRAMES);
	/* libxc's seeding: frame 0 at one of dom0's frames, entry 1 for xenstore. */
	nr = 1;
	frame_list[0] = DOM0_HOLE;
	assert_int_equal(acquire(dom0, d->id, XENMEM_resource_grant_table, 0, &nr, 0, true), 0);
	uint64_t mfn;
	assert_int_equal(p2m_lookup(dom0, DOM0_HOLE, &mfn), P2M_FOREIGN_RW);
	struct grant_entry_v1 *seen = (struct grant_entry_v1 *)(uintptr_t)(mfn << 12);
	seen[1] = (struct grant_entry_v1){.flags = GTF_permit_access, .domid = 0, .frame = 0x39001};
	struct domain_locked l = domain_lock(d);
	assert_int_equal(grant_entry(l, 1)->frame, 0x39001);
	domain_unlock(&l);
	assert_int_equal(remove_from_physmap(dom0, DOMID_SELF, DOM0_HOLE), 0);
	assert_int_equal(d->foreign_refs, 0);

	/* Xen's refusals. */
	assert_int_equal(acquire(dom0, d->id, 0 /* ioreq server */, 0, &nr, 0, true),
			 -XEN_EOPNOTSUPP);
	assert_int_equal(acquire(dom0, d->id, XENMEM_resource_grant_table, 1, &nr, 0, true),
			 -XEN_EINVAL);
	assert_int_equal(acquire(dom0, 0, XENMEM_resource_grant_table, 0, &nr, 0, true),
			 -XEN_EPERM);
	assert_int_equal(acquire(d1, d->id, XENMEM_resource_grant_table, 0, &nr, 0, true),
			 -XEN_EPERM);
	assert_int_equal(acquire(dom0, 40, XENMEM_resource_grant_table, 0, &nr, 0, true),
			 -XEN_ESRCH);
	nr = 1;
	assert_int_equal(acquire(dom0, d->id, XENMEM_resource_grant_table, 0, &nr, 64, true),
			 -XEN_EINVAL);
}

/* ---- setvcpucontext ----------------------------------------------------------------------- */

static struct vcpu_guest_context ctxt;

static long set_context(domid_t target, uint32_t vcpu, bool with_ctxt)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_setvcpucontext, .domain = target};

	op.u.vcpucontext.vcpu = vcpu;
	op.u.vcpucontext.ctxt_gva = with_ctxt ? ptr(&ctxt) : 0;
	return domctl(dom0, &op);
}

static void setvcpucontext_starts_vcpu_0_at_the_kernel_once_unpaused(void **state)
{
	(void)state;
	struct domain *d = create(2, 512);
	struct vcpu *v = d->vcpus[0];

	/* libxc's vCPU 0 (Xen tools/libs/guest/xg_dom_arm.c): x0 = the DTB, pc = the kernel. */
	memset(&ctxt, 0, sizeof(ctxt));
	ctxt.flags = VGCF_online;
	ctxt.user_regs.x[0] = 0x48200000;
	ctxt.user_regs.pc64 = 0x40200000;
	ctxt.user_regs.cpsr = 0x1c5;
	ctxt.sctlr = 0x00c50078;
	assert_int_equal(set_context(d->id, 0, true), 0);
	assert_int_equal(v->arch.regs.pc, 0x40200000);
	assert_int_equal(v->arch.regs.x[0], 0x48200000);
	assert_int_equal(v->state, VCPU_PAUSED); /* online, and the domain still paused */
	/* Now online: another context is -EBUSY (Punt takes one only before it runs). */
	assert_int_equal(set_context(d->id, 0, true), -XEN_EBUSY);

	struct xen_domctl op = {.cmd = XEN_DOMCTL_unpausedomain, .domain = d->id};
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(v->state, VCPU_RUNNABLE);
	/* vCPU 1 stays offline without VGCF_online. */
	ctxt.flags = 0;
	assert_int_equal(set_context(d->id, 1, true), 0);
	assert_int_equal(d->vcpus[1]->state, VCPU_OFFLINE);
}

static void setvcpucontext_refuses_modes_a_guest_may_not_run_in(void **state)
{
	(void)state;
	struct domain *d = create(1, 512);

	memset(&ctxt, 0, sizeof(ctxt));
	ctxt.user_regs.cpsr = 0x1c9; /* EL2h */
	assert_int_equal(set_context(d->id, 0, true), -XEN_EINVAL);
	ctxt.user_regs.cpsr = 0x1d3; /* AArch32 SVC */
	assert_int_equal(set_context(d->id, 0, true), -XEN_EINVAL);
	ctxt.user_regs.cpsr = 0x1c5;
	ctxt.user_regs.spsr_el1 = 0x1cd; /* EL3h */
	assert_int_equal(set_context(d->id, 0, true), -XEN_EINVAL);
	ctxt.user_regs.spsr_el1 = 0x3c4; /* EL1t */
	assert_int_equal(set_context(d->id, 0, true), 0);
	/* No such vCPU; dom0 itself; a NULL context resets. */
	assert_int_equal(set_context(d->id, 1, true), -XEN_EINVAL);
	assert_int_equal(set_context(0, 0, true), -XEN_EINVAL);
	assert_int_equal(set_context(d->id, 0, false), 0);
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(populate_physmap_gives_a_new_domain_zeroed_pages_up_to_max_pages),
	    TEST(populate_physmap_stops_at_a_misaligned_or_taken_frame_or_too_big_an_order),
	    TEST(a_foreign_mapping_shows_dom0_the_new_domains_page),
	    TEST(each_entry_of_a_batch_gets_xens_answer),
	    TEST(a_destroyed_domain_stays_until_dom0_unmaps_its_last_page),
	    TEST(acquire_resource_maps_the_grant_table_for_seeding),
	    TEST(setvcpucontext_starts_vcpu_0_at_the_kernel_once_unpaused),
	    TEST(setvcpucontext_refuses_modes_a_guest_may_not_run_in),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
