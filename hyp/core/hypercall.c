// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
#include <public/xen.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/guest_access.h>
#include <punt/hypercall.h>
#include <stddef.h>

static long do_multicall(struct vcpu *v, uint64_t list, uint64_t nr, uint64_t a2, uint64_t a3,
			 uint64_t a4);

static const hypercall_fn hypercall_table[HYPERVISOR_NR_CALLS] = {
    [HYPERVISOR_multicall] = do_multicall,   [HYPERVISOR_platform_op] = do_platform_op,
    [HYPERVISOR_memory_op] = do_memory_op,   [HYPERVISOR_xen_version] = do_xen_version,
    [HYPERVISOR_console_io] = do_console_io, [HYPERVISOR_grant_table_op] = do_grant_table_op,
    [HYPERVISOR_vm_assist] = do_vm_assist,   [HYPERVISOR_vcpu_op] = do_vcpu_op,
    [HYPERVISOR_sched_op] = do_sched_op,     [HYPERVISOR_event_channel_op] = do_evtchn_hypercall,
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

static long dispatch(struct vcpu *v, uint64_t nr, const uint64_t *args)
{
	long ret;

	if (nr >= HYPERVISOR_NR_CALLS || !hypercall_table[nr])
		return -XEN_ENOSYS;
	ret = hypercall_permitted(v->domain, (unsigned)nr);
	if (ret)
		return ret;
	return hypercall_table[nr](v, args[0], args[1], args[2], args[3], args[4]);
}

void do_hypercall(struct vcpu *v, struct cpu_regs *regs)
{
	regs->x[0] = (uint64_t)dispatch(v, regs->x[16], regs->x);
}

/*
 * multicall: each entry is dispatched exactly like a hypercall and its result
 * written back. Punt completes calls without continuations, so a batch is
 * bounded to keep one CPU from being held for long; nesting is refused.
 */
#define MULTICALL_MAX_ENTRIES 512

static long do_multicall(struct vcpu *v, uint64_t list, uint64_t nr, uint64_t a2, uint64_t a3,
			 uint64_t a4)
{
	(void)a2;
	(void)a3;
	(void)a4;
	if (nr > MULTICALL_MAX_ENTRIES)
		return -XEN_EINVAL;
	for (uint64_t i = 0; i < nr; i++) {
		struct multicall_entry e;
		uint64_t at = list + i * sizeof(e);
		if (copy_from_guest(&e, at, sizeof(e)))
			return -XEN_EFAULT;
		e.result = e.op == HYPERVISOR_multicall ? (uint64_t)-XEN_EINVAL
							: (uint64_t)dispatch(v, e.op, e.args);
		if (copy_to_guest(at + offsetof(struct multicall_entry, result), &e.result,
				  sizeof(e.result)))
			return -XEN_EFAULT;
	}
	return 0;
}

long do_evtchn_hypercall(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
			 uint64_t a4)
{
	(void)a2;
	(void)a3;
	(void)a4;
	return do_event_channel_op(v, cmd, arg);
}
