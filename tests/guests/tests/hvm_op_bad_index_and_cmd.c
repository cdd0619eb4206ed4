// SPDX-License-Identifier: Apache-2.0
/*
 * HVMOP_get_param with index >= HVM_NR_PARAMS (Xen 4.17: 39) returns -EINVAL; an unknown
 * hvm_op returns -ENOSYS.
 */
#include "rt.h"

void test_main(void)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = 1000};

	CHECK_EQ(hyp_hvm_op(HVMOP_get_param, &p), -XEN_EINVAL, "get_param(1000)");
	p.index = 0xffffffff;
	CHECK_EQ(hyp_hvm_op(HVMOP_get_param, &p), -XEN_EINVAL, "get_param(~0)");
	CHECK_EQ(hyp_hvm_op(99, &p), -XEN_ENOSYS, "hvm_op(99)");
}
