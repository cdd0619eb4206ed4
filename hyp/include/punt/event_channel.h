// SPDX-License-Identifier: Apache-2.0
/*
 * Event channels, 2-level ABI (Xen public/event_channel.h): up to 4096 ports per
 * domain, pending and mask bits in the domain's shared_info page, one
 * selector word and upcall flag per vCPU in its vcpu_info. Port state is
 * protected by the owning domain's lock; operations that touch two domains
 * take both with domain_lock_pair(). Pending/mask/selector bits live in
 * guest-writable memory and are only changed with atomic operations.
 */
#ifndef PUNT_EVENT_CHANNEL_H
#define PUNT_EVENT_CHANNEL_H

#include <public/event_channel.h>
#include <public/xen.h>
#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

enum evtchn_state {
	ECS_FREE,
	ECS_UNBOUND,
	ECS_INTERDOMAIN,
	ECS_VIRQ,
	ECS_HYP, /* the far end is a consumer inside the hypervisor */
	ECS_IPI, /* a send raises it on notify_vcpu of the same domain */
};

struct evtchn {
	uint8_t state;
	/*
	 * Index of a callback inside the hypervisor + 1, or 0. HYP: the far end is the callback.
	 * UNBOUND or INTERDOMAIN: this end is the hypervisor's (evtchn_alloc_hyp_unbound()).
	 */
	uint8_t consumer;
	uint16_t notify_vcpu;
	domid_t remote_dom;   /* UNBOUND: who may bind; INTERDOMAIN: the peer */
	uint32_t remote_port; /* INTERDOMAIN */
	uint32_t virq;	      /* VIRQ */
};

#define EVTCHN_MAX_PORTS EVTCHN_2L_NR_CHANNELS

int evtchn_domain_init(struct domain *d);
void evtchn_domain_destroy(struct domain *d);

/* The operations, as the hypercall exposes them; negative Xen errno on failure. */
int evtchn_alloc_unbound(struct domain *d, domid_t remote, evtchn_port_t *port);
int evtchn_bind_interdomain(struct domain *ld, domid_t remote_dom, evtchn_port_t remote_port,
			    evtchn_port_t *local_port);
int evtchn_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
int evtchn_bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port);
int evtchn_close(struct domain *d, evtchn_port_t port);
int evtchn_send(struct domain *d, evtchn_port_t port);
int evtchn_status(struct domain *d, struct evtchn_status *st);
int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu);
int evtchn_unmask(struct domain *d, evtchn_port_t port);
/* Close every port of d at once (domain destruction). */
int evtchn_reset(struct domain *d);
/*
 * EVTCHNOP_reset (resuming false) and EVTCHNOP_reset_cont (true): close d's
 * ports, checking for preemption every 64. -XEN_ERESTART when stopped (the
 * caller continues with reset_cont), -XEN_EBUSY for a reset while another is
 * under way or a reset_cont with none, as on Xen 4.17.
 */
int evtchn_reset_guest(struct domain *d, bool resuming);

/*
 * Called when the guest sends on a port bound to the hypervisor; runs on the
 * sending vCPU with no lock held, so it may print, take its own locks and
 * call evtchn_hyp_notify(). It must not block on the guest.
 */
typedef void (*evtchn_hyp_fn)(struct domain *d, evtchn_port_t port);
#define EVTCHN_MAX_HYP_CONSUMERS 4
/*
 * A new port of d whose far end is fn; notify vCPU 0. -ENOSPC when d has no
 * free port or when more than EVTCHN_MAX_HYP_CONSUMERS different callbacks
 * are in use.
 */
int evtchn_alloc_hyp(struct domain *d, evtchn_hyp_fn fn, evtchn_port_t *port);
/*
 * The hypervisor end raises d's port. -EINVAL if the guest has closed it or
 * it now belongs to something else, so a stale port number is harmless.
 */
int evtchn_hyp_notify(struct domain *d, evtchn_port_t port, evtchn_hyp_fn fn);

/*
 * A port of d whose own end is fn inside the hypervisor, unbound for domain `remote` (Xen's
 * alloc_unbound_xen_event_channel, which a vuart_op's console ring uses): remote binds to it
 * as to any unbound port, and its sends call fn(d, port) instead of raising the port in d.
 * d cannot use the port itself: its close, send and bind_vcpu are -EINVAL, its status
 * -EACCES, and a guest's EVTCHNOP_reset leaves it, as on Xen. Only a domain other than d
 * may bind to it. -ENOSPC as evtchn_alloc_hyp().
 */
int evtchn_alloc_hyp_unbound(struct domain *d, domid_t remote, evtchn_hyp_fn fn,
			     evtchn_port_t *port);
/*
 * The hypervisor's end of such a port sends: the bound peer's port is raised (Xen's
 * notify_via_xen_event_channel). Nothing happens while the port is unbound; -EINVAL if it
 * is not fn's.
 */
int evtchn_hyp_send(struct domain *d, evtchn_port_t port, evtchn_hyp_fn fn);
/* Close such a port (its owner gives up before the domain is torn down). */
int evtchn_hyp_close(struct domain *d, evtchn_port_t port, evtchn_hyp_fn fn);

/* Raise a VIRQ: per-vCPU ones on v, global ones on the domain's vCPU 0 binding. */
void evtchn_send_virq(struct vcpu *v, uint32_t virq);
void evtchn_send_global_virq(struct domain *d, uint32_t virq);
/* After vcpu_info registration: rescan everything once (Xen public/vcpu.h,
 * VCPUOP_register_vcpu_info). */
void evtchn_vcpu_info_registered(struct vcpu *v);
/*
 * v was just reset for PSCI CPU_ON (arch_vcpu_reset() dropped its upcall
 * interrupt): raise the upcall again if its vcpu_info still says one is pending.
 */
void evtchn_vcpu_restarted(struct vcpu *v);

long do_event_channel_op(struct vcpu *v, uint64_t cmd, uint64_t arg);
void evtchn_dump(struct domain *d);
struct domain_locked;
/* Ports of l's domain that are not free (the usage debug key's count). */
unsigned evtchn_ports_in_use(struct domain_locked l);

/*
 * Bind port ap of a to port bp of b as the two ends of one channel, as a
 * static event channel of the boot configuration: each port must be free or
 * waiting (unbound) for the other domain. 0, or a negative Xen errno.
 */
int evtchn_bind_static(struct domain *a, evtchn_port_t ap, struct domain *b, evtchn_port_t bp);
/* Hold a given free port of d unbound for remote (a static channel's end, before it is bound). */
int evtchn_reserve(struct domain *d, evtchn_port_t port, domid_t remote);

#endif
