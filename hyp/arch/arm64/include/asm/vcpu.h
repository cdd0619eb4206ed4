// SPDX-License-Identifier: Apache-2.0
/*
 * The architectural state of a vCPU: everything a guest can change at EL1
 * and EL0 that must follow the vCPU when it leaves a physical CPU, plus the
 * state of its virtual GIC CPU interface.
 */
#ifndef ASM_VCPU_H
#define ASM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#define VGIC_MAX_LRS 16

struct arch_vcpu_sysregs {
	uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t esr, far, afsr0, afsr1, par, cpacr, cntkctl, csselr, mdscr;
	uint64_t cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
	uint64_t vmpidr;
};

struct arch_fp_state {
	__uint128_t q[32];
	uint64_t fpsr, fpcr;
};

/* Interrupts private to a vCPU: SGIs 0-15 and PPIs 16-31. */
struct vgic_private {
	uint32_t enabled, pending, active, edge, in_lr;
	uint8_t priority[32];
	uint64_t sgi_source[16]; /* for GICv3 not needed; kept for debug dumps */
};

struct arch_vcpu {
	struct arch_vcpu_sysregs sys;
	struct arch_fp_state fp;
	struct vgic_private vgic;
	uint64_t ich_vmcr, ich_ap0r[4], ich_ap1r[4];
	uint32_t lr_intid[VGIC_MAX_LRS]; /* vINTID held by each LR, when used */
	uint32_t lr_used;		 /* bitmap of LRs in use */
	uint64_t timer_deadline;	 /* physical count when its vtimer fires, 0 = none */
	bool ptimer_fired;		 /* the emulated physical timer raised its PPI */
	bool redist_waker_sleep;
};

struct vcpu;
struct cpu_regs;

void arch_vcpu_init(struct vcpu *v, uint64_t entry, uint64_t x0);
/* The virtual MPIDR of vCPU id (Aff0 = id % 16, Aff1 = id / 16), as dom0_fdt describes it. */
uint64_t vcpu_vmpidr(unsigned id);
void arch_vcpu_load(struct vcpu *v); /* put v's state on this CPU */
void arch_vcpu_save(struct vcpu *v); /* take it off */
/* Take it off for good (its domain is going): stop its timer, keep nothing. */
void arch_vcpu_drop(struct vcpu *v);
_Noreturn void arch_enter_guest(struct cpu_regs *frame);
/* The guest frame at the top of this CPU's stack. */
struct cpu_regs *arch_guest_frame(void);

#endif
