// SPDX-License-Identifier: Apache-2.0
/*
 * EVTCHNOP_status: an unbound port reports status 1 with the remote domain; after binding
 * both ends report status 2 (interdomain), dom 0 and each other's port, notify vCPU 0.
 */
#include "rt.h"

void test_main(void)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_status st;

	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_alloc_unbound, &au), 0, "alloc_unbound");
	CHECK(au.port != 0, "port 0 is never allocated");
	CHECK_EQ(rt_evtchn_status(au.port, &st), 0, "status(unbound)");
	CHECK_EQ(st.status, EVTCHNSTAT_unbound, "unbound status");
	CHECK_EQ(st.u.unbound.dom, 0, "unbound remote dom (self = 0)");
	CHECK_EQ(st.vcpu, 0, "unbound notify vcpu");
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF, .remote_port = au.port};
	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_bind_interdomain, &bi), 0, "bind_interdomain");
	CHECK_EQ(rt_evtchn_status(au.port, &st), 0, "status(first end)");
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain, "first end status");
	CHECK_EQ(st.u.interdomain.dom, 0, "first end peer dom");
	CHECK_EQ(st.u.interdomain.port, bi.local_port, "first end peer port");
	CHECK_EQ(rt_evtchn_status(bi.local_port, &st), 0, "status(second end)");
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain, "second end status");
	CHECK_EQ(st.u.interdomain.port, au.port, "second end peer port");
}
