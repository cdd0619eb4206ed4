// SPDX-License-Identifier: Apache-2.0
/* XENVER_capabilities fills a 1024-byte string naming "xen-3.0-aarch64" and returns 0. */
#include "rt.h"

static char caps[1024];

void test_main(void)
{
	memset(caps, 0x55, sizeof(caps));
	CHECK_EQ(hyp_xen_version(XENVER_capabilities, caps), 0, "XENVER_capabilities");
	CHECK(rt_strnlen(caps, sizeof(caps)) < sizeof(caps), "capabilities is NUL-terminated");
	CHECK(rt_contains(caps, rt_strnlen(caps, sizeof(caps)), "xen-3.0-aarch64"),
	      "capabilities contains xen-3.0-aarch64");
	rt_printf("capabilities \"%s\"\n", caps);
}
