// SPDX-License-Identifier: Apache-2.0
/*
 * VCPUOP_register_vcpu_info(vcpu 0, gfn, offset 64) returns 0; Xen copies the old vcpu_info
 * across, sets evtchn_pending_sel = ~0 and evtchn_upcall_pending = 1 and injects the event
 * PPI, so the guest takes one upcall (Xen public/vcpu.h, VCPUOP_register_vcpu_info).
 */
#include "rt.h"

static uint8_t page[PAGE_SIZE] PAGE_ALIGNED;

static bool upcalled(void)
{
	return rt_upcalls > 0;
}

void test_main(void)
{
	struct vcpu_register_vcpu_info r = {.mfn = (uint64_t)page >> 12, .offset = 64};
	struct vcpu_info *vi = (struct vcpu_info *)(page + 64);

	rt_shared_info();
	rt_gic_init();
	rt_irq_enable_ppi(rt_plat.evtchn_intid);
	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), 0, "register_vcpu_info");
	CHECK_EQ(vi->evtchn_upcall_pending, 1, "evtchn_upcall_pending after registration");
	CHECK_EQ(vi->evtchn_pending_sel, ~0ull, "evtchn_pending_sel after registration");
	rt_registered_vcpu_info = vi;
	rt_irq_on();
	CHECK(rt_wait_until(upcalled, 200), "an upcall arrives after registration");
	CHECK_EQ(vi->evtchn_upcall_pending, 0, "upcall handled");
}
