// SPDX-License-Identifier: Apache-2.0
/*
 * Arm64's part of the arch contract that is types, not functions: the state
 * the architecture keeps in every domain (struct arch_domain), vCPU (struct
 * arch_vcpu) and physical CPU (struct arch_pcpu), the register frame, and the
 * one-instruction accessors the contract makes static inline (punt/arch/cpu.h).
 * Generic code includes this file through punt/domain.h and punt/cpu.h and
 * never names a field of these structures; only hyp/arch/arm64 does.
 *
 * Locking: the p2m lock protects the stage-2 tables; the vGIC lock protects
 * every field of `vgic` and the vgic fields of the domain's vCPUs. Both are
 * taken inside the domain's lock, never the other way round.
 */
#ifndef PUNT_ARCH_TYPES_H
#define PUNT_ARCH_TYPES_H

#include <punt/spinlock.h>
#include <stdbool.h>
#include <stdint.h>

struct pcpu;

/*
 * The register frame saved on every exception taken to EL2. entry.S and C
 * agree on this layout; asm/regs.h checks the offsets at compile time.
 */
struct cpu_regs {
	uint64_t x[31];
	uint64_t sp; /* EL2 SP before the exception; only meaningful for EL2 faults */
	uint64_t elr;
	uint64_t spsr;
};

#define VGIC_MAX_INTID 1020
#define VGIC_WORDS     (1024 / 32)
#define VGIC_MAX_LRS   16

/* The virtual distributor of a domain (vgic-v3.c). */
struct vgic_dist {
	spinlock_t lock;
	bool enabled_grp1;
	uint32_t ctlr;
	unsigned nr_lines;    /* SGIs + PPIs + SPIs, multiple of 32 */
	uint64_t dist_base;   /* guest-physical */
	uint64_t redist_base; /* guest-physical, 128 KiB per vCPU */
	uint32_t enabled[VGIC_WORDS], pending[VGIC_WORDS], active[VGIC_WORDS];
	uint32_t edge[VGIC_WORDS], hw[VGIC_WORDS], in_lr[VGIC_WORDS];
	uint8_t priority[1024];
	uint64_t irouter[1024];
	uint16_t target[1024]; /* vCPU each SPI goes to, from irouter */
};

/*
 * Per-domain architectural state: the stage-2 translation and the virtual
 * devices' state, one field each (asm/vdev.h).
 */
struct arch_domain {
	uint64_t *p2m_root;  /* stage-2 level-0 table */
	uint64_t p2m_tables; /* pages of stage-2 tables, the root included (p2m_lock) */
	uint16_t vmid;
	spinlock_t p2m_lock;
	unsigned vdevs_started; /* devices whose init was called (domain.c) */
	struct vgic_dist vgic;	/* vgic-v3.c */
	uint64_t cntvoff;	/* vtimer.c */
	void *vuart;		/* vpl011.c: its state, or NULL */
};

/*
 * The architectural state of a vCPU: everything a guest can change at EL1
 * and EL0 that must follow the vCPU when it leaves a physical CPU, plus the
 * state of its virtual GIC CPU interface.
 */
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

/*
 * Interrupts private to a vCPU: SGIs 0-15 and PPIs 16-31; and the SPIs that may concern it.
 * spi_words is the summary that spares the entry path a scan of every SPI word: bit w set
 * when SPIs 32w..32w+31 may hold one routed to this vCPU that is pending and enabled, or
 * active. Every change that can make an SPI such a candidate sets its target's bit
 * (vgic-v3.c, spi_note()); arch_vcpu_flush_interrupts() clears a bit once its word holds no
 * candidate for the vCPU. A bit set with nothing behind it costs one look; a candidate
 * without its bit would never reach a list register.
 */
struct vgic_private {
	uint32_t enabled, pending, active, edge, in_lr;
	uint32_t spi_words;
	uint8_t priority[32];
	uint64_t sgi_source[16]; /* for GICv3 not needed; kept for debug dumps */
};

struct arch_vcpu {
	struct cpu_regs regs; /* general registers while not in the frame */
	struct arch_vcpu_sysregs sys;
	struct arch_fp_state fp;
	struct vgic_private vgic;
	uint64_t ich_vmcr, ich_ap0r[4], ich_ap1r[4];
	uint32_t lr_intid[VGIC_MAX_LRS]; /* vINTID held by each LR, when used */
	uint32_t lr_used;		 /* LRs 0..lr_used-1 in use */
	bool uie;			 /* ICH_HCR_EL2.UIE was set by the last flush */
	bool ptimer_fired;		 /* the emulated physical timer raised its PPI */
	bool redist_waker_sleep;
};

/* What only Arm64 knows of a physical CPU. First in struct pcpu: head.S reads stack_top. */
struct arch_pcpu {
	uint64_t stack_top; /* read by head.S: must stay first */
	uint64_t stack_base;
	uint64_t redist_base; /* physical GIC redistributor of this CPU */
};

/* punt/arch/cpu.h: TPIDR_EL2 holds this CPU's struct pcpu (smp.c). */
static inline struct pcpu *arch_this_cpu(void)
{
	uint64_t p;

	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(p));
	return (struct pcpu *)p;
}

/* punt/arch/cpu.h: with interrupts masked at EL2, WFI ends when one is pending. */
static inline void arch_cpu_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

#endif
