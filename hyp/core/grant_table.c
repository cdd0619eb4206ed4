// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
#include <public/grant_table.h>
#include <public/xen.h>
#include <punt/arch/cache.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/grant_table.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/memory.h>
#include <punt/arch/p2m.h>
#include <punt/page_alloc.h>
#include <stddef.h>

#define INVALID_GFN (~0UL)
/* A guest rewriting its entry while we pin it gets this many tries, as on Xen. */
#define PIN_RETRIES 4

static int grow(struct domain_locked l, unsigned nr)
{
	struct grant_table *gt = locked_domain(l)->grant;

	if (nr > gt->max_frames)
		return -XEN_EINVAL;
	while (gt->nr_frames < nr) {
		unsigned i = gt->nr_frames;
		uint64_t pa = page_alloc_zeroed(0);
		uint64_t active = page_alloc_zeroed(GRANT_ACTIVE_ORDER);
		if (!pa || !active) {
			if (pa)
				page_free(pa, 0);
			if (active)
				page_free(active, GRANT_ACTIVE_ORDER);
			return -XEN_ENOMEM;
		}
		gt->frame_pa[i] = pa;
		gt->frame_gfn[i] = INVALID_GFN;
		gt->active[i] = (struct grant_active *)active;
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
	gt->max_frames = GNTTAB_MAX_FRAMES;
	gt->maptrack_free = MAPTRACK_NONE;
	for (unsigned i = 0; i < GNTTAB_MAX_FRAMES; i++)
		gt->frame_gfn[i] = INVALID_GFN;
	d->grant = gt;
	/*
	 * Like Xen, a table starts with one frame; the guest maps it where it wants. Nobody
	 * else can see d yet, so the lock is free: taken because grow() wants its proof.
	 */
	struct domain_locked l = domain_lock(d);
	int rc = grow(l, 1);
	domain_unlock(&l);
	if (rc) {
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
	for (unsigned i = 0; i < gt->nr_frames; i++) {
		page_free(gt->frame_pa[i], 0);
		page_free((uint64_t)gt->active[i], GRANT_ACTIVE_ORDER);
	}
	for (unsigned i = 0; i < gt->maptrack_pages; i++)
		page_free((uint64_t)gt->maptrack[i], 0);
	page_free((uint64_t)gt, page_order_for(sizeof(*gt)));
	d->grant = NULL;
}

void grant_table_set_max_frames(struct domain *d, unsigned max)
{
	if (max >= d->grant->nr_frames && max <= GNTTAB_MAX_FRAMES)
		d->grant->max_frames = max;
}

int grant_table_map_frame(struct domain *d, uint64_t idx, uint64_t gfn)
{
	struct grant_table *gt = d->grant;
	int rc;

	if (idx >= gt->max_frames)
		return -XEN_EINVAL;
	struct domain_locked l = domain_lock(d);
	enum p2m_type there = p2m_lookup(d, gfn, NULL);
	if (there == P2M_GRANT_RW || there == P2M_GRANT_RO || there == P2M_FOREIGN_RW) {
		domain_unlock(&l);
		return -XEN_EBUSY; /* unmap the grant or foreign page first */
	}
	rc = grow(l, (unsigned)idx + 1);
	if (!rc) {
		uint64_t old = gt->frame_gfn[idx];
		if (old != INVALID_GFN && old != gfn)
			p2m_unmap(d, old, 1);
		rc = p2m_map(d, gfn, gt->frame_pa[idx] >> 12, 1, P2M_RAM_RW) ? -XEN_ENOMEM : 0;
		gt->frame_gfn[idx] = rc ? INVALID_GFN : gfn;
	}
	domain_unlock(&l);
	return rc;
}

int grant_table_frame(struct domain_locked l, unsigned idx, uint64_t *mfn)
{
	struct grant_table *gt = locked_domain(l)->grant;

	if (idx >= gt->max_frames)
		return -XEN_EINVAL;
	if (grow(l, idx + 1))
		return -XEN_ENOMEM;
	*mfn = gt->frame_pa[idx] >> 12;
	return 0;
}

void grant_table_forget_gfn(struct domain_locked l, uint64_t gfn)
{
	struct grant_table *gt = locked_domain(l)->grant;

	for (unsigned i = 0; i < gt->nr_frames; i++) {
		if (gt->frame_gfn[i] == gfn)
			gt->frame_gfn[i] = INVALID_GFN;
	}
}

/* ---- entries and pins ------------------------------------------------------ */

struct grant_entry_v1 *grant_entry(struct domain_locked l, grant_ref_t ref)
{
	const struct grant_table *gt = locked_domain(l)->grant;

	if (ref >= gt->nr_frames * GRANT_ENTRIES_V1_PER_FRAME)
		return NULL;
	return (struct grant_entry_v1 *)gt->frame_pa[ref / GRANT_ENTRIES_V1_PER_FRAME] +
	       ref % GRANT_ENTRIES_V1_PER_FRAME;
}

static struct grant_active *active_of(struct domain *d, grant_ref_t ref)
{
	return &d->grant
		    ->active[ref / GRANT_ENTRIES_V1_PER_FRAME][ref % GRANT_ENTRIES_V1_PER_FRAME];
}

/*
 * The entry's flags and domid form one 32-bit word (flags low): checking who
 * may use the entry and marking it in use is one compare-and-swap, so the
 * granter can never revoke an entry between our check and our mark.
 */
static int mark_in_use(struct grant_entry_v1 *e, domid_t user, bool readonly)
{
	uint32_t *word = (uint32_t *)(void *)e;
	uint32_t want = GTF_reading | (readonly ? 0 : GTF_writing);

	for (unsigned tries = 0; tries < PIN_RETRIES; tries++) {
		uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE);
		uint16_t flags = (uint16_t)old, domid = (uint16_t)(old >> 16);
		if ((flags & GTF_type_mask) != GTF_permit_access || (flags & GTF_sub_page) ||
		    domid != user)
			return GNTST_general_error;
		if (!readonly && (flags & GTF_readonly))
			return GNTST_general_error;
		if (__atomic_compare_exchange_n(word, &old, old | want, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return GNTST_okay;
	}
	return GNTST_general_error; /* the entry kept changing under us */
}

static void clear_in_use(struct grant_entry_v1 *e, uint16_t bits)
{
	__atomic_fetch_and(&e->flags, (uint16_t)~bits, __ATOMIC_RELEASE);
}

int grant_pin(struct domain_locked rl, grant_ref_t ref, domid_t user, bool readonly, uint64_t *mfn)
{
	struct domain *rd = locked_domain(rl);
	struct grant_entry_v1 *e = grant_entry(rl, ref);
	struct grant_active *act;
	uint64_t gfn, frame;
	int rc;

	if (!e)
		return GNTST_bad_gntref;
	act = active_of(rd, ref);
	if (act->pins == UINT16_MAX)
		return GNTST_no_device_space;
	rc = mark_in_use(e, user, readonly);
	if (rc)
		return rc;
	/* The frame is read at the first pin only; later pins share it (the entry may move). */
	if (!act->pins) {
		gfn = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);
		/* Only the granter's own RAM may be granted: not its grant frames, not a foreign
		 * page. */
		if (!domain_is_ram(rd, gfn) || p2m_lookup(rd, gfn, &frame) != P2M_RAM_RW) {
			clear_in_use(e, GTF_reading | GTF_writing);
			return GNTST_general_error;
		}
		act->mfn = frame;
		rd->grant->pinned++;
	}
	act->pins++;
	if (!readonly)
		act->writable_pins++;
	*mfn = act->mfn;
	return GNTST_okay;
}

void grant_unpin(struct domain_locked rl, grant_ref_t ref, bool readonly)
{
	struct domain *rd = locked_domain(rl);
	struct grant_entry_v1 *e = grant_entry(rl, ref);
	struct grant_active *act;

	if (!e)
		return;
	act = active_of(rd, ref);
	if (!act->pins)
		return;
	act->pins--;
	if (!act->pins)
		rd->grant->pinned--;
	if (!readonly && act->writable_pins)
		act->writable_pins--;
	if (!act->writable_pins)
		clear_in_use(e, act->pins ? GTF_writing : GTF_reading | GTF_writing);
}

bool grant_frame_pinned(struct domain_locked l, uint64_t mfn)
{
	const struct grant_table *gt = locked_domain(l)->grant;
	unsigned seen = 0;

	/* Most domains pin a handful of entries (their xenstore and console rings) or none. */
	for (unsigned f = 0; f < gt->nr_frames && seen < gt->pinned; f++) {
		for (unsigned i = 0; i < GRANT_ENTRIES_V1_PER_FRAME; i++) {
			const struct grant_active *act = &gt->active[f][i];
			if (!act->pins)
				continue;
			if (act->mfn == mfn)
				return true;
			seen++;
		}
	}
	return false;
}

/* ---- debug key ------------------------------------------------------------- */

void grant_table_dump(struct domain *d)
{
	struct grant_table *gt = d->grant;
	unsigned pinned = 0;

	if (!gt)
		return;
	printk("  Grant table: version %u, %u of %u frames\n", gt->version, gt->nr_frames,
	       gt->max_frames);
	for (unsigned i = 0; i < gt->nr_frames; i++) {
		if (gt->frame_gfn[i] != INVALID_GFN)
			printk("    frame %u at gfn %#lx\n", i, gt->frame_gfn[i]);
	}
	for (grant_ref_t ref = 0; ref < gt->nr_frames * GRANT_ENTRIES_V1_PER_FRAME; ref++) {
		const struct grant_active *act = active_of(d, ref);
		if (!act->pins)
			continue;
		if (pinned++ < 16)
			printk("    ref %u in use: %u mapping(s), %u writable\n", ref, act->pins,
			       act->writable_pins);
	}
	if (pinned > 16)
		printk("    ... %u entries in use in all\n", pinned);
	grant_mappings_dump(d);
}

void grant_table_usage(struct domain_locked l, struct grant_usage *u)
{
	struct domain *d = locked_domain(l);
	const struct grant_table *gt = d->grant;

	*u = (struct grant_usage){0};
	if (!gt)
		return;
	u->frames = gt->nr_frames;
	u->maptrack_pages = gt->maptrack_pages;
	u->mappings = gt->mappings;
	u->revoked = grant_mappings_revoked(l);
	for (grant_ref_t ref = 0; ref < gt->nr_frames * GRANT_ENTRIES_V1_PER_FRAME; ref++)
		u->pinned += active_of(d, ref)->pins != 0;
}

/* ---- the small operations -------------------------------------------------- */

static long query_size(struct vcpu *v, uint64_t uop)
{
	struct gnttab_query_size op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	int rc = domain_target(v->domain, op.dom, &d);
	if (rc) {
		op.status = rc == -XEN_EPERM ? GNTST_permission_denied : GNTST_bad_domain;
	} else {
		op.nr_frames = d->grant->nr_frames;
		op.max_nr_frames = d->grant->max_frames;
		op.status = GNTST_okay;
	}
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* Only the status goes back to the guest, as on Xen (Xen public/grant_table.h). */
static long put_status(uint64_t uop, size_t offset, int16_t status)
{
	return copy_to_guest(uop + offset, &status, sizeof(status)) ? -XEN_EFAULT : 0;
}

static long setup_table(struct vcpu *v, uint64_t uop)
{
	struct gnttab_setup_table op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	int rc = domain_target(v->domain, op.dom, &d);
	if (rc) {
		op.status = rc == -XEN_EPERM ? GNTST_permission_denied : GNTST_bad_domain;
	} else if (op.nr_frames > d->grant->max_frames) {
		op.status = GNTST_general_error;
	} else {
		struct domain_locked l = domain_lock(d);
		rc = grow(l, op.nr_frames);
		domain_unlock(&l);
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
	return put_status(uop, offsetof(struct gnttab_setup_table, status), op.status);
}

/* Version 1 has no status frames: any asked for are more than the table has. */
static long get_status_frames(struct vcpu *v, uint64_t uop)
{
	struct gnttab_get_status_frames op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	int rc = domain_target(v->domain, op.dom, &d);
	if (rc)
		op.status = rc == -XEN_EPERM ? GNTST_permission_denied : GNTST_bad_domain;
	else
		op.status = op.nr_frames ? GNTST_general_error : GNTST_okay;
	return put_status(uop, offsetof(struct gnttab_get_status_frames, status), op.status);
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
	long rc = domain_target(v->domain, op.dom, &d);
	if (rc)
		return rc;
	op.version = d->grant->version;
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* ---- swap_grant_ref ---------------------------------------------------------- */

/* Exchange two entries of d's own table (Xen public/grant_table.h, GNTTABOP_swap_grant_ref). */
static int16_t swap_entries(struct domain *d, grant_ref_t a, grant_ref_t b)
{
	int16_t rc = GNTST_okay;

	struct domain_locked l = domain_lock(d);
	uint64_t *ea = (uint64_t *)(void *)grant_entry(l, a);
	uint64_t *eb = (uint64_t *)(void *)grant_entry(l, b);
	if (!ea || !eb) {
		rc = GNTST_bad_gntref;
	} else if (a != b) {
		/* An entry in use (mapped, or being copied) stays where its users expect it. */
		if (active_of(d, a)->pins || active_of(d, b)->pins) {
			rc = GNTST_eagain;
		} else {
			uint64_t old_a = __atomic_load_n(ea, __ATOMIC_RELAXED);
			__atomic_store_n(ea, __atomic_load_n(eb, __ATOMIC_RELAXED),
					 __ATOMIC_RELAXED);
			__atomic_store_n(eb, old_a, __ATOMIC_RELEASE);
		}
	}
	domain_unlock(&l);
	return rc;
}

static long swap_grant_ref_batch(struct vcpu *v, uint64_t uop, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++) {
		if (i && hypercall_preempt_check())
			return grant_batch_continue(GNTTABOP_swap_grant_ref, uop,
						    sizeof(struct gnttab_swap_grant_ref), count, i);
		uint64_t at = uop + (uint64_t)i * sizeof(struct gnttab_swap_grant_ref);
		struct gnttab_swap_grant_ref op;
		if (copy_from_guest(&op, at, sizeof(op)))
			return -XEN_EFAULT;
		long rc = put_status(at, offsetof(struct gnttab_swap_grant_ref, status),
				     swap_entries(v->domain, op.ref_a, op.ref_b));
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- cache_flush ------------------------------------------------------------- */

/* The machine frame is memory d owns (its RAM), whichever GFN maps it. */
static bool domain_owns_frame(struct domain *d, uint64_t mfn)
{
	if (d->direct_mapped)
		return domain_is_ram(d, mfn);
	return domain_extent_find(d, mfn << 12) >= 0;
}

/*
 * Any domain owns the frame? A domain found here stays allocated for the rest of the
 * hypercall: destruction waits until every CPU has left the hypervisor once.
 */
static bool frame_has_owner(uint64_t mfn)
{
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		struct domain *d = __atomic_load_n(&domains[i], __ATOMIC_ACQUIRE);
		if (d && domain_owns_frame(d, mfn))
			return true;
	}
	return false;
}

#define CACHE_OPS (GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL)

static bool cache_range_valid(const struct gnttab_cache_flush *f)
{
	return f->offset < XEN_PAGE_SIZE && f->length <= XEN_PAGE_SIZE &&
	       f->offset + f->length <= XEN_PAGE_SIZE && !(f->op & ~CACHE_OPS);
}

static void cache_maintain(uint64_t va, uint32_t length, uint32_t op, bool may_discard)
{
	if (op == GNTTAB_CACHE_CLEAN)
		arch_dcache_clean_range(va, length);
	else if (op == GNTTAB_CACHE_INVAL && may_discard)
		arch_dcache_invalidate_keep_edges(va, length);
	else
		arch_dcache_clean_inval_range(va, length);
}

/*
 * One GNTTABOP_cache_flush: on a frame the caller owns, or one it maps through a grant
 * (Xen public/grant_table.h; xen/common/grant_table.c, _cache_flush, gives the checks and
 * their errors). from_ref is the continuation Xen keeps in the command's upper bits: the
 * first grant ref its search may look at.
 */
static long cache_flush_one(struct domain *d, const struct gnttab_cache_flush *f, uint32_t from_ref)
{
	uint64_t mfn = f->a.dev_bus_addr >> 12;
	bool writable = true;

	if (!cache_range_valid(f))
		return -XEN_EINVAL;
	if (!f->length || !f->op)
		return from_ref ? -XEN_EILSEQ : 0;
	if (!memory_is_ram(mfn << 12, XEN_PAGE_SIZE))
		return -XEN_EINVAL;
	if (!domain_owns_frame(d, mfn)) {
		if (!frame_has_owner(mfn))
			return -XEN_EPERM;
		struct domain_locked l = domain_lock(d);
		bool mapped = grant_mapping_of_frame(l, mfn, from_ref, &writable);
		domain_unlock(&l);
		if (!mapped)
			return -XEN_EINVAL;
	}
	/*
	 * Invalidating discards what the cache holds: only where the caller may write. Through
	 * a read-only grant the lines are cleaned first, so nothing of the granter's is lost.
	 */
	cache_maintain((mfn << 12) + f->offset, f->length, f->op, writable);
	return 0;
}

static long cache_flush_batch(struct vcpu *v, uint64_t uop, uint32_t count, uint32_t from_ref)
{
	for (uint32_t i = 0; i < count; i++) {
		struct gnttab_cache_flush op;
		if (i && hypercall_preempt_check())
			return grant_batch_continue(GNTTABOP_cache_flush, uop, sizeof(op), count,
						    i);
		if (copy_from_guest(&op, uop + (uint64_t)i * sizeof(op), sizeof(op)))
			return -XEN_EFAULT;
		long rc = cache_flush_one(v->domain, &op, from_ref);
		if (rc)
			return rc;
		from_ref = 0; /* a continuation only ever resumes the first operation */
	}
	return 0;
}

/* ---- the hypercall ------------------------------------------------------------ */

/* The rest of a batch preempted after `done` elements (punt/grant_table.h). */
long grant_batch_continue(uint32_t cmd, uint64_t uop, size_t size, uint64_t count, uint64_t done)
{
	return hypercall_continue(
	    3, (const uint64_t[]){cmd, uop + done * size, (uint32_t)(count - done)});
}

/*
 * Bits 12 and up of the command carry a continuation, which only cache_flush accepts from
 * a guest (Xen's GNTTABOP_CONTINUATION_ARG_SHIFT).
 */
#define GNTTABOP_CMD_MASK 0xfffu

/*
 * Xen takes the command and the count as unsigned int (xen/include/hypercall-defs.c): the
 * upper halves of the registers are not looked at, and a count that is negative as an int
 * is refused.
 */
long do_grant_table_op(struct vcpu *v, uint64_t cmd_reg, uint64_t uop, uint64_t count_reg,
		       uint64_t a3, uint64_t a4)
{
	uint32_t cmd = (uint32_t)cmd_reg & GNTTABOP_CMD_MASK;
	uint32_t continuation = (uint32_t)cmd_reg & ~GNTTABOP_CMD_MASK;
	uint32_t count = (uint32_t)count_reg;

	(void)a3;
	(void)a4;
	if ((int32_t)count < 0)
		return -XEN_EINVAL;
	if (continuation && cmd != GNTTABOP_cache_flush)
		return -XEN_EINVAL;
	/* Batches have no limit of their own: they are preempted instead, as on Xen. */
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		return grant_map_batch(v, uop, count);
	case GNTTABOP_unmap_grant_ref:
		return grant_unmap_batch(v, uop, count);
	case GNTTABOP_unmap_and_replace:
		return grant_unmap_and_replace_batch(v, uop, count);
#ifdef CONFIG_GRANT_COPY
	case GNTTABOP_copy:
		return grant_copy_batch(v, uop, count);
#endif
	case GNTTABOP_query_size:
		return count == 1 ? query_size(v, uop) : -XEN_EINVAL;
	case GNTTABOP_setup_table:
		return count == 1 ? setup_table(v, uop) : -XEN_EINVAL;
	case GNTTABOP_get_status_frames:
		return count == 1 ? get_status_frames(v, uop) : -XEN_EINVAL;
	case GNTTABOP_set_version:
		return set_version(v, uop);
	case GNTTABOP_get_version:
		return get_version(v, uop);
	case GNTTABOP_swap_grant_ref:
		return swap_grant_ref_batch(v, uop, count);
	case GNTTABOP_cache_flush:
		return cache_flush_batch(v, uop, count, continuation);
	case GNTTABOP_transfer:
		/* Page transfer is for PV guests; Xen on Arm is built without it. */
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_ENOSYS;
	}
}
