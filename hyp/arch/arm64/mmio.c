// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 data aborts: decode the access from ESR_EL2 (valid ISS only: a
 * guest's load/store pair or writeback access to MMIO cannot be emulated and
 * gets an abort, as on Xen), have the domain's MMIO registry run it
 * (punt/mmio.h), and advance the guest past the instruction.
 */
#include <asm/mmio.h>
#include <asm/regs.h>
#include <asm/sysreg.h>
#include <asm/vcpu.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/mmio.h>

#define ISS_ISV	     (1UL << 24)
#define ISS_SAS(esr) (((esr) >> 22) & 3)
#define ISS_SSE	     (1UL << 21)
#define ISS_SRT(esr) (((esr) >> 16) & 31)
#define ISS_SF	     (1UL << 15)
#define ISS_WNR	     (1UL << 6)

static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned shift = 64 - 8 * bytes;

	return (uint64_t)((int64_t)(v << shift) >> shift);
}

bool mmio_handle_abort(struct vcpu *v, uint64_t esr, uint64_t ipa)
{
	struct cpu_regs *regs = arch_guest_frame();

	if (!(esr & ISS_ISV))
		return false;
	unsigned rt = ISS_SRT(esr);
	struct mmio_access a = {
	    .addr = ipa,
	    .size = 1u << ISS_SAS(esr),
	    .write = esr & ISS_WNR,
	    .value = 0,
	};
	if (a.write)
		a.value = rt == 31 ? 0 : regs->x[rt];
	if (a.size < 8 && a.write)
		a.value &= (1UL << (8 * a.size)) - 1;
	if (!mmio_dispatch(&v->domain->mmio, v, &a))
		return false;
	if (!a.write && rt != 31) {
		uint64_t val = a.value;
		if (a.size < 8)
			val &= (1UL << (8 * a.size)) - 1;
		if (esr & ISS_SSE)
			val = sign_extend(val, a.size);
		if (!(esr & ISS_SF))
			val &= 0xffffffffUL;
		regs->x[rt] = val;
	}
	regs->elr += 4;
	return true;
}

/* Deliver a synchronous exception to the guest's EL1 vector (Arm ARM D1.10). */
static void inject_sync(struct vcpu *v, uint64_t esr, uint64_t far, bool set_far)
{
	struct cpu_regs *regs = arch_guest_frame();
	uint64_t spsr = regs->spsr;
	uint64_t vbar = read_sysreg(vbar_el1);
	uint64_t offset = (spsr & 0xf) == 0 ? 0x400 /* from EL0 */ : 0x200 /* EL1h */;

	(void)v;
	if ((spsr & 0xf) == 0x4)
		offset = 0x000; /* EL1t */
	write_sysreg(elr_el1, regs->elr);
	write_sysreg(spsr_el1, spsr);
	write_sysreg(esr_el1, esr);
	if (set_far)
		write_sysreg(far_el1, far);
	regs->elr = vbar + offset;
	regs->spsr = PSR_MODE_EL1h | PSR_D | PSR_A | PSR_I | PSR_F;
}

void inject_data_abort(struct vcpu *v, uint64_t va)
{
	struct cpu_regs *regs = arch_guest_frame();
	bool from_el0 = (regs->spsr & 0xf) == 0;
	/* EC data abort from lower/same EL, IL, DFSC 0x10: synchronous external abort. */
	uint64_t esr = ((uint64_t)(from_el0 ? 0x24 : 0x25) << ESR_EC_SHIFT) | ESR_IL | 0x10;

	inject_sync(v, esr, va, true);
}

void inject_instruction_abort(struct vcpu *v, uint64_t va)
{
	struct cpu_regs *regs = arch_guest_frame();
	bool from_el0 = (regs->spsr & 0xf) == 0;
	/* EC instruction abort from lower/same EL, IL, IFSC 0x10: synchronous external abort. */
	uint64_t esr = ((uint64_t)(from_el0 ? 0x20 : 0x21) << ESR_EC_SHIFT) | ESR_IL | 0x10;

	inject_sync(v, esr, va, true);
}

void inject_undef(struct vcpu *v)
{
	inject_sync(v, ESR_IL, 0, false);
}
