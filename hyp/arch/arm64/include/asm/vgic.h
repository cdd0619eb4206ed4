// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual GICv3 each domain sees: an emulated distributor and one
 * emulated redistributor per vCPU, with the CPU interface provided by the
 * hardware (ICH list registers). Software state in struct vgic_dist and
 * struct vgic_private is the truth; list registers are filled from it on
 * guest entry when its CPU has CPU_WORK_IRQ (arch_vcpu_flush_interrupts(),
 * punt/arch/irq.h; producers call vcpu_kick() or vcpu_irq_work()) and folded
 * back on exit when one is in use. A domain's instance is set up through its
 * descriptor (vgic_v3_vdev, asm/vdev.h).
 */
#ifndef ASM_VGIC_H
#define ASM_VGIC_H

#include <punt/arch/irq.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

/* Once at boot: the maintenance interrupt's INTID; then on every CPU. */
void vgic_init(uint32_t maint_intid);
void vgic_init_cpu(void);
void vgic_load(struct vcpu *v);
void vgic_save(struct vcpu *v);
void vgic_sync(struct vcpu *v); /* list registers -> software state, after exit */
/* Make intid pending: SGI/PPI for v, or an SPI of v's domain (v is then ignored). */
void vgic_inject(struct vcpu *v, uint32_t intid);
/* A physical SPI owned by d fired: inject it with the hardware bit set. */
void vgic_inject_hw_spi(struct domain *d, uint32_t intid);
void vgic_mark_hw(struct domain *d, uint32_t intid);
void vgic_sgi1r_write(struct vcpu *v, uint64_t value);
void vgic_dump(struct domain *d);
unsigned vgic_nr_lrs(void);

#endif
