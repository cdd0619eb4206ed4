// SPDX-License-Identifier: Apache-2.0
/*
 * bind_virq: VIRQ_CONSOLE (global, handled by dom0) binds on vCPU 0 and returns a port;
 * binding it again gives -EEXIST; virq >= NR_VIRQS (24) gives -EINVAL; a global VIRQ on a
 * vCPU other than 0 gives -EINVAL; a per-vCPU VIRQ (VIRQ_TIMER) binds on vCPU 0; status of
 * the port reports status 4 (virq) with the VIRQ number.
 */
// smp: 2
#include "rt.h"

static long bind(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
	struct evtchn_bind_virq bv = {.virq = virq, .vcpu = vcpu};
	long rc = hyp_evtchn_op(EVTCHNOP_bind_virq, &bv);
	if (port)
		*port = bv.port;
	return rc;
}

void test_main(void)
{
	uint32_t port, timer_port;
	struct evtchn_status st;

	rt_shared_info();
	CHECK_EQ(bind(VIRQ_CONSOLE, 0, &port), 0, "bind VIRQ_CONSOLE on vcpu 0");
	CHECK(port != 0, "a real port");
	CHECK_EQ(rt_evtchn_status(port, &st), 0, "status");
	CHECK_EQ(st.status, EVTCHNSTAT_virq, "status is virq");
	CHECK_EQ(st.u.virq, VIRQ_CONSOLE, "status virq number");
	CHECK_EQ(bind(VIRQ_CONSOLE, 0, NULL), -XEN_EEXIST, "bind VIRQ_CONSOLE again");
	CHECK_EQ(bind(NR_VIRQS, 0, NULL), -XEN_EINVAL, "virq 24");
	CHECK_EQ(bind(VIRQ_DOM_EXC, 1, NULL), -XEN_EINVAL, "global VIRQ_DOM_EXC on vcpu 1");
	CHECK_EQ(bind(VIRQ_TIMER, 0, &timer_port), 0, "per-vCPU VIRQ_TIMER on vcpu 0");
	CHECK_EQ(rt_evtchn_close(port), 0, "close the VIRQ port");
	CHECK_EQ(bind(VIRQ_CONSOLE, 0, &port), 0, "bind VIRQ_CONSOLE after close");
}
