// SPDX-License-Identifier: Apache-2.0
/*
 * vCPU state on and off a physical CPU. EL1 system registers, FP/SIMD and
 * the virtual timer move with the vCPU; the general registers live in the
 * frame at the top of the stack while the vCPU is loaded.
 */
#include <asm/gic.h>
#include <asm/p2m.h>
#include <asm/sysreg.h>
#include <asm/vcpu.h>
#include <asm/vdev.h>
#include <asm/vgic.h>
#include <asm/vtimer.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <punt/arch/cpu.h>
#include <punt/cpu.h>
#include <punt/domain.h>
#include <punt/string.h>

#define SCTLR_EL1_RESET	   0x30d00800UL
#define PSTATE_GUEST_RESET (PSR_MODE_EL1h | PSR_D | PSR_A | PSR_I | PSR_F)
#define HCR_GUEST                                                                                  \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_INNER | HCR_TWI |      \
	 HCR_TWE | HCR_TSC | HCR_RW)
#define MDCR_TPMCR (1UL << 5)
#define MDCR_TPM   (1UL << 6)

_Static_assert(offsetof(struct arch_fp_state, fpsr) == 0x200, "fpsimd.S layout");

void fpsimd_save(struct arch_fp_state *s);
void fpsimd_restore(const struct arch_fp_state *s);

struct cpu_regs *arch_guest_frame(void)
{
	return (struct cpu_regs *)(this_cpu()->arch.stack_top - sizeof(struct cpu_regs));
}

uint64_t vcpu_vmpidr(unsigned id)
{
	return (1UL << 31) | (id % 16) | ((uint64_t)(id / 16) << 8);
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	memset(&v->arch.regs, 0, sizeof(v->arch.regs));
	v->arch.regs.x[0] = x0;
	v->arch.regs.elr = entry;
	v->arch.regs.spsr = PSTATE_GUEST_RESET;
	memset(&v->arch.sys, 0, sizeof(v->arch.sys));
	v->arch.sys.sctlr = SCTLR_EL1_RESET;
	v->arch.sys.vmpidr = vcpu_vmpidr(v->id);
	memset(&v->arch.fp, 0, sizeof(v->arch.fp));
	vdev_vcpu_reset(v);
	v->needs_load = true;
}

/* AArch64 EL0t, EL1t or EL1h, nothing else (Xen arch/arm/domain.c is_guest_pv64_psr). */
static bool guest_mode(uint64_t psr)
{
	uint64_t mode = psr & 0x1f; /* M[4] set: AArch32 */

	return mode == 0x0 || mode == 0x4 || mode == PSR_MODE_EL1h;
}

int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	const struct vcpu_guest_core_regs *r = &c->user_regs;

	if (!guest_mode(r->cpsr) || (r->spsr_el1 && !guest_mode(r->spsr_el1)))
		return -XEN_EINVAL;
	arch_vcpu_reset(v, r->pc64, r->x[0]);
	memcpy(v->arch.regs.x, r->x, sizeof(v->arch.regs.x));
	v->arch.regs.spsr = r->cpsr;
	v->arch.sys.sctlr = c->sctlr;
	v->arch.sys.tcr = c->ttbcr;
	v->arch.sys.ttbr0 = c->ttbr0;
	v->arch.sys.ttbr1 = c->ttbr1;
	v->arch.sys.sp_el0 = r->sp_el0;
	v->arch.sys.sp_el1 = r->sp_el1;
	v->arch.sys.elr_el1 = r->elr_el1;
	v->arch.sys.spsr_el1 = r->spsr_el1;
	return 0;
}

void arch_vcpu_init(struct vcpu *v)
{
	arch_vcpu_reset(v, 0, 0);
}

uint64_t arch_vcpu_pc(const struct vcpu *v)
{
	return v->arch.regs.elr;
}

_Noreturn void arch_run_guests(void)
{
	arch_enter_guest(arch_guest_frame());
}

/*
 * Registers are moved two at a time, in the structure's order, so that each pair of fields
 * is one STP or LDP (struct arch_vcpu_sysregs).
 */
static void sysregs_save(struct arch_vcpu_sysregs *s)
{
	uint64_t a, b;

	a = read_sysreg(sctlr_el1);
	b = read_sysreg(ttbr0_el1);
	s->sctlr = a;
	s->ttbr0 = b;
	a = read_sysreg(ttbr1_el1);
	b = read_sysreg(tcr_el1);
	s->ttbr1 = a;
	s->tcr = b;
	a = read_sysreg(mair_el1);
	b = read_sysreg(amair_el1);
	s->mair = a;
	s->amair = b;
	a = read_sysreg(vbar_el1);
	b = read_sysreg(contextidr_el1);
	s->vbar = a;
	s->contextidr = b;
	a = read_sysreg(tpidr_el0);
	b = read_sysreg(tpidrro_el0);
	s->tpidr_el0 = a;
	s->tpidrro_el0 = b;
	a = read_sysreg(tpidr_el1);
	b = read_sysreg(sp_el0);
	s->tpidr_el1 = a;
	s->sp_el0 = b;
	a = read_sysreg(sp_el1);
	b = read_sysreg(elr_el1);
	s->sp_el1 = a;
	s->elr_el1 = b;
	a = read_sysreg(spsr_el1);
	b = read_sysreg(esr_el1);
	s->spsr_el1 = a;
	s->esr = b;
	a = read_sysreg(far_el1);
	b = read_sysreg(afsr0_el1);
	s->far = a;
	s->afsr0 = b;
	a = read_sysreg(afsr1_el1);
	b = read_sysreg(par_el1);
	s->afsr1 = a;
	s->par = b;
	a = read_sysreg(cpacr_el1);
	b = read_sysreg(cntkctl_el1);
	s->cpacr = a;
	s->cntkctl = b;
	a = read_sysreg(csselr_el1);
	b = read_sysreg(mdscr_el1);
	s->csselr = a;
	s->mdscr = b;
}

static void sysregs_restore(const struct arch_vcpu_sysregs *s)
{
	uint64_t a, b;

	a = s->sctlr;
	b = s->ttbr0;
	write_sysreg(sctlr_el1, a);
	write_sysreg(ttbr0_el1, b);
	a = s->ttbr1;
	b = s->tcr;
	write_sysreg(ttbr1_el1, a);
	write_sysreg(tcr_el1, b);
	a = s->mair;
	b = s->amair;
	write_sysreg(mair_el1, a);
	write_sysreg(amair_el1, b);
	a = s->vbar;
	b = s->contextidr;
	write_sysreg(vbar_el1, a);
	write_sysreg(contextidr_el1, b);
	a = s->tpidr_el0;
	b = s->tpidrro_el0;
	write_sysreg(tpidr_el0, a);
	write_sysreg(tpidrro_el0, b);
	a = s->tpidr_el1;
	b = s->sp_el0;
	write_sysreg(tpidr_el1, a);
	write_sysreg(sp_el0, b);
	a = s->sp_el1;
	b = s->elr_el1;
	write_sysreg(sp_el1, a);
	write_sysreg(elr_el1, b);
	a = s->spsr_el1;
	b = s->esr;
	write_sysreg(spsr_el1, a);
	write_sysreg(esr_el1, b);
	a = s->far;
	b = s->afsr0;
	write_sysreg(far_el1, a);
	write_sysreg(afsr0_el1, b);
	a = s->afsr1;
	b = s->par;
	write_sysreg(afsr1_el1, a);
	write_sysreg(par_el1, b);
	a = s->cpacr;
	b = s->cntkctl;
	write_sysreg(cpacr_el1, a);
	write_sysreg(cntkctl_el1, b);
	a = s->csselr;
	b = s->mdscr;
	write_sysreg(csselr_el1, a);
	write_sysreg(mdscr_el1, b);
	write_sysreg(vmpidr_el2, s->vmpidr);
}

/*
 * The guest's general registers between the exception frame and the vCPU, copied twice on
 * every switch: 17 load/store pairs in a row instead of memcpy's loops.
 */
static inline void copy_regs(struct cpu_regs *dst, const struct cpu_regs *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;

	_Static_assert(sizeof(*dst) % 16 == 0, "the frame is whole pairs of registers");
#pragma GCC unroll 17
	for (unsigned i = 0; i < sizeof(*dst) / 8; i += 2) {
		uint64_t a = s[i], b = s[i + 1];
		d[i] = a;
		d[i + 1] = b;
	}
}

void arch_vcpu_load(struct vcpu *v)
{
	struct domain *d = v->domain;

	write_sysreg(hcr_el2, HCR_GUEST);
	write_sysreg(cptr_el2, CPTR_EL2_RES1 & ~(1UL << 10));
	write_sysreg(mdcr_el2, MDCR_TPM | MDCR_TPMCR);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	write_sysreg(cntvoff_el2, d->arch.cntvoff);
	p2m_load(d);
	sysregs_restore(&v->arch.sys);
	fpsimd_restore(&v->arch.fp);
	vtimer_load(v);
	vgic_load(v);
	copy_regs(arch_guest_frame(), &v->arch.regs);
	isb();
}

void arch_vcpu_drop(struct vcpu *v)
{
	(void)v;
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(S3_4_C12_C11_0 /* ICH_HCR_EL2 */, 0);
	isb();
}

uint64_t arch_vcpu_save(struct vcpu *v)
{
	uint64_t wake;

	copy_regs(&v->arch.regs, arch_guest_frame());
	vgic_save(v);
	wake = vtimer_save(v);
	fpsimd_save(&v->arch.fp);
	sysregs_save(&v->arch.sys);
	return wake;
}
