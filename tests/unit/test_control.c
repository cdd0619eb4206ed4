// SPDX-License-Identifier: Apache-2.0
/*
 * The control interface, sysctl and domctl (hyp/core/sysctl.c, domctl.c), through the real
 * dispatch table on domains the core built on the fake machine: the envelopes' version
 * checks, the policy hook refusing every operation to a domU, unknown operations, and each
 * operation's answers as Xen 4.17 gives them (Xen common/sysctl.c, common/domctl.c,
 * drivers/char/console.c, common/sched/cpupool.c), plus VIRQ_DOM_EXC on state changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/domctl.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/xen.h>
#include <punt/arch/irq.h>
#include <punt/arch/p2m.h>
#include <punt/console.h>
#include <punt/control.h>
#include <punt/event_channel.h>
#include <punt/hypercall.h>
#include <punt/memory.h>
#include <punt/page_alloc.h>

static struct domain *dom0, *d1, *d3;

static int setup(void **state)
{
	(void)state;
	machine_boot(2);
	dom0 = machine_domain(0, 2, true);
	d1 = machine_domain(1, 2, false);
	d3 = machine_domain(3, 1, false); /* no domain 2: the >=-id rule has a gap to jump */
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

static long call(struct vcpu *v, uint64_t nr, const void *arg)
{
	machine_run(v);
	irq_handle_pending();
	return do_hypercall(v, nr, (const uint64_t[5]){ptr(arg), 0, 0, 0, 0});
}

static struct xen_sysctl sysctl_op(uint32_t cmd)
{
	return (struct xen_sysctl){.cmd = cmd, .interface_version = XEN_SYSCTL_INTERFACE_VERSION};
}

static struct xen_domctl domctl_op(uint32_t cmd, domid_t dom)
{
	return (struct xen_domctl){
	    .cmd = cmd, .interface_version = XEN_DOMCTL_INTERFACE_VERSION, .domain = dom};
}

static long sysctl(struct domain *d, struct xen_sysctl *op)
{
	return call(d->vcpus[0], HYPERVISOR_sysctl, op);
}

static long domctl(struct domain *d, struct xen_domctl *op)
{
	return call(d->vcpus[0], HYPERVISOR_domctl, op);
}

/* ---- envelopes ---------------------------------------------------------------------- */

static void a_sysctl_of_another_interface_version_is_eacces(void **state)
{
	(void)state;
	for (uint32_t version = 0x13; version <= 0x17; version++) {
		struct xen_sysctl op = sysctl_op(XEN_SYSCTL_physinfo);
		op.interface_version = version;
		long want = version == 0x15 ? 0 : -XEN_EACCES;
		assert_int_equal(sysctl(dom0, &op), want);
		/* The version is checked before the policy: a domU sees -EACCES too, as on Xen. */
		if (want)
			assert_int_equal(sysctl(d1, &op), -XEN_EACCES);
	}
}

static void a_domctl_of_another_interface_version_is_eacces(void **state)
{
	(void)state;
	struct xen_domctl op = domctl_op(XEN_DOMCTL_getdomaininfo, 0);

	op.interface_version = 0x14;
	assert_int_equal(domctl(dom0, &op), -XEN_EACCES);
	assert_int_equal(domctl(d1, &op), -XEN_EACCES);
	op.interface_version = 0x16;
	assert_int_equal(domctl(dom0, &op), -XEN_EACCES);
}

static void an_envelope_that_faults_is_efault(void **state)
{
	(void)state;
	assert_int_equal(
	    do_hypercall(dom0->vcpus[0], HYPERVISOR_sysctl, (const uint64_t[5]){64, 0, 0, 0, 0}),
	    -XEN_EFAULT);
	assert_int_equal(
	    do_hypercall(dom0->vcpus[0], HYPERVISOR_domctl, (const uint64_t[5]){64, 0, 0, 0, 0}),
	    -XEN_EFAULT);
}

static void unknown_operations_are_enosys(void **state)
{
	(void)state;
	struct xen_sysctl s = sysctl_op(2 /* tbuf_op */);
	struct xen_domctl d = domctl_op(10 /* shadow_op */, 1);

	assert_int_equal(sysctl(dom0, &s), -XEN_ENOSYS);
	s.cmd = 1000;
	assert_int_equal(sysctl(dom0, &s), -XEN_ENOSYS);
	assert_int_equal(domctl(dom0, &d), -XEN_ENOSYS);
	d = domctl_op(1000, 1);
	assert_int_equal(domctl(dom0, &d), -XEN_ENOSYS);
}

static void a_domctl_on_a_missing_domain_is_esrch_before_the_policy(void **state)
{
	(void)state;
	struct xen_domctl op = domctl_op(XEN_DOMCTL_setdomainhandle, 2);

	assert_int_equal(domctl(dom0, &op), -XEN_ESRCH);
	assert_int_equal(domctl(d1, &op), -XEN_ESRCH);
	/* DOMID_SELF names no domain in a domctl. */
	op.domain = DOMID_SELF;
	assert_int_equal(domctl(dom0, &op), -XEN_ESRCH);
}

/* ---- the policy: a domU is refused every operation, the control domain is not ---------- */

/* A sysctl buffer big enough for anything the operations below write. */
static uint8_t scratch[64 * 1024];

static struct xen_sysctl sysctl_for(uint32_t cmd)
{
	struct xen_sysctl op = sysctl_op(cmd);

	switch (cmd) {
	case XEN_SYSCTL_readconsole:
		op.u.readconsole.buffer_gva = ptr(scratch);
		op.u.readconsole.count = 64;
		break;
	case XEN_SYSCTL_getdomaininfolist:
		op.u.getdomaininfolist.buffer_gva = ptr(scratch);
		op.u.getdomaininfolist.max_domains = 4;
		break;
	case XEN_SYSCTL_cpupool_op:
		op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
		break;
	case XEN_SYSCTL_debug_keys:
		op.u.debug_keys.keys_gva = ptr("q");
		op.u.debug_keys.nr_keys = 1;
		break;
	default:
		break;
	}
	return op;
}

static void check_sysctl_refused(uint32_t cmd)
{
	struct xen_sysctl op = sysctl_for(cmd);
	struct xen_sysctl before = op;

	assert_int_equal(sysctl(d1, &op), -XEN_EPERM);
	assert_memory_equal(&op, &before, sizeof(op)); /* nothing written back */
	assert_int_equal(sysctl(dom0, &op), 0);
}

static void check_domctl_refused(uint32_t cmd, domid_t target, long dom0_result)
{
	struct xen_domctl op = domctl_op(cmd, target);
	struct xen_domctl before = op;

	assert_int_equal(domctl(d1, &op), -XEN_EPERM);
	assert_memory_equal(&op, &before, sizeof(op));
	assert_int_equal(domctl(dom0, &op), dom0_result);
}

#define SYSCTL_REFUSED(name)                                                                       \
	static void a_domu_is_refused_sysctl_##name(void **state)                                  \
	{                                                                                          \
		(void)state;                                                                       \
		check_sysctl_refused(XEN_SYSCTL_##name);                                           \
	}
SYSCTL_REFUSED(readconsole)
SYSCTL_REFUSED(physinfo)
SYSCTL_REFUSED(sched_id)
SYSCTL_REFUSED(getdomaininfolist)
SYSCTL_REFUSED(cputopoinfo)
SYSCTL_REFUSED(numainfo)
SYSCTL_REFUSED(cpupool_op)
SYSCTL_REFUSED(debug_keys)

static void a_domu_is_refused_an_unknown_sysctl_with_eperm(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_pcitopoinfo);

	/* Xen asks the policy before it looks at the command. */
	assert_int_equal(sysctl(d1, &op), -XEN_EPERM);
	assert_int_equal(sysctl(dom0, &op), -XEN_ENOSYS);
}

static void a_domu_is_refused_domctl_getdomaininfo(void **state)
{
	(void)state;
	check_domctl_refused(XEN_DOMCTL_getdomaininfo, 0, 0);
	/* Even about itself: getdomaininfo is the control (or xenstore) domain's. */
	check_domctl_refused(XEN_DOMCTL_getdomaininfo, 1, 0);
}

static void a_domu_is_refused_domctl_setdomainhandle(void **state)
{
	(void)state;
	check_domctl_refused(XEN_DOMCTL_setdomainhandle, 1, 0);
}

static void a_domu_is_refused_the_domctls_punt_does_not_offer(void **state)
{
	(void)state;
	/* The lifecycle operations Punt offers have their refusal tests in test_domctl.c. */
	static const uint32_t cmds[] = {
	    10, /* shadow_op */
	    999,
	};

	for (unsigned i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct xen_domctl op = domctl_op(cmds[i], 1);
		assert_int_equal(domctl(d1, &op), -XEN_EPERM);
		assert_int_equal(domctl(dom0, &op), -XEN_ENOSYS);
	}
}

/* ---- physinfo, sched_id, topology -------------------------------------------------- */

static void physinfo_describes_the_machine(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_physinfo);
	const struct xen_sysctl_physinfo *pi = &op.u.physinfo;

	memset(&op.u, 0xAA, sizeof(op.u));
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(pi->threads_per_core, 1);
	assert_int_equal(pi->cores_per_socket, 1);
	assert_int_equal(pi->nr_cpus, 2);
	assert_int_equal(pi->max_cpu_id, 1);
	assert_int_equal(pi->nr_nodes, 1);
	assert_int_equal(pi->max_node_id, 0);
	assert_int_equal(pi->cpu_khz, FAKE_COUNTER_HZ / 1000);
	assert_int_equal(pi->capabilities, 0x109); /* hvm, hap, gnttab_v1 */
	assert_int_equal(pi->arch_capabilities, 0);
	assert_int_equal(pi->total_pages, MACHINE_RAM_BYTES >> 12);
	assert_int_equal(pi->free_pages, page_alloc_free_pages());
	assert_true(pi->free_pages < pi->total_pages);
	assert_int_equal(pi->scrub_pages, 0);
	assert_int_equal(pi->outstanding_pages, 0);
	assert_int_equal(pi->max_mfn, memory_max_page() - 1);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(pi->hw_cap[i], 0);
}

static void physinfo_free_pages_follow_the_allocator(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_physinfo);

	assert_int_equal(sysctl(dom0, &op), 0);
	uint64_t before = op.u.physinfo.free_pages;
	uint64_t page = page_alloc(2);
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.physinfo.free_pages, before - 4);
	page_free(page, 2);
}

static void sched_id_is_credit2(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_sched_id);

	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT2);
}

static void cputopoinfo_counts_then_fills(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_cputopoinfo);
	struct xen_sysctl_cputopo topo[4];

	/* A null array asks how many CPUs there are. */
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.cputopoinfo.num_cpus, 2);
	/* A larger array gets the CPUs there are, and num_cpus says how many. */
	memset(topo, 0xAA, sizeof(topo));
	op.u.cputopoinfo.num_cpus = 4;
	op.u.cputopoinfo.cputopo_gva = ptr(topo);
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.cputopoinfo.num_cpus, 2);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(topo[i].core, 0);
		assert_int_equal(topo[i].socket, 0);
		assert_int_equal(topo[i].node, 0);
	}
	assert_int_equal(topo[2].core, 0xAAAAAAAA); /* untouched past them */
	/* A smaller one gets as many as fit. */
	memset(topo, 0xAA, sizeof(topo));
	op.u.cputopoinfo.num_cpus = 1;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.cputopoinfo.num_cpus, 1);
	assert_int_equal(topo[1].core, 0xAAAAAAAA);
	op.u.cputopoinfo.num_cpus = 2;
	op.u.cputopoinfo.cputopo_gva = 64;
	assert_int_equal(sysctl(dom0, &op), -XEN_EFAULT);
}

static void numainfo_counts_then_fills_the_one_node(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_numainfo);
	struct xen_sysctl_meminfo mem[2];
	uint32_t distance[4];

	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.numainfo.num_nodes, 1);
	memset(mem, 0xAA, sizeof(mem));
	memset(distance, 0xAA, sizeof(distance));
	op.u.numainfo.num_nodes = 2;
	op.u.numainfo.meminfo_gva = ptr(mem);
	op.u.numainfo.distance_gva = ptr(distance);
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.numainfo.num_nodes, 1);
	assert_int_equal(mem[0].memsize, MACHINE_RAM_BYTES);
	assert_int_equal(mem[0].memfree, page_alloc_free_pages() << 12);
	assert_int_equal(distance[0], 20);
	assert_int_equal(distance[1], 0xAAAAAAAA);
	/* Only the distances asked for. */
	op.u.numainfo.meminfo_gva = 0;
	assert_int_equal(sysctl(dom0, &op), 0);
}

/* ---- cpupool_op ---------------------------------------------------------------------- */

static void cpupool_info_answers_pool_0_from_id_0(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_cpupool_op);
	uint8_t map[4];

	memset(map, 0xAA, sizeof(map));
	op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
	op.u.cpupool_op.cpumap.bitmap_gva = ptr(map);
	op.u.cpupool_op.cpumap.nr_bits = 32;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.cpupool_op.cpupool_id, 0);
	assert_int_equal(op.u.cpupool_op.sched_id, XEN_SCHEDULER_CREDIT2);
	assert_int_equal(op.u.cpupool_op.n_dom, 3);
	/* Both CPUs, and the rest of the caller's bitmap cleared. */
	assert_int_equal(map[0], 0x3);
	assert_int_equal(map[1], 0);
	assert_int_equal(map[3], 0);
}

static void cpupool_info_past_the_last_pool_is_enoent(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_cpupool_op);

	/* xen-init-dom0 asks INFO(n + 1) after pool n until it gets -ENOENT. */
	op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
	op.u.cpupool_op.cpupool_id = 1;
	assert_int_equal(sysctl(dom0, &op), -XEN_ENOENT);
	op.u.cpupool_op.cpupool_id = 0xFFFFFFFF;
	assert_int_equal(sysctl(dom0, &op), -XEN_ENOENT);
}

static void cpupool_bitmaps_fit_the_callers_buffer(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_cpupool_op);
	uint8_t map[2] = {0xAA, 0xAA};

	/* A one-bit map gets CPU 0 only, the byte's other bits cleared. */
	op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
	op.u.cpupool_op.cpumap.bitmap_gva = ptr(map);
	op.u.cpupool_op.cpumap.nr_bits = 1;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(map[0], 0x3); /* a whole byte is copied, Xen's granularity */
	assert_int_equal(map[1], 0xAA);
	/* A zero-bit map is not touched. */
	op.u.cpupool_op.cpumap.nr_bits = 0;
	map[0] = 0xAA;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(map[0], 0xAA);
	/* A map that faults is -EFAULT. */
	op.u.cpupool_op.cpumap.bitmap_gva = 64;
	op.u.cpupool_op.cpumap.nr_bits = 8;
	assert_int_equal(sysctl(dom0, &op), -XEN_EFAULT);
}

static void cpupool_freeinfo_is_empty_and_changes_are_eopnotsupp(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_cpupool_op);
	uint8_t map[1] = {0xFF};

	op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO;
	op.u.cpupool_op.cpumap.bitmap_gva = ptr(map);
	op.u.cpupool_op.cpumap.nr_bits = 8;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(map[0], 0);
	for (uint32_t o = XEN_SYSCTL_CPUPOOL_OP_CREATE; o <= XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN;
	     o++) {
		if (o == XEN_SYSCTL_CPUPOOL_OP_INFO)
			continue;
		op.u.cpupool_op.op = o;
		assert_int_equal(sysctl(dom0, &op), -XEN_EOPNOTSUPP);
	}
	op.u.cpupool_op.op = 8;
	assert_int_equal(sysctl(dom0, &op), -XEN_ENOSYS);
}

/* ---- getdomaininfo and getdomaininfolist --------------------------------------------- */

static struct xen_domctl_getdomaininfo info_of(domid_t id, long want)
{
	struct xen_domctl op = domctl_op(XEN_DOMCTL_getdomaininfo, id);

	memset(&op.u, 0xAA, sizeof(op.u));
	assert_int_equal(domctl(dom0, &op), want);
	if (!want)
		assert_int_equal(op.domain, op.u.getdomaininfo.domain);
	return op.u.getdomaininfo;
}

static void getdomaininfo_reports_every_field_as_xen_does(void **state)
{
	(void)state;
	struct xen_domctl_getdomaininfo i;
	static const uint8_t zero[16];

	machine_run(d1->vcpus[0]);
	i = info_of(1, 0);
	assert_int_equal(i.domain, 1);
	assert_int_equal(i.pad1, 0);
	/* vCPU 0 on its CPU, vCPU 1 offline; hvm and hap for every Arm domain; no shutdown code. */
	assert_int_equal(i.flags,
			 XEN_DOMINF_running | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | 0xFFFF0000u);
	assert_int_equal(i.tot_pages, MACHINE_DOMAIN_PAGES);
	assert_int_equal(i.max_pages, MACHINE_DOMAIN_PAGES);
	assert_int_equal(i.outstanding_pages, 0);
	assert_int_equal(i.shr_pages, 0);
	assert_int_equal(i.paged_pages, 0);
	assert_int_equal(i.shared_info_frame, (uint64_t)(uintptr_t)d1->shared_info >> 12);
	assert_int_equal(i.nr_online_vcpus, 1);
	assert_int_equal(i.max_vcpu_id, 1);
	assert_int_equal(i.ssidref, 0);
	assert_memory_equal(i.handle, zero, 16);
	assert_int_equal(i.cpupool, 0);
	assert_int_equal(i.gpaddr_bits, p2m_ipa_bits());
	assert_memory_equal(i.pad2, zero, sizeof(i.pad2));
	assert_memory_equal(&i.arch_config, zero, sizeof(i.arch_config));
}

static void getdomaininfo_counts_the_running_vcpus_time(void **state)
{
	(void)state;
	machine_run(d3->vcpus[0]);
	fake_time_advance_ns(5000000);
	struct xen_domctl_getdomaininfo i = info_of(3, 0);
	assert_true(i.cpu_time >= 5000000);
}

static void getdomaininfo_of_a_gap_returns_the_next_domain(void **state)
{
	(void)state;
	struct xen_domctl op = domctl_op(XEN_DOMCTL_getdomaininfo, 2);

	assert_int_equal(domctl(dom0, &op), 0);
	assert_int_equal(op.domain, 3);
	assert_int_equal(op.u.getdomaininfo.domain, 3);
	assert_int_equal(info_of(0, 0).domain, 0);
	assert_int_equal(info_of(1, 0).domain, 1);
}

static void getdomaininfo_past_the_last_domain_is_esrch(void **state)
{
	(void)state;
	info_of(4, -XEN_ESRCH);
	info_of(MAX_DOMAINS, -XEN_ESRCH);
	info_of(DOMID_FIRST_RESERVED - 1, -XEN_ESRCH);
}

static void getdomaininfo_of_a_reserved_id_is_einval(void **state)
{
	(void)state;
	info_of(DOMID_SELF, -XEN_EINVAL);
	info_of(DOMID_IDLE, -XEN_EINVAL);
	/* Before the policy, as on Xen: a domU sees -EINVAL too. */
	struct xen_domctl op = domctl_op(XEN_DOMCTL_getdomaininfo, DOMID_SELF);
	assert_int_equal(domctl(d1, &op), -XEN_EINVAL);
	op.domain = 40;
	assert_int_equal(domctl(d1, &op), -XEN_ESRCH);
}

static void setdomainhandle_changes_what_getdomaininfo_reports(void **state)
{
	(void)state;
	struct xen_domctl op = domctl_op(XEN_DOMCTL_setdomainhandle, 3);

	for (unsigned i = 0; i < 16; i++)
		op.u.setdomainhandle.handle[i] = (uint8_t)(0xc0 + i);
	assert_int_equal(domctl(dom0, &op), 0);
	struct xen_domctl_getdomaininfo i = info_of(3, 0);
	assert_memory_equal(i.handle, op.u.setdomainhandle.handle, 16);
}

static void getdomaininfolist_lists_in_id_order_and_ends_empty(void **state)
{
	(void)state;
	struct xen_domctl_getdomaininfo list[8];
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_getdomaininfolist);

	memset(list, 0xAA, sizeof(list));
	op.u.getdomaininfolist.buffer_gva = ptr(list);
	op.u.getdomaininfolist.max_domains = 8;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.getdomaininfolist.num_domains, 3);
	assert_int_equal(list[0].domain, 0);
	assert_int_equal(list[1].domain, 1);
	assert_int_equal(list[2].domain, 3);
	assert_int_equal(list[1].tot_pages, MACHINE_DOMAIN_PAGES);
	assert_int_equal(list[3].domain, 0xAAAA); /* nothing written past them */
	/* libxl asks again from the last id + 1: nothing left is 0 records, not an error. */
	op.u.getdomaininfolist.first_domain = 4;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.getdomaininfolist.num_domains, 0);
}

static void getdomaininfolist_stops_at_max_domains(void **state)
{
	(void)state;
	struct xen_domctl_getdomaininfo list[2];
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_getdomaininfolist);

	op.u.getdomaininfolist.buffer_gva = ptr(list);
	op.u.getdomaininfolist.first_domain = 1;
	op.u.getdomaininfolist.max_domains = 1;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.getdomaininfolist.num_domains, 1);
	assert_int_equal(list[0].domain, 1);
	op.u.getdomaininfolist.first_domain = 2;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(list[0].domain, 3);
	op.u.getdomaininfolist.max_domains = 0;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.getdomaininfolist.num_domains, 0);
}

static void getdomaininfolist_into_a_bad_buffer_is_efault(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_getdomaininfolist);

	op.u.getdomaininfolist.buffer_gva = 64;
	op.u.getdomaininfolist.max_domains = 4;
	assert_int_equal(sysctl(dom0, &op), -XEN_EFAULT);
	assert_int_equal(op.u.getdomaininfolist.num_domains, 0); /* not written back */
}

/* ---- domain state changes: flags and VIRQ_DOM_EXC ------------------------------------ */

static bool pending(struct domain *d, evtchn_port_t p)
{
	return d->shared_info->evtchn_pending[p / 64] & (1UL << (p % 64));
}

static void clear_pending(struct domain *d, evtchn_port_t p)
{
	d->shared_info->evtchn_pending[p / 64] &= ~(1UL << (p % 64));
}

static void a_shutdown_shows_in_the_flags_and_raises_dom_exc(void **state)
{
	(void)state;
	evtchn_port_t port;
	struct xen_domctl_getdomaininfo i;

	assert_int_equal(evtchn_bind_virq(dom0, VIRQ_DOM_EXC, 0, &port), 0);
	domain_shutdown(d3, SHUTDOWN_crash);
	assert_true(pending(dom0, port));
	clear_pending(dom0, port);
	/* Shut down, not yet torn down (no CPU has passed the scheduler since). */
	control_domain_info(d3, false, &i);
	assert_int_equal(i.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying), XEN_DOMINF_shutdown);
	assert_int_equal(i.flags >> XEN_DOMINF_shutdownshift, SHUTDOWN_crash);
	assert_int_equal(i.nr_online_vcpus, 0);

	/*
	 * dom0's own hypercall passes the scheduler, whose reaper unpublishes d3: still
	 * listed until freed, now dead, and dom0 hears of it.
	 */
	i = info_of(3, 0);
	assert_null(domain_lookup(3));
	assert_non_null(domain_lookup_existing(3));
	assert_int_equal(i.domain, 3);
	assert_int_equal(i.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying),
			 XEN_DOMINF_shutdown | XEN_DOMINF_dying);
	assert_int_equal(i.flags >> XEN_DOMINF_shutdownshift, SHUTDOWN_crash);
	assert_true(pending(dom0, port));
	clear_pending(dom0, port);

	/* Freed: gone from the listing, and dom0 hears of that too. */
	machine_destroy(d3);
	d3 = NULL;
	assert_true(pending(dom0, port));
	info_of(3, -XEN_ESRCH);
}

static void a_domu_that_never_shut_down_raises_no_dom_exc(void **state)
{
	(void)state;
	evtchn_port_t port;

	assert_int_equal(evtchn_bind_virq(dom0, VIRQ_DOM_EXC, 0, &port), 0);
	info_of(1, 0);
	machine_run(d1->vcpus[0]);
	assert_false(pending(dom0, port));
}

static void a_domain_being_reaped_is_listed_dead_then_gone(void **state)
{
	(void)state;
	struct xen_domctl_getdomaininfo list[4];
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_getdomaininfolist);

	op.u.getdomaininfolist.buffer_gva = ptr(list);
	op.u.getdomaininfolist.max_domains = 4;
	machine_destroy(d1);
	d1 = NULL;
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.getdomaininfolist.num_domains, 2);
	assert_int_equal(list[0].domain, 0);
	assert_int_equal(list[1].domain, 3);
	d1 = machine_domain(1, 2, false);
}

/* ---- readconsole ---------------------------------------------------------------------- */

static struct xen_sysctl readconsole_op(char *buf, uint32_t count, uint32_t index, bool incremental,
					bool clear)
{
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_readconsole);

	op.u.readconsole.buffer_gva = ptr(buf);
	op.u.readconsole.count = count;
	op.u.readconsole.index = index;
	op.u.readconsole.incremental = incremental;
	op.u.readconsole.clear = clear;
	return op;
}

/* Read the whole log from the start, as `xl dmesg` does; returns the index it ended at. */
static uint32_t read_all(char *buf, size_t size, size_t *len)
{
	struct xen_sysctl op = readconsole_op(buf, (uint32_t)size - 1, 0, false, false);

	assert_int_equal(sysctl(dom0, &op), 0);
	buf[op.u.readconsole.count] = 0;
	*len = op.u.readconsole.count;
	return op.u.readconsole.index;
}

static void readconsole_returns_punts_log_lines(void **state)
{
	(void)state;
	static char buf[8192];
	size_t len;

	printk("control test: a line for xl dmesg\n");
	read_all(buf, sizeof(buf), &len);
	assert_non_null(strstr(buf, "(punt) control test: a line for xl dmesg\n"));
	assert_true(len <= CONFIG_LOG_RING_SIZE);
}

static void readconsole_from_the_returned_index_reads_only_what_is_new(void **state)
{
	(void)state;
	static char buf[8192];
	size_t len;
	uint32_t index = read_all(buf, sizeof(buf), &len);
	struct xen_sysctl op = readconsole_op(buf, sizeof(buf), index, true, false);

	/* Nothing logged since: xl dmesg's loop ends on this 0. */
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.readconsole.count, 0);
	assert_int_equal(op.u.readconsole.index, index);
	printk("new\n");
	op = readconsole_op(buf, sizeof(buf), index, true, false);
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.readconsole.count, strlen("(punt) new\n"));
	assert_memory_equal(buf, "(punt) new\n", op.u.readconsole.count);
	assert_int_equal(op.u.readconsole.index, index + op.u.readconsole.count);
}

static void readconsole_into_a_small_buffer_continues_where_it_stopped(void **state)
{
	(void)state;
	static char all[8192], part[8192];
	char small[5];
	size_t len, got = 0;
	uint32_t end = read_all(all, sizeof(all), &len);
	struct xen_sysctl op = readconsole_op(small, sizeof(small), 0, false, false);

	/* The first read starts at the oldest byte; each next one where the last ended. */
	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.readconsole.count, sizeof(small));
	while (op.u.readconsole.count) {
		memcpy(part + got, small, op.u.readconsole.count);
		got += op.u.readconsole.count;
		op = readconsole_op(small, sizeof(small), op.u.readconsole.index, true, false);
		assert_int_equal(sysctl(dom0, &op), 0);
	}
	assert_int_equal(got, len);
	assert_memory_equal(part, all, len);
	assert_int_equal(op.u.readconsole.index, end);
}

static void readconsole_with_an_index_outside_the_log_starts_at_the_oldest_byte(void **state)
{
	(void)state;
	static char a[8192], b[8192];
	size_t len;
	uint32_t end = read_all(a, sizeof(a), &len);
	struct xen_sysctl op = readconsole_op(b, sizeof(b), end + 100, true, false);

	assert_int_equal(sysctl(dom0, &op), 0);
	assert_int_equal(op.u.readconsole.count, len);
	assert_memory_equal(a, b, len);
}

static void readconsole_clear_forgets_what_was_read(void **state)
{
	(void)state;
	static char buf[8192];
	size_t len;
	struct xen_sysctl op = readconsole_op(buf, 10, 0, false, true);

	/* Clearing after a partial read forgets only the bytes read. */
	assert_int_equal(sysctl(dom0, &op), 0);
	uint32_t after = op.u.readconsole.index;
	read_all(buf, sizeof(buf), &len);
	struct console_log_pos pos = console_log_position();
	assert_int_equal(pos.cons, after);
	assert_int_equal(len, pos.prod - after);
	/* xl dmesg -c: read everything and clear; then the log reads empty until Punt logs. */
	op = readconsole_op(buf, sizeof(buf), 0, false, true);
	assert_int_equal(sysctl(dom0, &op), 0);
	read_all(buf, sizeof(buf), &len);
	assert_int_equal(len, 0);
	printk("after clear\n");
	read_all(buf, sizeof(buf), &len);
	assert_string_equal(buf, "(punt) after clear\n");
}

static void readconsole_keeps_only_the_last_ring_full(void **state)
{
	(void)state;
	static char buf[2 * CONFIG_LOG_RING_SIZE];
	size_t len;

	for (unsigned i = 0; i < 2 * CONFIG_LOG_RING_SIZE / 32; i++)
		printk("line %04u of a log that wraps\n", i);
	read_all(buf, sizeof(buf), &len);
	assert_int_equal(len, CONFIG_LOG_RING_SIZE);
	assert_non_null(strstr(buf, "line 0255 of a log that wraps\n"));
	assert_null(strstr(buf, "line 0000 "));
}

static void readconsole_into_a_bad_buffer_is_efault(void **state)
{
	(void)state;
	struct xen_sysctl op = readconsole_op((char *)64, 100, 0, false, false);

	printk("something to read\n");
	assert_int_equal(sysctl(dom0, &op), -XEN_EFAULT);
}

/* ---- debug_keys (xl debug-keys) and the 'q' key ------------------------------------------ */

static long press(const char *keys)
{
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_debug_keys);

	op.u.debug_keys.keys_gva = ptr(keys);
	op.u.debug_keys.nr_keys = (uint32_t)strlen(keys);
	return sysctl(dom0, &op);
}

/* The value of `key=` on the log's last line that starts with `line`, or -1. */
static long usage_field(const char *log, const char *line, const char *key)
{
	const char *at = NULL, *p = log;
	char want[64];

	while ((p = strstr(p, line))) {
		at = p;
		p++;
	}
	if (!at)
		return -1;
	snprintf(want, sizeof(want), " %s=", key);
	const char *f = strstr(at, want), *eol = strchr(at, '\n');
	if (!f || (eol && f > eol))
		return -1;
	return strtol(f + strlen(want), NULL, 10);
}

static void debug_keys_print_into_the_log_that_xl_dmesg_reads(void **state)
{
	(void)state;
	static char buf[8192];
	size_t len;

	assert_int_equal(press("q"), 0);
	read_all(buf, sizeof(buf), &len);
	assert_non_null(strstr(buf, "(punt) usage d0 "));
	assert_non_null(strstr(buf, "(punt) usage d1 "));
	assert_non_null(strstr(buf, "(punt) usage d3 "));
	assert_int_equal(usage_field(buf, "(punt) usage total:", "domains"), 3);
	assert_int_equal(usage_field(buf, "(punt) usage total:", "gone"), 0);
	assert_int_equal(usage_field(buf, "(punt) usage total:", "free_pages"),
			 (long)page_alloc_free_pages());
}

static void the_q_key_counts_a_domains_event_channels(void **state)
{
	(void)state;
	static char buf[8192];
	size_t len;
	evtchn_port_t port;

	assert_int_equal(press("q"), 0);
	read_all(buf, sizeof(buf), &len);
	long before = usage_field(buf, "(punt) usage d0 ", "evtchns");
	assert_true(before >= 0);
	assert_int_equal(evtchn_alloc_unbound(dom0, 1, &port), 0);
	assert_int_equal(press("q"), 0);
	read_all(buf, sizeof(buf), &len);
	assert_int_equal(usage_field(buf, "(punt) usage d0 ", "evtchns"), before + 1);
	assert_int_equal(usage_field(buf, "(punt) usage total:", "evtchns"),
			 usage_field(buf, "(punt) usage d0 ", "evtchns") +
			     usage_field(buf, "(punt) usage d1 ", "evtchns") +
			     usage_field(buf, "(punt) usage d3 ", "evtchns"));
}

static void a_preempted_debug_keys_call_continues_with_the_keys_left(void **state)
{
	(void)state;
	static const char keys[] = "qqq";
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_debug_keys);
	struct vcpu *v = dom0->vcpus[0];

	op.u.debug_keys.keys_gva = ptr(keys);
	op.u.debug_keys.nr_keys = 3;
	machine_run(v);
	irq_handle_pending();
	fake_preempt_at(1);
	do_hypercall(v, HYPERVISOR_sysctl, (const uint64_t[5]){ptr(&op), 0, 0, 0, 0});
	/* One key pressed; the envelope now names the two left, and the call is issued again. */
	assert_int_equal(v->arch.restarts, 1);
	assert_int_equal(v->arch.regs.x[0], ptr(&op));
	assert_int_equal(op.u.debug_keys.keys_gva, ptr(keys + 1));
	assert_int_equal(op.u.debug_keys.nr_keys, 2);
}

static void debug_keys_from_a_bad_buffer_are_efault(void **state)
{
	(void)state;
	struct xen_sysctl op = sysctl_op(XEN_SYSCTL_debug_keys);

	op.u.debug_keys.keys_gva = 64;
	op.u.debug_keys.nr_keys = 1;
	assert_int_equal(sysctl(dom0, &op), -XEN_EFAULT);
	/* No key is no work. */
	op.u.debug_keys.nr_keys = 0;
	assert_int_equal(sysctl(dom0, &op), 0);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(a_sysctl_of_another_interface_version_is_eacces),
	    TEST(a_domctl_of_another_interface_version_is_eacces),
	    TEST(an_envelope_that_faults_is_efault),
	    TEST(unknown_operations_are_enosys),
	    TEST(a_domctl_on_a_missing_domain_is_esrch_before_the_policy),
	    TEST(a_domu_is_refused_sysctl_readconsole),
	    TEST(a_domu_is_refused_sysctl_physinfo),
	    TEST(a_domu_is_refused_sysctl_sched_id),
	    TEST(a_domu_is_refused_sysctl_getdomaininfolist),
	    TEST(a_domu_is_refused_sysctl_cputopoinfo),
	    TEST(a_domu_is_refused_sysctl_numainfo),
	    TEST(a_domu_is_refused_sysctl_cpupool_op),
	    TEST(a_domu_is_refused_sysctl_debug_keys),
	    TEST(a_domu_is_refused_an_unknown_sysctl_with_eperm),
	    TEST(a_domu_is_refused_domctl_getdomaininfo),
	    TEST(a_domu_is_refused_domctl_setdomainhandle),
	    TEST(a_domu_is_refused_the_domctls_punt_does_not_offer),
	    TEST(physinfo_describes_the_machine),
	    TEST(physinfo_free_pages_follow_the_allocator),
	    TEST(sched_id_is_credit2),
	    TEST(cputopoinfo_counts_then_fills),
	    TEST(numainfo_counts_then_fills_the_one_node),
	    TEST(cpupool_info_answers_pool_0_from_id_0),
	    TEST(cpupool_info_past_the_last_pool_is_enoent),
	    TEST(cpupool_bitmaps_fit_the_callers_buffer),
	    TEST(cpupool_freeinfo_is_empty_and_changes_are_eopnotsupp),
	    TEST(getdomaininfo_reports_every_field_as_xen_does),
	    TEST(getdomaininfo_counts_the_running_vcpus_time),
	    TEST(getdomaininfo_of_a_gap_returns_the_next_domain),
	    TEST(getdomaininfo_past_the_last_domain_is_esrch),
	    TEST(getdomaininfo_of_a_reserved_id_is_einval),
	    TEST(setdomainhandle_changes_what_getdomaininfo_reports),
	    TEST(getdomaininfolist_lists_in_id_order_and_ends_empty),
	    TEST(getdomaininfolist_stops_at_max_domains),
	    TEST(getdomaininfolist_into_a_bad_buffer_is_efault),
	    TEST(a_shutdown_shows_in_the_flags_and_raises_dom_exc),
	    TEST(a_domu_that_never_shut_down_raises_no_dom_exc),
	    TEST(a_domain_being_reaped_is_listed_dead_then_gone),
	    TEST(readconsole_returns_punts_log_lines),
	    TEST(readconsole_from_the_returned_index_reads_only_what_is_new),
	    TEST(readconsole_into_a_small_buffer_continues_where_it_stopped),
	    TEST(readconsole_with_an_index_outside_the_log_starts_at_the_oldest_byte),
	    TEST(readconsole_clear_forgets_what_was_read),
	    TEST(readconsole_keeps_only_the_last_ring_full),
	    TEST(readconsole_into_a_bad_buffer_is_efault),
	    TEST(debug_keys_print_into_the_log_that_xl_dmesg_reads),
	    TEST(the_q_key_counts_a_domains_event_channels),
	    TEST(a_preempted_debug_keys_call_continues_with_the_keys_left),
	    TEST(debug_keys_from_a_bad_buffer_are_efault),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
