// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
#include <public/xen.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/hypercall.h>

static const hypercall_fn hypercall_table[HYPERVISOR_NR_CALLS] = {
    [HYPERVISOR_platform_op] = do_platform_op,
    [HYPERVISOR_memory_op] = do_memory_op,
    [HYPERVISOR_xen_version] = do_xen_version,
    [HYPERVISOR_console_io] = do_console_io,
    [HYPERVISOR_grant_table_op] = do_grant_table_op,
    [HYPERVISOR_vm_assist] = do_vm_assist,
    [HYPERVISOR_vcpu_op] = do_vcpu_op,
    [HYPERVISOR_sched_op] = do_sched_op,
    [HYPERVISOR_event_channel_op] = do_evtchn_hypercall,
    [HYPERVISOR_hvm_op] = do_hvm_op,
};

/*
 * The one policy decision point. For now the policy is Xen's default for a
 * system with a single privileged domain: platform_op is for the control
 * domain only; everything else is open and checked by its handler.
 */
static int hypercall_permitted(struct domain *d, unsigned nr)
{
	if (nr == HYPERVISOR_platform_op && !d->privileged)
		return -XEN_EPERM;
	return 0;
}

void do_hypercall(struct vcpu *v, struct cpu_regs *regs)
{
	uint64_t nr = regs->x[16];
	long ret;

	if (nr >= HYPERVISOR_NR_CALLS || !hypercall_table[nr]) {
		ret = -XEN_ENOSYS;
	} else {
		ret = hypercall_permitted(v->domain, (unsigned)nr);
		if (!ret)
			ret = hypercall_table[nr](v, regs->x[0], regs->x[1], regs->x[2], regs->x[3],
						  regs->x[4]);
	}
	regs->x[0] = (uint64_t)ret;
}

long do_evtchn_hypercall(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
			 uint64_t a4)
{
	(void)a2;
	(void)a3;
	(void)a4;
	return do_event_channel_op(v, cmd, arg);
}
