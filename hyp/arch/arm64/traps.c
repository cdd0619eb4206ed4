// SPDX-License-Identifier: Apache-2.0
/*
 * Exceptions from guests. Every exit first folds the list registers back
 * into the vGIC state; entry.S then calls guest_prepare_entry, which picks
 * the vCPU to run and refills them.
 */
#include <asm/mmio.h>
#include <asm/p2m.h>
#include <public/arch-arm.h>
#include <asm/regs.h>
#include <asm/sysreg.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <asm/vpsci.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/hypercall.h>
#include <punt/arch/irq.h>
#include <punt/sched.h>

void guest_sync(struct cpu_regs *regs);
void guest_irq(struct cpu_regs *regs);
void guest_serror(struct cpu_regs *regs);
void sysreg_trap(struct vcpu *v, struct cpu_regs *regs, uint64_t esr);

static void log_guest_fault(struct vcpu *v, const char *what, uint64_t esr, uint64_t addr)
{
	static unsigned logged;

	if (logged++ < 50)
		printk("d%uv%u: %s (ESR %#lx, address %#lx, PC %#lx): abort injected\n",
		       v->domain->id, v->id, what, esr, addr, arch_guest_frame()->elr);
}

static void handle_hvc(struct vcpu *v, struct cpu_regs *regs, uint64_t esr)
{
	unsigned imm = esr & 0xffff;

	if (imm == XEN_HYPERCALL_TAG) {
		regs->x[0] = (uint64_t)do_hypercall(v, regs->x[16], regs->x);
	} else if (imm == 0) {
		vpsci_handle(v, regs);
	} else {
		/* ELR already points past the HVC: step back so the guest sees the UNDEF on it. */
		regs->elr -= 4;
		inject_undef(v);
	}
}

static void handle_data_abort(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	uint64_t ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (far & 0xfff);

	if (mmio_handle_abort(v, esr, ipa) || p2m_fault_was_transient(v->domain, esr, ipa))
		return;
	log_guest_fault(v, "data abort on unhandled address", esr, ipa);
	inject_data_abort(v, far);
}

static void handle_instruction_abort(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	uint64_t ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (far & 0xfff);

	if (p2m_fault_was_transient(v->domain, esr, ipa))
		return;
	log_guest_fault(v, "instruction fetch from unmapped address", esr, far);
	inject_instruction_abort(v, far);
}

void guest_sync(struct cpu_regs *regs)
{
	uint64_t esr = read_sysreg(esr_el2);
	struct vcpu *v = current_vcpu();

	vgic_sync(v);
	switch (esr >> ESR_EC_SHIFT) {
	case ESR_EC_HVC64:
		handle_hvc(v, regs, esr);
		break;
	case ESR_EC_SMC64:
		regs->elr += 4;
		vpsci_handle(v, regs);
		break;
	case ESR_EC_WFX:
		regs->elr += 4;
		if (esr & 1)
			sched_yield_current();
		else if (!arch_vcpu_has_pending_irq(v))
			vcpu_block_current();
		break;
	case ESR_EC_DABT_LOW:
		handle_data_abort(v, esr);
		break;
	case ESR_EC_IABT_LOW:
		handle_instruction_abort(v, esr);
		break;
	case ESR_EC_SYSREG:
		sysreg_trap(v, regs, esr);
		break;
	default:
		log_guest_fault(v, "unexpected trap", esr, 0);
		inject_undef(v);
		break;
	}
}

void guest_irq(struct cpu_regs *regs)
{
	(void)regs;
	vgic_sync(current_vcpu());
	irq_handle_pending();
}

void guest_serror(struct cpu_regs *regs)
{
	struct vcpu *v = current_vcpu();

	(void)regs;
	vgic_sync(v);
	printk("d%uv%u: SError from guest (ESR %#lx): forwarded as a virtual SError\n",
	       v->domain->id, v->id, read_sysreg(esr_el2));
	write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_VSE);
}
