// SPDX-License-Identifier: MIT
#ifndef PUBLIC_HVM_OP_H
#define PUBLIC_HVM_OP_H

/* hvm_op (hypercall 34): x0 = operation, x1 = argument (guest VA). */

#include "xen.h"

#define HVMOP_set_param		     0
#define HVMOP_get_param		     1
#define HVMOP_guest_request_vm_event 24 /* arg NULL: tell the domain's monitor, if any */

struct xen_hvm_param {
	domid_t domid;	/* DOMID_SELF or, for a privileged caller, a target */
	uint16_t pad;	/* left uninitialised by Linux: ignore */
	uint32_t index; /* HVM_PARAM_* */
	uint64_t value;
};
XEN_CHECK_SIZE(struct xen_hvm_param, 16);
XEN_CHECK_OFFSET(struct xen_hvm_param, domid, 0);
XEN_CHECK_OFFSET(struct xen_hvm_param, pad, 2);
XEN_CHECK_OFFSET(struct xen_hvm_param, index, 4);
XEN_CHECK_OFFSET(struct xen_hvm_param, value, 8);

#endif
