// SPDX-License-Identifier: Apache-2.0
/*
 * GNTTABOP_set_version(1) returns 0 and get_version(DOMID_SELF) then reads 1; version 0 and
 * 3 are -EINVAL, and the refused call still reports the version in force (1). (Xen on Arm
 * 4.17 defaults gnttab max version to 1; version 2 is covered by
 * gnttab_set_version_2_refused.)
 */
#include "rt.h"

void test_main(void)
{
	struct gnttab_set_version sv = {.version = 1};
	struct gnttab_get_version gv = {.dom = DOMID_SELF};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_set_version, &sv, 1), 0, "set_version(1)");
	CHECK_EQ(sv.version, 1, "set_version reports the version in force");
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_get_version, &gv, 1), 0, "get_version");
	CHECK_EQ(gv.version, 1, "version read back");
	sv.version = 3;
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL, "set_version(3)");
	CHECK_EQ(sv.version, 1, "set_version(3) reports the version in force");
	sv.version = 0;
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL, "set_version(0)");
	CHECK_EQ(sv.version, 1, "set_version(0) reports the version in force");
	gv.dom = 1234;
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_get_version, &gv, 1), -XEN_ESRCH,
		 "get_version(dom 1234)");
}
