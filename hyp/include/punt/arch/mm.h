// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, Punt's own address space: Punt reaches machine memory
 * and devices at their machine addresses (an identity map), once they are
 * mapped here. Mappings are only added, never changed or removed; one lock
 * inside serialises them, so any CPU may call.
 */
#ifndef PUNT_ARCH_MM_H
#define PUNT_ARCH_MM_H

#include <stddef.h>
#include <stdint.h>

enum arch_mm_attr {
	ARCH_MM_RX,	/* Punt's text */
	ARCH_MM_RO,	/* read-only data, the DTB, boot modules */
	ARCH_MM_RW,	/* data and RAM: never executable */
	ARCH_MM_DEVICE, /* MMIO */
};

/* Map [pa, pa + size) (rounded out to pages) with attr. 0, or -1 out of table memory. */
int arch_mm_map(uint64_t pa, uint64_t size, enum arch_mm_attr attr);
/* Where Punt's image lies in machine memory: [base, end), page-aligned. */
uint64_t arch_mm_image_base(void);
uint64_t arch_mm_image_end(void);
/*
 * The image's GNU build-id, as the ELF note the linker wrote (an ELF note
 * header, "GNU", then the id; XENVER_build_id), and its size in bytes.
 */
const void *arch_image_build_id_note(size_t *size);

#endif
