// SPDX-License-Identifier: Apache-2.0
/* alloc_unbound for a domain that does not exist returns -ESRCH (Xen looks the domain up). */
#include "rt.h"

void test_main(void)
{
	struct evtchn_alloc_unbound au = {.dom = 1234, .remote_dom = DOMID_SELF};

	rt_shared_info();
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_alloc_unbound, &au), -XEN_ESRCH, "alloc_unbound(dom 1234)");
	struct evtchn_bind_interdomain bi = {.remote_dom = 1234, .remote_port = 1};
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_bind_interdomain, &bi), -XEN_ESRCH,
		 "bind_interdomain(remote dom 1234)");
}
