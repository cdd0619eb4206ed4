// SPDX-License-Identifier: Apache-2.0
/*
 * Entry of a micro-guest: an arm64 Image header (Linux boot protocol) so a hypervisor loads it
 * as dom0's kernel, then the minimum to reach C at EL1 with the MMU off and x0 = DTB.
 */
	.section .head, "ax"
	.globl _head
_head:
	b	primary_entry		// code0
	.long	0			// code1
	.quad	0			// text_offset
	.quad	0			// image size incl. .bss: written by rt/imgsize.py
	.quad	0xa			// little endian, 4 KiB pages, anywhere in RAM
	.quad	0, 0, 0			// reserved
	.ascii	"ARM\x64"		// magic
	.long	0			// reserved (PE offset)

primary_entry:
	mov	x19, x0			// the DTB's address
	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	adrp	x1, boot_stack_top
	add	x1, x1, :lo12:boot_stack_top
	mov	sp, x1
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	adrp	x0, _head
	add	x0, x0, :lo12:_head
	bl	rt_relocate
	mov	x0, x19
	bl	rt_main
3:	wfi
	b	3b

/* PSCI CPU_ON entry: MMU off, x0 = the struct rt_secondary the boot CPU prepared. */
	.globl	secondary_entry
secondary_entry:
	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	ldr	x1, [x0]		// stack top
	mov	sp, x1
	bl	rt_secondary_main
4:	wfi
	b	4b

	.text
/* long rt_hypercall(nr, a0, a1, a2, a3, a4): HVC #0xEA1 with the number in x16. */
	.globl	rt_hypercall
rt_hypercall:
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	hvc	#0xea1
	ret

/* uint64_t rt_smccc(id, a1, a2, a3): SMCCC fast call through HVC #0. */
	.globl	rt_smccc
rt_smccc:
	hvc	#0
	ret

/* Exception vectors: save the interrupted context, hand it to C, restore on return. */
.macro	ventry kind
	.balign	0x80
	sub	sp, sp, #(34 * 8)
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	exception_common
.endm

	.balign	0x800
vectors:
	ventry	0	// current EL, SP_EL0: sync
	ventry	1	// irq
	ventry	2	// fiq
	ventry	3	// serror
	ventry	4	// current EL, SP_ELx: sync
	.balign	0x80		// current EL, SP_ELx: irq
	sub	sp, sp, #(34 * 8)
	stp	x0, x1, [sp, #0]
	/* Stamp the counter first: the timer-latency benchmark measures up to here. */
	mrs	x0, cntvct_el0
	adrp	x1, rt_irq_entry_ticks
	str	x0, [x1, :lo12:rt_irq_entry_ticks]
	mov	x0, #5
	b	exception_common
	ventry	6	// fiq
	ventry	7	// serror
	ventry	8	// lower EL, AArch64
	ventry	9
	ventry	10
	ventry	11
	ventry	12	// lower EL, AArch32
	ventry	13
	ventry	14
	ventry	15

exception_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x30, x1, [sp, #240]
	str	x2, [sp, #256]
	mov	x1, sp
	bl	rt_exception
	ldp	x30, x1, [sp, #240]
	ldr	x2, [sp, #256]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #(34 * 8)
	eret

	.bss
	.balign	8
	.globl	rt_irq_entry_ticks
rt_irq_entry_ticks:
	.quad	0
	.balign	16
	.space	16384
boot_stack_top:
