// SPDX-License-Identifier: Apache-2.0
/*
 * Hypercall arguments at a guest VA with no stage-1 mapping make Xen's copy helpers fail:
 * each call returns -EFAULT and the guest is not harmed (no abort injected, no crash).
 */
#include "rt.h"

#define BAD ((void *)RT_UNMAPPED_VA)

void test_main(void)
{
	rt_shared_info();
	CHECK_EQ(hyp_xen_version(XENVER_get_features, BAD), -XEN_EFAULT, "xen_version features");
	CHECK_EQ(hyp_xen_version(XENVER_extraversion, BAD), -XEN_EFAULT, "xen_version extra");
	CHECK_EQ(hyp_memory_op(XENMEM_add_to_physmap, BAD), -XEN_EFAULT, "memory_op");
	CHECK_EQ(hyp_vcpu_op(VCPUOP_register_vcpu_info, 0, BAD), -XEN_EFAULT, "vcpu_op");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_alloc_unbound, BAD), -XEN_EFAULT, "alloc_unbound");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_send, BAD), -XEN_EFAULT, "evtchn send");
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_query_size, BAD, 1), -XEN_EFAULT, "query_size");
	CHECK_EQ(hyp_hvm_op(HVMOP_get_param, BAD), -XEN_EFAULT, "hvm get_param");
	CHECK_EQ(hyp_console_io(CONSOLEIO_write, 16, BAD), -XEN_EFAULT, "console_io write");
	CHECK_EQ(hyp_sched_op(SCHEDOP_shutdown, BAD), -XEN_EFAULT, "sched_op shutdown");
	rt_printf("still running after %u checks\n", 10u);
}
