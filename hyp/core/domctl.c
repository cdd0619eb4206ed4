// SPDX-License-Identifier: Apache-2.0
/*
 * domctl (Xen public/domctl.h): the toolstack's operations on one domain, for the control
 * domain only. The checks come in Xen 4.17's order (Xen common/domctl.c do_domctl): the
 * envelope's version (-EACCES), the target's lookup (-ESRCH), then the policy (-EPERM), so
 * a refused caller sees what it would see on Xen. Operations Punt does not offer are
 * -ENOSYS, as Xen answers unknown Arm domctls; docs/control.md lists both.
 *
 * A domain made here (createdomain) starts paused, with its vCPUs but no memory; it runs
 * once the toolstack's last pause is undone, and ends only at destroydomain, even after it
 * shut itself down (punt/domain.h, domain_shutdown()).
 */
#include <public/arch-arm.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/vcpu.h>
#include <punt/arch/cache.h>
#include <punt/arch/domain.h>
#include <punt/arch/guest_access.h>
#include <punt/arch/p2m.h>
#include <punt/arch/vcpu.h>
#include <punt/control.h>
#include <punt/cpu.h>
#include <punt/domain.h>
#include <punt/domu.h>
#include <punt/event_channel.h>
#include <punt/grant_table.h>
#include <punt/hypercall.h>
#include <punt/policy.h>
#include <punt/sched.h>
#include <punt/sched_policy.h>
#include <punt/string.h>

/* Xen's limits for createdomain (Xen common/grant_table.c opt_max_maptrack_frames). */
#define MAX_MAPTRACK_FRAMES 1024
/* Punt's virtual GIC has at most 992 lines (punt's vgic-v3.c), 32 of them SGIs and PPIs. */
#define MAX_GUEST_SPIS 960
/* The grant table versions Punt offers (physinfo's caps say v1). */
#define GNTTAB_MAX_VERSION 1
/* Xen's initial paging pool on Arm (Xen arch/arm/p2m.c p2m_init: 16 pages). */
#define INITIAL_PAGING_POOL (16UL << 12)

void control_domain_info(struct domain *d, bool dead, struct xen_domctl_getdomaininfo *info)
{
	uint32_t flags = XEN_DOMINF_blocked;
	/* Xen reports its shutdown code even when running: all ones until one is set. */
	int code = d->shutdown_reason >= 0 ? d->shutdown_reason : d->shutdown_code;
	/* The lock keeps a setdomainhandle from tearing the handle under the copy. */
	struct domain_locked l = domain_lock(d);

	memset(info, 0, sizeof(*info));
	info->domain = d->id;
	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	/* Blocked only if every online vCPU is; running if any is on a CPU (Xen's rule). */
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu_runstate_info rs;
		if (!d->vcpus[i])
			continue;
		sched_runstate(d->vcpus[i], &rs);
		info->cpu_time += rs.time[RUNSTATE_running];
		info->max_vcpu_id = i;
		/* A paused vCPU is still online (Xen counts those not taken down). */
		if (__atomic_load_n(&d->vcpus[i]->state, __ATOMIC_ACQUIRE) == VCPU_OFFLINE)
			continue;
		if (rs.state != RUNSTATE_blocked)
			flags &= ~XEN_DOMINF_blocked;
		if (rs.state == RUNSTATE_running)
			flags |= XEN_DOMINF_running;
		info->nr_online_vcpus++;
	}
	info->flags = (info->nr_online_vcpus ? flags : 0) | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap |
		      (dead || d->killed ? XEN_DOMINF_dying : 0) |
		      (d->shutdown_reason >= 0 ? XEN_DOMINF_shutdown : 0) |
		      (d->pause_count ? XEN_DOMINF_paused : 0) |
		      (uint32_t)code << XEN_DOMINF_shutdownshift;
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	/* Xen on Arm gives the machine frame of the domain's shared_info page (mfn_to_gfn is 1:1).
	 */
	info->shared_info_frame = (uint64_t)(uintptr_t)d->shared_info >> 12;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	domain_unlock(&l);
	info->gpaddr_bits = (uint8_t)p2m_ipa_bits();
	/* ssidref (no security labels), cpupool (one pool, 0) and arch_config stay 0, as on Xen. */
}

static void fill_info(struct domain *d, bool dead, void *ctx)
{
	control_domain_info(d, dead, ctx);
}

/*
 * getdomaininfo, Xen 4.17's rule (Xen common/domctl.c): the domain named, or else the first
 * one above it; -EINVAL for a reserved id, -ESRCH when none is left. The policy is asked only
 * once a domain is found, and the envelope's domain says which one was reported.
 */
static long getdomaininfo(struct domain *caller, uint64_t arg, struct xen_domctl *op)
{
	struct xen_domctl_getdomaininfo info;
	long rc;

	if (op->domain >= DOMID_FIRST_RESERVED)
		return -XEN_EINVAL;
	if (domain_visit_from(op->domain, fill_info, &info) < 0)
		return -XEN_ESRCH;
	rc = policy_control(caller, HYPERVISOR_domctl, op->cmd);
	if (rc)
		return rc;
	op->domain = info.domain;
	op->u.getdomaininfo = info;
	return copy_to_guest(arg, op, sizeof(*op)) ? -XEN_EFAULT : 0;
}

/*
 * createdomain's checks, in Xen 4.17's order (Xen common/domain.c sanitise_domain_config,
 * arch/arm/domain.c arch_sanitise_domain_config, then the pool, the vGIC and the grant
 * table as domain_create() meets them). Fills in the GIC version Punt gives (GICv3).
 */
static long createdomain_check(struct xen_domctl_createdomain *c)
{
	const uint32_t known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |
			       XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_oos_off |
			       XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
			       XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;
	unsigned version = c->grant_opts & XEN_DOMCTL_GRANT_version_mask;

	if ((c->flags & ~known) || (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask) ||
	    c->max_vcpus < 1)
		return -XEN_EINVAL;
	/* No IOMMU, no vmtrace, no vPMU: each asked for is -EINVAL, as on a Xen without. */
	if ((c->flags & XEN_DOMCTL_CDF_iommu) || c->iommu_opts || c->vmtrace_size ||
	    (c->flags & XEN_DOMCTL_CDF_vpmu))
		return -XEN_EINVAL;
	/* Arm: hvm and hap, nothing else. */
	if ((c->flags & ~(XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_vpmu)) !=
	    (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap))
		return -XEN_EINVAL;
	/* Punt emulates a GICv3 only: GICv2 is a version it has no vGIC for. */
	if (c->arch_config.gic_version == XEN_DOMCTL_CONFIG_GIC_NATIVE)
		c->arch_config.gic_version = XEN_DOMCTL_CONFIG_GIC_V3;
	if (c->arch_config.gic_version != XEN_DOMCTL_CONFIG_GIC_V3)
		return -XEN_EINVAL;
	if (c->max_vcpus > CONFIG_NR_CPUS)
		return -XEN_EINVAL;
	if (c->arch_config.tee_type != XEN_DOMCTL_CONFIG_TEE_NONE)
		return -XEN_EINVAL;
	/* One pool, 0 (Xen common/sched/cpupool.c cpupool_add_domain). */
	if (c->cpupool_id != 0)
		return -XEN_ESRCH;
	if (c->arch_config.nr_spis > MAX_GUEST_SPIS)
		return -XEN_EINVAL;
	if (!version || version > GNTTAB_MAX_VERSION)
		return -XEN_EINVAL;
	if ((c->max_grant_frames >= 0 &&
	     (c->max_grant_frames < 1 || c->max_grant_frames > GNTTAB_MAX_FRAMES)) ||
	    c->max_maptrack_frames > MAX_MAPTRACK_FRAMES)
		return -XEN_EINVAL;
	return 0;
}

/*
 * Xen's choice of id: the one asked for (-EEXIST if taken), or with 0 or a reserved id the
 * next free one after the last it gave. Punt has MAX_DOMAINS ids, and leaves those of the
 * boot configuration's domains to them (a rebooting one comes back under its id).
 */
static long pick_domid(domid_t want, domid_t *out)
{
	static domid_t rover;

	if (want > 0 && want < DOMID_FIRST_RESERVED) {
		if (want >= MAX_DOMAINS)
			return -XEN_ENOMEM;
		if (domain_lookup_existing(want) || domu_configured(want))
			return -XEN_EEXIST;
		*out = want;
		return 0;
	}
	for (unsigned n = 1; n < MAX_DOMAINS; n++) {
		domid_t id = (domid_t)(1 + (rover + n - 1) % (MAX_DOMAINS - 1));
		if (!domain_lookup_existing(id) && !domu_configured(id)) {
			rover = id;
			*out = id;
			return 0;
		}
	}
	return -XEN_ENOMEM;
}

static long createdomain(uint64_t arg, struct xen_domctl *op)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;
	struct domain *d;
	domid_t id = 0;
	long rc = createdomain_check(c);

	if (!rc)
		rc = pick_domid(op->domain, &id);
	if (rc)
		return rc;
	struct arch_domain_config devices = {.nr_spis = c->arch_config.nr_spis};
	d = domain_create(id, "xl", c->max_vcpus, false, &devices);
	if (!d)
		return -XEN_ENOMEM;
	d->toolstack = true;
	d->pause_count = 1; /* until the toolstack's first unpause */
	d->evtchn_intid = GUEST_EVTCHN_PPI;
	d->paging_pool_bytes = INITIAL_PAGING_POOL;
	memcpy(d->handle, c->handle, sizeof(d->handle));
	if (c->max_evtchn_port < d->max_evtchns - 1)
		d->max_evtchns = c->max_evtchn_port + 1;
	if (c->max_grant_frames > 0)
		grant_table_set_max_frames(d, (unsigned)c->max_grant_frames);
	for (unsigned i = 0; i < d->max_vcpus; i++)
		sched_add_vcpu(d->vcpus[i], (id + i) % nr_pcpus);
	domain_publish(d);
	printk("d%u: created by the toolstack, %u vCPU%s, paused\n", id, d->max_vcpus,
	       d->max_vcpus == 1 ? "" : "s");
	op->domain = id;
	/* Xen fills the timer's frequency only from a device tree clock-frequency: none here. */
	c->arch_config.clock_frequency = 0;
	return copy_to_guest(arg, op, sizeof(*op)) ? -XEN_EFAULT : 0;
}

/* Xen's xenctl_bitmap_to_bitmap: the caller's bytes, cut to `bytes`; bits past nr_bits 0. */
static long bitmap_in(const struct xenctl_bitmap *b, uint8_t *out, size_t bytes)
{
	size_t guest = ((size_t)b->nr_bits + 7) / 8, n = guest < bytes ? guest : bytes;

	memset(out, 0, bytes);
	if (n && copy_from_guest(out, b->bitmap_gva, n))
		return -XEN_EFAULT;
	if (n && n == guest && (b->nr_bits & 7))
		out[n - 1] &= (uint8_t)((1u << (b->nr_bits & 7)) - 1);
	return 0;
}

/* Xen's bitmap_to_xenctl_bitmap: ours, cut to the caller's size, its other bytes zeroed. */
static long bitmap_out(const struct xenctl_bitmap *b, const uint8_t *in, size_t bytes)
{
	static const uint8_t zeros[64];
	size_t guest = ((size_t)b->nr_bits + 7) / 8, n = guest < bytes ? guest : bytes;

	if (n && copy_to_guest(b->bitmap_gva, in, n))
		return -XEN_EFAULT;
	while (n < guest) {
		size_t chunk = guest - n < sizeof(zeros) ? guest - n : sizeof(zeros);
		if (copy_to_guest(b->bitmap_gva + n, zeros, chunk))
			return -XEN_EFAULT;
		n += chunk;
	}
	return 0;
}

#define CPUMAP_BYTES ((CONFIG_NR_CPUS + 7) / 8)

/* The online CPUs among a byte map's (the pool's CPUs, for Xen: all of them). */
static unsigned online_of(uint8_t map[CPUMAP_BYTES])
{
	unsigned n = 0;

	for (unsigned c = 0; c < CONFIG_NR_CPUS; c++) {
		if (c >= nr_pcpus)
			map[c / 8] &= (uint8_t) ~(1u << (c % 8));
		else if (map[c / 8] >> (c % 8) & 1)
			n++;
	}
	return n;
}

/*
 * getvcpuaffinity: the maps Punt applies. Hard: the domain's affinity (all of its vCPUs share
 * it: its configuration's, all CPUs for a created domain). Soft: every CPU, Xen's default, as
 * Punt's scheduler prefers none.
 */
static long getvcpuaffinity(struct domain *d, struct xen_domctl_vcpuaffinity *a)
{
	uint8_t map[CPUMAP_BYTES] = {0};
	long rc = 0;

	for (unsigned c = 0; c < nr_pcpus; c++) {
		if (cpumask_test(&d->sched.affinity, c))
			map[c / 8] |= (uint8_t)(1u << (c % 8));
	}
	if (a->flags & XEN_VCPUAFFINITY_HARD)
		rc = bitmap_out(&a->cpumap_hard, map, (nr_pcpus + 7) / 8);
	if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT)) {
		memset(map, 0, sizeof(map));
		for (unsigned c = 0; c < nr_pcpus; c++)
			map[c / 8] |= (uint8_t)(1u << (c % 8));
		rc = bitmap_out(&a->cpumap_soft, map, (nr_pcpus + 7) / 8);
	}
	return rc;
}

/*
 * set/getvcpuaffinity (Xen common/sched/core.c vcpu_affinity_domctl), checked as Xen checks
 * them. set is answered with the maps Xen's scheduler would use, but not applied: Punt's
 * affinity is the domain's, from its configuration (docs/control.md).
 */
static long vcpuaffinity(struct domain *d, uint32_t cmd, struct xen_domctl_vcpuaffinity *a)
{
	uint8_t hard[CPUMAP_BYTES], soft[CPUMAP_BYTES];
	long rc;

	if (a->vcpu >= d->max_vcpus)
		return -XEN_EINVAL;
	if (!d->vcpus[a->vcpu])
		return -XEN_ESRCH;
	if (!(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)) ||
	    ((a->flags & XEN_VCPUAFFINITY_HARD) && !a->cpumap_hard.bitmap_gva) ||
	    ((a->flags & XEN_VCPUAFFINITY_SOFT) && !a->cpumap_soft.bitmap_gva))
		return -XEN_EINVAL;
	if (cmd == XEN_DOMCTL_getvcpuaffinity)
		return getvcpuaffinity(d, a);
	memset(hard, 0xff, sizeof(hard));
	online_of(hard);
	if (a->flags & XEN_VCPUAFFINITY_HARD) {
		if ((rc = bitmap_in(&a->cpumap_hard, hard, (nr_pcpus + 7) / 8)))
			return rc;
		/* A hard affinity without an online CPU could never run (Xen: -EINVAL). */
		if (!online_of(hard))
			return -XEN_EINVAL;
		if ((rc = bitmap_out(&a->cpumap_hard, hard, (nr_pcpus + 7) / 8)))
			return rc;
	}
	if (a->flags & XEN_VCPUAFFINITY_SOFT) {
		if ((rc = bitmap_in(&a->cpumap_soft, soft, (nr_pcpus + 7) / 8)))
			return rc;
		online_of(soft);
		for (unsigned i = 0; i < CPUMAP_BYTES; i++)
			soft[i] &= hard[i];
		return bitmap_out(&a->cpumap_soft, soft, (nr_pcpus + 7) / 8);
	}
	return 0;
}

/* set/getnodeaffinity: one node, 0 (Xen: a map without an online node is -EINVAL). */
static long nodeaffinity(struct domain *d, uint32_t cmd, struct xen_domctl_nodeaffinity *n)
{
	uint8_t map = 1;
	long rc;

	(void)d;
	if (cmd == XEN_DOMCTL_getnodeaffinity)
		return bitmap_out(&n->nodemap, &map, 1);
	if ((rc = bitmap_in(&n->nodemap, &map, 1)))
		return rc;
	return map & 1 ? 0 : -XEN_EINVAL;
}

/*
 * scheduler_op as Xen's credit2 answers it (Xen common/sched/core.c sched_adjust,
 * credit2.c csched2_dom_cntl): the pool's scheduler only, domain-wide get and put; a put
 * weight or cap of 0 keeps the weight or removes the cap. Punt's scheduler takes both.
 */
static long scheduler_op(struct domain *d, struct xen_domctl_scheduler_op *s)
{
	if (s->sched_id != XEN_SCHEDULER_CREDIT2)
		return -XEN_EINVAL;
	switch (s->cmd) {
	case XEN_DOMCTL_SCHEDOP_getinfo:
		s->u.credit2.weight = (uint16_t)__atomic_load_n(&d->sched.weight, __ATOMIC_RELAXED);
		s->u.credit2.cap = (uint16_t)__atomic_load_n(&d->sched.cap, __ATOMIC_RELAXED);
		return 0;
	case XEN_DOMCTL_SCHEDOP_putinfo:
		/* Xen: a cap above 100 per vCPU is -EINVAL; Punt also needs it within the CPUs. */
		if (s->u.credit2.cap && (s->u.credit2.cap > 100 * d->max_vcpus ||
					 sched_check_cap(s->u.credit2.cap, nr_pcpus)))
			return -XEN_EINVAL;
		if (s->u.credit2.weight)
			__atomic_store_n(&d->sched.weight, s->u.credit2.weight, __ATOMIC_RELAXED);
		__atomic_store_n(&d->sched.cap, s->u.credit2.cap, __ATOMIC_RELAXED);
		return 0;
	default:
		/* Per-vCPU parameters: credit2 has none (Xen: -EINVAL). */
		return -XEN_EINVAL;
	}
}

static long getvcpuinfo(struct domain *d, struct xen_domctl_getvcpuinfo *g)
{
	struct vcpu_runstate_info rs;
	struct vcpu *v;

	if (g->vcpu >= d->max_vcpus)
		return -XEN_EINVAL;
	if (!(v = d->vcpus[g->vcpu]))
		return -XEN_ESRCH;
	sched_runstate(v, &rs);
	enum vcpu_run_state state = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
	g->online = state != VCPU_OFFLINE;
	g->blocked = state == VCPU_BLOCKED;
	g->running = rs.state == RUNSTATE_running;
	g->pad = 0;
	g->cpu_time = rs.time[RUNSTATE_running];
	g->cpu = __atomic_load_n(&v->pcpu, __ATOMIC_ACQUIRE);
	g->pad2 = 0;
	return 0;
}

/*
 * setvcpucontext (Xen common/domctl.c): the builder's registers for a vCPU, which comes online
 * with VGCF_online (and runs once the domain is unpaused); a NULL context resets it. Punt
 * takes it only for a vCPU that is offline and off every CPU, as every one is while the
 * toolstack builds the domain: Xen pauses a running domain for it, Punt answers -EBUSY.
 */
static long setvcpucontext(struct domain *caller, struct domain *d,
			   const struct xen_domctl_vcpucontext *op)
{
	struct vcpu_guest_context c;
	struct vcpu *v;
	long rc;

	if (d == caller || op->vcpu >= d->max_vcpus || !(v = d->vcpus[op->vcpu]))
		return -XEN_EINVAL;
	if (op->ctxt_gva && copy_from_guest(&c, op->ctxt_gva, sizeof(c)))
		return -XEN_EFAULT;
	if (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_OFFLINE || vcpu_on_cpu(v))
		return -XEN_EBUSY;
	if (!op->ctxt_gva) {
		arch_vcpu_reset(v, 0, 0);
		return 0;
	}
	rc = arch_vcpu_set_context(v, &c);
	if (!rc && (c.flags & VGCF_online))
		vcpu_set_online(v, true);
	return rc;
}

/*
 * vuart_op, in Xen 4.17's order of checks (Xen arch/arm/domctl.c): the padding, the
 * command, a domain still being created, the type; then the UART and its ring
 * (arch_vuart_connect(), punt/arch/domain.h).
 */
static long vuart_op(struct domain *d, struct xen_domctl_vuart_op *op)
{
	bool finished;

	if (op->pad[0] || op->pad[1] || op->cmd != XEN_DOMCTL_VUART_OP_INIT)
		return -XEN_EINVAL;
	struct domain_locked l = domain_lock(d);
	finished = locked_domain(l)->creation_finished;
	domain_unlock(&l);
	if (finished)
		return -XEN_EPERM;
	if (op->type != XEN_DOMCTL_VUART_TYPE_VPL011)
		return -XEN_EOPNOTSUPP;
	return arch_vuart_connect(d, op->gfn, op->console_domid, &op->evtchn);
}

/* Xen's bound on one cacheflush: 2^MAX_ORDER frames (Xen on Arm: CONFIG_PAGEALLOC_MAX_ORDER 18). */
#define CACHEFLUSH_MAX_FRAMES (1UL << 18)

/*
 * cacheflush (Xen arch/arm/domctl.c, p2m_cache_flush_range): libxc's builder writes the
 * kernel, ramdisk, device tree and cleared pages through dom0's cacheable mappings, then
 * asks for this so that the guest, which starts with its caches off, reads them from RAM.
 * Every frame of the range that maps memory is cleaned and invalidated; holes and devices
 * are skipped. Bounded by the frame limit, so it runs to the end as on Xen.
 */
static long cacheflush(struct domain *d, const struct xen_domctl_cacheflush *c)
{
	uint64_t end = c->start_pfn + c->nr_pfns, mfn;

	if (c->nr_pfns > CACHEFLUSH_MAX_FRAMES || end < c->start_pfn)
		return -XEN_EINVAL;
	for (uint64_t gfn = c->start_pfn; gfn < end; gfn++) {
		enum p2m_type t = p2m_lookup(d, gfn, &mfn);
		if (t != P2M_INVALID && t != P2M_DEVICE)
			arch_dcache_clean_inval_range(mfn << 12, 1UL << 12);
	}
	return 0;
}

/* The operations on one domain; *copyback when op goes back to the caller on success. */
static long domain_op(struct domain *caller, struct domain *d, struct xen_domctl *op,
		      bool *copyback)
{
	switch (op->cmd) {
	case XEN_DOMCTL_setdomainhandle: {
		struct domain_locked l = domain_lock(d);
		memcpy(locked_domain(l)->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
		domain_unlock(&l);
		return 0;
	}
	case XEN_DOMCTL_destroydomain:
		/* Torn down already, still listed as dead: Xen's DOMDYING_dead answers 0. */
		if (!d)
			return 0;
		if (d == caller)
			return -XEN_EINVAL;
		domain_kill(d);
		return 0;
	case XEN_DOMCTL_pausedomain:
		return d == caller ? -XEN_EINVAL : domain_pause_by_toolstack(d);
	case XEN_DOMCTL_unpausedomain:
		return domain_unpause_by_toolstack(d);
	case XEN_DOMCTL_max_vcpus:
		/* The vCPUs exist since createdomain; the figure must be the same (Xen). */
		return d == caller || op->u.max_vcpus.max != d->max_vcpus ? -XEN_EINVAL : 0;
	case XEN_DOMCTL_max_mem: {
		/* Xen keeps no check against tot_pages: the domain may ratchet down to it. */
		struct domain_locked l = domain_lock(d);
		locked_domain(l)->max_pages = op->u.max_mem.max_memkb >> 2;
		domain_unlock(&l);
		return 0;
	}
	case XEN_DOMCTL_get_paging_mempool_size:
		op->u.paging_mempool.size =
		    __atomic_load_n(&d->paging_pool_bytes, __ATOMIC_RELAXED);
		*copyback = true;
		return 0;
	case XEN_DOMCTL_set_paging_mempool_size:
		if (op->u.paging_mempool.size & 0xfff)
			return -XEN_EINVAL;
		__atomic_store_n(&d->paging_pool_bytes, op->u.paging_mempool.size,
				 __ATOMIC_RELAXED);
		return 0;
	case XEN_DOMCTL_set_address_size:
		/* Punt runs AArch64 guests only; Xen's switch_mode wants it before any page. */
		if (op->u.address_size.size != 64)
			return -XEN_EINVAL;
		return d->tot_pages ? -XEN_EBUSY : 0;
	case XEN_DOMCTL_setvcpuaffinity:
	case XEN_DOMCTL_getvcpuaffinity:
		return vcpuaffinity(d, op->cmd, &op->u.vcpuaffinity);
	case XEN_DOMCTL_setnodeaffinity:
	case XEN_DOMCTL_getnodeaffinity:
		return nodeaffinity(d, op->cmd, &op->u.nodeaffinity);
	case XEN_DOMCTL_scheduler_op:
		*copyback = true;
		return scheduler_op(d, &op->u.scheduler_op);
	case XEN_DOMCTL_getvcpuinfo:
		*copyback = true;
		return getvcpuinfo(d, &op->u.getvcpuinfo);
	case XEN_DOMCTL_setvcpucontext:
		return setvcpucontext(caller, d, &op->u.vcpucontext);
	case XEN_DOMCTL_cacheflush:
		return cacheflush(d, &op->u.cacheflush);
	case XEN_DOMCTL_vuart_op:
		*copyback = true;
		return vuart_op(d, &op->u.vuart_op);
	default:
		return -XEN_ENOSYS;
	}
}

long do_domctl(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct xen_domctl op;
	struct domain *d = NULL;
	bool copyback = false;
	long rc;

	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	switch (op.cmd) {
	case XEN_DOMCTL_getdomaininfo:
		return getdomaininfo(v->domain, arg, &op);
	case XEN_DOMCTL_createdomain:
		break; /* the domain does not exist yet */
	default:
		/* Xen looks the id up as it is: DOMID_SELF names no domain here. */
		d = domain_lookup(op.domain);
		if (!d && !(op.cmd == XEN_DOMCTL_destroydomain && domain_is_dead(op.domain)))
			return -XEN_ESRCH;
	}
	rc = policy_control(v->domain, HYPERVISOR_domctl, op.cmd);
	if (rc)
		return rc;
	if (op.cmd == XEN_DOMCTL_createdomain)
		return createdomain(arg, &op);
	rc = domain_op(v->domain, d, &op, &copyback);
	/* Xen copies the whole envelope back for these, and only on success. */
	if (!rc && copyback && copy_to_guest(arg, &op, sizeof(op)))
		return -XEN_EFAULT;
	return rc;
}
