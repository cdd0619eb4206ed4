// SPDX-License-Identifier: MIT
#ifndef PUBLIC_PLATFORM_H
#define PUBLIC_PLATFORM_H

/* platform_op (hypercall 7): x0 = struct xen_platform_op (guest VA). dom0 only. */

#include "xen.h"

#define XENPF_INTERFACE_VERSION 0x03000001u

#define XENPF_settime64 62

struct xenpf_settime64 {
	uint64_t secs;
	uint32_t nsecs;
	uint32_t mbz;
	uint64_t system_time; /* the time at which secs/nsecs were true */
};
XEN_CHECK_SIZE(struct xenpf_settime64, 24);
XEN_CHECK_OFFSET(struct xenpf_settime64, secs, 0);
XEN_CHECK_OFFSET(struct xenpf_settime64, nsecs, 8);
XEN_CHECK_OFFSET(struct xenpf_settime64, mbz, 12);
XEN_CHECK_OFFSET(struct xenpf_settime64, system_time, 16);

struct xen_platform_op {
	uint32_t cmd;
	uint32_t interface_version; /* must be XENPF_INTERFACE_VERSION */
	union {
		struct xenpf_settime64 settime64;
		uint8_t pad[128];
	} u;
};
XEN_CHECK_SIZE(struct xen_platform_op, 136);
XEN_CHECK_OFFSET(struct xen_platform_op, cmd, 0);
XEN_CHECK_OFFSET(struct xen_platform_op, interface_version, 4);
XEN_CHECK_OFFSET(struct xen_platform_op, u, 8);
XEN_CHECK_OFFSET(struct xen_platform_op, u.settime64.secs, 8);

#endif
