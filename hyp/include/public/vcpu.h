// SPDX-License-Identifier: MIT
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

/* vcpu_op (hypercall 24): x0 = command, x1 = vCPU id, x2 = argument (guest VA). */

#include "xen.h"

#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_register_vcpu_info	     10

/* Place this vCPU's vcpu_info at mfn * 4096 + offset (8-aligned, within the page). */
struct vcpu_register_vcpu_info {
	uint64_t mfn; /* a guest frame number despite the name */
	uint32_t offset;
	uint32_t rsvd; /* left uninitialised by Linux: ignore */
};
XEN_CHECK_SIZE(struct vcpu_register_vcpu_info, 16);
XEN_CHECK_OFFSET(struct vcpu_register_vcpu_info, mfn, 0);
XEN_CHECK_OFFSET(struct vcpu_register_vcpu_info, offset, 8);
XEN_CHECK_OFFSET(struct vcpu_register_vcpu_info, rsvd, 12);

#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

/* Set in state_entry_time while the hypervisor rewrites the area (VMASST runstate flag). */
#define XEN_RUNSTATE_UPDATE (1ull << 63)

struct vcpu_runstate_info {
	int32_t state;
	uint32_t pad0;
	uint64_t state_entry_time;
	uint64_t time[4]; /* ns spent in each RUNSTATE_* */
};
XEN_CHECK_SIZE(struct vcpu_runstate_info, 48);
XEN_CHECK_OFFSET(struct vcpu_runstate_info, state, 0);
XEN_CHECK_OFFSET(struct vcpu_runstate_info, state_entry_time, 8);
XEN_CHECK_OFFSET(struct vcpu_runstate_info, time, 16);

struct vcpu_register_runstate_memory_area {
	uint64_t addr_gva; /* struct vcpu_runstate_info, may straddle a page */
};
XEN_CHECK_SIZE(struct vcpu_register_runstate_memory_area, 8);

#endif
