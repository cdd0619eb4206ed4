// SPDX-License-Identifier: Apache-2.0
/*
 * Punt's own (EL2 stage-1) address space. Punt identity-maps what it uses:
 * its image with W^X permissions, RAM read-write and never executable, and
 * the device frames of its drivers as Device-nGnRE. Mappings are only ever
 * added, never changed, so no break-before-make is needed. One lock
 * serialises table updates.
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <stdint.h>

enum mmu_attr {
	MMU_RX,	    /* text */
	MMU_RO,	    /* rodata, DTB, boot modules */
	MMU_RW,	    /* data, RAM: never executable */
	MMU_DEVICE, /* MMIO */
};

void mmu_build_boot_tables(uint64_t image_base);
void mmu_enable(void);
int mmu_map(uint64_t pa, uint64_t size, enum mmu_attr attr);
unsigned mmu_pa_bits(void);
uint64_t mmu_image_base(void);
uint64_t mmu_image_end(void);

#endif
