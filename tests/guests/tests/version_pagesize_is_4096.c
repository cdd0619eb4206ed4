// SPDX-License-Identifier: Apache-2.0
/* XENVER_pagesize returns 4096 (Xen pages are always 4 KiB on Arm). */
#include "rt.h"

void test_main(void)
{
	CHECK_EQ(hyp_xen_version(XENVER_pagesize, NULL), 4096, "XENVER_pagesize");
}
