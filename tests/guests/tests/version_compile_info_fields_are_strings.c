// SPDX-License-Identifier: Apache-2.0
/* XENVER_compile_info fills four NUL-terminated strings (64+16+32+32 bytes) and returns 0. */
#include "rt.h"

void test_main(void)
{
	struct xen_compile_info ci;

	memset(&ci, 0x55, sizeof(ci));
	CHECK_EQ(hyp_xen_version(XENVER_compile_info, &ci), 0, "XENVER_compile_info");
	CHECK(rt_strnlen(ci.compiler, sizeof(ci.compiler)) < sizeof(ci.compiler), "compiler");
	CHECK(rt_strnlen(ci.compile_by, sizeof(ci.compile_by)) < sizeof(ci.compile_by), "by");
	CHECK(rt_strnlen(ci.compile_domain, sizeof(ci.compile_domain)) < sizeof(ci.compile_domain),
	      "domain");
	CHECK(rt_strnlen(ci.compile_date, sizeof(ci.compile_date)) < sizeof(ci.compile_date),
	      "date");
}
