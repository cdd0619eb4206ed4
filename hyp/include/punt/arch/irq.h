// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, interrupts. Physical ones: each line is either Punt's
 * own (a handler runs and the interrupt is completed at once) or forwarded to
 * the domain that owns the device (the guest completes it through its virtual
 * interrupt controller); an unclaimed interrupt is disabled when it fires.
 * Virtual ones: what generic code raises in a vCPU, and what it asks before
 * a vCPU sleeps or enters. Injection takes the domain's interrupt-controller
 * lock inside, so callers may hold the domain's lock but no run queue lock.
 */
#ifndef PUNT_ARCH_IRQ_H
#define PUNT_ARCH_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

/* ---- physical interrupts ---- */

typedef void (*irq_handler_fn)(uint32_t intid);

/* Punt handles intid with fn (called with the interrupt acknowledged, before it is completed). */
void irq_register(uint32_t intid, irq_handler_fn fn);
/* Let intid reach this CPU (a device's line Punt handles itself, e.g. its console UART). */
void irq_enable(uint32_t intid);
/* Forward the shared line intid to d. -1 if it is not one, or Punt handles it itself. */
int irq_assign_to_domain(uint32_t intid, struct domain *d);
/* Forward to d (the hardware domain) every shared line Punt does not handle; returns how many. */
unsigned irq_assign_unclaimed(struct domain *d);
/* The domain a physical line is forwarded to, or NULL. */
struct domain *irq_owner(uint32_t intid);
/* Acknowledge and handle everything pending on this CPU. */
void irq_handle_pending(void);

/* ---- virtual interrupts ---- */

/*
 * Raise the event channel upcall of v: the interrupt its domain's guests
 * take for events (d->evtchn_intid, Xen public/hvm/params.h
 * HVM_PARAM_CALLBACK_IRQ), and wake v if it sleeps.
 */
void arch_vcpu_raise_upcall(struct vcpu *v);
/* An enabled virtual interrupt is pending for v: WFI and SCHEDOP_block must not sleep. */
bool arch_vcpu_has_pending_irq(struct vcpu *v);
/* Last thing before v (loaded on this CPU) enters its guest: its pending interrupts go in. */
void arch_vcpu_flush_interrupts(struct vcpu *v);

#endif
