// SPDX-License-Identifier: Apache-2.0
/*
 * EVTCHNOP_bind_vcpu: moving an interdomain or unbound port to an existing vCPU returns 0
 * and status then reports that vCPU; a vCPU the domain does not have gives -ENOENT.
 */
// smp: 2
#include "rt.h"

void test_main(void)
{
	uint32_t a, b;
	struct evtchn_status st;

	if (rt_plat.nr_cpus < 2)
		rt_skip("needs 2 vCPUs");
	REQUIRE_EQ(rt_evtchn_loopback(&a, &b), 0, "loopback channel");
	struct evtchn_bind_vcpu bv = {.port = b, .vcpu = 1};
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_bind_vcpu, &bv), 0, "bind_vcpu(bound port, vcpu 1)");
	CHECK_EQ(rt_evtchn_status(b, &st), 0, "status");
	CHECK_EQ(st.vcpu, 1, "notify vcpu after bind_vcpu");
	bv.vcpu = 0;
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_bind_vcpu, &bv), 0, "bind_vcpu back to 0");
	bv.vcpu = 64;
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_bind_vcpu, &bv), -XEN_ENOENT, "bind_vcpu(vcpu 64)");
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_alloc_unbound, &au), 0, "alloc_unbound");
	bv.port = au.port;
	bv.vcpu = 1;
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_bind_vcpu, &bv), 0, "bind_vcpu(unbound port, vcpu 1)");
}
