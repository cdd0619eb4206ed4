// SPDX-License-Identifier: MIT
#ifndef PUBLIC_VERSION_H
#define PUBLIC_VERSION_H

/* xen_version (hypercall 17): x0 = command, x1 = argument buffer (guest VA) or 0. */

#include "xen.h"

#define XENVER_version		   0 /* returns (major << 16) | minor */
#define XENVER_extraversion	   1
#define XENVER_compile_info	   2
#define XENVER_capabilities	   3
#define XENVER_changeset	   4
#define XENVER_platform_parameters 5
#define XENVER_get_features	   6
#define XENVER_pagesize		   7
#define XENVER_guest_handle	   8
#define XENVER_commandline	   9  /* char[1024], the hypervisor's command line */
#define XENVER_build_id		   10 /* struct xen_build_id; returns the id's length */

#define XEN_EXTRAVERSION_LEN 16
#define XEN_CAPABILITIES_LEN 1024
#define XEN_CHANGESET_LEN    64
#define XEN_GUEST_HANDLE_LEN 16
#define XEN_COMMANDLINE_LEN  1024

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
XEN_CHECK_SIZE(struct xen_compile_info, 144);

struct xen_platform_parameters {
	xen_ulong_t virt_start;
};
XEN_CHECK_SIZE(struct xen_platform_parameters, 8);

/* XENVER_build_id: in, the size of the buffer that follows; out, the id in that buffer. */
struct xen_build_id {
	uint32_t len;
	/* uint8_t buf[len] follows */
};
XEN_CHECK_SIZE(struct xen_build_id, 4);

struct xen_feature_info {
	uint32_t submap_idx; /* in: only 0 exists */
	uint32_t submap;     /* out: XENFEAT_* bits */
};
XEN_CHECK_SIZE(struct xen_feature_info, 8);
XEN_CHECK_OFFSET(struct xen_feature_info, submap_idx, 0);
XEN_CHECK_OFFSET(struct xen_feature_info, submap, 4);

#endif
