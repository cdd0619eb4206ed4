// SPDX-License-Identifier: Apache-2.0
/* An xen_version sub-op Xen does not know returns -ENOSYS. */
#include "rt.h"

void test_main(void)
{
	CHECK_EQ(hyp_xen_version(0x7fff, NULL), -XEN_ENOSYS, "xen_version(0x7fff)");
	CHECK_EQ(hyp_xen_version(64, NULL), -XEN_ENOSYS, "xen_version(64)");
}
