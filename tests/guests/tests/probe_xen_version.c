// SPDX-License-Identifier: Apache-2.0
/*
 * xen_version with bad input (xen/common/kernel.c, xen_version(int cmd, void *arg): the
 * upper half of x0 is ignored). Sub-ops that write a result fault (-EFAULT) on an unmapped
 * buffer; XENVER_pagesize wants a NULL argument (-EINVAL otherwise). XENVER_build_id and
 * XENVER_platform_parameters are checked by their own tests. Every expected value is what
 * Xen 4.17 returned to this guest as dom0.
 */
#include "rt.h"

static long version(uint64_t cmd, void *arg)
{
	return rt_hypercall(HYPERVISOR_xen_version, cmd, (uint64_t)arg, 0, 0, 0);
}

void test_main(void)
{
	void *bad = (void *)RT_UNMAPPED_VA;
	uint8_t buf[1024] = {0};
	struct xen_feature_info fi = {.submap_idx = 1};

	PROBE("version", version(XENVER_version, NULL), 0x40011);
	PROBE("bad_version_cmd_upper_half", version((1ull << 32) | XENVER_version, NULL), 0x40011);
	PROBE("bad_version_cmd_upper_half_only", version(1ull << 32, NULL), 0x40011);
	PROBE("bad_extraversion_bad_pointer", version(XENVER_extraversion, bad), -XEN_EFAULT);
	PROBE("bad_compile_info_bad_pointer", version(XENVER_compile_info, bad), -XEN_EFAULT);
	PROBE("bad_capabilities_bad_pointer", version(XENVER_capabilities, bad), -XEN_EFAULT);
	PROBE("bad_changeset_bad_pointer", version(XENVER_changeset, bad), -XEN_EFAULT);
	PROBE("bad_get_features_bad_pointer", version(XENVER_get_features, bad), -XEN_EFAULT);
	PROBE("bad_get_features_submap_1", version(XENVER_get_features, &fi), -XEN_EINVAL);
	fi.submap_idx = 0xffffffffu;
	PROBE("bad_get_features_submap_minus_1", version(XENVER_get_features, &fi), -XEN_EINVAL);
	PROBE("pagesize", version(XENVER_pagesize, NULL), 4096);
	PROBE("bad_pagesize_with_argument", version(XENVER_pagesize, buf), -XEN_EINVAL);
	PROBE("bad_guest_handle_bad_pointer", version(XENVER_guest_handle, bad), -XEN_EFAULT);
	PROBE("bad_commandline_bad_pointer", version(XENVER_commandline, bad), -XEN_EFAULT);
	PROBE("bad_unknown_cmd", version(99, buf), -XEN_ENOSYS);
	PROBE("bad_cmd_minus_1", version(0xffffffffu, buf), -XEN_ENOSYS);
	PROBE("bad_cmd_2_31", version(1u << 31, buf), -XEN_ENOSYS);
}
