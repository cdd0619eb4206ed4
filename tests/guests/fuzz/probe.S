// SPDX-License-Identifier: Apache-2.0
/*
 * Instructions the fuzzer expects to fault. Each probe is one faulting instruction followed
 * by `ret`, all between fz_probe_start and fz_probe_end: the fuzzer's fault hook accepts an
 * UNDEF, a data abort or an SError only when ELR lies in this range, and then resumes at the
 * next instruction (the `ret`), so x0 keeps whatever the probe left in it.
 * Loads and stores take x0 = address, x1 = value. fz_dyn is a slot the fuzzer rewrites
 * with one system-register or exception-generating instruction (MRS/MSR/SYS/HVC/SMC).
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

	.globl	fz_dyn
fz_dyn:
	nop
	ret

	.globl	fz_probe_end
fz_probe_end:
	.balign	4096

/* uint64_t fz_smccc(x0, x1, x2, x3) through SMC #0 (rt_smccc uses HVC #0). */
	.globl	fz_smccc_smc
fz_smccc_smc:
	b	fz_smc0
