// SPDX-License-Identifier: Apache-2.0
/* XENVER_changeset fills a 64-byte NUL-terminated string and returns 0. */
#include "rt.h"

void test_main(void)
{
	char buf[64];

	memset(buf, 0x55, sizeof(buf));
	CHECK_EQ(hyp_xen_version(XENVER_changeset, buf), 0, "XENVER_changeset");
	CHECK(rt_strnlen(buf, sizeof(buf)) < sizeof(buf), "changeset is NUL-terminated");
	rt_printf("changeset \"%s\"\n", buf);
}
