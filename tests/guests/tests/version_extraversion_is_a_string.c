// SPDX-License-Identifier: Apache-2.0
/* XENVER_extraversion fills a 16-byte NUL-terminated string and returns 0 (Xen 4.17: ".x"). */
#include "rt.h"

void test_main(void)
{
	char buf[16];

	memset(buf, 0x55, sizeof(buf));
	CHECK_EQ(hyp_xen_version(XENVER_extraversion, buf), 0, "XENVER_extraversion");
	CHECK(rt_strnlen(buf, sizeof(buf)) < sizeof(buf), "extraversion is NUL-terminated");
	rt_printf("extraversion \"%s\"\n", buf);
}
