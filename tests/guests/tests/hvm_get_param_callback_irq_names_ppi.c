// SPDX-License-Identifier: Apache-2.0
/*
 * HVM_PARAM_CALLBACK_IRQ (0) for dom0: type 2 (PPI) in bits 63:56, flags 2 (active-low level)
 * in bits 15:8 and the event PPI from /hypervisor in bits 7:0.
 */
#include "rt.h"

void test_main(void)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = 0};

	CHECK_EQ(hyp_hvm_op(HVMOP_get_param, &p), 0, "get_param(CALLBACK_IRQ)");
	CHECK_EQ(p.value >> 56, 2, "type PPI");
	CHECK_EQ(p.value >> 8 & 0xff, 2, "flags: active-low level");
	CHECK_EQ(p.value & 0xff, rt_plat.evtchn_intid, "the /hypervisor PPI");
	CHECK_EQ(p.value, 2ull << 56 | 2u << 8 | rt_plat.evtchn_intid, "no other bits set");
}
