// SPDX-License-Identifier: Apache-2.0
/*
 * Guest PSCI 1.1 and the SMCCC 1.1 discovery calls. Function IDs and return
 * codes from Arm DEN0022 (PSCI) and DEN0028 (SMCCC). Anything unknown gets
 * SMCCC's NOT_SUPPORTED in w0, which is what Linux probes for.
 */
#include <asm/psci.h>
#include <asm/sysreg.h>
#include <asm/regs.h>
#include <asm/vcpu.h>
#include <asm/vpsci.h>
#include <public/errno.h>
#include <public/sched.h>
#include <punt/domain.h>
#include <punt/sched.h>

#define PSCI_VERSION_1_1    0x00010001u
#define SMCCC_VERSION	    0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_VERSION_1_1   0x00010001u
#define SMCCC_NOT_SUPPORTED (-1L)

#define AFFINITY_ON  0
#define AFFINITY_OFF 1

static struct vcpu *vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		if (v && (v->arch.sys.vmpidr & MPIDR_AFF_MASK) == (mpidr & MPIDR_AFF_MASK))
			return v;
	}
	return NULL;
}

static int64_t cpu_on(struct vcpu *caller, uint64_t mpidr, uint64_t entry, uint64_t context)
{
	struct vcpu *v = vcpu_by_mpidr(caller->domain, mpidr);

	if (!v)
		return PSCI_INVALID_PARAMETERS;
	switch (vcpu_power_on(v, entry, context)) {
	case 0:
		return PSCI_SUCCESS;
	case -XEN_EEXIST:
		return PSCI_ALREADY_ON;
	default:
		return PSCI_DENIED; /* the domain is going away */
	}
}

static int64_t affinity_info(struct vcpu *caller, uint64_t mpidr, uint64_t level)
{
	struct vcpu *v;

	if (level != 0)
		return PSCI_INVALID_PARAMETERS;
	v = vcpu_by_mpidr(caller->domain, mpidr);
	if (!v)
		return PSCI_INVALID_PARAMETERS;
	return v->state == VCPU_OFFLINE ? AFFINITY_OFF : AFFINITY_ON;
}

static bool psci_supported(uint32_t fn)
{
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN_CPU_SUSPEND & ~PSCI_SMC32_MASK:
	case PSCI_0_2_FN_CPU_OFF:
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN_CPU_ON & ~PSCI_SMC32_MASK:
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN_AFFINITY_INFO & ~PSCI_SMC32_MASK:
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
	case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET:
	case PSCI_1_0_FN_PSCI_FEATURES:
	case SMCCC_VERSION:
		return true;
	default:
		return false;
	}
}

void vpsci_handle(struct vcpu *v, struct cpu_regs *regs)
{
	uint32_t fn = (uint32_t)regs->x[0];
	uint64_t a1 = regs->x[1], a2 = regs->x[2], a3 = regs->x[3];
	int64_t ret;

	/* SMC32/HVC32 calls pass 32-bit arguments. */
	if (!(fn & PSCI_SMC32_MASK)) {
		a1 &= 0xffffffffu;
		a2 &= 0xffffffffu;
		a3 &= 0xffffffffu;
	}
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN_CPU_SUSPEND & ~PSCI_SMC32_MASK:
		/* A standby request: behave as WFI. */
		ret = PSCI_SUCCESS;
		vcpu_block_current();
		break;
	case PSCI_0_2_FN_CPU_OFF:
		vcpu_set_online(v, false);
		ret = PSCI_SUCCESS;
		break;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN_CPU_ON & ~PSCI_SMC32_MASK:
		ret = cpu_on(v, a1, a2, a3);
		break;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN_AFFINITY_INFO & ~PSCI_SMC32_MASK:
		ret = affinity_info(v, a1, a2);
		break;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		ret = 2; /* no trusted OS that needs migrating */
		break;
	case PSCI_0_2_FN_SYSTEM_OFF:
		domain_shutdown(v->domain, SHUTDOWN_poweroff);
		return;
	case PSCI_0_2_FN_SYSTEM_RESET:
		domain_shutdown(v->domain, SHUTDOWN_reboot);
		return;
	case PSCI_1_0_FN_PSCI_FEATURES:
		ret = psci_supported((uint32_t)a1) ? 0 : PSCI_NOT_SUPPORTED;
		break;
	case SMCCC_VERSION:
		ret = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES:
	default:
		/* No firmware workarounds to offer: Linux treats NOT_SUPPORTED as "none". */
		ret = SMCCC_NOT_SUPPORTED;
		break;
	}
	regs->x[0] = (uint64_t)ret;
}
