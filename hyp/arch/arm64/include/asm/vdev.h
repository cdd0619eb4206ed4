// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual devices a domain can have, one descriptor each. A device is one
 * file (a `v` prefix: what a guest sees) defining its `struct vdev`, plus one
 * line in the table of domain.c; nothing else changes. arch_domain_init()
 * sets the devices up in table order, arch_domain_destroy() tears down in the
 * reverse order every device whose init was called, even one whose init failed
 * partway, then removes all of the domain's MMIO regions (punt/mmio.h), so a
 * device registers its regions in init and never removes them itself.
 * arch_vcpu_reset() resets each device's part of a vCPU in table order.
 *
 * A device keeps its per-domain state in struct arch_domain and its
 * per-vCPU state in struct arch_vcpu (punt/arch/types.h).
 */
#ifndef ASM_VDEV_H
#define ASM_VDEV_H

#include <punt/arch/domain.h>

struct domain;
struct vcpu;

struct vdev {
	const char *name; /* for the log */
	/*
	 * Give d its instance as c asks (or none: return 0), registering its
	 * MMIO regions. 0, or -1 with a log line. NULL: nothing per domain.
	 */
	int (*init)(struct domain *d, const struct arch_domain_config *c);
	/* Free what init allocated, whatever it got to. NULL: nothing to free. */
	void (*destroy)(struct domain *d);
	/* The device's state in v as at power-on (arch_vcpu_reset()). NULL: none. */
	void (*vcpu_reset)(struct vcpu *v);
};

extern const struct vdev vgic_v3_vdev; /* vgic-v3.c */
extern const struct vdev vtimer_vdev;  /* vtimer.c */
extern const struct vdev vptimer_vdev; /* vptimer.c */
extern const struct vdev vpl011_vdev;  /* vpl011.c */

/* Each device's vcpu_reset, in table order (domain.c). */
void vdev_vcpu_reset(struct vcpu *v);

#endif
