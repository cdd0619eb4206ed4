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

#include <stdbool.h>

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

/* Whether d has an emulated UART (console input goes to it). */
bool arch_domain_has_vuart(const struct domain *d);
/* A byte typed on Punt's console for d's emulated UART; false if its receive FIFO is full. */
bool arch_vuart_receive(struct domain *d, char c);

#endif
