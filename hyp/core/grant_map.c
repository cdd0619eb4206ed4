// SPDX-License-Identifier: Apache-2.0
/*
 * Grant mapping: GNTTABOP_map_grant_ref / unmap_grant_ref. On Arm the
 * mapper names a guest-physical address (host_addr) where the granted page
 * appears in its stage-2; the page stays the granter's. Status codes follow
 * Xen 4.17's order of checks so guests see the same answers.
 */
#include <public/errno.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/grant_table.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/arch/p2m.h>
#include <punt/page_alloc.h>
#include <punt/policy.h>
#include <stddef.h>

static struct grant_mapping *mapping_of(struct grant_table *gt, uint32_t handle)
{
	if (handle >= gt->maptrack_pages * MAPPINGS_PER_PAGE)
		return NULL;
	return &gt->maptrack[handle / MAPPINGS_PER_PAGE][handle % MAPPINGS_PER_PAGE];
}

/* A free handle of the mapper l locks, or MAPTRACK_NONE. */
static uint32_t get_handle(struct domain_locked l)
{
	struct grant_table *gt = locked_domain(l)->grant;
	uint32_t handle = gt->maptrack_free;

	if (handle == MAPTRACK_NONE) {
		if (gt->maptrack_pages == MAPTRACK_MAX_PAGES)
			return MAPTRACK_NONE;
		struct grant_mapping *page = (struct grant_mapping *)page_alloc_zeroed(0);
		if (!page)
			return MAPTRACK_NONE;
		uint32_t base = (uint32_t)(gt->maptrack_pages * MAPPINGS_PER_PAGE);
		/* Chain the new entries in order, ahead of nothing (the list was empty). */
		for (uint32_t i = 0; i < MAPPINGS_PER_PAGE; i++)
			page[i].ref = i + 1 < MAPPINGS_PER_PAGE ? base + i + 1 : MAPTRACK_NONE;
		gt->maptrack[gt->maptrack_pages++] = page;
		handle = base;
	}
	gt->maptrack_free = mapping_of(gt, handle)->ref;
	gt->mappings++;
	return handle;
}

static void put_handle(struct domain_locked l, uint32_t handle)
{
	struct grant_table *gt = locked_domain(l)->grant;
	struct grant_mapping *m = mapping_of(gt, handle);

	*m = (struct grant_mapping){.ref = gt->maptrack_free};
	gt->maptrack_free = handle;
	gt->mappings--;
}

static bool is_grant_type(enum p2m_type t)
{
	return t == P2M_GRANT_RW || t == P2M_GRANT_RO;
}

/* The mapper both.a maps a grant of both.b; returns a GNTST status. */
static int map_locked(struct domain_pair_locked both, struct gnttab_map_grant_ref *op)
{
	struct domain *ld = locked_domain(both.a), *rd = locked_domain(both.b);
	struct grant_table *lgt = ld->grant;
	bool readonly = op->flags & GNTMAP_readonly;
	uint64_t gfn = op->host_addr >> 12, mfn;
	uint32_t handle = get_handle(both.a);
	int rc;

	if (handle == MAPTRACK_NONE)
		return GNTST_no_device_space;
	rc = grant_pin(both.b, op->ref, ld->id, readonly, &mfn);
	if (rc)
		goto fail;
	/* The address must be a hole in the mapper's space: never replace its own memory. */
	if (gfn >> (p2m_ipa_bits() - 12) || p2m_lookup(ld, gfn, NULL) != P2M_INVALID ||
	    p2m_map(ld, gfn, mfn, 1, readonly ? P2M_GRANT_RO : P2M_GRANT_RW)) {
		grant_unpin(both.b, op->ref, readonly);
		rc = GNTST_general_error;
		goto fail;
	}
	*mapping_of(lgt, handle) = (struct grant_mapping){
	    .ref = op->ref,
	    .dom = rd->id,
	    .flags = (uint16_t)(MAPPING_IN_USE | (readonly ? MAPPING_READONLY : 0)),
	    .gfn = gfn,
	    .mfn = mfn,
	};
	op->handle = handle;
	op->dev_bus_addr = mfn << 12;
	return GNTST_okay;
fail:
	put_handle(both.a, handle);
	return rc;
}

static int map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
	struct domain *rd;
	int rc;

	if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map)))
		return GNTST_bad_gntref;
	/*
	 * A translated (Arm) domain has no PV page tables and no device mappings apart from its
	 * stage-2: only host mappings exist (Xen 4.17's map_grant_ref refuses the others).
	 */
	if (op->flags & (GNTMAP_device_map | GNTMAP_contains_pte | GNTMAP_application_map))
		return GNTST_general_error;
	rd = domain_lookup(op->dom);
	if (!rd || rd->dying)
		return GNTST_bad_domain;
	if (!policy_may_communicate(ld, rd))
		return GNTST_permission_denied;
	struct domain_pair_locked both = domain_lock_pair(ld, rd);
	/*
	 * Checked again under the granter's lock: once it is dying its teardown may
	 * already have revoked every mapping of its pages, and would miss this one.
	 */
	rc = rd->dying ? GNTST_bad_domain : map_locked(both, op);
	domain_unlock_pair(&both);
	return rc;
}

long grant_map_batch(struct vcpu *v, uint64_t uop, uint64_t count)
{
	for (uint64_t i = 0; i < count;) {
		uint64_t at = uop + i * sizeof(struct gnttab_map_grant_ref);
		struct gnttab_map_grant_ref op;
		if (copy_from_guest(&op, at, sizeof(op)))
			return -XEN_EFAULT;
		op.status = (int16_t)map_one(v->domain, &op);
		if (copy_to_guest(at, &op, sizeof(op)))
			return -XEN_EFAULT; /* the mapping stays; its handle is in maptrack */
		/* Between elements only: a call always does its first. */
		if (++i < count && hypercall_preempt_check())
			return grant_batch_continue(GNTTABOP_map_grant_ref, uop, sizeof(op), count,
						    i);
	}
	return 0;
}

/*
 * Undo mapping m of the mapper ll locks; rl locks its granter, or is NULL when
 * the granter is no live domain any more (its teardown took the pin back).
 */
static int unmap_locked(struct domain_locked ll, const struct domain_locked *rl,
			struct grant_mapping *m, const struct gnttab_unmap_grant_ref *op)
{
	struct domain *ld = locked_domain(ll);
	uint64_t mfn;
	bool readonly = m->flags & MAPPING_READONLY;

	if (!(m->flags & MAPPING_REVOKED)) {
		if (op->host_addr >> 12 != m->gfn)
			return GNTST_general_error;
		/* The guest may have put something else there since: leave that alone. */
		if (is_grant_type(p2m_lookup(ld, m->gfn, &mfn)) && mfn == m->mfn)
			p2m_unmap(ld, m->gfn, 1);
		if (rl)
			grant_unpin(*rl, m->ref, readonly);
	}
	return GNTST_okay;
}

/*
 * Lock ld, and the granter of `handle` too when it is another live domain; .b
 * is .a (ld) otherwise. *granter_live: the granter is a live domain (ld itself
 * for a grant of its own), whose lock .b then proves.
 */
static struct domain_pair_locked lock_for_unmap(struct domain *ld, grant_handle_t handle,
						bool *granter_live)
{
	for (;;) {
		struct domain_locked l = domain_lock(ld);
		struct grant_mapping *m = mapping_of(ld->grant, handle);
		struct domain *rd = m && (m->flags & MAPPING_IN_USE) ? domain_lookup(m->dom) : NULL;
		*granter_live = rd != NULL;
		if (!rd || rd == ld)
			return (struct domain_pair_locked){.a = l, .b = l};
		domid_t dom = m->dom;
		domain_unlock(&l);
		struct domain_pair_locked both = domain_lock_pair(ld, rd);
		/*
		 * While no lock was held another vCPU of ld may have unmapped the handle and
		 * reused it for a mapping of some other domain: then start again.
		 */
		if ((m->flags & MAPPING_IN_USE) && m->dom == dom)
			return both;
		domain_unlock_pair(&both);
	}
}

static int unmap_one(struct domain *ld, const struct gnttab_unmap_grant_ref *op)
{
	bool granter_live;
	struct domain_pair_locked both = lock_for_unmap(ld, op->handle, &granter_live);
	struct grant_mapping *m = mapping_of(ld->grant, op->handle);
	int rc = GNTST_bad_handle;

	if (m && (m->flags & MAPPING_IN_USE)) {
		rc = unmap_locked(both.a, granter_live ? &both.b : NULL, m, op);
		if (rc == GNTST_okay)
			put_handle(both.a, op->handle);
	}
	domain_unlock_pair(&both);
	return rc;
}

long grant_unmap_batch(struct vcpu *v, uint64_t uop, uint64_t count)
{
	for (uint64_t i = 0; i < count;) {
		uint64_t at = uop + i * sizeof(struct gnttab_unmap_grant_ref);
		struct gnttab_unmap_grant_ref op;
		if (copy_from_guest(&op, at, sizeof(op)))
			return -XEN_EFAULT;
		op.status = (int16_t)unmap_one(v->domain, &op);
		if (copy_to_guest(at, &op, sizeof(op)))
			return -XEN_EFAULT;
		/* Between elements only: a call always does its first. */
		if (++i < count && hypercall_preempt_check())
			return grant_batch_continue(GNTTABOP_unmap_grant_ref, uop, sizeof(op),
						    count, i);
	}
	return 0;
}

/* A handle of d's that holds a mapping (revoked or not). */
static bool handle_in_use(struct domain *d, grant_handle_t handle)
{
	struct domain_locked l = domain_lock(d);
	struct grant_mapping *m = mapping_of(d->grant, handle);
	bool in_use = m && (m->flags & MAPPING_IN_USE);
	domain_unlock(&l);
	return in_use;
}

/*
 * GNTTABOP_unmap_and_replace: on Arm nothing can take a grant mapping's place, so a
 * non-zero new_addr fails the unmap (GNTST_general_error, after the handle's own check, as
 * Xen's replace_grant_host_mapping does); with new_addr 0 it is an unmap.
 */
static int unmap_and_replace_one(struct domain *ld, const struct gnttab_unmap_and_replace *op)
{
	struct gnttab_unmap_grant_ref unmap = {.host_addr = op->host_addr, .handle = op->handle};

	if (!handle_in_use(ld, op->handle))
		return GNTST_bad_handle;
	if (op->host_addr && op->new_addr)
		return GNTST_general_error;
	return unmap_one(ld, &unmap);
}

long grant_unmap_and_replace_batch(struct vcpu *v, uint64_t uop, uint64_t count)
{
	for (uint64_t i = 0; i < count; i++) {
		uint64_t at = uop + i * sizeof(struct gnttab_unmap_and_replace);
		struct gnttab_unmap_and_replace op;
		if (i && hypercall_preempt_check())
			return grant_batch_continue(GNTTABOP_unmap_and_replace, uop, sizeof(op),
						    count, i);
		if (copy_from_guest(&op, at, sizeof(op)))
			return -XEN_EFAULT;
		int16_t status = (int16_t)unmap_and_replace_one(v->domain, &op);
		if (copy_to_guest(at + offsetof(struct gnttab_unmap_and_replace, status), &status,
				  sizeof(status)))
			return -XEN_EFAULT;
	}
	return 0;
}

bool grant_mapping_of_frame(struct domain_locked l, uint64_t mfn, grant_ref_t from_ref,
			    bool *writable)
{
	struct grant_table *gt = locked_domain(l)->grant;
	bool found = false;

	*writable = false;
	for (uint32_t h = 0; h < gt->maptrack_pages * MAPPINGS_PER_PAGE; h++) {
		const struct grant_mapping *m = mapping_of(gt, h);
		if (!(m->flags & MAPPING_IN_USE) || (m->flags & MAPPING_REVOKED) || m->mfn != mfn ||
		    m->ref < from_ref)
			continue;
		found = true;
		if (!(m->flags & MAPPING_READONLY))
			*writable = true;
	}
	return found;
}

/* ---- teardown ---------------------------------------------------------------- */

/* Tear down every mapping m holds of d's pages; the handles wait for m's unmap. */
static void revoke_mappings_of(struct domain *m, struct domain *d)
{
	struct grant_table *gt = m->grant;
	uint64_t mfn;

	struct domain_locked l = domain_lock(m);
	for (uint32_t h = 0; h < gt->maptrack_pages * MAPPINGS_PER_PAGE; h++) {
		struct grant_mapping *map = mapping_of(gt, h);
		if (!(map->flags & MAPPING_IN_USE) || (map->flags & MAPPING_REVOKED) ||
		    map->dom != d->id)
			continue;
		if (is_grant_type(p2m_lookup(m, map->gfn, &mfn)) && mfn == map->mfn)
			p2m_unmap(m, map->gfn, 1);
		map->flags |= MAPPING_REVOKED;
	}
	domain_unlock(&l);
}

/*
 * Give back the pins d's own mappings hold in other domains. A granter found
 * by domid here is the one d mapped: a granter that went away first revoked
 * d's mapping (marked it) before its domid could be used again.
 */
static void unpin_everything_held_by(struct domain *d)
{
	struct grant_table *gt = d->grant;

	/* No lock on d: its vCPUs are retired, and other teardown scans wait for ours. */
	for (uint32_t h = 0; h < gt->maptrack_pages * MAPPINGS_PER_PAGE; h++) {
		struct grant_mapping *map = mapping_of(gt, h);
		if (!(map->flags & MAPPING_IN_USE) || (map->flags & MAPPING_REVOKED))
			continue;
		struct domain *rd = domain_lookup_existing(map->dom);
		if (rd && rd != d) {
			struct domain_locked rl = domain_lock(rd);
			grant_unpin(rl, map->ref, map->flags & MAPPING_READONLY);
			domain_unlock(&rl);
		}
		map->flags = 0;
	}
	gt->mappings = 0;
}

/*
 * Called from d's teardown once it is unpublished and dying (no new mapping of
 * its pages can be made): others' mappings of its pages are torn down now, in
 * every domain not yet freed, dying ones included (Xen instead keeps a dying
 * domain's memory until they unmap).
 */
void grant_mappings_release(struct domain *d)
{
	unpin_everything_held_by(d);
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		struct domain *m = domain_lookup_existing((domid_t)i);
		if (m && m != d)
			revoke_mappings_of(m, d);
	}
}

unsigned grant_mappings_revoked(struct domain_locked l)
{
	struct grant_table *gt = locked_domain(l)->grant;
	unsigned n = 0;

	for (uint32_t h = 0; h < gt->maptrack_pages * MAPPINGS_PER_PAGE; h++) {
		const struct grant_mapping *m = mapping_of(gt, h);
		n += (m->flags & (MAPPING_IN_USE | MAPPING_REVOKED)) ==
		     (MAPPING_IN_USE | MAPPING_REVOKED);
	}
	return n;
}

void grant_mappings_dump(struct domain *d)
{
	struct grant_table *gt = d->grant;
	unsigned shown = 0;

	if (!gt->mappings)
		return;
	printk("  Maps %u grant(s) of other domains:\n", gt->mappings);
	for (uint32_t h = 0; h < gt->maptrack_pages * MAPPINGS_PER_PAGE && shown < 16; h++) {
		const struct grant_mapping *m = mapping_of(gt, h);
		if (!(m->flags & MAPPING_IN_USE))
			continue;
		shown++;
		printk("    handle %u: d%u ref %u at gfn %#lx%s%s\n", h, m->dom, m->ref, m->gfn,
		       m->flags & MAPPING_READONLY ? " read-only" : "",
		       m->flags & MAPPING_REVOKED ? " (revoked: granter gone)" : "");
	}
}
