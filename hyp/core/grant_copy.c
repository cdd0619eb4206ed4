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
#include <punt/guest_access.h>
#include <punt/hypercall.h>
#include <punt/p2m.h>
#include <punt/policy.h>
#include <punt/string.h>

/* One side of a copy once it has been checked and claimed. */
struct copy_side {
	struct domain *granter; /* NULL for a page of the caller's own */
	grant_ref_t ref;
	bool readonly;
	uint64_t mfn;
};

static int claim_own_page(struct domain *d, uint64_t gfn, bool write, struct copy_side *s)
{
	enum p2m_type t = p2m_lookup(d, gfn, &s->mfn);

	s->granter = NULL;
	if (!domain_is_ram(d, gfn) || !(t == P2M_RAM_RW || (!write && t == P2M_RAM_RO)))
		return GNTST_bad_page;
	return GNTST_okay;
}

static int claim_grant(struct domain *caller, struct domain *rd, grant_ref_t ref, bool write,
		       struct copy_side *s)
{
	int rc;

	spin_lock(&rd->lock);
	rc = grant_pin(rd, ref, caller->id, !write, &s->mfn);
	spin_unlock(&rd->lock);
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
	spin_lock(&s->granter->lock);
	grant_unpin(s->granter, s->ref, s->readonly);
	spin_unlock(&s->granter->lock);
	s->granter = NULL;
}

/* Which domain a side names: for a grant ref its granter, for a frame only the caller. */
static int side_domain(struct domain *caller, const struct gnttab_copy_ptr *p, bool is_gref,
		       struct domain **out)
{
	if (!is_gref && p->domid != DOMID_SELF)
		return GNTST_permission_denied;
	*out = p->domid == DOMID_SELF ? caller : domain_lookup(p->domid);
	if (!*out || (*out)->dying)
		return GNTST_bad_domain;
	if (!policy_may_communicate(caller, *out))
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

	/* Both sides are checked for who they name before anything is claimed. */
	if ((!src_gref && op->source.domid != DOMID_SELF) ||
	    (!dst_gref && op->dest.domid != DOMID_SELF))
		return GNTST_permission_denied;
	rc = side_domain(caller, &op->source, src_gref, &sd);
	if (!rc)
		rc = side_domain(caller, &op->dest, dst_gref, &dd);
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
