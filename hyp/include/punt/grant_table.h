// SPDX-License-Identifier: Apache-2.0
/*
 * Grant tables, version 1 (Xen public/grant_table.h).
 *
 * Each domain has a table of grant entries that it writes itself (Punt owns
 * the frames and maps them where the domain asks, add_to_physmap). Another
 * domain may map a granted page into its own stage-2 (map/unmap), or have
 * Punt copy to or from it (copy). While a grant is in use Punt keeps
 * GTF_reading/GTF_writing set in the granter's entry, so the granter can see
 * it may not revoke the grant yet.
 *
 * Bookkeeping on both sides:
 * - the granter's "active" counts say how many mappings pin each entry;
 * - the mapper's "maptrack" remembers each mapping (the handle the guest
 *   holds): which domain and entry, and where in its stage-2 it lives.
 * A domain that goes away releases its mappings of others' pages, and every
 * mapping of its own pages held by other domains is torn down (revoked), so
 * its memory can be reused at once: nothing dangles.
 *
 * Locking: a domain's grant state is protected by its d->lock; map/unmap
 * take both domains' locks (domain_lock_pair). The functions below that
 * need a lock held take its proof, a struct domain_locked (punt/domain.h).
 */
#ifndef PUNT_GRANT_TABLE_H
#define PUNT_GRANT_TABLE_H

#include <public/grant_table.h>
#include <punt/domain.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;
struct vcpu;

#define GNTTAB_MAX_FRAMES  64 /* Xen's default gnttab_max_frames */
#define MAPTRACK_MAX_PAGES 64 /* handles a domain may hold: pages of maptrack entries */

/*
 * Pins of one grant entry by mappings (the granter's side). The frame is read from the entry
 * at the first pin and kept while any is left, as Xen latches it (Xen common/grant_table.c,
 * struct active_grant_entry): rewriting the entry cannot move a pinned grant.
 */
struct grant_active {
	uint16_t pins;		/* mappings of any kind */
	uint16_t writable_pins; /* of which writable */
	uint32_t pad;
	uint64_t mfn; /* the granted machine frame while pins != 0 */
};

/* The active entries of one grant frame: an order-1 block. */
#define GRANT_ACTIVE_ORDER 1

/* One mapping a domain holds (the mapper's side); free entries chain by `ref`. */
struct grant_mapping {
	uint32_t ref;
	domid_t dom; /* the granter */
	uint16_t flags;
	uint64_t gfn; /* where it is mapped in the mapper */
	uint64_t mfn; /* the granted frame */
};

#define MAPPING_IN_USE	 (1u << 0)
#define MAPPING_READONLY (1u << 1)
#define MAPPING_REVOKED	 (1u << 3) /* granter went away; the handle waits for unmap */

#define MAPPINGS_PER_PAGE (4096 / sizeof(struct grant_mapping))

struct grant_table {
	unsigned nr_frames;
	unsigned max_frames; /* GNTTAB_MAX_FRAMES unless the configuration says fewer */
	unsigned version;
	uint64_t frame_pa[GNTTAB_MAX_FRAMES];
	uint64_t frame_gfn[GNTTAB_MAX_FRAMES]; /* ~0 when not mapped */
	struct grant_active *active[GNTTAB_MAX_FRAMES];
	unsigned pinned; /* active entries with pins != 0 */

	struct grant_mapping *maptrack[MAPTRACK_MAX_PAGES];
	unsigned maptrack_pages;
	uint32_t maptrack_free; /* first free handle, or MAPTRACK_NONE */
	unsigned mappings;	/* handles in use */
};

#define MAPTRACK_NONE 0xffffffffu

int grant_table_init(struct domain *d);
/* Releases d's mappings of others and revokes others' mappings of d. */
void grant_table_destroy(struct domain *d);
/* Fewer frames than GNTTAB_MAX_FRAMES (max_grant_frames); before the domain runs. */
void grant_table_set_max_frames(struct domain *d, unsigned max);
/* XENMAPSPACE_grant_table: map frame idx at gfn, growing the table. */
int grant_table_map_frame(struct domain *d, uint64_t idx, uint64_t gfn);
/* For the debug keys: frames, version, pinned entries and mappings held. */
void grant_table_dump(struct domain *d);
/* What a domain's grant table holds, for the usage debug key. */
struct grant_usage {
	unsigned frames; /* grant frames (each with a page of active entries) */
	unsigned maptrack_pages;
	unsigned mappings; /* handles in use: its mappings of others' grants */
	unsigned revoked;  /* of which the granter has gone */
	unsigned pinned;   /* its own entries that other domains' mappings pin */
};
void grant_table_usage(struct domain_locked l, struct grant_usage *u);
/* A gfn of l's domain was unmapped: forget it if it held a grant frame. */
void grant_table_forget_gfn(struct domain_locked l, uint64_t gfn);
/*
 * The machine frame of shared frame idx, grown to it if needed (XENMEM_acquire_resource):
 * 0, -XEN_EINVAL beyond max_frames, -XEN_ENOMEM.
 */
int grant_table_frame(struct domain_locked l, unsigned idx, uint64_t *mfn);

/* ---- shared by the grant_*.c files only ---------------------------------- */

/* The entry for ref in l's domain, or NULL if ref is past the table's end. */
struct grant_entry_v1 *grant_entry(struct domain_locked l, grant_ref_t ref);
/*
 * Mark entry ref of the granter rl locks in use by domain `user` (GTF_reading,
 * and GTF_writing unless readonly) if the entry grants it that access right
 * now. On success *mfn is the machine frame of the granted page. Returns a
 * GNTST status. Counted in the granter's active table.
 */
int grant_pin(struct domain_locked rl, grant_ref_t ref, domid_t user, bool readonly, uint64_t *mfn);
void grant_unpin(struct domain_locked rl, grant_ref_t ref, bool readonly);
/* Some entry of l's domain is pinned with machine frame mfn (its page must stay). */
bool grant_frame_pinned(struct domain_locked l, uint64_t mfn);

/*
 * The batch operations: 0 when all `count` elements at uop are done, or a
 * negative errno on a fault. Between elements they may stop for preemption
 * and return grant_batch_continue(): the guest issues grant_table_op again
 * for the elements left, as Xen 4.17 does (continuation "ihi": cmd, the
 * handle moved past the `done` elements, the count left).
 */
long grant_batch_continue(uint32_t cmd, uint64_t uop, size_t size, uint64_t count, uint64_t done);
long grant_map_batch(struct vcpu *v, uint64_t uop, uint64_t count);
long grant_unmap_batch(struct vcpu *v, uint64_t uop, uint64_t count);
long grant_unmap_and_replace_batch(struct vcpu *v, uint64_t uop, uint64_t count);
long grant_copy_batch(struct vcpu *v, uint64_t uop, uint64_t count);
/*
 * l's domain maps machine frame mfn through a grant of entry from_ref or above
 * (GNTTABOP_cache_flush); *writable says whether one such mapping is writable.
 */
bool grant_mapping_of_frame(struct domain_locked l, uint64_t mfn, grant_ref_t from_ref,
			    bool *writable);
/*
 * Teardown of a dying, unpublished d: give back every pin its mappings hold and
 * revoke every mapping of its pages in every domain not yet freed, dying ones
 * included. Frees nothing (grant_table_destroy() does, after the grace period).
 */
void grant_mappings_release(struct domain *d);
void grant_mappings_dump(struct domain *d);
/* How many of l's mappings lost their granter (MAPPING_REVOKED), waiting for the unmap. */
unsigned grant_mappings_revoked(struct domain_locked l);

#endif
