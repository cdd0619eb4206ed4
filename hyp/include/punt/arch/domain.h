// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, a domain's architectural state (struct arch_domain,
 * punt/arch/types.h): its stage-2 map (punt/arch/p2m.h), its virtual
 * counter, and the virtual devices it is given: the interrupt controller and
 * an emulated UART. Created and destroyed with the domain (core/domain.c),
 * devices added by its builder before it first runs.
 */
#ifndef PUNT_ARCH_DOMAIN_H
#define PUNT_ARCH_DOMAIN_H

#include <stdbool.h>

struct domain;

/* The virtual devices a builder asks for. */
struct arch_domain_config {
	/*
	 * The hardware domain's layout: the machine's own interrupt controller
	 * addresses and lines, and its physical shared interrupts may be
	 * forwarded to it (irq_assign_unclaimed(), punt/arch/irq.h). Otherwise
	 * Xen's guest layout (public/arch-arm.h) with nr_spis shared lines.
	 */
	bool hardware;
	unsigned nr_spis;
	/* An emulated SBSA UART at Xen's guest address (Xen's vpl011), not for the hardware domain.
	 */
	bool vuart;
};

/*
 * At creation, before its vCPUs: an empty stage-2 map and a virtual counter
 * starting at zero (as on Xen). 0, or -1 out of memory; arch_domain_destroy()
 * undoes a partial init.
 */
int arch_domain_init(struct domain *d);
/* From the builder, before d first runs: its virtual devices. 0, or -1. */
int arch_domain_init_devices(struct domain *d, const struct arch_domain_config *c);
/* Free everything of the above (whatever was set up). Nothing may use d's map or devices any more.
 */
void arch_domain_destroy(struct domain *d);

/* Whether d has an emulated UART (console input goes to it). */
bool arch_domain_has_vuart(const struct domain *d);
/* A byte typed on Punt's console for d's emulated UART; false if its receive FIFO is full. */
bool arch_vuart_receive(struct domain *d, char c);

#endif
