// SPDX-License-Identifier: Apache-2.0
/*
 * Physical interrupts. Each one is either Punt's own (a handler runs and the
 * interrupt is completed at once) or forwarded to the domain that owns the
 * device (the guest completes it through the virtual GIC). Unclaimed
 * interrupts are disabled when they fire.
 */
#ifndef PUNT_IRQ_H
#define PUNT_IRQ_H

#include <stdint.h>

struct domain;

typedef void (*irq_handler_fn)(uint32_t intid);

void irq_register(uint32_t intid, irq_handler_fn fn);
int irq_assign_to_domain(uint32_t intid, struct domain *d);
struct domain *irq_owner(uint32_t intid);
/* Acknowledge and handle everything pending on this CPU. */
void irq_handle_pending(void);

#endif
