// SPDX-License-Identifier: Apache-2.0
/*
 * vm_assist and platform_op with bad input, as dom0. vm_assist(unsigned int cmd, unsigned int
 * type) (xen/common/domain.c): Arm knows only VMASST_TYPE_runstate_update_flag; another type
 * is -EINVAL before the command is looked at, an unknown command -ENOSYS. platform_op (Xen on
 * Arm's platform_hypercall.c) copies the operation, checks its interface version (-EACCES),
 * then knows only XENPF_settime64. Every expected value is what Xen 4.17 returned.
 */
#include "rt.h"

static long assist(uint64_t cmd, uint64_t type)
{
	return rt_hypercall(HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

static long platform(struct xen_platform_op *op)
{
	return rt_hypercall(HYPERVISOR_platform_op, (uint64_t)op, 0, 0, 0, 0);
}

void test_main(void)
{
	struct xen_platform_op op = {.cmd = XENPF_settime64,
				     .interface_version = XENPF_INTERFACE_VERSION};

	PROBE("vm_assist_enable", assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag), 0);
	PROBE("vm_assist_disable", assist(VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag), 0);
	PROBE("bad_vm_assist_type_0", assist(VMASST_CMD_enable, 0), -XEN_EINVAL);
	PROBE("bad_vm_assist_type_63", assist(VMASST_CMD_enable, 63), -XEN_EINVAL);
	PROBE("bad_vm_assist_type_64", assist(VMASST_CMD_enable, 64), -XEN_EINVAL);
	PROBE("bad_vm_assist_type_upper_half",
	      assist(VMASST_CMD_enable, (1ull << 32) | VMASST_TYPE_runstate_update_flag), 0);
	PROBE("bad_vm_assist_cmd_upper_half",
	      assist((1ull << 32) | VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag), 0);
	PROBE("bad_vm_assist_cmd_2", assist(2, VMASST_TYPE_runstate_update_flag), -XEN_ENOSYS);
	PROBE("bad_vm_assist_cmd_2_type_0", assist(2, 0), -XEN_EINVAL);

	PROBE("bad_platform_op_bad_pointer", platform((void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	op.interface_version = XENPF_INTERFACE_VERSION + 1;
	PROBE("bad_platform_op_interface_version", platform(&op), -XEN_EACCES);
	op.interface_version = XENPF_INTERFACE_VERSION;
	op.u.settime64.mbz = 1;
	PROBE("bad_platform_op_settime64_mbz", platform(&op), -XEN_EINVAL);
	op.cmd = 1; /* XENPF_settime32: x86 only */
	PROBE("bad_platform_op_settime32", platform(&op), -XEN_ENOSYS);
	op.cmd = 99;
	PROBE("bad_platform_op_unknown_cmd", platform(&op), -XEN_ENOSYS);
}
