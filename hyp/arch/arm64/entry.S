// SPDX-License-Identifier: Apache-2.0
/*
 * EL2 exception vectors. Exceptions from a guest save its general registers
 * in the frame at the top of this CPU's stack (SP_EL2 points just above it
 * while a guest runs) and call C. Exceptions taken at EL2 itself are always
 * fatal: they save a frame on the current stack and go to the crash report.
 */
#include <asm/regs.h>

.macro save_gprs
	stp	x0, x1, [sp, #REGS_X(0)]
	stp	x2, x3, [sp, #REGS_X(2)]
	stp	x4, x5, [sp, #REGS_X(4)]
	stp	x6, x7, [sp, #REGS_X(6)]
	stp	x8, x9, [sp, #REGS_X(8)]
	stp	x10, x11, [sp, #REGS_X(10)]
	stp	x12, x13, [sp, #REGS_X(12)]
	stp	x14, x15, [sp, #REGS_X(14)]
	stp	x16, x17, [sp, #REGS_X(16)]
	stp	x18, x19, [sp, #REGS_X(18)]
	stp	x20, x21, [sp, #REGS_X(20)]
	stp	x22, x23, [sp, #REGS_X(22)]
	stp	x24, x25, [sp, #REGS_X(24)]
	stp	x26, x27, [sp, #REGS_X(26)]
	stp	x28, x29, [sp, #REGS_X(28)]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #REGS_ELR]
.endm

.macro guest_exit handler
	sub	sp, sp, #REGS_SIZE
	str	x30, [sp, #REGS_X(30)]
	save_gprs
	mov	x29, xzr
	mov	x0, sp
	bl	\handler
	b	exit_to_guest
.endm

.macro hyp_fault kind
	sub	sp, sp, #REGS_SIZE
	str	x30, [sp, #REGS_X(30)]
	save_gprs
	add	x0, sp, #REGS_SIZE
	str	x0, [sp, #REGS_SP]
	mov	x0, sp
	mov	x1, #\kind
	bl	hyp_exception
1:	wfe
	b	1b
.endm

.macro vector label
	.balign	0x80
	b	\label
.endm

	.text
	.balign	2048
	.globl	el2_vectors
el2_vectors:
	vector	hyp_sync_sp0		/* current EL, SP_EL0: never used */
	vector	hyp_irq_sp0
	vector	hyp_fiq_sp0
	vector	hyp_serror_sp0
	vector	hyp_sync		/* current EL, SP_EL2 */
	vector	hyp_irq
	vector	hyp_fiq
	vector	hyp_serror
	vector	guest_sync_a64		/* lower EL, AArch64 */
	vector	guest_irq_a64
	vector	guest_fiq_a64
	vector	guest_serror_a64
	vector	guest_bad_a32		/* lower EL, AArch32: never allowed (HCR_EL2.RW) */
	vector	guest_bad_a32
	vector	guest_bad_a32
	vector	guest_bad_a32

hyp_sync_sp0:	hyp_fault 0
hyp_irq_sp0:	hyp_fault 1
hyp_fiq_sp0:	hyp_fault 2
hyp_serror_sp0:	hyp_fault 3
hyp_sync:	hyp_fault 0
hyp_irq:	hyp_fault 1
hyp_fiq:	hyp_fault 2
hyp_serror:	hyp_fault 3
guest_bad_a32:	hyp_fault 4
guest_fiq_a64:	hyp_fault 2

guest_sync_a64:
	guest_exit guest_sync
guest_irq_a64:
	guest_exit guest_irq
guest_serror_a64:
	guest_exit guest_serror

/*
 * guest_resume: enter the guest whose registers are in the frame at the top
 * of this CPU's stack. C calls arch_enter_guest(frame), which lands here.
 */
	.globl	arch_enter_guest
arch_enter_guest:
	mov	sp, x0
exit_to_guest:
	mov	x0, sp
	bl	guest_prepare_entry
guest_resume:
	ldp	x0, x1, [sp, #REGS_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #REGS_X(0)]
	ldp	x2, x3, [sp, #REGS_X(2)]
	ldp	x4, x5, [sp, #REGS_X(4)]
	ldp	x6, x7, [sp, #REGS_X(6)]
	ldp	x8, x9, [sp, #REGS_X(8)]
	ldp	x10, x11, [sp, #REGS_X(10)]
	ldp	x12, x13, [sp, #REGS_X(12)]
	ldp	x14, x15, [sp, #REGS_X(14)]
	ldp	x16, x17, [sp, #REGS_X(16)]
	ldp	x18, x19, [sp, #REGS_X(18)]
	ldp	x20, x21, [sp, #REGS_X(20)]
	ldp	x22, x23, [sp, #REGS_X(22)]
	ldp	x24, x25, [sp, #REGS_X(24)]
	ldp	x26, x27, [sp, #REGS_X(26)]
	ldp	x28, x29, [sp, #REGS_X(28)]
	ldr	x30, [sp, #REGS_X(30)]
	add	sp, sp, #REGS_SIZE
	eret
	dsb	nsh
	isb
