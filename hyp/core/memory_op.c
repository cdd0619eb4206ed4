// SPDX-License-Identifier: Apache-2.0
/*
 * memory_op: what a translated (Arm) guest may change in its own p2m.
 * Direct-mapped domains (dom0) keep their RAM: a page given back with
 * decrease_reservation is only unmapped, and populate_physmap maps the
 * same frame again, because IPA must stay equal to PA.
 */
#include <public/errno.h>
#include <public/memory.h>
#include <punt/domain.h>
#include <punt/grant_table.h>
#include <punt/guest_access.h>
#include <punt/hypercall.h>
#include <punt/p2m.h>

#define MEMOP_CMD_MASK	     0x3f
#define MAX_EXTENTS_PER_CALL (1UL << 20)

static long map_shared_info(struct domain *d, uint64_t idx, uint64_t gfn)
{
	long rc = 0;

	if (idx != 0)
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	enum p2m_type there = p2m_lookup(d, gfn, NULL);
	if ((d->shared_info_gfn != ~0UL && d->shared_info_gfn != gfn) || there == P2M_GRANT_RW ||
	    there == P2M_GRANT_RO) {
		rc = -XEN_EBUSY;
	} else if (p2m_map(d, gfn, (uint64_t)d->shared_info >> 12, 1, P2M_RAM_RW)) {
		rc = -XEN_ENOMEM;
	} else {
		d->shared_info_gfn = gfn;
	}
	spin_unlock(&d->lock);
	return rc;
}

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_add_to_physmap op;
	struct domain *d;
	long rc;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	rc = domain_target(v->domain, op.domid, &d);
	if (rc)
		return rc;
	if (op.gpfn >> (p2m_ipa_bits() - 12))
		return -XEN_EINVAL;
	switch (op.space) {
	case XENMAPSPACE_shared_info:
		return map_shared_info(d, op.idx, op.gpfn);
	case XENMAPSPACE_grant_table:
		return grant_table_map_frame(d, op.idx, op.gpfn);
	default:
		/* gmfn, gmfn_range, dev_mmio: not offered; gmfn_foreign is batch-only. */
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
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	enum p2m_type t = p2m_lookup(d, op.gpfn, NULL);
	if (t == P2M_INVALID) {
		spin_unlock(&d->lock);
		return -XEN_ENOENT;
	}
	if (t == P2M_GRANT_RW || t == P2M_GRANT_RO) {
		spin_unlock(&d->lock);
		return -XEN_EINVAL; /* a grant mapping goes with GNTTABOP_unmap_grant_ref */
	}
	p2m_unmap(d, op.gpfn, 1);
	if (d->shared_info_gfn == op.gpfn)
		d->shared_info_gfn = ~0UL;
	grant_table_forget_gfn(d, op.gpfn);
	spin_unlock(&d->lock);
	return 0;
}

/*
 * Xen public/memory.h: the bits of cmd above MEMOP_EXTENT_SHIFT carry the
 * extent a continued reservation call starts from.
 */
#define MEMOP_EXTENT_SHIFT 6

/* The guest issues memory_op again for the extents from `next` on (Xen: "lh"). */
static long continue_reservation(unsigned op, uint64_t next, uint64_t arg)
{
	return hypercall_continue(2, (const uint64_t[]){op | (next << MEMOP_EXTENT_SHIFT), arg});
}

/*
 * Returns the number of extents done, counting those of earlier calls of the
 * same continued operation; stops at the first that fails.
 */
static long reservation(struct vcpu *v, unsigned op, uint64_t start, uint64_t arg)
{
	bool populate = op == XENMEM_populate_physmap;
	struct xen_memory_reservation r;
	struct domain *d;
	long rc;
	uint64_t done;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -XEN_EFAULT;
	rc = domain_target(v->domain, r.domid, &d);
	if (rc)
		return rc;
	if (r.extent_order > 9)
		return -XEN_EINVAL;
	if (!d->direct_mapped)
		return -XEN_ENOSYS;
	if (r.nr_extents > MAX_EXTENTS_PER_CALL)
		return -XEN_EINVAL;
	/* As Xen: a start at or past the end does nothing and reports it. */
	if (start >= r.nr_extents)
		return (long)start;
	uint64_t pages = 1UL << r.extent_order;
	for (done = start; done < r.nr_extents; done++) {
		uint64_t gfn;
		if (done != start && hypercall_preempt_check())
			return continue_reservation(op, done, arg);
		if (copy_from_guest(&gfn, r.extent_start_gva + 8 * done, sizeof(gfn)))
			return done ? (long)done : -XEN_EFAULT;
		if (gfn & (pages - 1) || !domain_is_ram(d, gfn) ||
		    !domain_is_ram(d, gfn + pages - 1))
			break;
		if (populate) {
			if (p2m_map(d, gfn, gfn, pages, P2M_RAM_RW))
				break;
		} else {
			if (p2m_lookup(d, gfn, NULL) != P2M_RAM_RW)
				break;
			p2m_unmap(d, gfn, pages);
		}
	}
	return (long)done;
}

long do_memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4)
{
	unsigned op = cmd & MEMOP_CMD_MASK;
	uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;

	(void)a2;
	(void)a3;
	(void)a4;
	switch (op) {
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return reservation(v, op, start, arg);
	case XENMEM_add_to_physmap:
		/* Xen: only gmfn_range (not offered here) continues; its size field is 16 bits. */
		if (start > UINT16_MAX)
			return -XEN_EDOM;
		return add_to_physmap(v, arg);
	case XENMEM_remove_from_physmap:
		if (start)
			return -XEN_EINVAL;
		return remove_from_physmap(v, arg);
	default:
		return -XEN_ENOSYS;
	}
}
