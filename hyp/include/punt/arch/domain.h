// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, a domain's architectural state (struct arch_domain,
 * punt/arch/types.h): its stage-2 map (punt/arch/p2m.h) and its virtual
 * devices (the interrupt controller, the timers, an emulated UART). All of
 * it is created with the domain (domain_create(), core/domain.c), before its
 * vCPUs, and destroyed with it; generic code never names a device. A device's
 * guest-physical registers are regions of the domain's MMIO registry
 * (punt/mmio.h), added by its set-up here and removed by
 * arch_domain_destroy().
 */
#ifndef PUNT_ARCH_DOMAIN_H
#define PUNT_ARCH_DOMAIN_H

#include <public/event_channel.h>
#include <public/xen.h>
#include <stdbool.h>
#include <stdint.h>

struct domain;

/* What a builder asks of the domain's virtual devices. */
struct arch_domain_config {
	/*
	 * The hardware domain's layout: the machine's own interrupt controller
	 * addresses and lines, and its physical shared interrupts may be
	 * forwarded to it (irq_assign_unclaimed(), punt/arch/irq.h). Otherwise
	 * Xen's guest layout (public/arch-arm.h) with nr_spis shared lines.
	 */
	bool hardware;
	unsigned nr_spis;
	/* An emulated SBSA UART at Xen's guest address (Xen's vpl011); ignored for the hardware
	 * domain. */
	bool vuart;
};

/*
 * At creation, before its vCPUs (d->id and d->max_vcpus set): an empty
 * stage-2 map, a virtual counter starting at zero (as on Xen) and the virtual
 * devices c asks for. 0, or -1 (out of memory, or a device's registers
 * refused by the MMIO registry, logged); arch_domain_destroy() undoes a
 * partial init.
 */
int arch_domain_init(struct domain *d, const struct arch_domain_config *c);
/*
 * Free everything of the above, whatever was set up: each device in the
 * reverse order of their set-up, then every MMIO region of d, then its map.
 * Nothing may use d's map or devices any more.
 */
void arch_domain_destroy(struct domain *d);

/* Whether d has an emulated UART served by Punt's console (console input goes to it). */
bool arch_domain_has_vuart(const struct domain *d);
/*
 * The toolstack's emulated UART (Xen public/domctl.h, XEN_DOMCTL_vuart_op INIT), for a
 * domain whose creation has not finished: an SBSA UART at Xen's guest address, served
 * through the console ring (Xen public/io/console.h) in d's own RAM page at gfn, whose
 * other end is domain `backend`'s; *port is the event channel of d's, unbound for
 * backend, that the hypervisor holds for the ring (evtchn_alloc_hyp_unbound()).
 * -EINVAL when d already has an emulated UART, gfn is not a page of d's own RAM or d has
 * no interrupt line for it; -ENOMEM, -ENOSPC when out of memory or ports.
 */
int arch_vuart_connect(struct domain *d, uint64_t gfn, domid_t backend, evtchn_port_t *port);
/*
 * Whether one of d's virtual devices reads or writes machine frame mfn (such a ring): the
 * page must stay d's while d lives. Called with d's lock held.
 */
bool arch_domain_uses_page(const struct domain *d, uint64_t mfn);
/* A byte typed on Punt's console for d's emulated UART; false if its receive FIFO is full. */
bool arch_vuart_receive(struct domain *d, char c);

#endif
