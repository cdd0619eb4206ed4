// SPDX-License-Identifier: Apache-2.0
#include <asm/sysreg.h>
#include <asm/timer.h>
#include <asm/vdev.h>
#include <asm/vgic.h>
#include <asm/vptimer.h>
#include <punt/cpu.h>
#include <punt/domain.h>

#define CNTP_TVAL_EL0 SYSREG_ISS(3, 3, 14, 2, 0)
#define CNTP_CTL_EL0  SYSREG_ISS(3, 3, 14, 2, 1)
#define CNTP_CVAL_EL0 SYSREG_ISS(3, 3, 14, 2, 2)

static bool expired(const struct vcpu *v, uint64_t now)
{
	return (v->arch.sys.cntp_ctl & CNT_CTL_ENABLE) && now >= v->arch.sys.cntp_cval;
}

/*
 * A new setting: the next expiry raises the interrupt again, and the pass before entry arms
 * the CPU's timer for it (CPU_WORK_TIMER, punt/cpu.h). Only the vCPU itself sets its timer.
 */
static void rearm(struct vcpu *v)
{
	v->arch.ptimer_fired = false;
	cpu_work_set(this_cpu_id(), CPU_WORK_TIMER);
}

bool vptimer_access(struct vcpu *v, uint32_t reg, bool read, uint64_t *val)
{
	uint64_t now = arch_timer_count();

	switch (reg) {
	case CNTP_CTL_EL0:
		if (read) {
			*val = v->arch.sys.cntp_ctl | (expired(v, now) ? CNT_CTL_ISTATUS : 0);
		} else {
			v->arch.sys.cntp_ctl = *val & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
			rearm(v);
		}
		return true;
	case CNTP_CVAL_EL0:
		if (read) {
			*val = v->arch.sys.cntp_cval;
		} else {
			v->arch.sys.cntp_cval = *val;
			rearm(v);
		}
		return true;
	case CNTP_TVAL_EL0:
		/* A signed 32-bit view of CVAL relative to now; the upper half reads as zero. */
		if (read) {
			*val = (uint32_t)(v->arch.sys.cntp_cval - now);
		} else {
			v->arch.sys.cntp_cval = now + (uint64_t)(int64_t)(int32_t)*val;
			rearm(v);
		}
		return true;
	default:
		return false;
	}
}

/* Disabled, and no expiry raised yet. */
static void vptimer_vcpu_reset(struct vcpu *v)
{
	v->arch.sys.cntp_ctl = 0;
	v->arch.sys.cntp_cval = 0;
	v->arch.ptimer_fired = false;
}

/* Its state is each vCPU's alone: nothing per domain. */
const struct vdev vptimer_vdev = {
    .name = "emulated physical timer",
    .vcpu_reset = vptimer_vcpu_reset,
};

uint64_t arch_vcpu_emulated_timer_deadline(const struct vcpu *v)
{
	uint64_t ctl = v->arch.sys.cntp_ctl;

	if (!(ctl & CNT_CTL_ENABLE) || (ctl & CNT_CTL_IMASK) || v->arch.ptimer_fired)
		return 0;
	return v->arch.sys.cntp_cval ? v->arch.sys.cntp_cval : 1;
}

void arch_vcpu_emulated_timer_check(struct vcpu *v)
{
	uint64_t when = arch_vcpu_emulated_timer_deadline(v);

	if (!when || arch_timer_count() < when)
		return;
	v->arch.ptimer_fired = true;
	/* Its deadline is gone: the CPU's timer must be armed without it. */
	cpu_work_set(this_cpu_id(), CPU_WORK_TIMER);
	vgic_inject(v, VPTIMER_PPI);
}
