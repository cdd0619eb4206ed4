// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
#include <public/grant_table.h>
#include <public/xen.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/grant_table.h>
#include <punt/guest_access.h>
#include <punt/hypercall.h>
#include <punt/p2m.h>
#include <punt/page_alloc.h>

#define INVALID_GFN (~0UL)

/* Called with d->lock held. */
static int grow(struct grant_table *gt, unsigned nr)
{
	if (nr > GNTTAB_MAX_FRAMES)
		return -XEN_EINVAL;
	while (gt->nr_frames < nr) {
		uint64_t pa = page_alloc_zeroed(0);
		if (!pa)
			return -XEN_ENOMEM;
		gt->frame_pa[gt->nr_frames] = pa;
		gt->frame_gfn[gt->nr_frames] = INVALID_GFN;
		gt->nr_frames++;
	}
	return 0;
}

int grant_table_init(struct domain *d)
{
	struct grant_table *gt =
	    (struct grant_table *)page_alloc_zeroed(page_order_for(sizeof(*gt)));

	if (!gt)
		return -XEN_ENOMEM;
	gt->version = 1;
	for (unsigned i = 0; i < GNTTAB_MAX_FRAMES; i++)
		gt->frame_gfn[i] = INVALID_GFN;
	d->grant = gt;
	/* Like Xen, a table starts with one frame; the guest maps it where it wants. */
	if (grow(gt, 1)) {
		grant_table_destroy(d);
		return -XEN_ENOMEM;
	}
	return 0;
}

void grant_table_destroy(struct domain *d)
{
	struct grant_table *gt = d->grant;

	if (!gt)
		return;
	for (unsigned i = 0; i < gt->nr_frames; i++)
		page_free(gt->frame_pa[i], 0);
	page_free((uint64_t)gt, page_order_for(sizeof(*gt)));
	d->grant = NULL;
}

int grant_table_map_frame(struct domain *d, uint64_t idx, uint64_t gfn)
{
	struct grant_table *gt = d->grant;
	int rc;

	if (idx >= GNTTAB_MAX_FRAMES)
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	rc = grow(gt, (unsigned)idx + 1);
	if (!rc) {
		uint64_t old = gt->frame_gfn[idx];
		if (old != INVALID_GFN && old != gfn)
			p2m_unmap(d, old, 1);
		rc = p2m_map(d, gfn, gt->frame_pa[idx] >> 12, 1, P2M_RAM_RW) ? -XEN_ENOMEM : 0;
		gt->frame_gfn[idx] = rc ? INVALID_GFN : gfn;
	}
	spin_unlock(&d->lock);
	return rc;
}

void grant_table_forget_gfn(struct domain *d, uint64_t gfn)
{
	struct grant_table *gt = d->grant;

	for (unsigned i = 0; i < gt->nr_frames; i++) {
		if (gt->frame_gfn[i] == gfn)
			gt->frame_gfn[i] = INVALID_GFN;
	}
}

void grant_table_dump(struct domain *d)
{
	struct grant_table *gt = d->grant;

	if (!gt)
		return;
	printk("  Grant table: version %u, %u of %u frames\n", gt->version, gt->nr_frames,
	       GNTTAB_MAX_FRAMES);
	for (unsigned i = 0; i < gt->nr_frames; i++) {
		if (gt->frame_gfn[i] != INVALID_GFN)
			printk("    frame %u at gfn %#lx\n", i, gt->frame_gfn[i]);
	}
}

static long query_size(struct vcpu *v, uint64_t uop)
{
	struct gnttab_query_size op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	d = domain_target_of(v->domain, op.dom);
	if (!d) {
		op.status = GNTST_bad_domain;
	} else {
		op.nr_frames = d->grant->nr_frames;
		op.max_nr_frames = GNTTAB_MAX_FRAMES;
		op.status = GNTST_okay;
	}
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static long setup_table(struct vcpu *v, uint64_t uop)
{
	struct gnttab_setup_table op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	d = domain_target_of(v->domain, op.dom);
	if (!d) {
		op.status = GNTST_bad_domain;
	} else if (op.nr_frames > GNTTAB_MAX_FRAMES) {
		op.status = GNTST_general_error;
	} else {
		spin_lock(&d->lock);
		int rc = grow(d->grant, op.nr_frames);
		spin_unlock(&d->lock);
		op.status = rc ? GNTST_general_error : GNTST_okay;
		/* Translated guests get the GFN of each frame (or an invalid one). */
		for (uint32_t i = 0; !rc && i < op.nr_frames; i++) {
			uint64_t gfn = d->grant->frame_gfn[i];
			if (copy_to_guest(op.frame_list_gva + 8 * i, &gfn, sizeof(gfn))) {
				op.status = GNTST_bad_virt_addr;
				break;
			}
		}
	}
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static long set_version(struct vcpu *v, uint64_t uop)
{
	struct gnttab_set_version op;
	long rc = 0;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	/* Only version 1 exists here (Xen on Arm's default maximum): v2 is not offered. */
	if (op.version == 2)
		rc = -XEN_ENOSYS;
	else if (op.version != 1)
		rc = -XEN_EINVAL;
	op.version = v->domain->grant->version;
	if (copy_to_guest(uop, &op, sizeof(op)))
		return -XEN_EFAULT;
	return rc;
}

static long get_version(struct vcpu *v, uint64_t uop)
{
	struct gnttab_get_version op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	d = domain_target_of(v->domain, op.dom);
	if (!d)
		return -XEN_ESRCH;
	op.version = d->grant->version;
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

long do_grant_table_op(struct vcpu *v, uint64_t cmd, uint64_t uop, uint64_t count, uint64_t a3,
		       uint64_t a4)
{
	long rc = 0;

	(void)a3;
	(void)a4;
	if (count > 512)
		return -XEN_EINVAL;
	switch (cmd) {
	case GNTTABOP_query_size:
		for (uint64_t i = 0; i < count && !rc; i++)
			rc = query_size(v, uop + i * sizeof(struct gnttab_query_size));
		return rc;
	case GNTTABOP_setup_table:
		for (uint64_t i = 0; i < count && !rc; i++)
			rc = setup_table(v, uop + i * sizeof(struct gnttab_setup_table));
		return rc;
	case GNTTABOP_set_version:
		return count == 1 ? set_version(v, uop) : -XEN_EINVAL;
	case GNTTABOP_get_version:
		return count == 1 ? get_version(v, uop) : -XEN_EINVAL;
	default:
		/* map, unmap, copy and cache_flush are not implemented yet. */
		return -XEN_ENOSYS;
	}
}
