// SPDX-License-Identifier: Apache-2.0
/*
 * hvm_op on Arm: a domain's parameters (Xen public/hvm/params.h), read and set as Xen on Arm
 * allows (xen/arch/arm/hvm.c): the op is an unsigned long, so all 64 bits of x0 count.
 */
#include <public/errno.h>
#include <public/hvm_op.h>
#include <public/hvm_params.h>
#include <punt/domain.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>

/*
 * The parameters the toolstack sets up for a guest: the guest may read them, but only
 * another domain (its toolstack) may set them.
 */
static bool toolstack_param(uint32_t index)
{
	return index == HVM_PARAM_CALLBACK_IRQ || index == HVM_PARAM_STORE_PFN ||
	       index == HVM_PARAM_STORE_EVTCHN || index == HVM_PARAM_CONSOLE_PFN ||
	       index == HVM_PARAM_CONSOLE_EVTCHN;
}

static long may_set(const struct domain *d, const struct domain *caller, uint32_t index)
{
	if (toolstack_param(index) || index == HVM_PARAM_MONITOR_RING_PFN)
		return d == caller ? -XEN_EPERM : 0;
	return -XEN_EINVAL; /* set only by the hypervisor, withdrawn, or no such parameter */
}

static long may_get(const struct domain *d, const struct domain *caller, uint32_t index)
{
	if (toolstack_param(index))
		return 0;
	if (index == HVM_PARAM_MONITOR_RING_PFN)
		return d == caller ? -XEN_EPERM : 0; /* the toolstack's own */
	return -XEN_EINVAL;
}

static long param_op(struct vcpu *v, uint64_t op, uint64_t arg)
{
	struct xen_hvm_param p;
	struct domain *d;
	long rc;

	if (copy_from_guest(&p, arg, sizeof(p)))
		return -XEN_EFAULT;
	rc = domain_target(v->domain, p.domid, &d);
	if (rc)
		return rc;
	if (op == HVMOP_set_param) {
		rc = may_set(d, v->domain, p.index);
		if (!rc)
			d->hvm_params[p.index] = p.value;
		return rc;
	}
	rc = may_get(d, v->domain, p.index);
	if (rc)
		return rc;
	p.value = d->hvm_params[p.index];
	return copy_to_guest(arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
}

long do_hvm_op(struct vcpu *v, uint64_t op, uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4)
{
	(void)a2;
	(void)a3;
	(void)a4;
	switch (op) {
	case HVMOP_set_param:
	case HVMOP_get_param:
		return param_op(v, op, arg);
	case HVMOP_guest_request_vm_event:
		/* Nobody monitors Punt's guests: the request has no one to go to. */
		return arg ? -XEN_EINVAL : 0;
	default:
		return -XEN_ENOSYS;
	}
}
