// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
#include <punt/arch/irq.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/page_alloc.h>
#include <punt/policy.h>
#include <punt/spinlock.h>

static bool test_and_set_bit64(uint64_t *word, unsigned bit)
{
	uint64_t mask = 1UL << bit;

	return __atomic_fetch_or(word, mask, __ATOMIC_SEQ_CST) & mask;
}

static bool test_and_clear_bit64(uint64_t *word, unsigned bit)
{
	uint64_t mask = 1UL << bit;

	return __atomic_fetch_and(word, ~mask, __ATOMIC_SEQ_CST) & mask;
}

static bool test_bit64(const uint64_t *word, unsigned bit)
{
	return __atomic_load_n(word, __ATOMIC_SEQ_CST) & (1UL << bit);
}

int evtchn_domain_init(struct domain *d)
{
	unsigned order = page_order_for(sizeof(struct evtchn) * EVTCHN_MAX_PORTS);

	d->evtchn = (struct evtchn *)page_alloc_zeroed(order);
	if (!d->evtchn)
		return -XEN_ENOMEM;
	d->max_evtchns = EVTCHN_MAX_PORTS;
	return 0;
}

void evtchn_domain_destroy(struct domain *d)
{
	if (!d->evtchn)
		return;
	evtchn_reset(d);
	page_free((uint64_t)d->evtchn, page_order_for(sizeof(struct evtchn) * EVTCHN_MAX_PORTS));
	d->evtchn = NULL;
}

static struct evtchn *port_of(struct domain *d, evtchn_port_t port)
{
	if (port == 0 || port >= d->max_evtchns)
		return NULL;
	return &d->evtchn[port];
}

/* An end the hypervisor holds for itself in d's table (evtchn_alloc_hyp_unbound()). */
static bool hyp_owned(const struct evtchn *chn)
{
	return chn->consumer && chn->state != ECS_HYP;
}

/* ---- delivery (Xen public/event_channel.h, 2-level ABI: pending, mask, pending_sel,
 * upcall_pending) ----------------------------------- */

static void mark_pending(struct vcpu *v)
{
	struct vcpu_info *vi = v->vcpu_info;

	if (!vi)
		return; /* not registered yet: only recorded in shared_info */
	if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) == 0)
		arch_vcpu_raise_upcall(v);
}

static struct vcpu *notify_target(struct domain *d, const struct evtchn *chn)
{
	unsigned id = chn->notify_vcpu;

	return id < d->max_vcpus && d->vcpus[id] ? d->vcpus[id] : d->vcpus[0];
}

static void set_pending(struct domain_locked l, evtchn_port_t port)
{
	struct domain *d = locked_domain(l);
	struct shared_info *si = d->shared_info;
	unsigned word = port / 64, bit = port % 64;
	struct vcpu *v;

	if (test_and_set_bit64(&si->evtchn_pending[word], bit))
		return;
	if (test_bit64(&si->evtchn_mask[word], bit))
		return;
	v = notify_target(d, &d->evtchn[port]);
	if (!v->vcpu_info)
		return;
	if (!test_and_set_bit64(&v->vcpu_info->evtchn_pending_sel, word))
		mark_pending(v);
}

void evtchn_vcpu_info_registered(struct vcpu *v)
{
	__atomic_store_n(&v->vcpu_info->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
	__atomic_store_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	arch_vcpu_raise_upcall(v);
}

/*
 * vcpu_info outlives CPU_OFF and CPU_ON, the upcall interrupt does not: with
 * evtchn_upcall_pending left at 1 and its pending_sel bits set, mark_pending()
 * and set_pending() see no new edge and never raise it again, and the vCPU,
 * once it unmasks, would wait for events that are already there. Xen 4.17
 * delivers it after CPU_ON (its list registers keep it across the reset);
 * tests/guests/tests/psci_cpu_on_delivers_upcall_left_pending_at_cpu_off.c.
 */
void evtchn_vcpu_restarted(struct vcpu *v)
{
	struct vcpu_info *vi = v->vcpu_info;

	if (vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
		arch_vcpu_raise_upcall(v);
}

/* ---- port table ----------------------------------------------------------- */

static int get_free_port(struct domain_locked l)
{
	const struct domain *d = locked_domain(l);

	for (evtchn_port_t p = 1; p < d->max_evtchns; p++) {
		if (d->evtchn[p].state == ECS_FREE)
			return (int)p;
	}
	return -XEN_ENOSPC;
}

static void free_port(struct domain_locked l, evtchn_port_t port)
{
	struct domain *d = locked_domain(l);
	struct evtchn *chn = &d->evtchn[port];

	chn->state = ECS_FREE;
	chn->consumer = 0;
	chn->notify_vcpu = 0;
	chn->remote_dom = 0;
	chn->remote_port = 0;
	chn->virq = 0;
	test_and_clear_bit64(&d->shared_info->evtchn_pending[port / 64], port % 64);
}

int evtchn_alloc_unbound(struct domain *d, domid_t remote, evtchn_port_t *port)
{
	int p;

	if (remote == DOMID_SELF)
		remote = d->id;
	/* The remote must exist to be judged (as Xen's default policy on Arm, XSM SILO). */
	const struct domain *rd = domain_lookup(remote);
	if (!rd)
		return -XEN_ESRCH;
	if (!policy_may_communicate(d, rd))
		return -XEN_EPERM;
	struct domain_locked l = domain_lock(d);
	p = get_free_port(l);
	if (p > 0) {
		d->evtchn[p].state = ECS_UNBOUND;
		d->evtchn[p].remote_dom = remote;
		d->evtchn[p].notify_vcpu = 0;
		*port = (evtchn_port_t)p;
	}
	domain_unlock(&l);
	return p < 0 ? p : 0;
}

int evtchn_bind_interdomain(struct domain *ld, domid_t remote_dom, evtchn_port_t remote_port,
			    evtchn_port_t *local_port)
{
	struct domain *rd = domain_from_guest_id(ld, remote_dom);
	struct evtchn *rchn;
	int rc, lp;

	if (!rd)
		return -XEN_ESRCH;
	if (!policy_may_communicate(ld, rd))
		return -XEN_EPERM;
	struct domain_pair_locked both = domain_lock_pair(ld, rd);
	rchn = port_of(rd, remote_port);
	/*
	 * A dying domain's ports are about to close (on Xen they already are): a
	 * channel bound now would escape its teardown.
	 */
	if (!rchn || rchn->state != ECS_UNBOUND || rchn->remote_dom != ld->id || rd->dying) {
		rc = -XEN_EINVAL;
		goto out;
	}
	/* A loopback to the hypervisor's own end: the send fast path would bypass it. */
	if (hyp_owned(rchn) && rd == ld) {
		rc = -XEN_EINVAL;
		goto out;
	}
	lp = get_free_port(both.a);
	if (lp < 0) {
		rc = lp;
		goto out;
	}
	ld->evtchn[lp] = (struct evtchn){.state = ECS_INTERDOMAIN,
					 .notify_vcpu = 0,
					 .remote_dom = rd->id,
					 .remote_port = remote_port};
	rchn->state = ECS_INTERDOMAIN;
	rchn->remote_dom = ld->id;
	rchn->remote_port = (uint32_t)lp;
	*local_port = (evtchn_port_t)lp;
	/* As Xen does: the new local end starts pending, so nothing sent before is lost. */
	set_pending(both.a, (evtchn_port_t)lp);
	rc = 0;
out:
	domain_unlock_pair(&both);
	return rc;
}

int evtchn_bind_static(struct domain *a, evtchn_port_t ap, struct domain *b, evtchn_port_t bp)
{
	struct evtchn *achn, *bchn;
	int rc = 0;

	if (a == b && ap == bp)
		return -XEN_EINVAL;
	struct domain_pair_locked both = domain_lock_pair(a, b);
	achn = port_of(a, ap);
	bchn = port_of(b, bp);
	if (!achn || !bchn) {
		rc = -XEN_EINVAL;
	} else if (achn->state != ECS_FREE &&
		   !(achn->state == ECS_UNBOUND && achn->remote_dom == b->id && !achn->consumer)) {
		rc = -XEN_EBUSY;
	} else if (bchn->state != ECS_FREE &&
		   !(bchn->state == ECS_UNBOUND && bchn->remote_dom == a->id && !bchn->consumer)) {
		rc = -XEN_EBUSY;
	} else {
		*achn = (struct evtchn){
		    .state = ECS_INTERDOMAIN, .remote_dom = b->id, .remote_port = bp};
		*bchn = (struct evtchn){
		    .state = ECS_INTERDOMAIN, .remote_dom = a->id, .remote_port = ap};
	}
	domain_unlock_pair(&both);
	return rc;
}

int evtchn_reserve(struct domain *d, evtchn_port_t port, domid_t remote)
{
	struct evtchn *chn;
	int rc = 0;

	struct domain_locked l = domain_lock(d);
	chn = port_of(d, port);
	if (!chn)
		rc = -XEN_EINVAL;
	else if (chn->state != ECS_FREE)
		rc = -XEN_EBUSY;
	else
		*chn = (struct evtchn){.state = ECS_UNBOUND, .remote_dom = remote};
	domain_unlock(&l);
	return rc;
}

/* ---- ports whose far end is the hypervisor ---------------------------------- */

/*
 * Slots are filled once, under the (leaf) lock, and never cleared; a port names
 * a slot only after it was filled, so readers need no lock.
 */
static evtchn_hyp_fn hyp_consumers[EVTCHN_MAX_HYP_CONSUMERS];
static spinlock_t hyp_consumers_lock = SPINLOCK_INIT;

/* The callback's slot + 1 (what a port stores), or 0 when the table is full. */
static uint8_t hyp_consumer_id(evtchn_hyp_fn fn)
{
	uint8_t id = 0;

	spin_lock(&hyp_consumers_lock);
	for (unsigned i = 0; i < EVTCHN_MAX_HYP_CONSUMERS && !id; i++) {
		if (!hyp_consumers[i])
			hyp_consumers[i] = fn;
		if (hyp_consumers[i] == fn)
			id = (uint8_t)(i + 1);
	}
	spin_unlock(&hyp_consumers_lock);
	return id;
}

/* A free port of d made e, with fn as its consumer. */
static int alloc_hyp_port(struct domain *d, evtchn_hyp_fn fn, struct evtchn e, evtchn_port_t *port)
{
	uint8_t id = fn ? hyp_consumer_id(fn) : 0;
	int p;

	if (!id)
		return -XEN_ENOSPC;
	e.consumer = id;
	struct domain_locked l = domain_lock(d);
	p = get_free_port(l);
	if (p > 0) {
		d->evtchn[p] = e;
		*port = (evtchn_port_t)p;
	}
	domain_unlock(&l);
	return p < 0 ? p : 0;
}

int evtchn_alloc_hyp(struct domain *d, evtchn_hyp_fn fn, evtchn_port_t *port)
{
	return alloc_hyp_port(d, fn, (struct evtchn){.state = ECS_HYP}, port);
}

int evtchn_hyp_notify(struct domain *d, evtchn_port_t port, evtchn_hyp_fn fn)
{
	struct evtchn *chn;
	int rc = -XEN_EINVAL;

	struct domain_locked l = domain_lock(d);
	chn = port_of(d, port);
	if (chn && chn->state == ECS_HYP && hyp_consumers[chn->consumer - 1] == fn) {
		set_pending(l, port);
		rc = 0;
	}
	domain_unlock(&l);
	return rc;
}

int evtchn_alloc_hyp_unbound(struct domain *d, domid_t remote, evtchn_hyp_fn fn,
			     evtchn_port_t *port)
{
	return alloc_hyp_port(d, fn, (struct evtchn){.state = ECS_UNBOUND, .remote_dom = remote},
			      port);
}

/* Whether port of d is fn's own end (the caller holds d's lock). */
static bool is_hyp_end(struct domain *d, evtchn_port_t port, evtchn_hyp_fn fn)
{
	const struct evtchn *chn = port_of(d, port);

	return chn && hyp_owned(chn) && hyp_consumers[chn->consumer - 1] == fn;
}

int evtchn_hyp_send(struct domain *d, evtchn_port_t port, evtchn_hyp_fn fn)
{
	struct domain_locked l = domain_lock(d);
	if (!is_hyp_end(d, port, fn)) {
		domain_unlock(&l);
		return -XEN_EINVAL;
	}
	struct evtchn *chn = &d->evtchn[port];
	if (chn->state != ECS_INTERDOMAIN) {
		domain_unlock(&l);
		return 0; /* nobody listens yet */
	}
	evtchn_port_t rport = chn->remote_port;
	struct domain *rd = domain_lookup(chn->remote_dom);
	domain_unlock(&l);
	if (!rd)
		return 0;
	/* Never d itself: a loopback to the hypervisor's end is refused at bind time. */
	struct domain_pair_locked both = domain_lock_pair(d, rd);
	if (chn->state == ECS_INTERDOMAIN && chn->remote_dom == rd->id && chn->remote_port == rport)
		set_pending(both.b, rport);
	domain_unlock_pair(&both);
	return 0;
}

static bool virq_is_per_vcpu(uint32_t virq)
{
	return virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
	       virq == VIRQ_XENPMU;
}

int evtchn_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
	struct vcpu *v;
	int p, rc = 0;

	if (virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (!virq_is_per_vcpu(virq) && vcpu != 0)
		return -XEN_EINVAL;
	if (vcpu >= d->max_vcpus || !(v = d->vcpus[vcpu]))
		return -XEN_ENOENT;
	/*
	 * Global VIRQs are raised in the hardware domain (dom0) only; another domain may bind
	 * one, as on Xen 4.17, and it simply never fires there.
	 */
	struct domain_locked l = domain_lock(d);
	if (v->virq_to_port[virq]) {
		rc = -XEN_EEXIST;
		goto out;
	}
	p = get_free_port(l);
	if (p < 0) {
		rc = p;
		goto out;
	}
	d->evtchn[p] =
	    (struct evtchn){.state = ECS_VIRQ, .notify_vcpu = (uint16_t)vcpu, .virq = virq};
	v->virq_to_port[virq] = (uint32_t)p;
	*port = (evtchn_port_t)p;
out:
	domain_unlock(&l);
	return rc;
}

int evtchn_bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port)
{
	int p;

	if (vcpu >= d->max_vcpus || !d->vcpus[vcpu])
		return -XEN_ENOENT;
	struct domain_locked l = domain_lock(d);
	p = get_free_port(l);
	if (p > 0) {
		d->evtchn[p] = (struct evtchn){.state = ECS_IPI, .notify_vcpu = (uint16_t)vcpu};
		*port = (evtchn_port_t)p;
	}
	domain_unlock(&l);
	return p < 0 ? p : 0;
}

/*
 * Close a port of l's domain. An interdomain peer's end goes back to unbound
 * only when the peer is `peer`, whose lock the caller holds too (l again when
 * there is no other domain to lock): a peer that is not locked is never touched.
 */
static void close_locked(struct domain_locked l, struct domain_locked peer, evtchn_port_t port)
{
	struct domain *d = locked_domain(l);
	struct evtchn *chn = &d->evtchn[port];

	if (chn->state == ECS_INTERDOMAIN) {
		struct domain *rd = domain_lookup(chn->remote_dom);
		struct evtchn *rchn =
		    rd && rd == locked_domain(peer) ? port_of(rd, chn->remote_port) : NULL;
		if (rchn && rchn->state == ECS_INTERDOMAIN && rchn->remote_dom == d->id &&
		    rchn->remote_port == port) {
			rchn->state = ECS_UNBOUND;
			rchn->remote_dom = d->id;
			rchn->remote_port = 0;
		}
	} else if (chn->state == ECS_VIRQ) {
		struct vcpu *v = notify_target(d, chn);
		if (v->virq_to_port[chn->virq] == port)
			v->virq_to_port[chn->virq] = 0;
	}
	free_port(l, port);
}

/*
 * Close port of d. by_guest: d's own request, which may not close an end the hypervisor
 * holds (fn NULL); otherwise fn's end only, or, for teardown (fn NULL), any port.
 */
static int close_port(struct domain *d, evtchn_port_t port, bool by_guest, evtchn_hyp_fn fn)
{
	for (;;) {
		struct domain_locked l = domain_lock(d);
		struct evtchn *chn = port_of(d, port);
		if (!chn || chn->state == ECS_FREE || (by_guest && hyp_owned(chn)) ||
		    (fn && !is_hyp_end(d, port, fn))) {
			domain_unlock(&l);
			return -XEN_EINVAL;
		}
		/*
		 * No other live domain at the far end (not interdomain, a loopback, or a
		 * peer already unpublished): d's lock is all it takes.
		 */
		struct domain *rd =
		    chn->state == ECS_INTERDOMAIN ? domain_lookup(chn->remote_dom) : d;
		if (!rd || rd == d) {
			close_locked(l, l, port);
			domain_unlock(&l);
			return 0;
		}
		domain_unlock(&l);
		struct domain_pair_locked both = domain_lock_pair(d, rd);
		/* Still the same peer? Then close with both locks held. */
		if (chn->state == ECS_INTERDOMAIN && chn->remote_dom == rd->id) {
			close_locked(both.a, both.b, port);
			domain_unlock_pair(&both);
			return 0;
		}
		domain_unlock_pair(&both);
	}
}

int evtchn_close(struct domain *d, evtchn_port_t port)
{
	return close_port(d, port, true, NULL);
}

int evtchn_hyp_close(struct domain *d, evtchn_port_t port, evtchn_hyp_fn fn)
{
	return fn ? close_port(d, port, false, fn) : -XEN_EINVAL;
}

/* Every send but a loopback's: out of line, so that the loopback saves no registers for it. */
static int __attribute__((noinline))
send_locked(struct domain_locked l, struct evtchn *chn, evtchn_port_t port)
{
	struct domain *d = locked_domain(l);
	struct domain *rd;
	evtchn_port_t rport;

	/* The hypervisor's own end is not the guest's to send on (Xen: -EINVAL). */
	if (!chn || hyp_owned(chn)) {
		domain_unlock(&l);
		return -XEN_EINVAL;
	}
	if (chn->state == ECS_INTERDOMAIN) {
		evtchn_hyp_fn fn = NULL;
		rport = chn->remote_port;
		rd = domain_lookup(chn->remote_dom);
		domain_unlock(&l);
		if (!rd)
			return 0;
		struct domain_pair_locked both = domain_lock_pair(d, rd);
		if (chn->state == ECS_INTERDOMAIN && chn->remote_dom == rd->id &&
		    chn->remote_port == rport) {
			const struct evtchn *rchn = &rd->evtchn[rport];
			if (hyp_owned(rchn))
				fn = hyp_consumers[rchn->consumer - 1];
			else
				set_pending(both.b, rport);
		}
		domain_unlock_pair(&both);
		/* The far end is the hypervisor's: its callback, with no lock held. rd stays
		 * until this hypercall ends (its teardown waits for every CPU to pass the
		 * scheduler). */
		if (fn)
			fn(rd, rport);
		return 0;
	}
	if (chn->state == ECS_HYP) {
		evtchn_hyp_fn fn = hyp_consumers[chn->consumer - 1];
		domain_unlock(&l);
		/* d cannot go away under us: the caller is one of its vCPUs. */
		fn(d, port);
		return 0;
	}
	int rc = -XEN_EINVAL;
	if (chn->state == ECS_UNBOUND)
		rc = 0; /* nobody listens yet: dropped, as on Xen */
	else if (chn->state == ECS_IPI) {
		set_pending(l, port);
		rc = 0;
	}
	domain_unlock(&l);
	return rc;
}

int evtchn_send(struct domain *d, evtchn_port_t port)
{
	struct domain_locked l = domain_lock(d);
	struct evtchn *chn = port_of(d, port);

	/* A loopback channel (both ends in the sender) needs no lookup and no second lock. */
	if (chn && chn->state == ECS_INTERDOMAIN && chn->remote_dom == d->id) {
		set_pending(l, chn->remote_port);
		domain_unlock(&l);
		return 0;
	}
	return send_locked(l, chn, port);
}

int evtchn_status(struct domain *d, struct evtchn_status *st)
{
	struct evtchn *chn;

	struct domain_locked l = domain_lock(d);
	chn = st->port < d->max_evtchns ? &d->evtchn[st->port] : NULL;
	if (!chn) {
		domain_unlock(&l);
		return -XEN_EINVAL;
	}
	if (hyp_owned(chn)) {
		domain_unlock(&l);
		return -XEN_EACCES; /* the hypervisor's end: Xen does not describe it either */
	}
	st->vcpu = chn->notify_vcpu;
	st->u.interdomain.dom = 0;
	st->u.interdomain.pad0 = 0;
	st->u.interdomain.port = 0;
	switch (chn->state) {
	case ECS_FREE:
		st->status = EVTCHNSTAT_closed;
		break;
	case ECS_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = chn->remote_dom;
		break;
	case ECS_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = chn->remote_dom;
		st->u.interdomain.port = chn->remote_port;
		break;
	case ECS_HYP:
		/* Connected, and the peer is the hypervisor: what Xen reports for its own end. */
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = DOMID_XEN;
		break;
	case ECS_IPI:
		st->status = EVTCHNSTAT_ipi;
		break;
	default:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = chn->virq;
		break;
	}
	domain_unlock(&l);
	return 0;
}

int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn *chn;
	int rc = 0;

	if (vcpu >= d->max_vcpus || !d->vcpus[vcpu])
		return -XEN_ENOENT;
	struct domain_locked l = domain_lock(d);
	chn = port_of(d, port);
	if (!chn || chn->state == ECS_FREE || hyp_owned(chn)) {
		rc = -XEN_EINVAL;
	} else if ((chn->state == ECS_VIRQ && virq_is_per_vcpu(chn->virq)) ||
		   chn->state == ECS_IPI) {
		/* Per-vCPU VIRQs and IPIs name their vCPU when bound; it does not change. */
		rc = -XEN_EINVAL;
	} else {
		if (chn->state == ECS_VIRQ) {
			struct vcpu *old = notify_target(d, chn);
			old->virq_to_port[chn->virq] = 0;
			d->vcpus[vcpu]->virq_to_port[chn->virq] = port;
		}
		chn->notify_vcpu = (uint16_t)vcpu;
	}
	domain_unlock(&l);
	return rc;
}

int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
	struct shared_info *si = d->shared_info;
	unsigned word = port / 64, bit = port % 64;
	struct vcpu *v;

	/*
	 * Port 0 is reserved, never bound, but a valid port number: as Xen 4.17 does with a port
	 * in use by nobody (xen/common/event_channel.c evtchn_unmask, evtchn_usable()), unmask
	 * leaves it alone and returns 0. Only ports past the table are refused.
	 */
	if (port >= d->max_evtchns)
		return -XEN_EINVAL;
	struct domain_locked l = domain_lock(d);
	if (d->evtchn[port].state == ECS_FREE) {
		domain_unlock(&l);
		return 0;
	}
	v = notify_target(d, &d->evtchn[port]);
	if (test_and_clear_bit64(&si->evtchn_mask[word], bit) &&
	    test_bit64(&si->evtchn_pending[word], bit) && v->vcpu_info &&
	    !test_and_set_bit64(&v->vcpu_info->evtchn_pending_sel, word))
		mark_pending(v);
	domain_unlock(&l);
	return 0;
}

int evtchn_reset(struct domain *d)
{
	for (evtchn_port_t p = 1; p < d->max_evtchns; p++) {
		if (d->evtchn[p].state != ECS_FREE)
			close_port(d, p, false, NULL);
	}
	return 0;
}

/* Ports closed between two preemption checks of a reset (Xen's choice too). */
#define RESET_PORTS_PER_CHECK 64

int evtchn_reset_guest(struct domain *d, bool resuming)
{
	evtchn_port_t p;

	/* A reset under way owns evtchn_reset_next until it ends. */
	struct domain_locked l = domain_lock(d);
	p = resuming ? d->evtchn_reset_next : !d->evtchn_reset_next;
	if (p > d->evtchn_reset_next)
		d->evtchn_reset_next = p;
	domain_unlock(&l);
	if (!p)
		return -XEN_EBUSY;
	for (; p < d->max_evtchns; p++) {
		/* As the guest's own close: the hypervisor's ends stay (-EINVAL, ignored). */
		if (__atomic_load_n(&d->evtchn[p].state, __ATOMIC_RELAXED) != ECS_FREE)
			evtchn_close(d, p);
		if (p % RESET_PORTS_PER_CHECK == 0 && hypercall_preempt_check()) {
			l = domain_lock(d);
			d->evtchn_reset_next = p + 1;
			domain_unlock(&l);
			return -XEN_ERESTART;
		}
	}
	l = domain_lock(d);
	d->evtchn_reset_next = 0;
	domain_unlock(&l);
	return 0;
}

void evtchn_send_virq(struct vcpu *v, uint32_t virq)
{
	struct domain *d = v->domain;

	struct domain_locked l = domain_lock(d);
	if (virq < NR_VIRQS && v->virq_to_port[virq])
		set_pending(l, v->virq_to_port[virq]);
	domain_unlock(&l);
}

void evtchn_send_global_virq(struct domain *d, uint32_t virq)
{
	struct domain_locked l = domain_lock(d);
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		if (v && virq < NR_VIRQS && v->virq_to_port[virq]) {
			set_pending(l, v->virq_to_port[virq]);
			break;
		}
	}
	domain_unlock(&l);
}

/* ---- the hypercall ----------------------------------------------------------- */

#define COPY_IN(var)                                                                               \
	do {                                                                                       \
		if (copy_from_guest(&(var), arg, sizeof(var)))                                     \
			return -XEN_EFAULT;                                                        \
	} while (0)
#define COPY_OUT(var)                                                                              \
	do {                                                                                       \
		if (copy_to_guest(arg, &(var), sizeof(var)))                                       \
			return -XEN_EFAULT;                                                        \
	} while (0)

/* Arm binds no physical IRQ to a port (Xen on Arm: 1024 IRQs, none with pirq state). */
#define NR_PIRQS 1024

static long bind_pirq(uint64_t arg)
{
	struct evtchn_bind_pirq op;

	COPY_IN(op);
	return op.pirq >= NR_PIRQS ? -XEN_EINVAL : -XEN_ENOMEM;
}

/* FIFO ABI priorities: with the 2-level ABI a valid port has none to set. */
static long set_priority(struct domain *d, uint64_t arg)
{
	struct evtchn_set_priority op;

	COPY_IN(op);
	return op.port < d->max_evtchns ? -XEN_ENOSYS : -XEN_EINVAL;
}

/* Out of line, so that the send path keeps its registers as they were. */
static long __attribute__((noinline)) reset_op(struct vcpu *v, uint64_t arg, bool resuming)
{
	struct evtchn_reset op;
	struct domain *td;
	int rc;

	COPY_IN(op);
	rc = domain_target(v->domain, op.dom, &td);
	if (!rc)
		rc = evtchn_reset_guest(td, resuming);
	if (rc == -XEN_ERESTART)
		return hypercall_continue(2, (const uint64_t[]){EVTCHNOP_reset_cont, arg});
	return rc;
}

/*
 * Xen takes the command as an int (xen/include/hypercall-defs.c): x0's upper half is ignored.
 * Every command is non-negative, so the low half compared unsigned gives the same answers.
 */
static long send(struct vcpu *v, uint64_t arg)
{
	struct evtchn_send op;

	COPY_IN(op);
	return evtchn_send(v->domain, op.port);
}

static long other_op(struct vcpu *v, uint32_t cmd, uint64_t arg)
{
	struct domain *d = v->domain;
	int rc;

	switch (cmd) {
	case EVTCHNOP_alloc_unbound: {
		struct evtchn_alloc_unbound op;
		COPY_IN(op);
		struct domain *td = domain_from_guest_id(d, op.dom);
		if (!td)
			return -XEN_ESRCH;
		if (td != d && !d->privileged)
			return -XEN_EPERM;
		rc = evtchn_alloc_unbound(td, op.remote_dom == DOMID_SELF ? d->id : op.remote_dom,
					  &op.port);
		if (!rc)
			COPY_OUT(op);
		return rc;
	}
	case EVTCHNOP_bind_interdomain: {
		struct evtchn_bind_interdomain op;
		COPY_IN(op);
		rc = evtchn_bind_interdomain(d, op.remote_dom, op.remote_port, &op.local_port);
		if (!rc)
			COPY_OUT(op);
		return rc;
	}
	case EVTCHNOP_bind_virq: {
		struct evtchn_bind_virq op;
		COPY_IN(op);
		rc = evtchn_bind_virq(d, op.virq, op.vcpu, &op.port);
		if (!rc)
			COPY_OUT(op);
		return rc;
	}
	case EVTCHNOP_bind_ipi: {
		struct evtchn_bind_ipi op;
		COPY_IN(op);
		rc = evtchn_bind_ipi(d, op.vcpu, &op.port);
		if (!rc)
			COPY_OUT(op);
		return rc;
	}
	case EVTCHNOP_close: {
		struct evtchn_close op;
		COPY_IN(op);
		return evtchn_close(d, op.port);
	}
	case EVTCHNOP_status: {
		struct evtchn_status op;
		COPY_IN(op);
		struct domain *td;
		rc = domain_target(v->domain, op.dom, &td);
		if (rc)
			return rc;
		rc = evtchn_status(td, &op);
		if (!rc)
			COPY_OUT(op);
		return rc;
	}
	case EVTCHNOP_bind_vcpu: {
		struct evtchn_bind_vcpu op;
		COPY_IN(op);
		return evtchn_bind_vcpu(d, op.port, op.vcpu);
	}
	case EVTCHNOP_unmask: {
		struct evtchn_unmask op;
		COPY_IN(op);
		return evtchn_unmask(d, op.port);
	}
	case EVTCHNOP_reset:
		return reset_op(v, arg, false);
	case EVTCHNOP_reset_cont:
		return reset_op(v, arg, true);
	case EVTCHNOP_bind_pirq:
		return bind_pirq(arg);
	case EVTCHNOP_expand_array: {
		struct evtchn_expand_array op;
		COPY_IN(op);
		return -XEN_EOPNOTSUPP; /* the FIFO ABI is not in use */
	}
	case EVTCHNOP_set_priority:
		return set_priority(d, arg);
	case EVTCHNOP_init_control:
	default:
		/* The FIFO ABI is not provided: Linux falls back to 2-level. */
		return -XEN_ENOSYS;
	}
}

long do_event_channel_op(struct vcpu *v, uint64_t cmd_reg, uint64_t arg)
{
	/* The hot operation has a path of its own. */
	if ((uint32_t)cmd_reg == EVTCHNOP_send)
		return send(v, arg);
	return other_op(v, (uint32_t)cmd_reg, arg);
}

unsigned evtchn_ports_in_use(struct domain_locked l)
{
	struct domain *d = locked_domain(l);
	unsigned n = 0;

	for (evtchn_port_t p = 1; d->evtchn && p < d->max_evtchns; p++)
		n += d->evtchn[p].state != ECS_FREE;
	return n;
}

void evtchn_dump(struct domain *d)
{
	static const char *const names[] = {"free", "unbound",	  "interdomain",
					    "virq", "hypervisor", "ipi"};

	printk("  Event channels:\n");
	for (evtchn_port_t p = 1; p < d->max_evtchns; p++) {
		struct evtchn *c = &d->evtchn[p];
		if (c->state == ECS_FREE)
			continue;
		printk("    port %4u: %-11s vcpu %u remote d%u:%u virq %u pending %d masked %d%s\n",
		       p, names[c->state], c->notify_vcpu, c->remote_dom, c->remote_port, c->virq,
		       test_bit64(&d->shared_info->evtchn_pending[p / 64], p % 64),
		       test_bit64(&d->shared_info->evtchn_mask[p / 64], p % 64),
		       hyp_owned(c) ? " (the hypervisor's end)" : "");
	}
}
