// SPDX-License-Identifier: Apache-2.0
#include <asm/sysreg.h>
#include <asm/timer.h>
#include <asm/vdev.h>
#include <asm/vgic.h>
#include <asm/vptimer.h>
#include <asm/vtimer.h>
#include <punt/cpu.h>
#include <punt/domain.h>
#include <punt/arch/irq.h>

static void vtimer_fired(uint32_t intid)
{
	struct vcpu *v = this_cpu()->current;
	uint64_t ctl = read_sysreg(cntv_ctl_el0);

	if (!v || !(ctl & CNT_CTL_ENABLE) || !(ctl & CNT_CTL_ISTATUS) || (ctl & CNT_CTL_IMASK))
		return;
	/* Masked until the guest re-arms it, or it would fire again at once. */
	write_sysreg(cntv_ctl_el0, ctl | CNT_CTL_IMASK);
	isb();
	vgic_inject(v, intid);
}

void vtimer_init(void)
{
	irq_register(timer_vtimer_intid(), vtimer_fired);
}

/* A domain's virtual counter starts at zero when it is created, as on Xen. */
static int vtimer_domain_init(struct domain *d, const struct arch_domain_config *c)
{
	(void)c;
	d->arch.cntvoff = arch_timer_count();
	return 0;
}

const struct vdev vtimer_vdev = {
    .name = "virtual timer",
    .init = vtimer_domain_init,
};

void vtimer_load(struct vcpu *v)
{
	write_sysreg(cntv_cval_el0, v->arch.sys.cntv_cval);
	write_sysreg(cntv_ctl_el0, v->arch.sys.cntv_ctl);
}

uint64_t vtimer_save(struct vcpu *v)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);
	uint64_t deadline = 0;

	v->arch.sys.cntv_ctl = ctl;
	v->arch.sys.cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	if ((ctl & CNT_CTL_ENABLE) && !(ctl & CNT_CTL_IMASK))
		deadline = v->arch.sys.cntv_cval + v->domain->arch.cntvoff;
	/* The emulated physical timer wakes a blocked vCPU just the same. */
	uint64_t p = arch_vcpu_emulated_timer_deadline(v);
	if (p && (!deadline || p < deadline))
		deadline = p;
	return deadline;
}
