// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, whole pages of memory. Implemented by hyp/arch/arm64
 * (and by hyp/arch/fake for the host unit tests).
 */
#ifndef PUNT_ARCH_PAGE_H
#define PUNT_ARCH_PAGE_H

#include <stdint.h>

/*
 * Zero [pa, pa + bytes), a page-aligned range of RAM mapped in Punt's identity map, as fast
 * as the CPU allows (on Arm64 a cache block at a time, DC ZVA). Domain memory is zeroed when
 * it is allocated, so this is what a guest's reboot or creation costs most.
 */
void arch_zero_pages(uint64_t pa, uint64_t bytes);

#endif
