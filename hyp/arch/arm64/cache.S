// SPDX-License-Identifier: Apache-2.0
/*
 * Data cache maintenance by address range. Guests start with their MMU and
 * caches off, so whatever Punt writes into their memory must reach the point
 * of coherency first.
 */

/*
 * Applies `dc \op` to every line of [x0, x0 + x1), from the line holding x0, then waits for
 * it to complete. Uses x0-x3 and no stack.
 */
.macro dcache_by_line op
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	add	x1, x0, x1
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	\op, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
.endm

	.text
/* void arch_dcache_clean_inval_range(uint64_t start, uint64_t size) */
	.globl	arch_dcache_clean_inval_range
arch_dcache_clean_inval_range:
	dcache_by_line civac
	ret

/* void arch_dcache_clean_range(uint64_t start, uint64_t size) */
	.globl	arch_dcache_clean_range
arch_dcache_clean_range:
	dcache_by_line cvac
	ret

/*
 * void arch_dcache_invalidate_keep_edges(uint64_t start, uint64_t size)
 * For a guest's GNTTABOP_cache_flush(GNTTAB_CACHE_INVAL): a line the range only partly
 * covers is cleaned and invalidated (the bytes outside the range stay), the others are
 * invalidated. Uses x0-x4 and no stack.
 */
	.globl	arch_dcache_invalidate_keep_edges
arch_dcache_invalidate_keep_edges:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	sub	x4, x2, #1
	add	x1, x0, x1		/* end of the range */
	dsb	sy			/* earlier writes to the range reach the cache first */
	tst	x0, x4
	b.eq	1f
	bic	x0, x0, x4
	dc	civac, x0
	add	x0, x0, x2
1:	tst	x1, x4
	b.eq	2f
	bic	x1, x1, x4
	dc	civac, x1
2:	cmp	x0, x1
	b.hs	3f
	dc	ivac, x0
	add	x0, x0, x2
	b	2b
3:	dsb	sy
	ret

/*
 * void dcache_invalidate_range(uint64_t start, uint64_t size)
 * Discards lines without writing them back: only for whole lines (callers pass pages) whose
 * memory was written with the data cache off, so a line still held from before, clean or
 * dirty, must not be read or written back over it. Uses no stack.
 */
	.globl	dcache_invalidate_range
dcache_invalidate_range:
	dcache_by_line ivac
	ret

/* void icache_invalidate_all(void) */
	.globl	icache_invalidate_all
icache_invalidate_all:
	ic	ialluis
	dsb	ish
	isb
	ret

/*
 * void arch_zero_pages(uint64_t pa, uint64_t bytes): pa and bytes are multiples of 4 KiB.
 * DC ZVA zeroes one block of DCZID_EL0.BS words per instruction (Arm ARM, DC ZVA); EL2
 * may always use it (DCZID_EL0.DZP only forbids it at EL0/EL1 as configured), but check
 * DZP anyway and fall back to stores. The block is at most 2 KiB, so a page is whole blocks.
 */
	.globl	arch_zero_pages
arch_zero_pages:
	add	x1, x0, x1
	mrs	x2, dczid_el0
	tbnz	x2, #4, 2f		/* DZP: DC ZVA prohibited */
	and	x2, x2, #0xf
	mov	x3, #4
	lsl	x3, x3, x2		/* block size in bytes */
1:	dc	zva, x0
	add	x0, x0, x3
	cmp	x0, x1
	b.lo	1b
	ret
2:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	2b
	ret
