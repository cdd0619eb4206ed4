// SPDX-License-Identifier: Apache-2.0
/*
 * What the two hostile domains share, with each other and with the canary, while either
 * may reboot at any moment: each grants pages of its pool to the other (refs 1-4 writable,
 * 5-8 read-only), one to the canary (9), one to itself (10); the vCPUs map, touch, unmap
 * and copy the peer's and the canary's grants with mostly valid arguments, rewrite their
 * own entries while the peer uses them, and bind, send on and close channels to the peer's
 * and the canary's ports. The hypervisor must revoke what a dying domain granted or mapped
 * without leaving either side a page it no longer owns.
 */
#include "fuzz.h"

#define POOL_PAGES   16
#define COPY_TARGET  11 /* pool pages 11.. receive grant copies */
#define OUR_REFS     16
#define CANARY_REFS  6
#define PEER_RW_REFS 4

/* In our image, below the victim pages: nothing else of ours uses them. */
static uint8_t pool[POOL_PAGES][PAGE_SIZE] PAGE_ALIGNED;

static uint64_t pool_gfn(unsigned i)
{
	return (uint64_t)pool[i % POOL_PAGES] >> 12;
}

void fz_share_init(void)
{
	volatile struct grant_entry_v1 *g = rt_gnttab();

	for (unsigned i = 0; i < POOL_PAGES; i++)
		memset(pool[i], (int)(fz.self * 16 + i), PAGE_SIZE);
	for (unsigned ref = 1; ref <= 2 * PEER_RW_REFS; ref++)
		rt_grant(ref, fz.peer, pool[ref - 1],
			 GTF_permit_access | (ref > PEER_RW_REFS ? GTF_readonly : 0));
	rt_grant(9, fz.canary, pool[8], GTF_permit_access);
	rt_grant(10, fz.self, pool[9], GTF_permit_access);
	for (unsigned ref = 11; ref < OUR_REFS; ref++)
		g[ref].flags = 0;
}

/* ---- mapping the others' grants ---- */
static domid_t granter(void)
{
	unsigned r = (unsigned)fz_below(20);

	if (r < 13)
		return fz.peer;
	if (r < 18)
		return fz.canary;
	return r == 18 ? fz.self : fz_domid();
}

static uint32_t ref_of(domid_t dom)
{
	if (fz_chance(1, 16))
		return fz_ref();
	return (uint32_t)fz_below(dom == fz.canary ? CANARY_REFS : OUR_REFS);
}

/* The arguments of an unmap, drawn whether or not it is made (the stream stays the same). */
struct unmap_draw {
	bool wrong; /* a stale or foreign handle */
	uint32_t handle;
};

static struct unmap_draw draw_unmap(void)
{
	struct unmap_draw u = {.wrong = fz_chance(1, 16)};

	u.handle = (uint32_t)fz_below(64);
	return u;
}

static void unmap_slot(struct fz_cpu *c, unsigned slot, struct unmap_draw d)
{
	struct fz_map *m = &c->maps[slot];
	struct gnttab_unmap_grant_ref u = {.host_addr = c->foreign + slot * PAGE_SIZE,
					   .handle = m->used && !d.wrong ? m->handle : d.handle};
	struct fz_op *op = fz_log_begin('G', GNTTABOP_unmap_grant_ref);

	op->a[0] = u.host_addr;
	op->a[1] = u.handle;
	long rc = hyp_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
	op->a[2] = (uint64_t)(int64_t)u.status;
	fz_log_end(op, rc);
	if (!d.wrong)
		m->used = false;
}

static void map_slot(struct fz_cpu *c, unsigned slot)
{
	struct fz_map *m = &c->maps[slot];
	domid_t dom = granter();
	struct gnttab_map_grant_ref g = {
	    .host_addr = c->foreign + slot * PAGE_SIZE,
	    .flags = GNTMAP_host_map | (fz_chance(1, 3) ? GNTMAP_readonly : 0),
	    .ref = ref_of(dom),
	    .dom = dom,
	};
	bool unmap_first = fz_chance(3, 4);
	struct unmap_draw d = draw_unmap();

	if (m->used && unmap_first)
		unmap_slot(c, slot, d);
	struct fz_op *op = fz_log_begin('G', GNTTABOP_map_grant_ref);
	op->a[0] = g.host_addr;
	op->a[1] = g.flags;
	op->a[2] = g.ref;
	op->a[3] = g.dom;
	long rc = hyp_grant_table_op(GNTTABOP_map_grant_ref, &g, 1);
	op->a[4] = (uint64_t)(int64_t)g.status;
	fz_log_end(op, rc);
	if (rc == 0 && g.status == GNTST_okay) {
		m->used = true;
		m->handle = g.handle;
	}
}

/* Read or write a mapped page (or a revoked one, or a slot never mapped): may fault. */
static void touch_slot(struct fz_cpu *c, unsigned slot)
{
	uint64_t a = c->foreign + slot * PAGE_SIZE + fz_below(PAGE_SIZE / 8) * 8;
	bool store = fz_chance(1, 2);
	struct fz_op *op = fz_log_begin(store ? 'W' : 'L', 0);

	op->a[0] = a;
	fz_log_end(op, (long)(store ? fz_str64(a, fz_rand()) : fz_ldr64(a)));
}

/* ---- copies: a grant of the peer or the canary to or from a pool page of ours ---- */
static void copy(void)
{
	struct gnttab_copy g = {0};
	domid_t dom = granter();
	bool to_them = fz_chance(1, 2);
	uint16_t off = (uint16_t)(fz_chance(3, 4) ? fz_below(8) * 512 : fz_below(4096));
	uint16_t len = (uint16_t)(1 + fz_below(4096 - off));
	struct gnttab_copy_ptr *theirs = to_them ? &g.dest : &g.source;
	struct gnttab_copy_ptr *ours = to_them ? &g.source : &g.dest;

	theirs->u.ref = ref_of(dom);
	theirs->domid = dom;
	theirs->offset = off;
	ours->u.gmfn = pool_gfn(COPY_TARGET + (unsigned)fz_below(POOL_PAGES - COPY_TARGET));
	ours->domid = DOMID_SELF;
	ours->offset = (uint16_t)(fz_chance(3, 4) ? off : fz_below(4096));
	g.len = len;
	g.flags = to_them ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
	if (fz_chance(1, 8)) { /* both sides grants: the peer's into the canary's, say */
		ours->u.ref = ref_of(fz.canary);
		ours->domid = fz.canary;
		g.flags = GNTCOPY_source_gref | GNTCOPY_dest_gref;
	}
	struct fz_op *op = fz_log_begin('G', GNTTABOP_copy);
	op->a[0] = theirs->domid;
	op->a[1] = theirs->u.ref;
	op->a[2] = (uint64_t)off << 16 | len;
	op->a[3] = g.flags;
	long rc = hyp_grant_table_op(GNTTABOP_copy, &g, 1);
	op->a[4] = (uint64_t)(int64_t)g.status;
	fz_log_end(op, rc);
}

/*
 * Rewrite one of our own entries while the peer may be using it. Through the probes: our
 * own random hypercalls may have moved or removed the grant-table frame.
 */
static void regrant(void)
{
	const uint16_t flags[] = {0,
				  GTF_permit_access,
				  GTF_permit_access,
				  GTF_permit_access | GTF_readonly,
				  GTF_accept_transfer,
				  GTF_transitive,
				  GTF_permit_access | GTF_sub_page};
	unsigned ref = 1 + (unsigned)fz_below(OUR_REFS - 1);
	uint64_t e = fz.gnttab + ref * sizeof(struct grant_entry_v1);
	uint16_t f = fz_chance(1, 8) ? (uint16_t)fz_rand() : FZ_PICK(flags);
	domid_t dom = fz_chance(3, 4) ? granter() : fz_domid();
	/* Never a page of ours the peer could scribble over: the pool or a victim page. */
	uint32_t frame =
	    (uint32_t)(fz_chance(3, 4) ? pool_gfn((unsigned)fz_below(POOL_PAGES)) : fz_gpfn());
	struct fz_op *op = fz_log_begin('G', 0x100 + ref);

	op->a[0] = f;
	op->a[1] = dom;
	op->a[2] = frame;
	fz_strh(e, 0); /* invalidate first, as a guest is told to */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	fz_strh(e + 2, dom);
	fz_str32(e + 4, frame);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	fz_log_end(op, (long)fz_strh(e, f));
}

/* ---- channels to the peer and the canary ---- */
static uint32_t remote_port(domid_t dom)
{
	const uint32_t statics[] = {10, 11, 12, 20, 21, 22, 30, 31};

	if (fz_chance(1, 3))
		return FZ_PICK(statics);
	return (uint32_t)fz_below(dom == fz.canary ? 5 : 12);
}

static uint32_t some_port(struct fz_cpu *c)
{
	if (fz_chance(1, 4))
		return fz.port[fz_below(3)];
	if (fz_chance(1, 4))
		return (uint32_t)fz_below(32);
	return c->ports[fz_below(4)];
}

static void channel(struct fz_cpu *c)
{
	unsigned kind = (unsigned)fz_below(6), keep = (unsigned)fz_below(4);
	domid_t dom = fz_chance(2, 3) ? fz.peer : fz.canary;
	struct fz_op *op = fz_log_begin('G', 0x200 + kind);
	long rc;

	op->a[0] = dom;
	if (kind == 0) {
		struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = dom};
		rc = hyp_evtchn_op(EVTCHNOP_alloc_unbound, &a);
		op->a[1] = a.port;
		if (rc == 0)
			c->ports[keep] = a.port;
	} else if (kind <= 2) {
		struct evtchn_bind_interdomain b = {.remote_dom = dom,
						    .remote_port = remote_port(dom)};
		rc = hyp_evtchn_op(EVTCHNOP_bind_interdomain, &b);
		op->a[1] = b.remote_port;
		op->a[2] = b.local_port;
		if (rc == 0)
			c->ports[keep] = b.local_port;
	} else if (kind <= 4) {
		uint32_t p = some_port(c);
		op->a[1] = p;
		rc = rt_evtchn_send(p);
	} else {
		uint32_t p = some_port(c);
		op->a[1] = p;
		rc = rt_evtchn_close(p);
	}
	fz_log_end(op, rc);
}

void fz_share(void)
{
	struct fz_cpu *c = fz_me();
	unsigned kind = (unsigned)fz_below(16), slot = (unsigned)fz_below(FZ_MAPS);

	if (kind < 4)
		map_slot(c, slot);
	else if (kind < 6)
		unmap_slot(c, slot, draw_unmap());
	else if (kind < 8)
		touch_slot(c, slot);
	else if (kind < 10)
		copy();
	else if (kind < 12)
		regrant();
	else
		channel(c);
}
