// SPDX-License-Identifier: Apache-2.0
/*
 * Grant table v2 is not offered to dom0 on Arm (max version 1): Xen 4.17's set_version(2)
 * then returns -ENOSYS ("behave as before set_version existed"), and the version stays 1.
 */
#include "rt.h"

void test_main(void)
{
	struct gnttab_set_version sv = {.version = 2};
	struct gnttab_get_version gv = {.dom = DOMID_SELF};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_set_version, &sv, 1), -XEN_ENOSYS, "set_version(2)");
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_get_version, &gv, 1), 0, "get_version");
	CHECK_EQ(gv.version, 1, "version still 1");
}
