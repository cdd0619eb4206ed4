// SPDX-License-Identifier: Apache-2.0
/*
 * domctl (Xen public/domctl.h): the toolstack's operations on one domain, for the control
 * domain only. The checks come in Xen 4.17's order (Xen common/domctl.c do_domctl): the
 * envelope's version (-EACCES), the target's lookup (-ESRCH), then the policy (-EPERM), so
 * a refused caller sees what it would see on Xen. Operations Punt does not offer are
 * -ENOSYS, as Xen answers unknown Arm domctls; docs/control.md lists both.
 */
#include <public/domctl.h>
#include <public/errno.h>
#include <public/vcpu.h>
#include <punt/arch/guest_access.h>
#include <punt/arch/p2m.h>
#include <punt/control.h>
#include <punt/domain.h>
#include <punt/hypercall.h>
#include <punt/policy.h>
#include <punt/sched.h>
#include <punt/string.h>

void control_domain_info(struct domain *d, bool dead, struct xen_domctl_getdomaininfo *info)
{
	uint32_t flags = XEN_DOMINF_blocked;
	/* Xen reports its shutdown code even when running: all ones until one is set. */
	int code = d->dying ? d->shutdown_reason : d->shutdown_code;
	/* The lock keeps a setdomainhandle from tearing the handle under the copy. */
	struct domain_locked l = domain_lock(d);

	memset(info, 0, sizeof(*info));
	info->domain = d->id;
	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	/* Blocked only if every online vCPU is; running if any is on a CPU (Xen's rule). */
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu_runstate_info rs;
		if (!d->vcpus[i])
			continue;
		sched_runstate(d->vcpus[i], &rs);
		info->cpu_time += rs.time[RUNSTATE_running];
		info->max_vcpu_id = i;
		if (rs.state == RUNSTATE_offline)
			continue;
		if (rs.state != RUNSTATE_blocked)
			flags &= ~XEN_DOMINF_blocked;
		if (rs.state == RUNSTATE_running)
			flags |= XEN_DOMINF_running;
		info->nr_online_vcpus++;
	}
	info->flags = (info->nr_online_vcpus ? flags : 0) | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap |
		      (dead ? XEN_DOMINF_dying : 0) | (d->dying ? XEN_DOMINF_shutdown : 0) |
		      (uint32_t)code << XEN_DOMINF_shutdownshift;
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	/* Xen on Arm gives the machine frame of the domain's shared_info page (mfn_to_gfn is 1:1).
	 */
	info->shared_info_frame = (uint64_t)(uintptr_t)d->shared_info >> 12;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	domain_unlock(&l);
	info->gpaddr_bits = (uint8_t)p2m_ipa_bits();
	/* ssidref (no security labels), cpupool (one pool, 0) and arch_config stay 0, as on Xen. */
}

static void fill_info(struct domain *d, bool dead, void *ctx)
{
	control_domain_info(d, dead, ctx);
}

/*
 * getdomaininfo, Xen 4.17's rule (Xen common/domctl.c): the domain named, or else the first
 * one above it; -EINVAL for a reserved id, -ESRCH when none is left. The policy is asked only
 * once a domain is found, and the envelope's domain says which one was reported.
 */
static long getdomaininfo(struct domain *caller, uint64_t arg, struct xen_domctl *op)
{
	struct xen_domctl_getdomaininfo info;
	long rc;

	if (op->domain >= DOMID_FIRST_RESERVED)
		return -XEN_EINVAL;
	if (domain_visit_from(op->domain, fill_info, &info) < 0)
		return -XEN_ESRCH;
	rc = policy_control(caller, HYPERVISOR_domctl, op->cmd);
	if (rc)
		return rc;
	op->domain = info.domain;
	op->u.getdomaininfo = info;
	return copy_to_guest(arg, op, sizeof(*op)) ? -XEN_EFAULT : 0;
}

long do_domctl(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct xen_domctl op;
	struct domain *d = NULL;
	long rc;

	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	switch (op.cmd) {
	case XEN_DOMCTL_getdomaininfo:
		return getdomaininfo(v->domain, arg, &op);
	case XEN_DOMCTL_createdomain:
		break; /* the domain does not exist yet */
	default:
		/* Xen looks the id up as it is: DOMID_SELF names no domain here. */
		d = domain_lookup(op.domain);
		if (!d)
			return -XEN_ESRCH;
	}
	rc = policy_control(v->domain, HYPERVISOR_domctl, op.cmd);
	if (rc)
		return rc;
	switch (op.cmd) {
	case XEN_DOMCTL_setdomainhandle: {
		struct domain_locked l = domain_lock(d);
		memcpy(locked_domain(l)->handle, op.u.setdomainhandle.handle, sizeof(d->handle));
		domain_unlock(&l);
		return 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}
