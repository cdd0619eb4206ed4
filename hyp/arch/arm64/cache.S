// SPDX-License-Identifier: Apache-2.0
/*
 * Data cache maintenance by address range. Guests start with their MMU and
 * caches off, so whatever Punt writes into their memory must reach the point
 * of coherency first.
 */
	.text
/* void dcache_clean_inval_range(uint64_t start, uint64_t size) */
	.globl	dcache_clean_inval_range
dcache_clean_inval_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	add	x1, x0, x1
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	civac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/*
 * void dcache_invalidate_range(uint64_t start, uint64_t size)
 * Discards lines without writing them back: only for whole lines (callers pass pages) whose
 * memory was written with the data cache off, so a line still held from before, clean or
 * dirty, must not be read or written back over it. Uses no stack.
 */
	.globl	dcache_invalidate_range
dcache_invalidate_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	add	x1, x0, x1
1:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/* void icache_invalidate_all(void) */
	.globl	icache_invalidate_all
icache_invalidate_all:
	ic	ialluis
	dsb	ish
	isb
	ret
