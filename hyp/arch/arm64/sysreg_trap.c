// SPDX-License-Identifier: Apache-2.0
/*
 * Trapped system register accesses (EC 0x18). With HCR_EL2.IMO set the
 * guest's SGI generation registers trap here; PMU accesses trap because
 * MDCR_EL2 hides the PMU; the EL1 physical timer is emulated (vptimer.c).
 * Everything else a guest cannot reach is UNDEF.
 */
#include <asm/mmio.h>
#include <asm/regs.h>
#include <asm/sysreg.h>
#include <asm/vgic.h>
#include <asm/vptimer.h>
#include <punt/console.h>
#include <punt/domain.h>

#define ICC_SGI1R_EL1  SYSREG_ISS(3, 0, 12, 11, 5)
#define ICC_ASGI1R_EL1 SYSREG_ISS(3, 0, 12, 11, 6)
#define ICC_SGI0R_EL1  SYSREG_ISS(3, 0, 12, 11, 7)

void sysreg_trap(struct vcpu *v, struct cpu_regs *regs, uint64_t esr);

/*
 * PMU registers (Arm ARM D13.4): op0 3, CRn 9 with CRm 12-14, and the event
 * counters at op1 3, CRn 14, CRm 8-15. Guests have no PMU (none in their DT)
 * but Linux resets PMUSERENR_EL0 on every CPU: read as zero, ignore writes.
 */
static bool is_pmu_register(uint64_t esr)
{
	unsigned op0 = (esr >> 20) & 3, op1 = (esr >> 14) & 7;
	unsigned crn = (esr >> 10) & 15, crm = (esr >> 1) & 15;

	if (op0 != 3)
		return false;
	return (crn == 9 && crm >= 12) || (op1 == 3 && crn == 14 && crm >= 8);
}

void sysreg_trap(struct vcpu *v, struct cpu_regs *regs, uint64_t esr)
{
	uint32_t reg = esr & SYSREG_ISS_MASK;
	unsigned rt = (esr >> 5) & 31;
	bool read = esr & 1;
	uint64_t val = rt == 31 ? 0 : regs->x[rt];

	if (vptimer_access(v, reg, read, &val)) {
		if (read && rt != 31)
			regs->x[rt] = val;
		regs->elr += 4;
		return;
	}
	switch (reg) {
	case ICC_SGI1R_EL1:
	case ICC_ASGI1R_EL1:
		if (!read)
			vgic_sgi1r_write(v, val);
		break;
	case ICC_SGI0R_EL1:
		/* Group 0 does not exist for guests: ignored. */
		break;
	default: {
		static unsigned logged;
		if (is_pmu_register(esr))
			break;
		if (logged++ < 20)
			printk("d%uv%u: %s of system register op0=%lu op1=%lu CRn=%lu CRm=%lu "
			       "op2=%lu: UNDEF\n",
			       v->domain->id, v->id, read ? "read" : "write", (esr >> 20) & 3,
			       (esr >> 14) & 7, (esr >> 10) & 15, (esr >> 1) & 15, (esr >> 17) & 7);
		inject_undef(v);
		return;
	}
	}
	if (read && rt != 31)
		regs->x[rt] = 0;
	regs->elr += 4;
}
