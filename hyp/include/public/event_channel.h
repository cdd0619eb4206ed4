// SPDX-License-Identifier: MIT
#ifndef PUBLIC_EVENT_CHANNEL_H
#define PUBLIC_EVENT_CHANNEL_H

/*
 * event_channel_op (hypercall 32): x0 = command, x1 = argument (guest VA). Port 0 is never
 * allocated. Punt implements the 2-level ABI (bits in shared_info); EVTCHNOP_init_control
 * answers -XEN_ENOSYS so guests stay on it.
 */

#include "xen.h"

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq	  1
#define EVTCHNOP_bind_pirq	  2
#define EVTCHNOP_close		  3
#define EVTCHNOP_send		  4
#define EVTCHNOP_status		  5
#define EVTCHNOP_alloc_unbound	  6
#define EVTCHNOP_bind_ipi	  7
#define EVTCHNOP_bind_vcpu	  8
#define EVTCHNOP_unmask		  9
#define EVTCHNOP_reset		  10
#define EVTCHNOP_init_control	  11
#define EVTCHNOP_expand_array	  12
#define EVTCHNOP_set_priority	  13
#define EVTCHNOP_reset_cont	  14 /* EVTCHNOP_reset resumed after a preemption */

/* Allocate a port in dom that remote_dom may later bind to. */
struct evtchn_alloc_unbound {
	domid_t dom;
	domid_t remote_dom;
	evtchn_port_t port; /* out */
};
XEN_CHECK_SIZE(struct evtchn_alloc_unbound, 8);
XEN_CHECK_OFFSET(struct evtchn_alloc_unbound, dom, 0);
XEN_CHECK_OFFSET(struct evtchn_alloc_unbound, remote_dom, 2);
XEN_CHECK_OFFSET(struct evtchn_alloc_unbound, port, 4);

struct evtchn_bind_interdomain {
	domid_t remote_dom;
	uint16_t pad0;
	evtchn_port_t remote_port;
	evtchn_port_t local_port; /* out */
};
XEN_CHECK_SIZE(struct evtchn_bind_interdomain, 12);
XEN_CHECK_OFFSET(struct evtchn_bind_interdomain, remote_dom, 0);
XEN_CHECK_OFFSET(struct evtchn_bind_interdomain, remote_port, 4);
XEN_CHECK_OFFSET(struct evtchn_bind_interdomain, local_port, 8);

struct evtchn_bind_virq {
	uint32_t virq; /* VIRQ_* */
	uint32_t vcpu;
	evtchn_port_t port; /* out */
};
XEN_CHECK_SIZE(struct evtchn_bind_virq, 12);
XEN_CHECK_OFFSET(struct evtchn_bind_virq, virq, 0);
XEN_CHECK_OFFSET(struct evtchn_bind_virq, vcpu, 4);
XEN_CHECK_OFFSET(struct evtchn_bind_virq, port, 8);

#define BIND_PIRQ__WILL_SHARE 1

struct evtchn_bind_pirq {
	uint32_t pirq;
	uint32_t flags;
	evtchn_port_t port; /* out */
};
XEN_CHECK_SIZE(struct evtchn_bind_pirq, 12);

struct evtchn_bind_ipi {
	uint32_t vcpu;
	evtchn_port_t port; /* out */
};
XEN_CHECK_SIZE(struct evtchn_bind_ipi, 8);
XEN_CHECK_OFFSET(struct evtchn_bind_ipi, vcpu, 0);
XEN_CHECK_OFFSET(struct evtchn_bind_ipi, port, 4);

struct evtchn_close {
	evtchn_port_t port;
};
XEN_CHECK_SIZE(struct evtchn_close, 4);

struct evtchn_send {
	evtchn_port_t port;
};
XEN_CHECK_SIZE(struct evtchn_send, 4);

#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq	       3
#define EVTCHNSTAT_virq	       4
#define EVTCHNSTAT_ipi	       5

struct evtchn_status {
	domid_t dom;
	uint16_t pad0;
	evtchn_port_t port;
	uint32_t status; /* out: EVTCHNSTAT_* */
	uint32_t vcpu;	 /* out: vCPU notified */
	union {
		struct {
			domid_t dom;
		} unbound;
		struct {
			domid_t dom;
			uint16_t pad0;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;
};
XEN_CHECK_SIZE(struct evtchn_status, 24);
XEN_CHECK_OFFSET(struct evtchn_status, dom, 0);
XEN_CHECK_OFFSET(struct evtchn_status, port, 4);
XEN_CHECK_OFFSET(struct evtchn_status, status, 8);
XEN_CHECK_OFFSET(struct evtchn_status, vcpu, 12);
XEN_CHECK_OFFSET(struct evtchn_status, u, 16);
XEN_CHECK_OFFSET(struct evtchn_status, u.unbound.dom, 16);
XEN_CHECK_OFFSET(struct evtchn_status, u.interdomain.dom, 16);
XEN_CHECK_OFFSET(struct evtchn_status, u.interdomain.port, 20);
XEN_CHECK_OFFSET(struct evtchn_status, u.pirq, 16);
XEN_CHECK_OFFSET(struct evtchn_status, u.virq, 16);

struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};
XEN_CHECK_SIZE(struct evtchn_bind_vcpu, 8);
XEN_CHECK_OFFSET(struct evtchn_bind_vcpu, port, 0);
XEN_CHECK_OFFSET(struct evtchn_bind_vcpu, vcpu, 4);

struct evtchn_unmask {
	evtchn_port_t port;
};
XEN_CHECK_SIZE(struct evtchn_unmask, 4);

struct evtchn_reset {
	domid_t dom;
};
XEN_CHECK_SIZE(struct evtchn_reset, 2);

/* FIFO ABI: defined so its size can be checked and rejected cleanly. */
struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits; /* out */
	uint8_t pad0[7];
};
XEN_CHECK_SIZE(struct evtchn_init_control, 24);
XEN_CHECK_OFFSET(struct evtchn_init_control, control_gfn, 0);
XEN_CHECK_OFFSET(struct evtchn_init_control, offset, 8);
XEN_CHECK_OFFSET(struct evtchn_init_control, vcpu, 12);
XEN_CHECK_OFFSET(struct evtchn_init_control, link_bits, 16);

/* FIFO ABI: add a page to the event array; -EOPNOTSUPP while the 2-level ABI is in use. */
struct evtchn_expand_array {
	uint64_t array_gfn;
};
XEN_CHECK_SIZE(struct evtchn_expand_array, 8);

/* FIFO ABI: a port's priority; the 2-level ABI has none (-ENOSYS for a valid port). */
struct evtchn_set_priority {
	evtchn_port_t port;
	uint32_t priority;
};
XEN_CHECK_SIZE(struct evtchn_set_priority, 8);

#endif
