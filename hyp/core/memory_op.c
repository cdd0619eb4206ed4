// SPDX-License-Identifier: Apache-2.0
/*
 * memory_op: what a translated (Arm) guest may change in its own p2m.
 * Direct-mapped domains (dom0) keep their RAM: a page given back with
 * decrease_reservation is only unmapped, and populate_physmap maps the
 * same frame again, because IPA must stay equal to PA. Other domains get
 * fresh zeroed pages from populate_physmap, up to max_pages: that is how the
 * toolstack builds a domain's memory, and how a balloon driver takes back
 * what it gave with decrease_reservation (the page freed, tot_pages lower). The control domain maps
 * other domains' pages into its own p2m (add_to_physmap_batch with gmfn_foreign, the grant table
 * through acquire_resource: punt/foreign_map.h) and gives them back with remove_from_physmap.
 *
 * Arguments and errors follow Xen 4.17 (xen/common/memory.c, do_memory_op):
 * the command is an unsigned long whose bits 6 and up carry a continuation's
 * start extent, and the reservation ops answer any bad argument with the
 * number of extents done so far rather than an error code.
 */
#include <public/errno.h>
#include <public/memory.h>
#include <punt/domain.h>
#include <punt/foreign_map.h>
#include <punt/grant_table.h>
#include <punt/page_alloc.h>
#include <punt/arch/domain.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/memory.h>
#include <punt/arch/p2m.h>
#include <stddef.h>

/* Punt completes a reservation call in one go, so it bounds the extents of one. */
#define MAX_EXTENTS_PER_CALL (1UL << 20)
/* More extents than a continuation's start could count (Xen: UINT_MAX >> MEMOP_EXTENT_SHIFT). */
#define MAX_EXTENTS_ENCODABLE (0xffffffffUL >> MEMOP_EXTENT_SHIFT)
/* Largest extent order: Xen on Arm's MAX_ORDER for the control domain, 9 for others. */
#define MAX_ORDER_CONTROL 18
#define MAX_ORDER_DOMU	  9
/* Punt has no NUMA: node 0 is the only node (Xen's MAX_NUMNODES). */
#define NR_NUMA_NODES 1
#define NUMA_NO_NODE  0xffu
#define PAGE_SHIFT    12

static unsigned max_order(const struct domain *d)
{
	return d->privileged ? MAX_ORDER_CONTROL : MAX_ORDER_DOMU;
}

static long map_shared_info(struct domain *d, uint64_t idx, uint64_t gfn)
{
	long rc = 0;

	if (idx != 0)
		return -XEN_EINVAL;
	struct domain_locked l = domain_lock(d);
	enum p2m_type there = p2m_lookup(d, gfn, NULL);
	/* A grant or foreign mapping there holds a reference: it must go its own way first. */
	if ((d->shared_info_gfn != ~0UL && d->shared_info_gfn != gfn) || there == P2M_GRANT_RW ||
	    there == P2M_GRANT_RO || there == P2M_FOREIGN_RW) {
		rc = -XEN_EBUSY;
	} else if (p2m_map(d, gfn, (uint64_t)d->shared_info >> 12, 1, P2M_RAM_RW)) {
		rc = -XEN_ENOMEM;
	} else {
		d->shared_info_gfn = gfn;
	}
	domain_unlock(&l);
	return rc;
}

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_add_to_physmap op;
	struct domain *d;
	long rc;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	/* Foreign pages are mapped with add_to_physmap_batch only. */
	if (op.space == XENMAPSPACE_gmfn_foreign)
		return -XEN_ENOSYS;
	rc = domain_target(v->domain, op.domid, &d);
	if (rc)
		return rc;
	switch (op.space) {
	case XENMAPSPACE_shared_info:
		if (op.gpfn >> (p2m_ipa_bits() - 12))
			return -XEN_EINVAL;
		return map_shared_info(d, op.idx, op.gpfn);
	case XENMAPSPACE_grant_table:
		if (op.gpfn >> (p2m_ipa_bits() - 12))
			return -XEN_EINVAL;
		return grant_table_map_frame(d, op.idx, op.gpfn);
	default:
		/* gmfn, gmfn_range, dev_mmio: not offered. */
		return -XEN_ENOSYS;
	}
}

static long remove_from_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_remove_from_physmap op;
	struct domain *d;
	long rc;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	rc = domain_target(v->domain, op.domid, &d);
	if (rc)
		return rc;
	if (op.gpfn >> (p2m_ipa_bits() - 12))
		return -XEN_ENOENT;
	struct domain_locked l = domain_lock(d);
	/*
	 * Only the domain's own memory is removed here: a device mapping is no page of the
	 * domain's (Xen: -ENOENT), and a grant mapping goes with GNTTABOP_unmap_grant_ref,
	 * which also gives its pin back.
	 */
	enum p2m_type t = p2m_lookup(d, op.gpfn, NULL);
	if (t == P2M_FOREIGN_RW) {
		/* Another domain's page: its reference goes back (Xen's put_page). */
		struct domain *owner = foreign_map_remove(l, op.gpfn);
		domain_unlock(&l);
		if (owner)
			domain_foreign_put(owner);
		return 0;
	}
	if (t != P2M_RAM_RW && t != P2M_RAM_RO) {
		domain_unlock(&l);
		return -XEN_ENOENT;
	}
	p2m_unmap(d, op.gpfn, 1);
	if (d->shared_info_gfn == op.gpfn)
		d->shared_info_gfn = ~0UL;
	grant_table_forget_gfn(l, op.gpfn);
	domain_unlock(&l);
	return 0;
}

/*
 * The NUMA node in mem_flags (Xen's propagate_node): any node for the control domain must
 * exist; others may not insist on one.
 */
static bool node_valid(const struct domain *caller, uint32_t flags)
{
	uint32_t node = XENMEMF_get_node(flags);

	if (node == NUMA_NO_NODE)
		return true;
	if (caller->privileged)
		return node < NR_NUMA_NODES;
	return !(flags & XENMEMF_exact_node_request);
}

/* Xen's construct_memop_from_reservation: an address limit below one page is nonsense. */
static bool mem_flags_valid(const struct domain *caller, uint32_t flags)
{
	uint32_t address_bits = XENMEMF_get_address_bits(flags);

	if (address_bits && address_bits <= PAGE_SHIFT)
		return false;
	/* No domain has virtual NUMA nodes, so a vnode request names no node at all. */
	return (flags & XENMEMF_vnode) || node_valid(caller, flags);
}

static bool holds_foreign(struct domain *d, uint64_t gfn, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++)
		if (p2m_lookup(d, gfn + i, NULL) == P2M_FOREIGN_RW)
			return true;
	return false;
}

/*
 * Grow d's RAM regions (domain_is_ram()) by [ipa, ipa + size), merged with a neighbour; a
 * range that is RAM already (given back, now populated again) adds nothing.
 */
static int add_ram_region(struct domain_locked l, uint64_t ipa, uint64_t size)
{
	struct domain *d = locked_domain(l);

	if (domain_is_ram(d, ipa >> PAGE_SHIFT) && domain_is_ram(d, (ipa + size - 1) >> PAGE_SHIFT))
		return 0;

	for (unsigned i = 0; i < d->nr_ram; i++) {
		if (d->ram[i].base + d->ram[i].size == ipa) {
			d->ram[i].size += size;
			return 0;
		}
		if (ipa + size == d->ram[i].base) {
			d->ram[i].base = ipa;
			d->ram[i].size += size;
			return 0;
		}
	}
	if (d->nr_ram == BOOT_MAX_MEM)
		return -1;
	d->ram[d->nr_ram++] = (struct boot_region){ipa, size};
	return 0;
}

/*
 * One extent of populate_physmap for a domain that is not 1:1: fresh zeroed pages at gfn,
 * which must be aligned to the extent and empty, within max_pages (Xen's assign_pages) and
 * the domain's room for extents. false when it cannot be done.
 */
static bool populate_one(struct domain *d, uint64_t gfn, unsigned order)
{
	uint64_t pages = 1UL << order;
	uint64_t pa = page_alloc_zeroed(order); /* zeroed outside the lock */
	bool ok = false;

	if (!pa)
		return false;
	struct domain_locked l = domain_lock(d);
	uint64_t limit = 1UL << (p2m_ipa_bits() - PAGE_SHIFT);
	if (d->dying || d->tot_pages + pages > d->max_pages || (gfn & (pages - 1)) ||
	    gfn >= limit || pages > limit - gfn)
		goto out;
	for (uint64_t i = 0; i < pages; i++)
		if (p2m_lookup(d, gfn + i, NULL) != P2M_INVALID)
			goto out;
	if (add_ram_region(l, gfn << PAGE_SHIFT, pages << PAGE_SHIFT))
		goto out;
	if (!domain_extent_room(d, pa, pages << PAGE_SHIFT))
		goto out;
	if (p2m_map(d, gfn, pa >> PAGE_SHIFT, pages, P2M_RAM_RW))
		goto out; /* the region stays: RAM with a hole is still RAM */
	domain_extent_add(d, pa, pages << PAGE_SHIFT); /* room checked above */
	d->tot_pages += pages;
	ok = true;
out:
	domain_unlock(&l);
	if (!ok)
		page_free(pa, order);
	return ok;
}

/* populate_physmap of a domain that is not 1:1, from extent `done` on. */
static uint64_t populate_extents(struct domain *d, const struct xen_memory_reservation *r,
				 uint64_t done, bool *preempted)
{
	uint64_t start = done;

	for (; done < r->nr_extents; done++) {
		uint64_t gfn;
		if (done != start && hypercall_preempt_check()) {
			*preempted = true;
			break;
		}
		if (copy_from_guest(&gfn, r->extent_start_gva + 8 * done, sizeof(gfn)) ||
		    !populate_one(d, gfn, r->extent_order))
			break;
	}
	return done;
}

/* A page Punt itself writes into: the registered vcpu_info of one of d's vCPUs. */
static bool holds_vcpu_info(const struct domain *d, uint64_t mfn)
{
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpus[i];
		if (v && v->vcpu_info_registered && (uintptr_t)v->vcpu_info >> PAGE_SHIFT == mfn)
			return true;
	}
	return false;
}

/*
 * Give back the page at gfn of a domain that is not 1:1 (Xen's guest_remove_page): its
 * stage-2 entry goes, and a page of its own RAM goes back to the allocator after the grace
 * period, tot_pages one lower. A frame Punt shares with it (shared_info, a grant frame) is
 * only unmapped, as Xen keeps such pages. Refused, leaving everything as it was: a frame that
 * is not the domain's RAM mapping (a hole, a grant or foreign mapping, a device), and a page
 * something else still holds (another domain's grant mapping or copy pins it, the control
 * domain maps that very page, Punt writes its vcpu_info or a device's ring there): Xen would keep
 * such a page alive by its reference count, Punt keeps it mapped. The control domain mapping other
 * pages of the domain (the console and xenstore rings, for the domain's whole life) holds nothing
 * else back.
 */
static bool give_back_page(struct domain_locked l, uint64_t gfn)
{
	struct domain *d = locked_domain(l);
	uint64_t mfn;
	enum p2m_type t = p2m_lookup(d, gfn, &mfn);

	if (t != P2M_RAM_RW && t != P2M_RAM_RO)
		return false;
	int i = domain_extent_find(d, mfn << PAGE_SHIFT);
	if (i < 0) {
		p2m_unmap(d, gfn, 1);
		if (d->shared_info_gfn == gfn)
			d->shared_info_gfn = ~0UL;
		grant_table_forget_gfn(l, gfn);
		return true;
	}
	if (foreign_frame_mapped(mfn) || holds_vcpu_info(d, mfn) || arch_domain_uses_page(d, mfn) ||
	    grant_frame_pinned(l, mfn) ||
	    !domain_extent_take_page(d, (unsigned)i, mfn << PAGE_SHIFT))
		return false;
	p2m_unmap(d, gfn, 1);
	d->tot_pages--;
	domain_free_page_later(mfn << PAGE_SHIFT, 0);
	return true;
}

/*
 * decrease_reservation of a domain that is not 1:1, from extent `done` on: each extent's
 * pages one by one; the count stops at the first extent not wholly given back (the pages of
 * it given back before stay so, as on Xen).
 */
static uint64_t decrease_extents(struct domain *d, const struct xen_memory_reservation *r,
				 uint64_t done, bool *preempted)
{
	uint64_t pages = 1UL << r->extent_order, start = done;
	uint64_t limit = 1UL << (p2m_ipa_bits() - PAGE_SHIFT);

	for (; done < r->nr_extents; done++) {
		uint64_t gfn, j = 0;
		if (done != start && hypercall_preempt_check()) {
			*preempted = true;
			break;
		}
		if (copy_from_guest(&gfn, r->extent_start_gva + 8 * done, sizeof(gfn)) ||
		    gfn >= limit || pages > limit - gfn)
			break;
		struct domain_locked l = domain_lock(d);
		while (j < pages && !d->dying && give_back_page(l, gfn + j))
			j++;
		domain_unlock(&l);
		if (j < pages)
			break;
	}
	return done;
}

/*
 * From extent `done` on: returns the number of extents done, stopping at the first that
 * fails, as Xen's decrease_reservation and populate_physmap do for a 1:1 domain. An extent
 * need not be aligned to its order. Between extents the call may stop (*preempted) for the
 * caller to continue it from the extent returned.
 */
static uint64_t change_extents(struct domain *d, const struct xen_memory_reservation *r,
			       uint64_t done, bool populate, bool *preempted)
{
	uint64_t pages = 1UL << r->extent_order, start = done;

	for (; done < r->nr_extents; done++) {
		uint64_t gfn;
		if (done != start && hypercall_preempt_check()) {
			*preempted = true;
			break;
		}
		if (copy_from_guest(&gfn, r->extent_start_gva + 8 * done, sizeof(gfn)))
			break;
		if (!domain_is_ram(d, gfn) || !domain_is_ram(d, gfn + pages - 1))
			break;
		if (populate) {
			/* A foreign mapping there still holds its reference: remove it first. */
			if (holds_foreign(d, gfn, pages) || p2m_map(d, gfn, gfn, pages, P2M_RAM_RW))
				break;
		} else {
			if (p2m_lookup(d, gfn, NULL) != P2M_RAM_RW)
				break;
			p2m_unmap(d, gfn, pages);
		}
	}
	return done;
}

/*
 * increase/decrease_reservation and populate_physmap from extent `start` (a continuation's).
 * Returns the extents done: `start` when the arguments are bad, as on Xen.
 */
static long reservation(struct vcpu *v, uint64_t arg, unsigned op, uint64_t start)
{
	struct xen_memory_reservation r;
	struct domain *d;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return (long)start;
	if (r.nr_extents > MAX_EXTENTS_ENCODABLE || start >= r.nr_extents)
		return (long)start;
	if (domain_target(v->domain, r.domid, &d) || !mem_flags_valid(v->domain, r.mem_flags))
		return (long)start;
	/* Punt gives a domain no memory beyond what it was built with. */
	if (op == XENMEM_increase_reservation)
		return (long)start;
	if (r.extent_order > max_order(v->domain))
		return (long)start;
	/* Arm has no populate-on-demand (Xen: not on oneself, and not on Arm at all). */
	if (op == XENMEM_populate_physmap && (r.mem_flags & XENMEMF_populate_on_demand))
		return (long)start;
	if (r.nr_extents > MAX_EXTENTS_PER_CALL)
		return -XEN_EINVAL;
	bool preempted = false;
	uint64_t done;
	if (d->direct_mapped)
		done = change_extents(d, &r, start, op == XENMEM_populate_physmap, &preempted);
	else if (op == XENMEM_populate_physmap)
		done = populate_extents(d, &r, start, &preempted);
	else
		done = decrease_extents(d, &r, start, &preempted);
	/* Xen's continuation "lh": the command with the next extent in its upper bits. */
	if (preempted)
		return hypercall_continue(
		    2, (const uint64_t[]){op | (done << MEMOP_EXTENT_SHIFT), arg});
	return (long)done;
}

/* current_reservation, maximum_reservation: a domain has what it was built with, no more. */
static long domain_pages(struct vcpu *v, uint64_t arg)
{
	struct xen_memory_domain md;
	struct domain *d;

	if (copy_from_guest(&md, arg, sizeof(md)))
		return -XEN_EFAULT;
	long rc = domain_target(v->domain, md.domid, &d);
	return rc ? rc : (long)d->tot_pages;
}

/* Xen's order of checks for XENMEM_exchange (memory_exchange), up to the domain lookup. */
static long exchange_check(struct vcpu *v, const struct xen_memory_exchange *x)
{
	const struct xen_memory_reservation *in = &x->in, *out = &x->out;

	if (in->extent_order > max_order(v->domain) || out->extent_order > max_order(v->domain))
		return -XEN_EPERM;
	if (x->nr_exchanged > in->nr_extents || in->domid != out->domid ||
	    (~0UL >> in->extent_order) < in->nr_extents ||
	    (~0UL >> out->extent_order) < out->nr_extents ||
	    in->nr_extents << in->extent_order != out->nr_extents << out->extent_order)
		return -XEN_EINVAL;
	return 0;
}

/*
 * XENMEM_exchange: as on Xen on Arm, which cannot take a page away from a domain
 * (steal_page is -EOPNOTSUPP there), the first extent to exchange fails; nothing is
 * exchanged and nr_exchanged goes back unchanged.
 */
static long exchange(struct vcpu *v, uint64_t arg)
{
	struct xen_memory_exchange x;
	struct domain *d;
	uint64_t gfn, first;
	long rc;

	if (copy_from_guest(&x, arg, sizeof(x)))
		return -XEN_EFAULT;
	rc = exchange_check(v, &x);
	if (!rc && x.nr_exchanged == x.in.nr_extents)
		return 0;
	if (!rc && !node_valid(v->domain, x.out.mem_flags))
		rc = -XEN_EINVAL;
	if (!rc)
		rc = domain_target(v->domain, x.in.domid, &d);
	if (!rc) {
		/* The first input extent of the chunk the exchange would resume at. */
		unsigned chunk = x.in.extent_order < x.out.extent_order
				     ? x.out.extent_order - x.in.extent_order
				     : 0;
		first = x.nr_exchanged >> chunk << chunk;
		x.nr_exchanged = first;
		rc = copy_from_guest(&gfn, x.in.extent_start_gva + 8 * first, sizeof(gfn))
			 ? -XEN_EFAULT
			 : -XEN_EOPNOTSUPP;
	}
	if (copy_to_guest(arg + offsetof(struct xen_memory_exchange, nr_exchanged), &x.nr_exchanged,
			  sizeof(x.nr_exchanged)))
		return -XEN_EFAULT;
	return rc;
}

/* No domain has a virtual NUMA layout. */
static long vnuma_info(struct vcpu *v, uint64_t arg)
{
	struct xen_vnuma_topology_info t;
	struct domain *d;

	if (copy_from_guest(&t, arg, sizeof(t)))
		return -XEN_EFAULT;
	if (t.pad)
		return -XEN_EINVAL;
	long rc = domain_target(v->domain, t.domid, &d);
	return rc ? rc : -XEN_EOPNOTSUPP;
}

/*
 * Commands Xen leaves to the architecture get the whole command as an int (Arm's
 * arch_memory_op): only page sharing's two counters are known there, and Arm shares nothing.
 */
static long arch_memory_op(uint64_t cmd)
{
	int op = (int)cmd;

	if (op == XENMEM_get_sharing_freed_pages || op == XENMEM_get_sharing_shared_pages)
		return 0;
	return -XEN_ENOSYS;
}

/*
 * One gmfn_foreign entry (Xen arch/arm/mm.c xenmem_add_to_physmap_one): page idx of domain
 * fid at gfn of d, which must be the control domain; the page must be ordinary RAM of fid's
 * (never -ENOENT: Linux's privcmd would take that for a paged-out page and retry for ever).
 */
static long map_foreign(struct domain *d, domid_t fid, uint64_t idx, uint64_t gfn)
{
	struct domain *od = domain_from_guest_id(d, fid);
	uint64_t mfn;
	long rc;

	if (!od)
		return -XEN_ESRCH;
	if (od == d)
		return -XEN_EINVAL;
	if (!d->privileged)
		return -XEN_EPERM;
	if ((gfn | idx) >> (p2m_ipa_bits() - PAGE_SHIFT))
		return -XEN_EINVAL;
	struct domain_pair_locked l = domain_lock_pair(d, od);
	if (od->dying || p2m_lookup(od, idx, &mfn) != P2M_RAM_RW)
		rc = -XEN_EINVAL;
	else
		rc = foreign_map_add(l, gfn, mfn);
	domain_unlock_pair(&l);
	return rc;
}

/* One entry of add_to_physmap_batch in another space than gmfn_foreign. */
static long map_one(struct domain *d, unsigned space, uint64_t idx, uint64_t gfn)
{
	if (gfn >> (p2m_ipa_bits() - PAGE_SHIFT))
		return -XEN_EINVAL;
	switch (space) {
	case XENMAPSPACE_shared_info:
		return map_shared_info(d, idx, gfn);
	case XENMAPSPACE_grant_table:
		return grant_table_map_frame(d, idx, gfn);
	default:
		return -XEN_ENOSYS;
	}
}

/*
 * add_to_physmap_batch (Xen common/memory.c): each entry's answer goes to errs[], the call
 * itself fails only for a bad space, domain, caller or buffer. From entry `start` on (a
 * continuation's); preempted between entries like the reservation calls.
 */
static long add_to_physmap_batch(struct vcpu *v, uint64_t arg, uint64_t start)
{
	struct xen_add_to_physmap_batch b;
	struct domain *d;
	long rc;

	if (copy_from_guest(&b, arg, sizeof(b)))
		return -XEN_EFAULT;
	if (b.space == XENMAPSPACE_gmfn_range)
		return -XEN_EOPNOTSUPP;
	rc = domain_target(v->domain, b.domid, &d);
	if (rc)
		return rc;
	for (uint64_t i = start; i < b.size; i++) {
		uint64_t idx, gfn;
		int32_t err;
		if (i != start && hypercall_preempt_check())
			return hypercall_continue(
			    2, (const uint64_t[]){
				   XENMEM_add_to_physmap_batch | (i << MEMOP_EXTENT_SHIFT), arg});
		if (copy_from_guest(&idx, b.idxs_gva + 8 * i, sizeof(idx)) ||
		    copy_from_guest(&gfn, b.gpfns_gva + 8 * i, sizeof(gfn)))
			return -XEN_EFAULT;
		err = (int32_t)(b.space == XENMAPSPACE_gmfn_foreign
				    ? map_foreign(d, b.foreign_domid, idx, gfn)
				    : map_one(d, b.space, idx, gfn));
		if (copy_to_guest(b.errs_gva + 4 * i, &err, sizeof(err)))
			return -XEN_EFAULT;
	}
	return 0;
}

/*
 * acquire_resource (Xen common/memory.c): the grant table's shared frames of another domain,
 * for the control domain, mapped at the caller's frames in frame_list (Arm callers are
 * translated), each holding a reference as a foreign mapping does. With no frame list and
 * no frames it answers the resource's size. Other resources: -EOPNOTSUPP (Xen's answer for
 * one it has none of, which libxc takes as the signal to seed grants another way).
 */
static long acquire_resource(struct vcpu *v, uint64_t arg, uint64_t start)
{
	struct xen_mem_acquire_resource r;
	struct domain *d, *caller = v->domain;
	long rc;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.pad)
		return -XEN_EINVAL;
	if ((r.frame >> 32) || ((r.frame + r.nr_frames) >> 32))
		return -XEN_EINVAL;
	d = domain_from_guest_id(caller, r.domid);
	if (!d)
		return -XEN_ESRCH;
	if (d == caller || !caller->privileged)
		return -XEN_EPERM;
	if (r.type != XENMEM_resource_grant_table)
		return -XEN_EOPNOTSUPP;
	/* Version 1 has no status frames (Xen: no frames, -EINVAL). */
	if (r.id != XENMEM_resource_grant_table_id_shared)
		return -XEN_EINVAL;
	if (!r.frame_list_gva) {
		if (r.nr_frames || start)
			return -XEN_EINVAL;
		r.nr_frames = d->grant->max_frames;
		return copy_to_guest(arg + offsetof(struct xen_mem_acquire_resource, nr_frames),
				     &r.nr_frames, sizeof(r.nr_frames))
			   ? -XEN_EFAULT
			   : 0;
	}
	if (start >= r.nr_frames || r.nr_frames > (0xffffffffu >> MEMOP_EXTENT_SHIFT))
		return -XEN_EINVAL;
	for (uint64_t i = start; i < r.nr_frames; i++) {
		uint64_t gfn, mfn;
		if (i != start && hypercall_preempt_check())
			return hypercall_continue(
			    2, (const uint64_t[]){
				   XENMEM_acquire_resource | (i << MEMOP_EXTENT_SHIFT), arg});
		if (copy_from_guest(&gfn, r.frame_list_gva + 8 * i, sizeof(gfn)))
			return -XEN_EFAULT;
		if (gfn >> (p2m_ipa_bits() - PAGE_SHIFT))
			return -XEN_EINVAL;
		struct domain_pair_locked l = domain_lock_pair(caller, d);
		rc = d->dying ? -XEN_ESRCH : grant_table_frame(l.b, (unsigned)(r.frame + i), &mfn);
		if (!rc)
			rc = foreign_map_add(l, gfn, mfn);
		domain_unlock_pair(&l);
		if (rc)
			return rc;
	}
	return 0;
}

/* add_to_physmap's start extent is checked against its 16-bit size field. */
#define ADD_TO_PHYSMAP_MAX_START 0xffffUL

long do_memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4)
{
	uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;
	unsigned op = (unsigned)(cmd & MEMOP_CMD_MASK);

	(void)a2;
	(void)a3;
	(void)a4;
	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return reservation(v, arg, op, start);
	case XENMEM_add_to_physmap:
		/* A start extent only means something for gmfn_range, which Punt does not offer. */
		return start > ADD_TO_PHYSMAP_MAX_START ? -XEN_EDOM : add_to_physmap(v, arg);
	case XENMEM_exchange:
		return start ? -XEN_EINVAL : exchange(v, arg);
	case XENMEM_maximum_ram_page:
		return start ? -XEN_EINVAL : (long)memory_max_page();
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		return start ? -XEN_EINVAL : domain_pages(v, arg);
	case XENMEM_remove_from_physmap:
		return start ? -XEN_EINVAL : remove_from_physmap(v, arg);
	case XENMEM_get_vnumainfo:
		return start ? -XEN_EINVAL : vnuma_info(v, arg);
	case XENMEM_add_to_physmap_batch:
		return add_to_physmap_batch(v, arg, start);
	case XENMEM_acquire_resource:
		return acquire_resource(v, arg, start);
	case XENMEM_maximum_gpfn:
	case XENMEM_claim_pages:
		/* Not offered (claims, the p2m's extent). */
		return -XEN_ENOSYS;
	default:
		return arch_memory_op(cmd);
	}
}
