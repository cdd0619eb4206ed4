// SPDX-License-Identifier: Apache-2.0
/*
 * hvm_op with bad input, as dom0 (Xen on Arm's do_hvm_op(unsigned long op, ...): all 64 bits
 * of the op count). A domain may read CALLBACK_IRQ, STORE_PFN/EVTCHN and CONSOLE_PFN/EVTCHN
 * of itself, but set them only for another domain (-EPERM for itself); MONITOR_RING_PFN is
 * the toolstack's (-EPERM for itself); every other index is -EINVAL.
 * HVMOP_guest_request_vm_event takes no argument. Every expected value is what Xen 4.17
 * returned to this guest.
 */
#include "rt.h"

#define NO_SUCH_DOMAIN 77

static long hvm(uint64_t op, void *arg)
{
	return rt_hypercall(HYPERVISOR_hvm_op, op, (uint64_t)arg, 0, 0, 0);
}

static long param(uint64_t op, domid_t dom, uint32_t index)
{
	struct xen_hvm_param p = {.domid = dom, .index = index, .value = 0x1234};

	return hvm(op, &p);
}

void test_main(void)
{
	static const uint32_t readable[] = {HVM_PARAM_CALLBACK_IRQ, HVM_PARAM_STORE_PFN,
					    HVM_PARAM_STORE_EVTCHN, HVM_PARAM_CONSOLE_PFN,
					    HVM_PARAM_CONSOLE_EVTCHN};
	static const char *const get_names[] = {"get_callback_irq", "get_store_pfn",
						"get_store_evtchn", "get_console_pfn",
						"get_console_evtchn"};
	static const char *const set_names[] = {
	    "bad_set_own_callback_irq", "bad_set_own_store_pfn", "bad_set_own_store_evtchn",
	    "bad_set_own_console_pfn", "bad_set_own_console_evtchn"};

	for (unsigned i = 0; i < 5; i++) {
		PROBE(get_names[i], param(HVMOP_get_param, DOMID_SELF, readable[i]), 0);
		PROBE(set_names[i], param(HVMOP_set_param, DOMID_SELF, readable[i]), -XEN_EPERM);
	}
	PROBE("bad_get_own_monitor_ring",
	      param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_MONITOR_RING_PFN), -XEN_EPERM);
	PROBE("bad_set_own_monitor_ring",
	      param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_MONITOR_RING_PFN), -XEN_EPERM);
	PROBE("bad_get_index_3", param(HVMOP_get_param, DOMID_SELF, 3), -XEN_EINVAL);
	PROBE("bad_set_index_3", param(HVMOP_set_param, DOMID_SELF, 3), -XEN_EINVAL);
	PROBE("bad_get_index_38", param(HVMOP_get_param, DOMID_SELF, 38), -XEN_EINVAL);
	PROBE("bad_set_index_39", param(HVMOP_set_param, DOMID_SELF, 39), -XEN_EINVAL);
	PROBE("bad_get_index_minus_1", param(HVMOP_get_param, DOMID_SELF, 0xffffffffu),
	      -XEN_EINVAL);
	PROBE("bad_get_unknown_domain", param(HVMOP_get_param, NO_SUCH_DOMAIN, 1), -XEN_ESRCH);
	PROBE("bad_set_unknown_domain", param(HVMOP_set_param, NO_SUCH_DOMAIN, 1), -XEN_ESRCH);
	PROBE("bad_get_bad_pointer", hvm(HVMOP_get_param, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	PROBE("bad_set_bad_pointer", hvm(HVMOP_set_param, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	/* The op is an unsigned long: bits above 31 make it another, unknown op. */
	PROBE("bad_op_upper_half", param((1ull << 32) | HVMOP_get_param, DOMID_SELF, 1),
	      -XEN_ENOSYS);
	PROBE("bad_unknown_op", hvm(99, NULL), -XEN_ENOSYS);
	PROBE("guest_request_vm_event", hvm(HVMOP_guest_request_vm_event, NULL), 0);
	PROBE("bad_guest_request_vm_event_argument",
	      hvm(HVMOP_guest_request_vm_event, (void *)RT_UNMAPPED_VA), -XEN_EINVAL);
}
