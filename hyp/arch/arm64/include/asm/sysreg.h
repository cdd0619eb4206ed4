// SPDX-License-Identifier: Apache-2.0
/*
 * System register access and the bit definitions Punt uses. Register names
 * are passed straight to the assembler, so encodings the assembler knows by
 * name need no table here.
 */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#ifndef __ASSEMBLY__
#include <stdint.h>

#define read_sysreg(name)                                                                          \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));                                     \
		v_;                                                                                \
	})
#define write_sysreg(name, v) __asm__ volatile("msr " #name ", %0" ::"r"((uint64_t)(v)) : "memory")

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}
static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}
static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}
static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}
static inline void dmb_ish(void)
{
	__asm__ volatile("dmb ish" ::: "memory");
}
static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}
static inline void wfe(void)
{
	__asm__ volatile("wfe" ::: "memory");
}
static inline void sev(void)
{
	__asm__ volatile("sev" ::: "memory");
}
static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}
#endif

/* HCR_EL2 (Arm ARM D13.2.48) */
#define HCR_VM	      (1UL << 0)
#define HCR_SWIO      (1UL << 1)
#define HCR_FMO	      (1UL << 3)
#define HCR_IMO	      (1UL << 4)
#define HCR_AMO	      (1UL << 5)
#define HCR_VSE	      (1UL << 8)
#define HCR_FB	      (1UL << 9)
#define HCR_BSU_INNER (1UL << 10)
#define HCR_TWI	      (1UL << 13)
#define HCR_TWE	      (1UL << 14)
#define HCR_TSC	      (1UL << 19)
#define HCR_TACR      (1UL << 21)
#define HCR_TSW	      (1UL << 22)
#define HCR_RW	      (1UL << 31)

/* SCTLR_EL2 with the MMU off, caches off: only the RES1 bits. */
#define SCTLR_EL2_RES1 0x30C50830UL
#define SCTLR_M	       (1UL << 0)
#define SCTLR_C	       (1UL << 2)
#define SCTLR_SA       (1UL << 3)
#define SCTLR_I	       (1UL << 12)
#define SCTLR_WXN      (1UL << 19)

/* ESR_ELx exception classes (Arm ARM D17.2.37) */
#define ESR_EC_SHIFT   26
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_WFX     0x01
#define ESR_EC_FP      0x07
#define ESR_EC_HVC64   0x16
#define ESR_EC_SMC64   0x17
#define ESR_EC_SYSREG  0x18
/* ISS of a trapped MSR/MRS (EC 0x18): op0:op1:CRn:CRm:op2 as they sit in the ESR. */
#define SYSREG_ISS(op0, op1, crn, crm, op2)                                                        \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define SYSREG_ISS_MASK 0x3ffc1e
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR	0x2f
#define ESR_EC_BRK	0x3c
#define ESR_IL		(1UL << 25)

/* PSTATE / SPSR */
#define PSR_MODE_EL1h 0x5
#define PSR_F	      (1UL << 6)
#define PSR_I	      (1UL << 7)
#define PSR_A	      (1UL << 8)
#define PSR_D	      (1UL << 9)

/* CPTR_EL2 (non-VHE): RES1 bits 13:12, 9:0 and bit 10 TFP traps FP/SIMD. */
#define CPTR_EL2_RES1 0x000032FFUL

/* CNTHCTL_EL2 (non-VHE): EL1 may use the physical counter and timer. */
#define CNTHCTL_EL1PCTEN (1UL << 0)
#define CNTHCTL_EL1PCEN	 (1UL << 1)

#define CNT_CTL_ENABLE	(1UL << 0)
#define CNT_CTL_IMASK	(1UL << 1)
#define CNT_CTL_ISTATUS (1UL << 2)

#define MPIDR_AFF_MASK 0xff00ffffffUL

#endif
