// SPDX-License-Identifier: Apache-2.0
/*
 * XENVER_get_features, submap 0, for dom0 on Arm (Xen public/features.h): writable_page_tables (0),
 * auto_translated_physmap (2), dom0 (11) and ARM_SMCCC_supported (14) set; dom0 is 1:1 here
 * (no IOMMU), so direct_mapped (17) is set and not_direct_mapped (16) clear. With
 * memory_op_vnode_supported (13) that is the whole map: 0x26805 on Xen 4.17.
 */
#include "rt.h"

void test_main(void)
{
	struct xen_feature_info fi = {.submap_idx = 0, .submap = 0x55555555};

	CHECK_EQ(hyp_xen_version(XENVER_get_features, &fi), 0, "XENVER_get_features(0)");
	CHECK_EQ(fi.submap_idx, 0, "submap_idx untouched");
	CHECK_EQ(fi.submap >> XENFEAT_writable_page_tables & 1, 1, "writable_page_tables");
	CHECK_EQ(fi.submap >> XENFEAT_auto_translated_physmap & 1, 1, "auto_translated_physmap");
	CHECK_EQ(fi.submap >> XENFEAT_dom0 & 1, 1, "dom0");
	CHECK_EQ(fi.submap >> XENFEAT_ARM_SMCCC_supported & 1, 1, "ARM_SMCCC_supported");
	CHECK_EQ(fi.submap >> XENFEAT_direct_mapped & 1, 1, "direct_mapped");
	CHECK_EQ(fi.submap >> XENFEAT_not_direct_mapped & 1, 0, "not_direct_mapped");
	CHECK_EQ(fi.submap, 0x26805, "the whole submap");
}
