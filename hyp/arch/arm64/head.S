// SPDX-License-Identifier: Apache-2.0
/*
 * Entry points: the arm64 Image header that loaders understand, the boot
 * CPU's path to C and the secondary CPUs' path after PSCI CPU_ON.
 * The boot protocol (Linux Documentation/arch/arm64/booting) gives us EL2,
 * MMU off and the DTB's physical address in x0.
 */
#include <asm/sysreg.h>

.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

	.section .text.head, "ax"
	.globl	_start
_start:
	b	primary_entry
	.long	0
	.quad	0			/* text_offset: anywhere 2 MiB aligned */
	.quad	__image_size		/* memory the image needs, bss included */
	.quad	0xa			/* LE, 4K pages, placeable anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

primary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_at_el2
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	isb

	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	/* Apply R_AARCH64_RELATIVE relocations: *(base + off) = base + addend. */
	adr_l	x20, _start
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
3:	cmp	x1, x2
	b.hs	5f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #1027
	b.ne	4f
	add	x5, x5, x20
	str	x5, [x20, x3]
4:	b	3b
5:
	adr_l	x1, boot_stack
	add	x1, x1, #(1 << (12 + CONFIG_STACK_SIZE_ORDER))
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb

	mov	x0, x20
	bl	mmu_build_boot_tables
	/*
	 * Everything written so far (bss, relocations, page tables, stack) went to memory with the
	 * cache off. Lines the loader left in the cache for these addresses would hide it once the
	 * cache is on, or be written back over it: drop them.
	 */
	adr_l	x0, _start_image
	adr_l	x1, _end
	sub	x1, x1, x0
	bl	dcache_invalidate_range
	bl	mmu_enable
	mov	x0, x19
	bl	start_punt
	b	park

not_at_el2:
	/* Not started at EL2: nothing Punt can do, and no console yet. */
park:	wfe
	b	park

/*
 * Secondary CPUs arrive here from PSCI CPU_ON with x0 = their struct pcpu
 * (identity mapped, so its physical address is also its address later).
 * x0 holds: [0] stack top, and the rest is opaque to assembly.
 */
	.globl	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	isb
	ldr	x1, [x19]
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb
	bl	mmu_enable
	mov	x0, x19
	bl	secondary_start
	b	park

	.ltorg

	.section .bss.boot_stack, "aw", %nobits
	.balign	4096
	.globl	boot_stack
boot_stack:
	.space	(1 << (12 + CONFIG_STACK_SIZE_ORDER))
