// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
#include <public/sched.h>
#include <punt/arch/timer.h>
#include <punt/domain.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/sched.h>

#define SCHEDOP_yield		0
#define SCHEDOP_block		1
#define SCHEDOP_shutdown	2
#define SCHEDOP_poll		3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code	5
#define SCHEDOP_watchdog	6
#define POLL_MAX_PORTS		128

static bool port_pending(struct domain *d, uint32_t port)
{
	return __atomic_load_n(&d->shared_info->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) &
	       (1UL << (port % 64));
}

static long poll(struct vcpu *v, uint64_t arg)
{
	struct sched_poll p;
	uint32_t ports[POLL_MAX_PORTS];

	if (copy_from_guest(&p, arg, sizeof(p)))
		return -XEN_EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (copy_from_guest(ports, p.ports_gva, p.nr_ports * sizeof(uint32_t)))
		return -XEN_EFAULT;
	for (uint32_t i = 0; i < p.nr_ports; i++) {
		if (ports[i] >= v->domain->max_evtchns)
			return -XEN_EINVAL;
		if (port_pending(v->domain, ports[i]))
			return 0;
	}
	if (p.timeout && p.timeout <= arch_now_ns())
		return 0;
	/* Any interrupt for this vCPU (an event upcall among them) or the timeout ends it. */
	v->wake_deadline = p.timeout ? arch_ns_to_count(p.timeout) : 0;
	vcpu_block_current();
	return 0;
}

/* Xen's order of checks: the argument, the domain (by id: DOMID_SELF is none), the right. */
static long remote_shutdown(struct vcpu *v, uint64_t arg)
{
	struct sched_remote_shutdown s;
	struct domain *d;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -XEN_EFAULT;
	d = domain_lookup(s.domid);
	if (!d)
		return -XEN_ESRCH;
	if (!v->domain->privileged)
		return -XEN_EPERM;
	if (s.reason > SHUTDOWN_soft_reset)
		return -XEN_EINVAL;
	domain_shutdown(d, (int)s.reason);
	return 0;
}

/*
 * Xen takes the command as an int (xen/include/hypercall-defs.c): x0's upper half is ignored.
 * Every command is non-negative, so the low half compared unsigned gives the same answers.
 */
long do_sched_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4)
{
	(void)a2;
	(void)a3;
	(void)a4;
	/* The hot operation has a path of its own. */
	if ((uint32_t)cmd == SCHEDOP_yield) {
		sched_yield_current();
		return 0;
	}
	switch ((uint32_t)cmd) {
	case SCHEDOP_block:
		v->wake_deadline = 0;
		vcpu_block_current();
		return 0;
	case SCHEDOP_shutdown: {
		struct sched_shutdown s;
		if (copy_from_guest(&s, arg, sizeof(s)))
			return -XEN_EFAULT;
		if (s.reason > SHUTDOWN_soft_reset)
			return -XEN_EINVAL;
		domain_shutdown(v->domain, (int)s.reason);
		return 0;
	}
	case SCHEDOP_poll:
		return poll(v, arg);
	case SCHEDOP_remote_shutdown:
		return remote_shutdown(v, arg);
	case SCHEDOP_shutdown_code: {
		struct sched_shutdown s;
		if (copy_from_guest(&s, arg, sizeof(s)))
			return -XEN_EFAULT;
		v->domain->shutdown_code = (int)s.reason;
		return 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}
