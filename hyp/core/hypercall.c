// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
#include <public/xen.h>
#include <punt/cpu.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/policy.h>
#include <punt/arch/preempt.h>
#include <punt/sched.h>
#include <stddef.h>

static long do_multicall(struct vcpu *v, uint64_t list, uint64_t nr, uint64_t a2, uint64_t a3,
			 uint64_t a4);

static const hypercall_fn hypercall_table[HYPERVISOR_NR_CALLS] = {
    [HYPERVISOR_multicall] = do_multicall,   [HYPERVISOR_platform_op] = do_platform_op,
    [HYPERVISOR_memory_op] = do_memory_op,   [HYPERVISOR_xen_version] = do_xen_version,
    [HYPERVISOR_console_io] = do_console_io, [HYPERVISOR_grant_table_op] = do_grant_table_op,
    [HYPERVISOR_vm_assist] = do_vm_assist,   [HYPERVISOR_vcpu_op] = do_vcpu_op,
    [HYPERVISOR_sched_op] = do_sched_op,     [HYPERVISOR_event_channel_op] = do_evtchn_hypercall,
    [HYPERVISOR_hvm_op] = do_hvm_op,	     [HYPERVISOR_sysctl] = do_sysctl,
    [HYPERVISOR_domctl] = do_domctl,
};

/*
 * No check here: each handler asks the policy (punt/policy.h) where Xen asks XSM, after the
 * checks Xen makes first (platform_op, sysctl and domctl read and version-check their
 * argument, then ask policy_control()), so refusals come in Xen's order, and the common path
 * to every handler stays a tail call without a stack frame.
 */
static long dispatch(struct vcpu *v, uint64_t nr, const uint64_t *args)
{
	if (nr >= HYPERVISOR_NR_CALLS || !hypercall_table[nr])
		return -XEN_ENOSYS;
	return hypercall_table[nr](v, args[0], args[1], args[2], args[3], args[4]);
}

long do_hypercall(struct vcpu *v, uint64_t nr, const uint64_t args[5])
{
	return dispatch(v, nr, args);
}

/*
 * The multicall entry this CPU is running, if any. A hypercall runs to its end
 * on one CPU with interrupts masked, so per CPU is per vCPU here.
 */
struct multicall_state {
	struct multicall_entry *entry; /* NULL outside a multicall */
	bool preempted;		       /* the entry asked to be continued */
};

static struct multicall_state multicall_states[CONFIG_NR_CPUS];

bool hypercall_preempt_check(void)
{
	/*
	 * A sub-call that stopped the vCPU (SCHEDOP_block in a multicall, or its domain shutting
	 * down) ends the batch too, and so does a wake-up on this CPU that should preempt it.
	 */
	return arch_irq_pending() || current_vcpu()->state != VCPU_RUNNABLE ||
	       sched_resched_pending();
}

long hypercall_continue(unsigned n, const uint64_t *args)
{
	struct multicall_state *mc = &multicall_states[this_cpu_id()];

	if (mc->entry) {
		for (unsigned i = 0; i < n; i++)
			mc->entry->args[i] = args[i];
		mc->preempted = true;
		return (long)mc->entry->result;
	}
	arch_hypercall_restart(n, args);
	/* do_hypercall() writes this to x0: the first argument again, as restart set it. */
	return (long)args[0];
}

/* The rest of a multicall, from the entry at `at` on, is issued again. */
static long continue_multicall(uint64_t at, uint32_t left)
{
	return hypercall_continue(2, (const uint64_t[]){at, left});
}

/*
 * multicall (Xen public/xen.h, HYPERVISOR_multicall): each entry is dispatched
 * like a hypercall and only its result is written back. As on Xen 4.17
 * (common/multicall.c) nr_calls is 32 bits with no limit of its own: the
 * batch stops between entries when work waits and continues with the
 * remaining entries; an entry that is itself preempted is written back whole,
 * with its continuation arguments, and the multicall resumes at it. A
 * multicall inside a multicall is -EINVAL.
 */
static long do_multicall(struct vcpu *v, uint64_t list, uint64_t nr, uint64_t a2, uint64_t a3,
			 uint64_t a4)
{
	struct multicall_state *mc = &multicall_states[this_cpu_id()];
	uint32_t nr_calls = (uint32_t)nr; /* Xen: uint32_t nr_calls */

	(void)a2;
	(void)a3;
	(void)a4;
	if (mc->entry)
		return -XEN_EINVAL;
	for (uint32_t i = 0; i < nr_calls; i++) {
		struct multicall_entry e;
		uint64_t at = list + (uint64_t)i * sizeof(e);
		if (i && hypercall_preempt_check())
			return continue_multicall(at, nr_calls - i);
		if (copy_from_guest(&e, at, sizeof(e)))
			return -XEN_EFAULT;
		mc->entry = &e;
		mc->preempted = false;
		e.result = (uint64_t)dispatch(v, e.op, e.args);
		mc->entry = NULL;
		if (copy_to_guest(at + offsetof(struct multicall_entry, result), &e.result,
				  sizeof(e.result)))
			return -XEN_EFAULT;
		if (mc->preempted) {
			if (copy_to_guest(at, &e, sizeof(e)))
				return -XEN_EFAULT;
			return continue_multicall(at, nr_calls - i);
		}
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
