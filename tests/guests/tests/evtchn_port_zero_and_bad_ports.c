// SPDX-License-Identifier: Apache-2.0
/*
 * Port 0 is reserved, never allocated: send/unmask/bind_vcpu/close on it fail with -EINVAL
 * (Xen keeps it in state "reserved"); ports at or beyond the 2-level limit (4096) are
 * invalid (-EINVAL).
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
	rt_printf("status(0) = %ld\n", rt_evtchn_status(0, &st));
	rt_printf("unmask(0) = %ld\n", hyp_evtchn_op(EVTCHNOP_unmask, &op));
	op.port = 4096;
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_send, &op), -XEN_EINVAL, "send(4096)");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_close, &op), -XEN_EINVAL, "close(4096)");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_unmask, &op), -XEN_EINVAL, "unmask(4096)");
	CHECK_EQ(rt_evtchn_status(4096, &st), -XEN_EINVAL, "status(4096)");
}
