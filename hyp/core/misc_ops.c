// SPDX-License-Identifier: Apache-2.0
/* The small hypercalls: vm_assist and platform_op (settime64). */
#include <public/errno.h>
#include <public/platform.h>
#include <public/vm_assist.h>
#include <punt/domain.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/policy.h>
#include <punt/wallclock.h>

/* vm_assist(unsigned int cmd, unsigned int type) in Xen: the registers' upper halves are ignored.
 */
long do_vm_assist(struct vcpu *v, uint64_t cmd, uint64_t type, uint64_t a2, uint64_t a3,
		  uint64_t a4)
{
	(void)a2;
	(void)a3;
	(void)a4;
	/* Arm offers only the runstate update flag. */
	if ((uint32_t)type != VMASST_TYPE_runstate_update_flag)
		return -XEN_EINVAL;
	switch ((uint32_t)cmd) {
	case VMASST_CMD_enable:
		v->domain->vm_assist |= 1u << VMASST_TYPE_runstate_update_flag;
		return 0;
	case VMASST_CMD_disable:
		v->domain->vm_assist &= ~(1u << VMASST_TYPE_runstate_update_flag);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}

long do_platform_op(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3,
		    uint64_t a4)
{
	struct xen_platform_op op;
	long rc;

	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XENPF_INTERFACE_VERSION)
		return -XEN_EACCES;
	/* The control domain's alone, asked after the envelope's checks as Xen asks XSM. */
	rc = policy_control(v->domain, HYPERVISOR_platform_op, op.cmd);
	if (rc)
		return rc;
	switch (op.cmd) {
	case XENPF_settime64:
		if (op.u.settime64.mbz)
			return -XEN_EINVAL;
		wallclock_set(op.u.settime64.secs, op.u.settime64.nsecs,
			      op.u.settime64.system_time);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
