// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
#include <public/hvm_op.h>
#include <punt/domain.h>
#include <punt/guest_access.h>
#include <punt/hypercall.h>

long do_hvm_op(struct vcpu *v, uint64_t op, uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct xen_hvm_param p;
	struct domain *d;

	(void)a2;
	(void)a3;
	(void)a4;
	if (op != HVMOP_set_param && op != HVMOP_get_param)
		return -XEN_ENOSYS;
	if (copy_from_guest(&p, arg, sizeof(p)))
		return -XEN_EFAULT;
	d = domain_from_guest_id(v->domain, p.domid);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->domain && !v->domain->privileged)
		return -XEN_EPERM;
	if (p.index >= NR_HVM_PARAMS)
		return -XEN_EINVAL;
	if (op == HVMOP_set_param) {
		/* The parameters describe what the builder set up: only the toolstack changes them.
		 */
		if (!v->domain->privileged)
			return -XEN_EPERM;
		d->hvm_params[p.index] = p.value;
		return 0;
	}
	p.value = d->hvm_params[p.index];
	return copy_to_guest(arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
}
