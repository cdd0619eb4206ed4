// SPDX-License-Identifier: Apache-2.0
/*
 * Port 0 is reserved, never allocated: send/bind_vcpu/close on it fail with -EINVAL. It is
 * still a valid port number (Xen keeps it in state "reserved"): status reports it closed on
 * vCPU 0, and unmask returns 0 but changes nothing (Xen only unmasks a port in use: its mask
 * bit stays set). Ports at or beyond the 2-level limit (4096) are invalid (-EINVAL) for every
 * operation.
 */
#include "rt.h"

void test_main(void)
{
	struct evtchn_send op = {0};
	struct evtchn_bind_vcpu bv = {.port = 0, .vcpu = 0};
	struct evtchn_status st;

	rt_shared_info();
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_send, &op), -XEN_EINVAL, "send(0)");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL, "bind_vcpu(0)");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_close, &op), -XEN_EINVAL, "close(0)");
	memset(&st, 0x55, sizeof(st));
	CHECK_EQ(rt_evtchn_status(0, &st), 0, "status(0)");
	CHECK_EQ(st.status, EVTCHNSTAT_closed, "status(0) state");
	CHECK_EQ(st.vcpu, 0, "status(0) vcpu");
	rt_port_set_mask(0, true);
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_unmask, &op), 0, "unmask(0)");
	CHECK(rt_port_masked(0), "unmask(0) leaves port 0's mask bit alone");
	rt_port_set_mask(0, false);
	op.port = 4096;
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_send, &op), -XEN_EINVAL, "send(4096)");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_close, &op), -XEN_EINVAL, "close(4096)");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_unmask, &op), -XEN_EINVAL, "unmask(4096)");
	CHECK_EQ(rt_evtchn_status(4096, &st), -XEN_EINVAL, "status(4096)");
}
