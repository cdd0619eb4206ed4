// SPDX-License-Identifier: Apache-2.0
/*
 * A domain's life from dom0 (hyp/core/domctl.c, domain.c, sched.c) on the fake machine, as
 * `xl create` and `xl destroy` drive it: createdomain with Xen's checks of the Arm
 * configuration, max_vcpus, max_mem, the paging pool, set_address_size, the affinities,
 * scheduler_op, getvcpuinfo, the toolstack's pause counter (a created domain never runs
 * before its unpause), vuart_op (the UART's ring and the port the hypervisor holds for it),
 * cacheflush and destroydomain (dying, dead, freed, every page back). Each answer is
 * Xen 4.17's (Xen common/domctl.c, common/domain.c, arch/arm/domain.c, common/sched/).
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
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>
#include <fake/arch.h>
#include <punt/arch/irq.h>
#include <punt/arch/p2m.h>
#include <punt/control.h>
#include <punt/cpu.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/hypercall.h>
#include <punt/page_alloc.h>
#include <punt/sched.h>

static struct domain *dom0, *d1;

static int setup(void **state)
{
	(void)state;
	machine_boot(2);
	dom0 = machine_domain(0, 2, true);
	d1 = machine_domain(1, 1, false); /* a domain of the boot configuration */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	machine_halt(); /* every domain, the toolstack's too: fails if a page was lost */
	return 0;
}

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static struct xen_domctl domctl_op(uint32_t cmd, domid_t dom)
{
	return (struct xen_domctl){
	    .cmd = cmd, .interface_version = XEN_DOMCTL_INTERFACE_VERSION, .domain = dom};
}

static long domctl(struct domain *d, struct xen_domctl *op)
{
	machine_run(d->vcpus[0]);
	irq_handle_pending();
	return do_hypercall(d->vcpus[0], HYPERVISOR_domctl,
			    (const uint64_t[5]){ptr(op), 0, 0, 0, 0});
}

/* What libxl asks for an Arm PVH guest (Xen tools/libs/light/libxl_create.c). */
static struct xen_domctl create_op(unsigned vcpus)
{
	struct xen_domctl op = domctl_op(XEN_DOMCTL_createdomain, 0);
	struct xen_domctl_createdomain *c = &op.u.createdomain;

	c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c->max_vcpus = vcpus;
	c->max_evtchn_port = 1023;
	c->max_grant_frames = -1;
	c->max_maptrack_frames = -1;
	c->grant_opts = 1;
	memset(c->handle, 0x5a, sizeof(c->handle));
	return op;
}

/* A new domain from dom0; fails the test if refused. */
static struct domain *create(unsigned vcpus)
{
	struct xen_domctl op = create_op(vcpus);

	assert_int_equal(domctl(dom0, &op), 0);
	struct domain *d = domain_lookup(op.domain);
	assert_non_null(d);
	return d;
}

static long simple(uint32_t cmd, struct domain *caller, domid_t target)
{
	struct xen_domctl op = domctl_op(cmd, target);

	return domctl(caller, &op);
}

static struct xen_domctl_getdomaininfo info_of(domid_t id)
{
	struct xen_domctl op = domctl_op(XEN_DOMCTL_getdomaininfo, id);

	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(op.domain, id);
	return op.u.getdomaininfo;
}

/* ---- createdomain -------------------------------------------------------------------- */

static void createdomain_gives_a_free_id_and_a_paused_domain_without_memory(void **state)
{
	(void)state;
	struct xen_domctl op = create_op(2);

	assert_int_equal(domctl(dom0, &op), 0);
	/* 1 belongs to the boot configuration's domain: the first free id is 2. */
	assert_int_equal(op.domain, 2);
	assert_int_equal(op.u.createdomain.arch_config.gic_version, XEN_DOMCTL_CONFIG_GIC_V3);
	assert_int_equal(op.u.createdomain.arch_config.clock_frequency, 0);

	struct xen_domctl_getdomaininfo i = info_of(2);
	assert_int_equal(i.flags & (XEN_DOMINF_paused | XEN_DOMINF_dying | XEN_DOMINF_shutdown |
				    XEN_DOMINF_running | XEN_DOMINF_blocked),
			 XEN_DOMINF_paused);
	assert_int_equal(i.tot_pages, 0);
	assert_int_equal(i.max_pages, 0);
	assert_int_equal(i.nr_online_vcpus, 0);
	assert_int_equal(i.max_vcpu_id, 1);
	assert_int_equal(i.handle[0], 0x5a);
	assert_int_equal(i.handle[15], 0x5a);
	/* The next one gets the next id. */
	struct domain *d3 = create(1);
	assert_int_equal(d3->id, 3);
}

static void createdomain_of_a_named_id_takes_it_or_is_eexist(void **state)
{
	(void)state;
	struct xen_domctl op = create_op(1);

	op.domain = 7;
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(op.domain, 7);
	op = create_op(1);
	op.domain = 7;
	assert_int_equal(domctl(dom0, &op), -XEN_EEXIST);
	/* The boot configuration's id, and dom0's. */
	op.domain = 1;
	assert_int_equal(domctl(dom0, &op), -XEN_EEXIST);
	/* Beyond Punt's table of domains. */
	op.domain = MAX_DOMAINS;
	assert_int_equal(domctl(dom0, &op), -XEN_ENOMEM);
}

/* The i-th bad configuration, made from libxl's good one; its name, NULL past the last. */
static const char *bad_config(unsigned i, struct xen_domctl_createdomain *c, long *want)
{
	*want = -XEN_EINVAL;
	switch (i) {
	case 0:
		c->flags |= 1u << 8;
		return "an unknown flag";
	case 1:
		c->flags = XEN_DOMCTL_CDF_hvm;
		return "no hap";
	case 2:
		c->flags = 0;
		return "neither hvm nor hap";
	case 3:
		c->flags |= XEN_DOMCTL_CDF_xs_domain;
		return "xs_domain";
	case 4:
		c->flags |= XEN_DOMCTL_CDF_iommu;
		return "an IOMMU";
	case 5:
		c->iommu_opts = 1;
		return "IOMMU options without one";
	case 6:
		c->flags |= XEN_DOMCTL_CDF_vpmu;
		return "a vPMU";
	case 7:
		c->vmtrace_size = 4096;
		return "vmtrace";
	case 8:
		c->grant_opts = 0x11;
		return "grant options above the version";
	case 9:
		c->grant_opts = 0;
		return "grant version 0";
	case 10:
		c->grant_opts = 2;
		return "grant version 2";
	case 11:
		c->max_vcpus = 0;
		return "no vCPU";
	case 12:
		c->max_vcpus = CONFIG_NR_CPUS + 1;
		return "more vCPUs than Punt has room for";
	case 13:
		c->arch_config.gic_version = XEN_DOMCTL_CONFIG_GIC_V2;
		return "a GICv2";
	case 14:
		c->arch_config.gic_version = 3;
		return "an unknown GIC";
	case 15:
		c->arch_config.tee_type = 1;
		return "OP-TEE";
	case 16:
		c->arch_config.nr_spis = 961;
		return "more SPIs than the vGIC has";
	case 17:
		c->max_grant_frames = 0;
		return "no grant frame";
	case 18:
		c->max_grant_frames = 65;
		return "more grant frames than the limit";
	case 19:
		c->max_maptrack_frames = 1025;
		return "more maptrack frames than the limit";
	case 20:
		c->cpupool_id = 1;
		*want = -XEN_ESRCH;
		return "a pool that does not exist";
	default:
		return NULL;
	}
}

static void createdomain_refuses_what_xen_refuses_on_arm(void **state)
{
	(void)state;
	uint64_t free_before = page_alloc_free_pages();
	struct xen_domctl op = create_op(1);
	const char *what;
	long want;

	for (unsigned i = 0; (what = bad_config(i, &op.u.createdomain, &want)); i++) {
		long rc = domctl(dom0, &op);
		if (rc != want)
			fail_msg("createdomain with %s: expected %ld, got %ld", what, want, rc);
		op = create_op(1);
	}
	/* Nothing was made: no page taken, no id given. */
	assert_int_equal(page_alloc_free_pages(), free_before);
	op = domctl_op(XEN_DOMCTL_getdomaininfo, 2);
	assert_int_equal(domctl(dom0, &op), -XEN_ESRCH);
	/* The limits themselves are accepted. */
	op = create_op(CONFIG_NR_CPUS);
	op.u.createdomain.arch_config.nr_spis = 960;
	op.u.createdomain.max_grant_frames = 64;
	op.u.createdomain.max_maptrack_frames = 1024;
	assert_int_equal(domctl(dom0, &op), 0);
}

/* ---- the domain builder's settings -------------------------------------------------- */

static void max_vcpus_must_repeat_the_createdomain_figure(void **state)
{
	(void)state;
	struct domain *d = create(2);
	struct xen_domctl op = domctl_op(XEN_DOMCTL_max_vcpus, d->id);

	op.u.max_vcpus.max = 3;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op.u.max_vcpus.max = 2;
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(domctl(dom0, &op), 0); /* again: nothing new */
	op.domain = 0;
	op.u.max_vcpus.max = dom0->max_vcpus;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL); /* on itself */
}

static void max_mem_sets_max_pages_from_kib(void **state)
{
	(void)state;
	struct domain *d = create(1);
	struct xen_domctl op = domctl_op(XEN_DOMCTL_max_mem, d->id);

	op.u.max_mem.max_memkb = 132096; /* libxl: 128 MiB + LIBXL_MAXMEM_CONSTANT */
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(info_of(d->id).max_pages, 33024);
	/* Below what a domain holds is allowed: it may only shrink from there. */
	op.domain = 1;
	op.u.max_mem.max_memkb = 4;
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(info_of(1).max_pages, 1);
}

static void the_paging_pool_size_is_kept_in_whole_pages(void **state)
{
	(void)state;
	struct domain *d = create(1);
	struct xen_domctl op = domctl_op(XEN_DOMCTL_get_paging_mempool_size, d->id);

	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(op.u.paging_mempool.size, 16 * 4096); /* Xen's initial 16 pages */
	op = domctl_op(XEN_DOMCTL_set_paging_mempool_size, d->id);
	op.u.paging_mempool.size = 3584 * 1024; /* libxl: 1 vCPU, 128 MiB */
	assert_int_equal(domctl(dom0, &op), 0);
	op.u.paging_mempool.size = 4097;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op = domctl_op(XEN_DOMCTL_get_paging_mempool_size, d->id);
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(op.u.paging_mempool.size, 3584 * 1024);
}

static void set_address_size_takes_64_before_any_page(void **state)
{
	(void)state;
	struct domain *d = create(1);
	struct xen_domctl op = domctl_op(XEN_DOMCTL_set_address_size, d->id);

	op.u.address_size.size = 64;
	assert_int_equal(domctl(dom0, &op), 0);
	op.u.address_size.size = 32; /* Punt runs no AArch32 guest */
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op.u.address_size.size = 48;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	/* d1 has its RAM: too late (Xen's switch_mode). */
	op = domctl_op(XEN_DOMCTL_set_address_size, 1);
	op.u.address_size.size = 64;
	assert_int_equal(domctl(dom0, &op), -XEN_EBUSY);
}

static void setvcpuaffinity_answers_the_effective_maps(void **state)
{
	(void)state;
	struct domain *d = create(2);
	uint8_t hard[4], soft[4];
	struct xen_domctl op = domctl_op(XEN_DOMCTL_setvcpuaffinity, d->id);

	/* libxl's soft affinity after placement: every CPU, in a buffer bigger than Punt's. */
	memset(soft, 0xff, sizeof(soft));
	op.u.vcpuaffinity.vcpu = 1;
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_SOFT;
	op.u.vcpuaffinity.cpumap_soft = (struct xenctl_bitmap){ptr(soft), 32, 0};
	assert_int_equal(domctl(dom0, &op), 0);
	/* The two CPUs there are, and the rest of the caller's bytes cleared. */
	assert_int_equal(soft[0], 0x03);
	assert_int_equal(soft[1] | soft[2] | soft[3], 0);

	memset(hard, 0, sizeof(hard));
	hard[0] = 0x06; /* CPU 1 and a CPU 2 that does not exist */
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	op.u.vcpuaffinity.cpumap_hard = (struct xenctl_bitmap){ptr(hard), 8, 0};
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(hard[0], 0x02);

	hard[0] = 0x04; /* no online CPU */
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op.u.vcpuaffinity.flags = 0;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_SOFT;
	op.u.vcpuaffinity.cpumap_soft.bitmap_gva = 0;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op.u.vcpuaffinity.vcpu = 2;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
}

static void getvcpuaffinity_answers_the_domains_affinity_and_every_cpu_as_soft(void **state)
{
	(void)state;
	struct domain *d = create(2);
	uint8_t hard[4], soft[2];
	struct xen_domctl op = domctl_op(XEN_DOMCTL_getvcpuaffinity, d->id);

	/* xl vcpu-list: both maps, in buffers bigger than the two CPUs there are. */
	memset(hard, 0xaa, sizeof(hard));
	memset(soft, 0xaa, sizeof(soft));
	op.u.vcpuaffinity.vcpu = 1;
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;
	op.u.vcpuaffinity.cpumap_hard = (struct xenctl_bitmap){ptr(hard), 32, 0};
	op.u.vcpuaffinity.cpumap_soft = (struct xenctl_bitmap){ptr(soft), 16, 0};
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(hard[0], 0x03);
	assert_int_equal(hard[1] | hard[2] | hard[3], 0);
	assert_int_equal(soft[0], 0x03);
	assert_int_equal(soft[1], 0);
	/* A domain of the boot configuration confined to CPU 1 says so. */
	struct domu_config c = machine_config(5, 1);
	cpumask_set(&c.sched_affinity, 1);
	struct domain *pinned = machine_build(&c, 5);
	op = domctl_op(XEN_DOMCTL_getvcpuaffinity, pinned->id);
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	op.u.vcpuaffinity.cpumap_hard = (struct xenctl_bitmap){ptr(hard), 8, 0};
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(hard[0], 0x02);
	/* Xen's checks, as for setvcpuaffinity. */
	op.u.vcpuaffinity.vcpu = 1;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op.u.vcpuaffinity.vcpu = 0;
	op.u.vcpuaffinity.flags = 0;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_SOFT;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL); /* no soft map given */
}

static void node_affinity_is_node_0(void **state)
{
	(void)state;
	struct domain *d = create(1);
	uint8_t map[2] = {0xff, 0xff};
	struct xen_domctl op = domctl_op(XEN_DOMCTL_getnodeaffinity, d->id);

	op.u.nodeaffinity.nodemap = (struct xenctl_bitmap){ptr(map), 16, 0};
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(map[0], 1);
	assert_int_equal(map[1], 0);
	op.cmd = XEN_DOMCTL_setnodeaffinity;
	assert_int_equal(domctl(dom0, &op), 0);
	map[0] = 2; /* only a node that does not exist */
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
}

static long sched(struct domain *d, uint32_t id, uint32_t cmd, uint16_t *weight, uint16_t *cap)
{
	struct xen_domctl op = domctl_op(XEN_DOMCTL_scheduler_op, d->id);

	op.u.scheduler_op.sched_id = id;
	op.u.scheduler_op.cmd = cmd;
	op.u.scheduler_op.u.credit2.weight = *weight;
	op.u.scheduler_op.u.credit2.cap = *cap;
	long rc = domctl(dom0, &op);
	*weight = op.u.scheduler_op.u.credit2.weight;
	*cap = op.u.scheduler_op.u.credit2.cap;
	return rc;
}

static void scheduler_op_keeps_credit2s_weight_and_cap(void **state)
{
	(void)state;
	struct domain *d = create(2);
	uint16_t w = 0, c = 0;

	assert_int_equal(sched(d, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c), 0);
	assert_int_equal(w, 256);
	assert_int_equal(c, 0);
	w = 512, c = 150;
	assert_int_equal(sched(d, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), 0);
	w = 0, c = 0;
	assert_int_equal(sched(d, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c), 0);
	assert_int_equal(w, 512);
	assert_int_equal(c, 150);
	assert_int_equal(d->sched.weight, 512);
	/* A put with weight 0 keeps the weight; cap 0 removes the cap. */
	w = 0, c = 0;
	assert_int_equal(sched(d, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), 0);
	assert_int_equal(sched(d, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c), 0);
	assert_int_equal(w, 512);
	assert_int_equal(c, 0);
	/* Xen's errors: above 100 per vCPU, another scheduler, per-vCPU commands. */
	w = 0, c = 201;
	assert_int_equal(sched(d, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c),
			 -XEN_EINVAL);
	w = 0, c = 0;
	assert_int_equal(sched(d, 5 /* credit */, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c), -XEN_EINVAL);
	assert_int_equal(sched(d, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getvcpuinfo, &w, &c),
			 -XEN_EINVAL);
}

static void getvcpuinfo_describes_one_vcpu(void **state)
{
	(void)state;
	struct xen_domctl op = domctl_op(XEN_DOMCTL_getvcpuinfo, 0);

	op.u.getvcpuinfo.vcpu = 0;
	assert_int_equal(domctl(dom0, &op), 0);
	/* dom0's own vCPU 0, making this very call. */
	assert_int_equal(op.u.getvcpuinfo.online, 1);
	assert_int_equal(op.u.getvcpuinfo.blocked, 0);
	assert_int_equal(op.u.getvcpuinfo.running, 1);
	assert_int_equal(op.u.getvcpuinfo.cpu, dom0->vcpus[0]->pcpu);

	struct domain *d = create(2);
	op = domctl_op(XEN_DOMCTL_getvcpuinfo, d->id);
	op.u.getvcpuinfo.vcpu = 1;
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(op.u.getvcpuinfo.online, 0);
	assert_int_equal(op.u.getvcpuinfo.running, 0);
	assert_int_equal(op.u.getvcpuinfo.cpu_time, 0);
	op.u.getvcpuinfo.vcpu = 2;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
}

/* ---- pause and unpause ------------------------------------------------------------------ */

/*
 * After a pass of its CPU through the scheduler, v is the one running there (a CPU that
 * idles keeps the last vCPU loaded, so current_vcpu() alone does not say).
 */
static bool runs_after_a_pass(struct vcpu *v)
{
	struct vcpu_runstate_info rs;

	machine_pass(v->pcpu);
	sched_runstate(v, &rs);
	return current_vcpu() == v && rs.state == RUNSTATE_running;
}

static void a_created_domain_never_runs_before_its_unpause(void **state)
{
	(void)state;
	struct domain *d = create(1);
	struct vcpu *v = d->vcpus[0];

	/* Its vCPU 0 brought online, as setvcpucontext with VGCF_online does. */
	vcpu_set_online(v, true);
	assert_int_equal(v->state, VCPU_PAUSED);
	for (unsigned i = 0; i < 4; i++)
		assert_false(runs_after_a_pass(v));
	struct xen_domctl_getdomaininfo i = info_of(d->id);
	assert_int_equal(i.nr_online_vcpus, 1); /* online, paused */
	assert_true(i.flags & XEN_DOMINF_paused);
	assert_false(d->creation_finished);

	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, d->id), 0);
	assert_true(d->creation_finished);
	assert_int_equal(v->state, VCPU_RUNNABLE);
	assert_false(info_of(d->id).flags & XEN_DOMINF_paused);
	assert_true(runs_after_a_pass(v));
	/* Below zero: Xen's -EINVAL. */
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, d->id), -XEN_EINVAL);
}

static void pauses_nest_and_a_paused_vcpu_leaves_its_cpu(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];

	machine_run(v);
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, dom0, 1), 0);
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, dom0, 1), 0);
	assert_true(info_of(1).flags & XEN_DOMINF_paused);
	assert_false(runs_after_a_pass(v));
	assert_int_equal(v->state, VCPU_PAUSED);
	/* A wake-up while paused does not make it run either. */
	vcpu_wake(v);
	assert_false(runs_after_a_pass(v));

	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, 1), 0);
	assert_true(info_of(1).flags & XEN_DOMINF_paused);
	assert_false(runs_after_a_pass(v));
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, 1), 0);
	assert_false(info_of(1).flags & XEN_DOMINF_paused);
	assert_true(runs_after_a_pass(v));
}

static void the_pause_count_stops_at_255_and_dom0_cannot_pause_itself(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 255; i++)
		assert_int_equal(simple(XEN_DOMCTL_pausedomain, dom0, 1), 0);
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, dom0, 1), -XEN_EOVERFLOW);
	for (unsigned i = 0; i < 255; i++)
		assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, 1), 0);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, 1), -XEN_EINVAL);
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, dom0, 0), -XEN_EINVAL);
}

/* ---- destroydomain -------------------------------------------------------------------------- */

static bool pending(struct domain *d, evtchn_port_t p)
{
	return d->shared_info->evtchn_pending[p / 64] & (1UL << (p % 64));
}

static void clear_pending(struct domain *d, evtchn_port_t p)
{
	d->shared_info->evtchn_pending[p / 64] &= ~(1UL << (p % 64));
}

static void destroydomain_goes_dying_dead_then_gone_with_every_page_back(void **state)
{
	(void)state;
	evtchn_port_t port;
	uint64_t free_before = page_alloc_free_pages();
	struct domain *d = create(2);
	domid_t id = d->id;

	assert_int_equal(evtchn_bind_virq(dom0, VIRQ_DOM_EXC, 0, &port), 0);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, id), 0);
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, dom0, id), 0);
	/* Dying at once, not shut down (it never asked to). */
	struct xen_domctl_getdomaininfo i = info_of(id);
	assert_int_equal(i.flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown), XEN_DOMINF_dying);
	/* The reaper unpublishes it: dead, still listed, dom0 told; destroying it again is 0. */
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, dom0, id), 0);
	assert_null(domain_lookup(id));
	assert_true(pending(dom0, port));
	clear_pending(dom0, port);
	/* Then freed: gone, every page back, dom0 told again. */
	machine_all_cpus_pass(4, dom0->vcpus[0]);
	assert_null(domain_lookup_existing(id));
	assert_true(pending(dom0, port));
	assert_int_equal(page_alloc_free_pages(), free_before);
	struct xen_domctl op = domctl_op(XEN_DOMCTL_getdomaininfo, id);
	assert_int_equal(domctl(dom0, &op), -XEN_ESRCH);
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, dom0, id), -XEN_ESRCH);
	/* Its id is free for the next one. */
	op = create_op(1);
	op.domain = id;
	assert_int_equal(domctl(dom0, &op), 0);
}

static void a_toolstack_domain_that_shuts_down_waits_for_destroydomain(void **state)
{
	(void)state;
	struct domain *d = create(1);
	domid_t id = d->id;

	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, id), 0);
	machine_run(d->vcpus[0]);
	domain_shutdown(d, SHUTDOWN_reboot);
	machine_all_cpus_pass(8, dom0->vcpus[0]);
	/* Still there, shut down with its reason, not dying: xl decides what comes next. */
	assert_ptr_equal(domain_lookup(id), d);
	struct xen_domctl_getdomaininfo i = info_of(id);
	assert_int_equal(i.flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown), XEN_DOMINF_shutdown);
	assert_int_equal(i.flags >> XEN_DOMINF_shutdownshift, SHUTDOWN_reboot);
	assert_int_equal(i.nr_online_vcpus, 0);
	assert_false(domain_reap_pending());

	assert_int_equal(simple(XEN_DOMCTL_destroydomain, dom0, id), 0);
	machine_all_cpus_pass(4, dom0->vcpus[0]);
	/* Gone for good: a reboot of the toolstack's domain is xl's to do, not Punt's. */
	assert_null(domain_lookup_existing(id));
	assert_null(domain_lookup(id));
}

static void destroydomain_of_a_configured_domain_does_not_build_it_again(void **state)
{
	(void)state;
	uint64_t free_before = page_alloc_free_pages();
	uint64_t its_pages = d1->tot_pages;

	assert_int_equal(simple(XEN_DOMCTL_destroydomain, dom0, 1), 0);
	machine_all_cpus_pass(4, dom0->vcpus[0]);
	assert_null(domain_lookup_existing(1));
	assert_true(page_alloc_free_pages() >= free_before + its_pages);
	d1 = machine_domain(1, 1, false);
}

static void dom0_cannot_destroy_itself(void **state)
{
	(void)state;
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, dom0, 0), -XEN_EINVAL);
	assert_ptr_equal(domain_lookup(0), dom0);
}

/* ---- the policy: a domU is refused each of them, even on itself ---------------------------- */

/* ---- vuart_op ---------------------------------------------------------------------------- */

/* libxc's place for the vpl011 ring: GUEST_MAGIC_BASE >> 12, + VUART_PFN_OFFSET. */
#define VUART_GFN 0x39003UL

/* memory_op cmd on one order-0 extent at gfn of target, from dom0: the extents done. */
static long one_extent(unsigned cmd, domid_t target, uint64_t gfn)
{
	uint64_t list[1] = {gfn};
	struct xen_memory_reservation r = {
	    .extent_start_gva = ptr(list), .nr_extents = 1, .domid = target};

	machine_run(dom0->vcpus[0]);
	return do_hypercall(dom0->vcpus[0], HYPERVISOR_memory_op,
			    (const uint64_t[5]){cmd, ptr(&r), 0, 0, 0});
}

/* A domain as libxl makes one with vuart = "sbsa_uart": one SPI, its ring page populated. */
static struct domain *create_with_ring(void)
{
	struct xen_domctl op = create_op(1);

	op.u.createdomain.arch_config.nr_spis = 1;
	assert_int_equal(domctl(dom0, &op), 0);
	struct domain *d = domain_lookup(op.domain);
	assert_non_null(d);
	op = domctl_op(XEN_DOMCTL_max_mem, d->id);
	op.u.max_mem.max_memkb = 64;
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(one_extent(XENMEM_populate_physmap, d->id, VUART_GFN), 1);
	return d;
}

static struct xen_domctl vuart_init_op(domid_t d, uint64_t gfn, domid_t backend)
{
	struct xen_domctl op = domctl_op(XEN_DOMCTL_vuart_op, d);

	op.u.vuart_op = (struct xen_domctl_vuart_op){.cmd = XEN_DOMCTL_VUART_OP_INIT,
						     .type = XEN_DOMCTL_VUART_TYPE_VPL011,
						     .gfn = gfn,
						     .console_domid = backend};
	return op;
}

static void vuart_op_gives_a_port_the_hypervisor_holds_for_the_backend(void **state)
{
	(void)state;
	struct domain *d = create_with_ring();
	struct xen_domctl op = vuart_init_op(d->id, VUART_GFN, 0);
	struct evtchn_status st = {0};
	evtchn_port_t port, local;

	assert_int_equal(domctl(dom0, &op), 0);
	port = op.u.vuart_op.evtchn;
	assert_int_not_equal(port, 0);
	/* The guest cannot use or even describe the hypervisor's end (Xen's answers). */
	st.port = port;
	assert_int_equal(evtchn_status(d, &st), -XEN_EACCES);
	assert_int_equal(evtchn_send(d, port), -XEN_EINVAL);
	assert_int_equal(evtchn_close(d, port), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_vcpu(d, port, 0), -XEN_EINVAL);
	/* Nor a backend's end before one binds: nothing is sent, nothing fails. */
	assert_int_equal(fake_vuart_send(d), 0);
	/* dom0 (xenconsoled) binds as to any unbound port. */
	assert_int_equal(evtchn_bind_interdomain(dom0, d->id, port, &local), 0);
	clear_pending(dom0, local);
	/* Its sends reach the UART, not the guest's event channels. */
	assert_int_equal(evtchn_send(dom0, local), 0);
	assert_int_equal(d->arch.vuart_backend_sends, 1);
	assert_false(pending(d, port));
	/* The UART's sends reach dom0's port. */
	assert_int_equal(fake_vuart_send(d), 0);
	assert_true(pending(dom0, local));
	/* xenconsoled restarting: its port closes, the guest's goes back to waiting for it. */
	assert_int_equal(evtchn_close(dom0, local), 0);
	assert_int_equal(evtchn_bind_interdomain(dom0, d->id, port, &local), 0);
	assert_int_equal(evtchn_send(dom0, local), 0);
	assert_int_equal(d->arch.vuart_backend_sends, 2);
	/* A guest's EVTCHNOP_reset closes its own ports, not the hypervisor's. */
	assert_int_equal(evtchn_reset_guest(d, false), 0);
	assert_int_equal(evtchn_send(dom0, local), 0);
	assert_int_equal(d->arch.vuart_backend_sends, 3);
}

static void vuart_op_checks_what_xen_checks_in_its_order(void **state)
{
	(void)state;
	struct domain *d = create_with_ring();
	struct xen_domctl op = vuart_init_op(d->id, VUART_GFN, 0);

	op.u.vuart_op.pad[1] = 1;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op = vuart_init_op(d->id, VUART_GFN, 0);
	op.u.vuart_op.cmd = 1;
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op = vuart_init_op(d->id, VUART_GFN, 0);
	op.u.vuart_op.type = 1;
	assert_int_equal(domctl(dom0, &op), -XEN_EOPNOTSUPP);
	/* A frame that is no RAM of the domain's. */
	op = vuart_init_op(d->id, VUART_GFN + 1, 0);
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op = vuart_init_op(d->id, ~0UL, 0);
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	/* None of those left a UART: the next one is made, and only one. */
	op = vuart_init_op(d->id, VUART_GFN, 0);
	assert_int_equal(domctl(dom0, &op), 0);
	op = vuart_init_op(d->id, VUART_GFN, 0);
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	/* Once the domain has run, its creation is over. */
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, d->id), 0);
	struct domain *late = create_with_ring();
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, dom0, late->id), 0);
	op = vuart_init_op(late->id, VUART_GFN, 0);
	assert_int_equal(domctl(dom0, &op), -XEN_EPERM);
	/* So is the boot configuration's and dom0's. */
	op = vuart_init_op(d1->id, VUART_GFN, 0);
	assert_int_equal(domctl(dom0, &op), -XEN_EPERM);
	op = vuart_init_op(0, VUART_GFN, 0);
	assert_int_equal(domctl(dom0, &op), -XEN_EPERM);
}

static void vuart_op_needs_an_spi_for_the_uart(void **state)
{
	(void)state;
	struct xen_domctl op = create_op(1); /* nr_spis 0 */

	assert_int_equal(domctl(dom0, &op), 0);
	domid_t id = op.domain;
	op = domctl_op(XEN_DOMCTL_max_mem, id);
	op.u.max_mem.max_memkb = 64;
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(one_extent(XENMEM_populate_physmap, id, VUART_GFN), 1);
	op = vuart_init_op(id, VUART_GFN, 0);
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
}

static void the_uarts_ring_page_is_not_given_back_while_the_domain_lives(void **state)
{
	(void)state;
	struct domain *d = create_with_ring();
	struct xen_domctl op = vuart_init_op(d->id, VUART_GFN, 0);
	uint64_t before, after;

	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(p2m_lookup(d, VUART_GFN, &before), P2M_RAM_RW);
	/* decrease_reservation stops at it, the page still there, still counted. */
	assert_int_equal(one_extent(XENMEM_decrease_reservation, d->id, VUART_GFN), 0);
	assert_int_equal(p2m_lookup(d, VUART_GFN, &after), P2M_RAM_RW);
	assert_int_equal(after, before);
	assert_int_equal(d->tot_pages, 1);
}

static void a_backend_bound_to_the_uart_survives_the_guests_destruction(void **state)
{
	(void)state;
	struct domain *d = create_with_ring();
	struct xen_domctl op = vuart_init_op(d->id, VUART_GFN, 0);
	evtchn_port_t local;

	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(evtchn_bind_interdomain(dom0, d->id, op.u.vuart_op.evtchn, &local), 0);
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, dom0, d->id), 0);
	machine_all_cpus_pass(4, dom0->vcpus[0]);
	/* dom0's end is left waiting for a domain that is gone: its send does nothing. */
	assert_int_equal(evtchn_send(dom0, local), 0);
	assert_int_equal(evtchn_close(dom0, local), 0);
}

static void a_guest_cannot_bind_to_the_hypervisors_end_of_its_own_uart(void **state)
{
	(void)state;
	struct domain *d = create_with_ring();
	struct xen_domctl op = vuart_init_op(d->id, VUART_GFN, d->id); /* itself as backend */
	evtchn_port_t local;

	assert_int_equal(domctl(dom0, &op), 0);
	/* A loopback to the hypervisor's end would bypass it: refused. */
	assert_int_equal(evtchn_bind_interdomain(d, d->id, op.u.vuart_op.evtchn, &local),
			 -XEN_EINVAL);
	/* Any other domain than the one named may not bind either. */
	assert_int_equal(evtchn_bind_interdomain(dom0, d->id, op.u.vuart_op.evtchn, &local),
			 -XEN_EINVAL);
}

/* ---- cacheflush -------------------------------------------------------------------------- */

static void cacheflush_cleans_the_frames_that_map_memory_and_skips_holes(void **state)
{
	(void)state;
	struct domain *d = create_with_ring(); /* one page, at VUART_GFN */
	struct xen_domctl op = domctl_op(XEN_DOMCTL_cacheflush, d->id);
	uint64_t mfn;

	assert_int_equal(p2m_lookup(d, VUART_GFN, &mfn), P2M_RAM_RW);
	/* The builder's range around it: the page is cleaned and invalidated, whole. */
	fake_cache_clear();
	op.u.cacheflush = (struct xen_domctl_cacheflush){VUART_GFN - 3, 8};
	assert_int_equal(domctl(dom0, &op), 0);
	struct fake_cache_op last = fake_cache_last();
	assert_int_equal(last.kind, FAKE_CACHE_CLEAN_INVAL);
	assert_int_equal(last.start, mfn << 12);
	assert_int_equal(last.size, 4096);
	/* Holes only: nothing to do, and no error (Xen skips them too). */
	fake_cache_clear();
	op.u.cacheflush = (struct xen_domctl_cacheflush){VUART_GFN + 1, 16};
	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(fake_cache_last().kind, FAKE_CACHE_NONE);
	/* Xen's limits: 2^18 frames at once, no wrap-around. */
	op.u.cacheflush = (struct xen_domctl_cacheflush){0, (1UL << 18) + 1};
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op.u.cacheflush = (struct xen_domctl_cacheflush){~0UL, 2};
	assert_int_equal(domctl(dom0, &op), -XEN_EINVAL);
	op.u.cacheflush = (struct xen_domctl_cacheflush){~0UL - 4, 2};
	assert_int_equal(domctl(dom0, &op), 0);
}

static void check_refused(uint32_t cmd)
{
	struct domain *d = create(1);
	domid_t targets[] = {1, d->id, 0};

	for (unsigned t = 0; t < 3; t++) {
		struct xen_domctl op = domctl_op(cmd, targets[t]);
		struct xen_domctl before = op;
		assert_int_equal(domctl(d1, &op), -XEN_EPERM);
		assert_memory_equal(&op, &before, sizeof(op)); /* nothing written back */
	}
	/* Nothing happened to the domain either. */
	assert_ptr_equal(domain_lookup(d->id), d);
	assert_int_equal(d->pause_count, 1);
}

#define REFUSED(name)                                                                              \
	static void a_domu_is_refused_domctl_##name(void **state)                                  \
	{                                                                                          \
		(void)state;                                                                       \
		check_refused(XEN_DOMCTL_##name);                                                  \
	}
REFUSED(createdomain)
REFUSED(destroydomain)
REFUSED(pausedomain)
REFUSED(unpausedomain)
REFUSED(max_vcpus)
REFUSED(max_mem)
REFUSED(get_paging_mempool_size)
REFUSED(set_paging_mempool_size)
REFUSED(set_address_size)
REFUSED(setvcpuaffinity)
REFUSED(getvcpuaffinity)
REFUSED(setnodeaffinity)
REFUSED(getnodeaffinity)
REFUSED(scheduler_op)
REFUSED(getvcpuinfo)
REFUSED(vuart_op)
REFUSED(cacheflush)

#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(createdomain_gives_a_free_id_and_a_paused_domain_without_memory),
	    TEST(createdomain_of_a_named_id_takes_it_or_is_eexist),
	    TEST(createdomain_refuses_what_xen_refuses_on_arm),
	    TEST(max_vcpus_must_repeat_the_createdomain_figure),
	    TEST(max_mem_sets_max_pages_from_kib),
	    TEST(the_paging_pool_size_is_kept_in_whole_pages),
	    TEST(set_address_size_takes_64_before_any_page),
	    TEST(setvcpuaffinity_answers_the_effective_maps),
	    TEST(getvcpuaffinity_answers_the_domains_affinity_and_every_cpu_as_soft),
	    TEST(node_affinity_is_node_0),
	    TEST(scheduler_op_keeps_credit2s_weight_and_cap),
	    TEST(getvcpuinfo_describes_one_vcpu),
	    TEST(a_created_domain_never_runs_before_its_unpause),
	    TEST(pauses_nest_and_a_paused_vcpu_leaves_its_cpu),
	    TEST(the_pause_count_stops_at_255_and_dom0_cannot_pause_itself),
	    TEST(destroydomain_goes_dying_dead_then_gone_with_every_page_back),
	    TEST(a_toolstack_domain_that_shuts_down_waits_for_destroydomain),
	    TEST(destroydomain_of_a_configured_domain_does_not_build_it_again),
	    TEST(dom0_cannot_destroy_itself),
	    TEST(vuart_op_gives_a_port_the_hypervisor_holds_for_the_backend),
	    TEST(vuart_op_checks_what_xen_checks_in_its_order),
	    TEST(vuart_op_needs_an_spi_for_the_uart),
	    TEST(the_uarts_ring_page_is_not_given_back_while_the_domain_lives),
	    TEST(a_backend_bound_to_the_uart_survives_the_guests_destruction),
	    TEST(a_guest_cannot_bind_to_the_hypervisors_end_of_its_own_uart),
	    TEST(cacheflush_cleans_the_frames_that_map_memory_and_skips_holes),
	    TEST(a_domu_is_refused_domctl_createdomain),
	    TEST(a_domu_is_refused_domctl_destroydomain),
	    TEST(a_domu_is_refused_domctl_pausedomain),
	    TEST(a_domu_is_refused_domctl_unpausedomain),
	    TEST(a_domu_is_refused_domctl_max_vcpus),
	    TEST(a_domu_is_refused_domctl_max_mem),
	    TEST(a_domu_is_refused_domctl_get_paging_mempool_size),
	    TEST(a_domu_is_refused_domctl_set_paging_mempool_size),
	    TEST(a_domu_is_refused_domctl_set_address_size),
	    TEST(a_domu_is_refused_domctl_setvcpuaffinity),
	    TEST(a_domu_is_refused_domctl_getvcpuaffinity),
	    TEST(a_domu_is_refused_domctl_setnodeaffinity),
	    TEST(a_domu_is_refused_domctl_getnodeaffinity),
	    TEST(a_domu_is_refused_domctl_scheduler_op),
	    TEST(a_domu_is_refused_domctl_getvcpuinfo),
	    TEST(a_domu_is_refused_domctl_vuart_op),
	    TEST(a_domu_is_refused_domctl_cacheflush),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
