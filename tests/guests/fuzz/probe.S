// SPDX-License-Identifier: Apache-2.0
/*
 * Instructions the fuzzer expects to fault. Each probe is one faulting instruction followed
 * by `ret`, all between fz_probe_start and fz_probe_end: the fuzzer's fault hook accepts an
 * UNDEF, a data abort or an SError only when ELR lies in this range, and then resumes at the
 * next instruction (the `ret`), so x0 keeps whatever the probe left in it.
 * Loads and stores take x0 = address, x1 = value. fz_dyn holds one page per vCPU whose first
 * word that vCPU rewrites with one system-register or exception-generating instruction
 * (MRS/MSR/SYS/HVC/SMC); a page each, so rewriting one does not disturb the others' code.
 */
	.text
	.balign	4096
	.globl	fz_probe_start
fz_probe_start:

.macro	probe name, insn:vararg
	.globl	\name
\name:
	\insn
	ret
.endm

	probe	fz_ldr64,  ldr x0, [x0]
	probe	fz_ldr32,  ldr w0, [x0]
	probe	fz_ldrh,   ldrh w0, [x0]
	probe	fz_ldrb,   ldrb w0, [x0]
	probe	fz_ldrsw,  ldrsw x0, [x0]
	probe	fz_ldrsb,  ldrsb x0, [x0]
	probe	fz_ldp,    ldp x0, x1, [x0]	// no valid ISS: cannot be emulated
	probe	fz_ldrpost, ldr x1, [x0], #8	// writeback: no valid ISS either
	probe	fz_ldar,   ldar x0, [x0]
	probe	fz_ldxr,   ldxr x0, [x0]
	probe	fz_str64,  str x1, [x0]
	probe	fz_str32,  str w1, [x0]
	probe	fz_strh,   strh w1, [x0]
	probe	fz_strb,   strb w1, [x0]
	probe	fz_stp,    stp x1, x1, [x0]
	probe	fz_strpre, str x1, [x0, #8]!
	probe	fz_stlr,   stlr x1, [x0]
	probe	fz_strzr,  str xzr, [x0]
	probe	fz_dczva,  dc zva, x0
	probe	fz_dccivac, dc civac, x0
	probe	fz_dcivac, dc ivac, x0
	probe	fz_smc0,   smc #0		// PSCI/SMCCC through SMC: x0..x3 as set

	.balign	4096
	.globl	fz_dyn
fz_dyn:
	.rept	8		// FZ_MAX_CPUS
	nop
	ret
	.balign	4096
	.endr

	.globl	fz_probe_end
fz_probe_end:

/* uint64_t fz_smccc(x0, x1, x2, x3) through SMC #0 (rt_smccc uses HVC #0). */
	.globl	fz_smccc_smc
fz_smccc_smc:
	b	fz_smc0

/*
 * PSCI CPU_ON entry of the fuzzer's own vCPUs: MMU off, x0 = the context the caller passed.
 * Each vCPU has one context (fz_entry_ctx[Aff0]); a different x0 means the hypervisor
 * started the vCPU with someone else's registers: it is noted in fz_bad_x0[Aff0] for the
 * vCPU to report, and the right context is used so the vCPU still starts.
 */
	.globl	fz_entry
fz_entry:
	mrs	x1, mpidr_el1
	and	x1, x1, #0xf
	adrp	x2, fz_entry_ctx
	add	x2, x2, :lo12:fz_entry_ctx
	ldr	x3, [x2, x1, lsl #3]
	cmp	x0, x3
	b.eq	1f
	adrp	x2, fz_bad_x0
	add	x2, x2, :lo12:fz_bad_x0
	str	x0, [x2, x1, lsl #3]
	mov	x0, x3
1:	b	secondary_entry
