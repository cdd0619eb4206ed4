// SPDX-License-Identifier: Apache-2.0
/*
 * Punt's own (EL2 stage-1) address space. Punt identity-maps what it uses:
 * its image with W^X permissions, RAM read-write and never executable, and
 * the device frames of its drivers as Device-nGnRE. Mappings are only ever
 * added, never changed, so no break-before-make is needed. One lock
 * serialises table updates. Mapping and the image's place are the contract's
 * (punt/arch/mm.h); the rest is for Arm64's boot path and stage-2.
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <punt/arch/mm.h>
#include <stdint.h>

void mmu_build_boot_tables(uint64_t image_base);
void mmu_enable(void);
unsigned mmu_pa_bits(void);

#endif
