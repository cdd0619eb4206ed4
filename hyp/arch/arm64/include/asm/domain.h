// SPDX-License-Identifier: Apache-2.0
/*
 * Per-domain architectural state: the stage-2 translation and the virtual
 * distributor. The vGIC lock protects every field of `vgic` and the vgic
 * fields of the domain's vCPUs.
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <punt/spinlock.h>
#include <stdbool.h>
#include <stdint.h>

#define VGIC_MAX_INTID 1020
#define VGIC_WORDS     (1024 / 32)

struct vgic_dist {
	spinlock_t lock;
	bool enabled_grp1;
	uint32_t ctlr;
	unsigned nr_lines;    /* SGIs + PPIs + SPIs, multiple of 32 */
	uint64_t dist_base;   /* guest-physical */
	uint64_t redist_base; /* guest-physical, 128 KiB per vCPU */
	uint32_t enabled[VGIC_WORDS], pending[VGIC_WORDS], active[VGIC_WORDS];
	uint32_t edge[VGIC_WORDS], hw[VGIC_WORDS], in_lr[VGIC_WORDS];
	uint8_t priority[1024];
	uint64_t irouter[1024];
	uint16_t target[1024]; /* vCPU each SPI goes to, from irouter */
};

struct arch_domain {
	uint64_t *p2m_root; /* stage-2 level-0 table */
	uint16_t vmid;
	spinlock_t p2m_lock;
	struct vgic_dist vgic;
	uint64_t cntvoff;
};

#endif
