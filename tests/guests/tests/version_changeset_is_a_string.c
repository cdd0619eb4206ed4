// SPDX-License-Identifier: Apache-2.0
/*
 * XENVER_changeset fills a 64-byte NUL-terminated string, zeroes the rest of the buffer and
 * returns 0. The text names the build (Xen 4.17.7 from Debian: "", Punt "punt"), so it is
 * printed but not compared.
 */
#include "rt.h"

void test_main(void)
{
	char buf[64];

	memset(buf, 0x55, sizeof(buf));
	CHECK_EQ(hyp_xen_version(XENVER_changeset, buf), 0, "XENVER_changeset");
	size_t n = rt_strnlen(buf, sizeof(buf));
	CHECK(n < sizeof(buf), "changeset is NUL-terminated");
	unsigned nonzero = 0;
	for (size_t i = n; i < sizeof(buf); i++)
		nonzero += buf[i] != 0;
	CHECK_EQ(nonzero, 0, "non-zero bytes after the changeset");
	rt_printf("changeset \"%s\"\n", n < sizeof(buf) ? buf : "?");
}
