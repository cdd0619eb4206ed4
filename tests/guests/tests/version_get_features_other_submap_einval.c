// SPDX-License-Identifier: Apache-2.0
/* XENVER_get_features with submap_idx >= XENFEAT_NR_SUBMAPS (1) returns -EINVAL. */
#include "rt.h"

void test_main(void)
{
	struct xen_feature_info fi = {.submap_idx = 1};

	CHECK_EQ(hyp_xen_version(XENVER_get_features, &fi), -XEN_EINVAL, "submap 1");
	fi.submap_idx = 0xffffffff;
	CHECK_EQ(hyp_xen_version(XENVER_get_features, &fi), -XEN_EINVAL, "submap ~0");
}
