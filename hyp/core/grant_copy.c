// SPDX-License-Identifier: Apache-2.0
/*
 * GNTTABOP_copy: Punt copies bytes between a page granted to the caller and
 * one of the caller's own pages (or between two granted pages), so that a
 * backend need not map a frontend's memory at all. Each side is checked and
 * marked in use (GTF_reading/GTF_writing) only for the length of the copy.
 * Status codes follow Xen 4.17's order of checks.
 */
#include <public/errno.h>
#include <punt/domain.h>
#include <punt/grant_table.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/arch/p2m.h>
#include <punt/policy.h>
#include <punt/string.h>

/* One side of a copy once it has been checked and claimed. */
struct copy_side {
	struct domain *granter; /* NULL for a page of the caller's own */
	grant_ref_t ref;
	bool readonly;
	uint64_t mfn;
};

/*
 * A frame named by number is one of the caller's own pages: whatever it maps as its own
 * memory (RAM, and the grant-table and shared_info frames Punt shares with it, as Xen's
 * pages owned by the domain), never a grant mapping or a device.
 */
static int claim_own_page(struct domain *d, uint64_t gfn, bool write, struct copy_side *s)
{
	enum p2m_type t = p2m_lookup(d, gfn, &s->mfn);

	s->granter = NULL;
	if (!(t == P2M_RAM_RW || (!write && t == P2M_RAM_RO)))
		return GNTST_bad_page;
	return GNTST_okay;
}

static int claim_grant(struct domain *caller, struct domain *rd, grant_ref_t ref, bool write,
		       struct copy_side *s)
{
	int rc;

	struct domain_locked rl = domain_lock(rd);
	rc = grant_pin(rl, ref, caller->id, !write, &s->mfn);
	domain_unlock(&rl);
	if (rc)
		return rc;
	s->granter = rd;
	s->ref = ref;
	s->readonly = !write;
	return GNTST_okay;
}

static void release(struct copy_side *s)
{
	if (!s->granter)
		return;
	struct domain_locked rl = domain_lock(s->granter);
	grant_unpin(rl, s->ref, s->readonly);
	domain_unlock(&rl);
	s->granter = NULL;
}

/* The domain a side names: the granter of a grant ref, DOMID_SELF for the caller. */
static int side_domain(struct domain *caller, const struct gnttab_copy_ptr *p, struct domain **out)
{
	*out = domain_from_guest_id(caller, p->domid);
	if (!*out || (*out)->dying)
		return GNTST_bad_domain;
	return GNTST_okay;
}

/* Only the caller's own frames may be named by number, and only as DOMID_SELF. */
static int side_allowed(struct domain *caller, const struct gnttab_copy_ptr *p, bool is_gref,
			struct domain *d)
{
	if (!is_gref && p->domid != DOMID_SELF)
		return GNTST_permission_denied;
	if (!policy_may_communicate(caller, d))
		return GNTST_permission_denied;
	return GNTST_okay;
}

static int claim(struct domain *caller, struct domain *d, const struct gnttab_copy_ptr *p,
		 bool is_gref, bool write, struct copy_side *s)
{
	if (is_gref)
		return claim_grant(caller, d, p->u.ref, write, s);
	return claim_own_page(caller, p->u.gmfn, write, s);
}

static int copy_one(struct domain *caller, const struct gnttab_copy *op)
{
	bool src_gref = op->flags & GNTCOPY_source_gref, dst_gref = op->flags & GNTCOPY_dest_gref;
	struct copy_side src = {0}, dst = {0};
	struct domain *sd, *dd;
	int rc;

	/*
	 * Both sides are checked for whom they name before anything is claimed: first that
	 * both domains exist, then what may be named (Xen 4.17.7 as observed, see
	 * tests/guests/tests/probe_gnttab_copy_errors.c).
	 */
	rc = side_domain(caller, &op->source, &sd);
	if (!rc)
		rc = side_domain(caller, &op->dest, &dd);
	if (!rc)
		rc = side_allowed(caller, &op->source, src_gref, sd);
	if (!rc)
		rc = side_allowed(caller, &op->dest, dst_gref, dd);
	if (!rc)
		rc = claim(caller, sd, &op->source, src_gref, false, &src);
	if (!rc)
		rc = claim(caller, dd, &op->dest, dst_gref, true, &dst);
	if (!rc && ((uint32_t)op->source.offset + op->len > 4096 ||
		    (uint32_t)op->dest.offset + op->len > 4096))
		rc = GNTST_bad_copy_arg;
	if (!rc) {
		/* Both frames are RAM Punt maps 1:1; they cannot be freed while we hold the call.
		 */
		memmove((void *)((dst.mfn << 12) + op->dest.offset),
			(const void *)((src.mfn << 12) + op->source.offset), op->len);
	}
	release(&dst);
	release(&src);
	return rc;
}

long grant_copy_batch(struct vcpu *v, uint64_t uop, uint64_t count)
{
	for (uint64_t i = 0; i < count;) {
		uint64_t at = uop + i * sizeof(struct gnttab_copy);
		struct gnttab_copy op;
		if (copy_from_guest(&op, at, sizeof(op)))
			return -XEN_EFAULT;
		op.status = (int16_t)copy_one(v->domain, &op);
		if (copy_to_guest(at, &op, sizeof(op)))
			return -XEN_EFAULT;
		/* Between elements only: a call always does its first. */
		if (++i < count && hypercall_preempt_check())
			return grant_batch_continue(GNTTABOP_copy, uop, sizeof(op), count, i);
	}
	return 0;
}
