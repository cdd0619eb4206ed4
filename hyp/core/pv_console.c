// SPDX-License-Identifier: Apache-2.0
/*
 * Punt's own backend for the PV console ring (Xen public/io/console.h): the guest's
 * output is drained when it sends on the console port, and typed input is
 * written into the in ring when the guest has the console focus.
 *
 * Index rules: the indices are free-running 32-bit counters and a slot is
 * index & (size - 1). The producer fills slots, then publishes its index
 * (release); the consumer reads the index (acquire), then the slots. Punt
 * trusts only its own copies (out_cons, in_prod); the guest's out_prod and
 * in_cons are read once per pass and must be within one ring of them.
 */
#include <public/arch-arm.h>
#include <public/errno.h>
#include <public/hvm_params.h>
#include <public/io/console.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/arch/p2m.h>
#include <punt/page_alloc.h>
#include <punt/pv_console.h>
#include <punt/spinlock.h>

#define CONSOLE_GFN ((GUEST_MAGIC_BASE >> XEN_PAGE_SHIFT) + CONSOLE_PFN_OFFSET)
#define OUT_CHUNK   128 /* bytes copied out of the ring per console write */

struct pv_console {
	struct xencons_interface *ring; /* Punt's address of the shared page */
	evtchn_port_t port;
	spinlock_t out_lock, in_lock;
	XENCONS_RING_IDX out_cons; /* how far Punt has read the out ring */
	XENCONS_RING_IDX in_prod;  /* how far Punt has filled the in ring */
	bool broken;
	uint64_t input_dropped; /* typed bytes that found the in ring full */
};

bool pvcons_broken(const struct domain *d)
{
	return d->pvcons && __atomic_load_n(&d->pvcons->broken, __ATOMIC_ACQUIRE);
}

/* The first side to see nonsense says so; after that the ring is left alone. */
static void give_up(struct domain *d, struct pv_console *pc, const char *which,
		    XENCONS_RING_IDX prod, XENCONS_RING_IDX cons)
{
	if (__atomic_exchange_n(&pc->broken, true, __ATOMIC_ACQ_REL))
		return;
	printk("d%u: PV console %s ring indices make no sense (prod %#x, cons %#x): "
	       "console no longer served\n",
	       d->id, which, prod, cons);
}

/* Called with out_lock held. Returns the bytes consumed. */
static XENCONS_RING_IDX drain_out(struct domain *d, struct pv_console *pc)
{
	volatile struct xencons_interface *r = pc->ring;
	XENCONS_RING_IDX cons = pc->out_cons;
	XENCONS_RING_IDX prod = __atomic_load_n(&pc->ring->out_prod, __ATOMIC_ACQUIRE);
	XENCONS_RING_IDX avail = prod - cons;
	char chunk[OUT_CHUNK];

	if (avail > XENCONS_OUT_SIZE) {
		give_up(d, pc, "output", prod, cons);
		return 0;
	}
	for (XENCONS_RING_IDX left = avail; left;) {
		unsigned n = left < OUT_CHUNK ? left : OUT_CHUNK;
		for (unsigned i = 0; i < n; i++)
			chunk[i] = r->out[MASK_XENCONS_IDX(cons + i, r->out)];
		console_write_domain(d, CONSOLE_DEV_PV, chunk, n);
		cons += n;
		left -= n;
	}
	pc->out_cons = cons;
	/* Our reads of the slots are done before the guest may reuse them. */
	__atomic_store_n(&pc->ring->out_cons, cons, __ATOMIC_RELEASE);
	return avail;
}

static void guest_sent(struct domain *d, evtchn_port_t port)
{
	struct pv_console *pc = d->pvcons;
	XENCONS_RING_IDX done;

	if (!pc || port != pc->port || pvcons_broken(d))
		return;
	spin_lock(&pc->out_lock);
	done = drain_out(d, pc);
	spin_unlock(&pc->out_lock);
	/* hvc_xen counts an event that neither brought input nor freed output as spurious. */
	if (done)
		evtchn_hyp_notify(d, pc->port, guest_sent);
}

void pvcons_receive(struct domain *d, const char *s, size_t n)
{
	struct pv_console *pc = d->pvcons;
	volatile struct xencons_interface *r;
	XENCONS_RING_IDX prod, cons, used;
	size_t put = 0;

	if (!pc || pvcons_broken(d))
		return;
	r = pc->ring;
	spin_lock(&pc->in_lock);
	prod = pc->in_prod;
	/* The guest has read the slots up to in_cons before it published it. */
	cons = __atomic_load_n(&pc->ring->in_cons, __ATOMIC_ACQUIRE);
	used = prod - cons;
	if (used > XENCONS_IN_SIZE) {
		spin_unlock(&pc->in_lock);
		give_up(d, pc, "input", prod, cons);
		return;
	}
	for (; put < n && used < XENCONS_IN_SIZE; put++, used++)
		r->in[MASK_XENCONS_IDX(prod++, r->in)] = s[put];
	pc->input_dropped += n - put;
	pc->in_prod = prod;
	/* The bytes are in place before the guest can see the new index. */
	__atomic_store_n(&pc->ring->in_prod, prod, __ATOMIC_RELEASE);
	spin_unlock(&pc->in_lock);
	if (put)
		evtchn_hyp_notify(d, pc->port, guest_sent);
}

int pvcons_domain_init(struct domain *d)
{
	struct pv_console *pc;
	int rc;

	pc = (struct pv_console *)page_alloc_zeroed(page_order_for(sizeof(*pc)));
	if (!pc)
		return -XEN_ENOMEM;
	pc->out_lock = (spinlock_t)SPINLOCK_INIT;
	pc->in_lock = (spinlock_t)SPINLOCK_INIT;
	d->pvcons = pc;
	/* A zeroed page is a connected, empty ring. */
	pc->ring = (struct xencons_interface *)page_alloc_zeroed(0);
	if (!pc->ring)
		return -XEN_ENOMEM;
	/* Outside RAM, so the guest never takes it for memory of its own (the magic GFN of Xen's
	 * dom0less console page; Xen public/hvm/params.h, HVM_PARAM_CONSOLE_PFN). */
	if (p2m_map(d, CONSOLE_GFN, (uint64_t)pc->ring >> XEN_PAGE_SHIFT, 1, P2M_RAM_RW))
		return -XEN_ENOMEM;
	rc = evtchn_alloc_hyp(d, guest_sent, &pc->port);
	if (rc)
		return rc;
	d->hvm_params[HVM_PARAM_CONSOLE_PFN] = CONSOLE_GFN;
	d->hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = pc->port;
	return 0;
}

void pvcons_dump(struct domain *d)
{
	struct pv_console *pc = d->pvcons;

	if (!pc)
		return;
	printk("  PV console: gfn %#lx, port %u, out_cons %#x, in_prod %#x, %lu input bytes "
	       "dropped%s\n",
	       (unsigned long)CONSOLE_GFN, pc->port, pc->out_cons, pc->in_prod, pc->input_dropped,
	       pvcons_broken(d) ? ", not served (broken ring)" : "");
}

void pvcons_domain_destroy(struct domain *d)
{
	struct pv_console *pc = d->pvcons;

	if (!pc)
		return;
	d->pvcons = NULL;
	/* The port goes with the domain's event channels, the mapping with its p2m. */
	if (pc->ring)
		page_free((uint64_t)pc->ring, 0);
	page_free((uint64_t)pc, page_order_for(sizeof(*pc)));
}
